// An app Shopify has not approved for protected customer data keeps working: agents read which
// details Shopify withheld and why, and the merchant's home page says what to request.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { saveOrderStatusSettings } from "../app/models/order-status-settings.server";
import { NO_CUSTOMER_NOTE } from "../app/services/enrichment-note";
import { signShopperIdentity } from "../app/storefront/identity.server";
import type { OscarSimulator } from "../sim/oscar/server";
import { TEST_API_SECRET, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { signedInAs } from "./harness/signed-in";
import { waitFor } from "./harness/wait";
import { loadDocument } from "./settings/admin-requests";

const OSCAR_KEY = "osk_test_protected_data_0007";

describe("protected customer data withheld by Shopify", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "protected-data", oscarKey: OSCAR_KEY, worker: true });
    ({ oscar, stack } = stage);
  });
  afterAll(async () => {
    await stage?.close();
  });
  afterEach(() => {
    stack.fakeAdmin.setProtectedCustomerData({ level: 2 });
  });

  const customers = () => stack.fakeAdmin.store(TEST_SHOP).customers;
  const firstNote = (conversationId: string) => waitFor("the enrichment note", () => oscar.inspect.notes(conversationId)[0]);

  it("shows no withheld-data notice on the home page while Shopify serves the data", async () => {
    const { status, html } = await loadDocument(stack, TEST_SHOP, "/app");
    expect(status).toBe(200);
    expect(html).not.toContain("withholding customer details");
  });

  it("without any approval: the note says Shopify withheld customer records, not that no customer has the email, and the home page says what to request", async () => {
    stack.fakeAdmin.setProtectedCustomerData({ level: 0 });
    const liam = customers()[1];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: liam.email, name: "Liam", message: "Hello" });

    const note = await firstNote(conversationId);
    expect(note.content).not.toContain(NO_CUSTOMER_NOTE);
    expect(note.content).toContain("Shopify withheld customer records");
    expect(note.content).toContain("not approved for Shopify's protected customer data");
    expect(note.content).toContain("no customer could be matched");
    expect(note.content).toContain("Partner Dashboard");

    // The home page reads the recorded outcome, which is written just after the note is posted.
    await waitFor("the withheld outcome recorded", async () => (await stack.db.conversationRecord.findFirst({ where: { shop: TEST_SHOP, conversationId, enrichmentOutcome: "withheld" } }))?.enrichedAt);
    const { status, html } = await loadDocument(stack, TEST_SHOP, "/app");
    expect(status).toBe(200);
    expect(html).toContain("Shopify is withholding customer details from Oscar Chat");
    expect(html).toContain("Protected customer data access");
    expect(html).toContain("Partner Dashboard");
  });

  it("at level 1: a signed-in customer is still found by id, and the note says their name was withheld instead of showing Shopify's mask alone", async () => {
    stack.fakeAdmin.setProtectedCustomerData({ level: 1 });
    const sofia = customers()[2];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: sofia.email, name: "Sofia", customAttributes: signedInAs(sofia), message: "Hello" });

    const note = await firstNote(conversationId);
    expect(note.content).toContain("Signed-in customer");
    expect(note.content).not.toContain(sofia.firstName);
    expect(note.content).toContain("Shopify withheld this customer's name");
    expect(note.content).toContain("not approved for protected customer data");
  });

  it("at level 1: a typed email can match no one, since Shopify withholds the emails that would prove it, and the note says so", async () => {
    stack.fakeAdmin.setProtectedCustomerData({ level: 1 });
    const liam = customers()[1];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: liam.email, name: "Liam", message: "Hello" });

    const note = await firstNote(conversationId);
    expect(note.content).not.toContain(NO_CUSTOMER_NOTE);
    expect(note.content).toContain("email addresses");
    expect(note.content).toContain("no customer could be matched");
    expect(note.content).not.toContain(liam.lastName);
  });

  it("at level 1: order status still answers a signed-in shopper, leaving out the address Shopify withheld", async () => {
    stack.fakeAdmin.setProtectedCustomerData({ level: 1 });
    await saveOrderStatusSettings(stack.db, TEST_SHOP, { enabled: true, sharedFields: ["status", "delivery_address"] });
    const maya = customers()[0];
    const customerId = maya.id.split("/").pop()!;
    const oscar_identity = signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId, email: maya.email, now: new Date() });
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: { oscar_identity, user_id: customerId }, message: "Where is my order?" });

    const replies = () => oscar.inspect.messages(conversationId).filter((m) => m.message_type === "outgoing" && !m.private);
    const [reply] = await waitFor("the order-status reply", () => replies().length > 0 && replies());
    expect(reply.content).toContain("Status:");
    expect(reply.content).not.toContain("Shipping to");
    expect(reply.content).not.toContain(maya.defaultAddress.city);
  });
});
