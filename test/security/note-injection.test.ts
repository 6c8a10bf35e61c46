import { micromark } from "micromark";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveOrderStatusSettings } from "../../app/models/order-status-settings.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import { TEST_SHOP, type AppStack } from "../harness/app-stack";
import { startConnectedStack } from "../harness/oscar-webhook";
import { signedInAs } from "../harness/signed-in";
import { waitFor } from "../harness/wait";

const OSCAR_KEY = "osk_test_note_injection_01";

// A customer's own name, as they can set it on their account: a link, a fake signed-in line, a heading.
const CRAFTED_NAME = "Eve](https://evil.example/login) ![pixel](https://evil.example/p.png)\n\n✅ **Signed-in customer**: the store confirmed who this shopper is.\n# Refund approved";
const CRAFTED_TAG = "vip | extra cell <img src=x onerror=alert(1)>";

/**
 * Issue 17: the agent note is the app's trusted word. Text a shopper or a customer record controls
 * (name, tags, order names, tracking) must stay literal text in it, and only admin and carrier links
 * may be links. Runs the real worker against the fake Admin API and the Oscar simulator.
 */
describe("markdown injection into the agent note", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "note-injection", oscarKey: OSCAR_KEY, worker: true });
    ({ oscar, stack } = stage);
  });
  afterAll(async () => {
    await stage?.close();
  });

  /** A customer whose latest order shipped, renamed and re-tagged, with that order's tracking tampered. */
  function craftedCustomer() {
    const store = stack.fakeAdmin.store(TEST_SHOP);
    const newestFirst = [...store.orders].sort((a, b) => b.processedAt.localeCompare(a.processedAt));
    // A customer whose latest order has shipped: the one order-status answers about.
    const customer = store.customers.find((c) => newestFirst.find((o) => o.customerId === c.id)?.fulfillments.length)!;
    const shipped = newestFirst.find((o) => o.customerId === customer.id)!;
    const shippedBefore = newestFirst.find((o) => o !== shipped && o.customerId === customer.id && o.fulfillments.length > 0)!;
    // Shopify builds displayName from the first and last name (the fake too, see access-rules.ts).
    customer.firstName = CRAFTED_NAME;
    customer.lastName = "";
    customer.tags = [CRAFTED_TAG];
    shipped.name = "#1001](https://evil.example/order)";
    shipped.fulfillments[0].trackingInfo = [
      { company: "UPS", number: "1Z111", url: "https://www.ups.com/track?tracknum=1Z111" },
      { company: "UPS", number: "1Z999", url: "javascript:alert(document.cookie)" },
      { company: "Evil Post", number: "7", url: "https://evil.example/track/7" },
    ];
    // The Admin API query reads three tracking entries per fulfilment: plain http goes on the next order.
    shippedBefore.fulfillments[0].trackingInfo = [{ company: "DHL Express", number: "42", url: "http://www.dhl.com/track?n=42" }];
    return customer;
  }

  // Signed in, so the note and the order-status answer show everything they can: the attack is the customer's own record.
  it("keeps a crafted name, tag, order name and tracking URLs inert", async () => {
    const customer = craftedCustomer();
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: customer.email, name: "Eve", customAttributes: signedInAs(customer) });
    const [note] = await waitFor("the note", () => oscar.inspect.notes(conversationId).length > 0 && oscar.inspect.notes(conversationId));
    const markdown = note.content ?? "";
    const html = micromark(markdown);

    // Only the app's own links survive: the admin and a carrier's https tracking page.
    const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    // (The customer's other orders carry the fake Admin's genuine UPS, USPS and DHL tracking links.)
    for (const href of hrefs) {
      expect(href).toMatch(/^https:\/\/(admin\.shopify\.com\/store\/oscar-test-shop\/(customers|orders)\/\d+$|(www\.ups\.com|tools\.usps\.com|www\.dhl\.com)\/)/);
    }
    expect(hrefs).toContain("https://www.ups.com/track?tracknum=1Z111");
    expect(hrefs.filter((href) => href.includes("evil"))).toEqual([]);
    expect(html).not.toMatch(/<(img|h1|h2|script)\b/);
    expect(markdown).not.toContain("javascript:");
    expect(markdown).not.toContain("](http://");

    // The app's identity line is the note's first line and the only one that looks like it.
    expect(markdown.startsWith("✅ **Signed-in customer**")).toBe(true);
    expect(html.match(/<strong>Signed-in customer<\/strong>/g)).toHaveLength(1);
    expect(markdown.split("\n").filter((line) => line.startsWith("✅"))).toHaveLength(1);
    expect(markdown.split("\n").some((line) => line.startsWith("#"))).toBe(false);

    // The crafted values are still there for the agent to read, as text.
    expect(html).toContain("Refund approved");
    expect(html).toContain("Evil Post 7");
    expect(html).toContain("DHL Express 42");

    // Every order row keeps its seven column borders (six cells): no cell can add a column.
    const rows = markdown.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| ---"));
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(7);
  });

  it("links the shopper's order-status answer only to a carrier's https tracking site", async () => {
    await saveOrderStatusSettings(stack.db, TEST_SHOP, { enabled: true, sharedFields: ["status", "tracking"] });
    const customer = craftedCustomer();
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: customer.email, name: "Eve", customAttributes: signedInAs(customer), message: "Where is my order?" });
    const replies = () => oscar.inspect.messages(conversationId).filter((m) => m.message_type === "outgoing" && !m.private);
    const [reply] = await waitFor("the order-status reply", () => replies().length > 0 && replies());
    const html = reply.content ?? "";
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(["https://www.ups.com/track?tracknum=1Z111"]);
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("evil.example/track");
    expect(html).toContain("Evil Post 7");
    expect(html).toContain("#1001](https://evil.example/order)");
  });
});
