import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { ENRICHMENT_CONTACT_ATTRIBUTES } from "./compliance.server";
import { customerAttributes } from "./enrichment-note";

describe("what the privacy webhooks know about the app's data", () => {
  it("knows every column that can identify a person, so none is added without deciding how it is erased", () => {
    const identifying = Prisma.dmmf.datamodel.models.flatMap((model) =>
      model.fields.filter((field) => /customer|email|phone|contact|shopper|address|firstName|lastName/i.test(field.name)).map((field) => `${model.name}.${field.name}`),
    );
    expect(identifying.sort()).toEqual([
      "ConversationRecord.shopifyCustomerId", // customers/redact deletes the rows; shop/redact deletes all of the shop's
      "EscalationRules.vipCustomerTags", // the merchant's tag names, which identify no one; shop/redact deletes the row
      "OrderAction.shopifyCustomerId", // customers/redact deletes the customer's order commands (and those in their conversations); shop/redact all of the shop's
      "OrderCommandSettings.notifyCustomer", // a yes/no setting, which identifies no one; shop/redact deletes the row
      // Staff members' online sessions: deleted on uninstall and shop/redact.
      "Session.email",
      "Session.emailVerified",
      "Session.firstName",
      "Session.lastName",
      "ShopOrder.shopifyCustomerId", // customers/redact deletes the customer's orders (and orders_to_redact); shop/redact all of the shop's
    ]);
  });

  it("lists every contact attribute enrichment sets in Oscar in the customer's export", () => {
    const set = customerAttributes({
      id: "gid://shopify/Customer/1",
      displayName: "A shopper",
      numberOfOrders: 1,
      amountSpent: { amount: "10.00", currencyCode: "EUR" },
      tags: [],
      createdAt: "2026-01-01T00:00:00Z",
      orders: { nodes: [{ id: "gid://shopify/Order/1", name: "#1001", processedAt: "2026-01-02T00:00:00Z", displayFinancialStatus: "PAID", displayFulfillmentStatus: "FULFILLED", totalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "EUR" } }, fulfillments: [] }] },
    });
    expect(ENRICHMENT_CONTACT_ATTRIBUTES).toEqual(expect.arrayContaining(Object.keys(set)));
  });
});
