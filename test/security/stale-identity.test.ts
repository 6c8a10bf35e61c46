import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveOrderStatusSettings } from "../../app/models/order-status-settings.server";
import { SIGN_IN_TO_SEE_ORDERS } from "../../app/services/order-status.server";
import { signShopperIdentity } from "../../app/storefront/identity.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import { signedAppProxyUrl } from "../harness/app-proxy";
import { TEST_API_SECRET, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { startConnectedStack } from "../harness/oscar-webhook";
import { waitFor } from "../harness/wait";

const OSCAR_KEY = "osk_test_stale_identity_01";
const numeric = (gid: string) => gid.split("/").pop()!;
const MINUTE_MS = 60_000;

/**
 * Issue 17: the signed identity lived 24 hours and survived a log-out on a shared device. Now it
 * lives 30 minutes, and the embed clears it on a logged-out page by identifying with empty fields.
 * End to end through the real worker: a stale or cleared identity gets no order data and no
 * "Signed-in customer" note; a fresh one from the real app proxy does.
 */
describe("a stale or logged-out shopper identity", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "stale-identity", oscarKey: OSCAR_KEY, worker: true });
    ({ oscar, stack } = stage);
    await saveOrderStatusSettings(stack.db, TEST_SHOP, { enabled: true, sharedFields: ["status", "tracking"] });
  });
  afterAll(async () => {
    await stage?.close();
  });

  const maya = () => stack.fakeAdmin.store(TEST_SHOP).customers[0];
  const repliesIn = (conversationId: string) => oscar.inspect.messages(conversationId).filter((m) => m.message_type === "outgoing" && !m.private);

  async function askWhereMyOrderIs(attributes: Record<string, unknown>) {
    const { conversationId, contactId } = oscar.scenario.shopperOpensConversation({ email: maya().email, name: "Maya", customAttributes: attributes, message: "Where is my order?" });
    const [reply] = await waitFor("the order-status reply", () => repliesIn(conversationId).length > 0 && repliesIn(conversationId));
    const [note] = await waitFor("the note", () => oscar.inspect.notes(conversationId).length > 0 && oscar.inspect.notes(conversationId));
    // The simulator keeps one contact per email, so an earlier case's value may still be there: read
    // it only once this conversation's enrichment is recorded (its contact update comes before that).
    await waitFor("the enrichment recorded", async () => (await stack.db.conversationRecord.findFirst({ where: { shop: TEST_SHOP, conversationId } }))?.enrichedAt);
    const identity = oscar.inspect.contact(contactId).custom_attributes.shopify_identity;
    return { reply: reply.content ?? "", note: note.content ?? "", identity };
  }

  it("accepts an identity the app proxy has just signed (the control)", async () => {
    const response = await fetch(signedAppProxyUrl(stack.appUrl, { customerId: numeric(maya().id) }));
    const { identity } = (await response.json()) as { identity: Record<string, string> };
    const result = await askWhereMyOrderIs(identity);
    expect(result.identity).toBe("verified");
    expect(result.reply).toContain("Here is the latest on order");
  });

  it("refuses an identity signed 31 minutes ago, which the old 24-hour token would have honoured", async () => {
    const token = signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(maya().id), email: maya().email, now: new Date(Date.now() - 31 * MINUTE_MS) });
    const result = await askWhereMyOrderIs({ user_id: numeric(maya().id), email: maya().email, oscar_identity: token });
    expect(result.identity).toBe("unverified");
    expect(result.reply.startsWith(SIGN_IN_TO_SEE_ORDERS)).toBe(true);
    expect(result.note).not.toContain("Signed-in customer**");
  });

  it("refuses the identity the embed leaves after a log-out: every field cleared, the contact's email still the customer's", async () => {
    const result = await askWhereMyOrderIs({ user_id: "", email: "", name: "", oscar_identity: "" });
    expect(result.identity).toBe("unverified");
    expect(result.reply.startsWith(SIGN_IN_TO_SEE_ORDERS)).toBe(true);
    for (const order of stack.fakeAdmin.store(TEST_SHOP).orders.filter((o) => o.customerId === maya().id)) expect(result.reply).not.toContain(order.name);
  });
});
