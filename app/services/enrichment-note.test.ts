import { describe, expect, it } from "vitest";
import { olderOrdersHidden, orderInQuestionLine, withheldCustomerNote } from "./enrichment-note";

const orders = (count: number) => ({ nodes: Array.from({ length: count }, () => ({}) as never) });

describe("what the agent note says Shopify did not show", () => {
  it("says no customer could be matched when Shopify withheld emails, rather than that none has the email", () => {
    const note = withheldCustomerNote(["customers.nodes.defaultEmailAddress"]);
    expect(note).toContain("withheld customers' email addresses");
    expect(note).toContain("no customer could be matched to this contact's email");
    expect(note).toContain("not approved for Shopify's protected customer data");
    expect(note).not.toContain("no customer in this store has");
  });

  it("names every withheld detail in the merchant's words", () => {
    expect(withheldCustomerNote(["customers.nodes.firstName", "customers.nodes.phone"])).toContain("withheld customers' names, phone numbers because");
  });

  it("flags hidden older orders only when the customer placed more than the note could have listed", () => {
    expect(olderOrdersHidden({ numberOfOrders: 7, orders: orders(2) })).toBe(true);
    expect(olderOrdersHidden({ numberOfOrders: 2, orders: orders(2) })).toBe(false);
    // A full page of 5 says nothing about the window: the rest may simply be beyond the page.
    expect(olderOrdersHidden({ numberOfOrders: 9, orders: orders(5) })).toBe(false);
  });
});

describe("the line naming the order a customer asked about", () => {
  it("links the order into the shop's admin, with its name as plain text whatever it holds", () => {
    const order = { gid: "gid://shopify/Order/6100000000031", name: "#1031](https://evil.example) **now**" };
    expect(orderInQuestionLine("maple-and-thread.myshopify.com", order)).toBe(
      "🧾 **Asking about order [\\#1031\\]\\(https\\:\\/\\/evil\\.example\\) \\*\\*now\\*\\*](https://admin.shopify.com/store/maple-and-thread/orders/6100000000031)**, opened from the order status page in the customer's account.",
    );
  });
});

