import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveOrderStatusSettings } from "../app/models/order-status-settings.server";
import { OLDER_ORDERS_NOT_VISIBLE } from "../app/services/enrichment-note";
import { OLDER_ORDER_NOT_VISIBLE, SIGN_IN_TO_SEE_ORDERS } from "../app/services/order-status.server";
import { signShopperIdentity } from "../app/storefront/identity.server";
import type { OscarSimulator } from "../sim/oscar/server";
import { TEST_API_SECRET, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { waitForOscarWorkSettled } from "./harness/settled";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_order_status_0006";
const numeric = (gid: string) => gid.split("/").pop()!;

describe("order-status self-service", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;

  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "order-status", oscarKey: OSCAR_KEY, worker: true });
    ({ oscar, stack } = stage);
  });
  afterAll(async () => {
    await stage?.close();
  });

  const customers = () => stack.fakeAdmin.store(TEST_SHOP).customers;
  const ordersOf = (customerId: string) =>
    stack.fakeAdmin.store(TEST_SHOP).orders.filter((o) => o.customerId === customerId).sort((a, b) => b.processedAt.localeCompare(a.processedAt));
  const repliesIn = (conversationId: string) => oscar.inspect.messages(conversationId).filter((m) => m.message_type === "outgoing" && !m.private);

  function signedIn(customer: { id: string; email: string }) {
    return {
      oscar_identity: signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(customer.id), email: customer.email, now: new Date() }),
      user_id: numeric(customer.id),
    };
  }

  it("answers a signed-in shopper with their latest order's status and tracking, and only what the merchant shares", async () => {
    await saveOrderStatusSettings(stack.db, TEST_SHOP, { enabled: true, sharedFields: ["status", "tracking"] });
    const [maya] = customers();
    const latest = ordersOf(maya.id)[0];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: signedIn(maya), message: "Hi! Where is my order?" });
    const [reply] = await waitFor("the order-status reply", () => repliesIn(conversationId).length > 0 && repliesIn(conversationId));
    expect(reply.content).toContain(`order <strong>${latest.name}</strong>`);
    const tracking = latest.fulfillments.flatMap((f) => f.trackingInfo);
    for (const t of tracking) expect(reply.content).toContain(t.url);
    expect(reply.content).not.toContain("Total:");
    expect(reply.content).not.toContain("Items:");
  });

  it("never gives order data to a shopper who is not signed in, even with a customer's email", async () => {
    // Liam's email typed into the chat by someone who never signed in as Liam (no identity token).
    const [, liam] = customers();
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: liam.email, name: "Not Liam", message: "where is my order?" });
    const [reply] = await waitFor("the sign-in reply", () => repliesIn(conversationId).length > 0 && repliesIn(conversationId));
    expect(reply.content?.startsWith(SIGN_IN_TO_SEE_ORDERS)).toBe(true);
    // The idempotency marker is an HTML comment, invisible to the shopper.
    expect(reply.content?.slice(SIGN_IN_TO_SEE_ORDERS.length)).toMatch(/^<!-- oc-[0-9a-f]{16} -->$/);
    for (const order of ordersOf(liam.id)) expect(reply.content).not.toContain(order.name);
  });

  it("never answers about someone else's order a shopper names", async () => {
    const [maya, liam] = customers();
    const liamsOrder = ordersOf(liam.id)[0];
    const { conversationId } = oscar.scenario.shopperOpensConversation({
      email: maya.email,
      name: "Maya",
      customAttributes: signedIn(maya),
      message: `Where is my order ${liamsOrder.name}?`,
    });
    const [reply] = await waitFor("the reply", () => repliesIn(conversationId).length > 0 && repliesIn(conversationId));
    expect(reply.content).not.toContain(liamsOrder.name);
    // Maya has orders older than Shopify's 60-day window, so the named one might be hers: the reply says so, no more.
    expect(reply.content?.startsWith(OLDER_ORDER_NOT_VISIBLE)).toBe(true);
  });

  it("says plainly that orders older than 60 days are not visible, in the answer and in the agents' note", async () => {
    await saveOrderStatusSettings(stack.db, TEST_SHOP, { enabled: true, sharedFields: ["status", "tracking"] });
    const [maya] = customers();
    const DAY_MS = 86_400_000;
    const oldOrder = ordersOf(maya.id).find((o) => Date.now() - Date.parse(o.createdAt) > 61 * DAY_MS)!;
    const recent = ordersOf(maya.id).filter((o) => Date.now() - Date.parse(o.createdAt) < 59 * DAY_MS);
    expect(oldOrder).toBeDefined();
    expect(recent.length).toBeGreaterThan(0);

    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: signedIn(maya), message: `Where is my order ${oldOrder.name}?` });
    const [reply] = await waitFor("the reply", () => repliesIn(conversationId).length > 0 && repliesIn(conversationId));
    expect(reply.content?.startsWith(OLDER_ORDER_NOT_VISIBLE)).toBe(true);
    expect(reply.content).not.toContain(oldOrder.name);

    const [note] = await waitFor("the enrichment note", () => oscar.inspect.notes(conversationId).length > 0 && oscar.inspect.notes(conversationId));
    for (const order of recent) expect(note.content).toContain(order.name);
    expect(note.content).not.toContain(oldOrder.name);
    expect(note.content).toContain(OLDER_ORDERS_NOT_VISIBLE);
  });

  it("stays silent when the merchant turned it off", async () => {
    await saveOrderStatusSettings(stack.db, TEST_SHOP, { enabled: false, sharedFields: ["status", "tracking"] });
    const [maya] = customers();
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: signedIn(maya), message: "where is my order?" });
    await waitFor("enrichment", () => oscar.inspect.notes(conversationId).length === 1);
    // The shopper's message was handled (no event left to deliver, no job left to run): only now does silence mean something.
    await waitForOscarWorkSettled(stack, oscar);
    expect(repliesIn(conversationId)).toHaveLength(0);
  });
});
