import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ESCALATION_RULES, saveEscalationRules } from "../../app/models/escalation-rules.server";
import { saveSlackUrl } from "../../app/models/slack-settings.server";
import { parseKeyring } from "../../app/security/encryption.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { TEST_ENCRYPTION_KEYS, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { startConnectedStack } from "../harness/oscar-webhook";
import { orderedOscarEvents } from "../harness/ordered-events";

const OSCAR_KEY = "osk_test_unverified_claims_08";

/**
 * Issue 17, "Unverified claims become facts": what a shopper types or sets through the widget is a
 * claim. Through the real ingest route and worker, a claim must never become a Shopify customer's id,
 * orders, spend or tags on the shopper's contact, an assisted-revenue link, or VIP treatment.
 */
describe("unverified claims never become facts", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  let agents: string[];
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;
  let events: Awaited<ReturnType<typeof orderedOscarEvents>>;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    stage = await startConnectedStack({ label: "unverified-claims", oscarKey: OSCAR_KEY, worker: false });
    ({ oscar, stack } = stage);
    agents = oscar.accountFor(OSCAR_KEY).agentIds;
    await saveEscalationRules(stack.db, TEST_SHOP, { ...DEFAULT_ESCALATION_RULES, urgentAgentId: agents[0], vipAgentId: agents[1] });
    const keyring = parseKeyring(TEST_ENCRYPTION_KEYS);
    for (const kind of ["urgent", "vip"] as const) await saveSlackUrl(stack.db, keyring, TEST_SHOP, kind, slack.webhookUrl(kind));
    events = await orderedOscarEvents(stack, oscar, OSCAR_KEY, TEST_SHOP);
    await stack.startWorker();
  });
  afterAll(async () => {
    await events?.close();
    await stage?.close();
    await slack?.close();
  });

  const record = (conversationId: string) => stack.db.conversationRecord.findUnique({ where: { shop_conversationId: { shop: TEST_SHOP, conversationId } } });
  const slackAbout = (conversationId: string) => slack.deliveries.filter((d) => JSON.stringify(d.body).includes(conversationId));

  it("writes no attributes and no attribution for a typed email of another customer, and does not treat them as that VIP", async () => {
    // Maya is a VIP by spend and by tag; the attacker knows her email, nothing more.
    const maya = stack.fakeAdmin.store(TEST_SHOP).customers[0];
    for (const order of ["conversation.created first", "message.created first"] as const) {
      const chat = events.openChat({ email: maya.email, name: "Maya", message: "Hello, quick question", customAttributes: {} });
      if (order === "conversation.created first") await events.deliverInOrder(chat.created, chat.message);
      else await events.deliverInOrder(chat.message, chat.created);

      const attributes = oscar.inspect.contact(chat.contactId).custom_attributes;
      for (const fact of ["shopify_customer_id", "shopify_orders_count", "shopify_total_spent", "shopify_currency", "shopify_tags", "shopify_last_order_at"]) {
        expect(attributes[fact], `${order}: ${fact}`).toBeUndefined();
      }
      expect(attributes.shopify_identity).toBe("unverified");
      // The conversation is not counted toward Maya's orders (assisted revenue reads this id).
      expect(await record(chat.conversationId)).toMatchObject({ shopifyCustomerId: null, enrichmentOutcome: "unverified-customer", vipAt: null });
      // Agents still see the match, under the warning.
      const [note] = oscar.inspect.notes(chat.conversationId);
      expect(note.content).toContain("Not verified");
      expect(note.content).not.toContain("Signed-in customer");
      expect(oscar.inspect.labels(chat.conversationId)).toEqual([]);
      expect(oscar.inspect.assignments(chat.conversationId)).toEqual([]);
      expect(slackAbout(chat.conversationId)).toEqual([]);
    }
  });

  it.each([
    ["total_spent", { total_spent: 250_000 }],
    ["plan", { plan: "enterprise" }],
    ["the app's own attribute names", { shopify_total_spent: 250_000, shopify_orders_count: 99, shopify_tags: "VIP", shopify_customer_id: "1", shopify_identity: "verified" }],
  ])("does not make a VIP of a shopper who sets %s through the widget", async (_what, widgetAttributes) => {
    const chat = events.openChat({ email: `claimant-${Date.now()}@example.net`, name: "Claimant", message: "Hello, I am a very important customer", customAttributes: widgetAttributes });
    await events.deliverInOrder(chat.message, chat.created);
    expect(oscar.inspect.labels(chat.conversationId)).toEqual([]);
    expect(oscar.inspect.assignments(chat.conversationId)).toEqual([]);
    expect(slackAbout(chat.conversationId)).toEqual([]);
    expect(await record(chat.conversationId)).toMatchObject({ vipAt: null, shopifyCustomerId: null });
  });

  it("leaves widget-set order figures out of an urgent alert's order summary", async () => {
    const chat = events.openChat({
      email: `claimant-urgent-${Date.now()}@example.net`,
      name: "Claimant",
      message: "I want a refund",
      customAttributes: { shopify_orders_count: 42, shopify_total_spent: 99_999, shopify_currency: "USD" },
    });
    await events.deliverInOrder(chat.message);
    const [alert] = slackAbout(chat.conversationId);
    expect(alert.body.text).toBe("Urgent conversation: Claimant");
    expect(JSON.stringify(alert.body.blocks)).not.toContain("*Orders*");
    expect(JSON.stringify(alert.body.blocks)).not.toContain("99999");
  });
});
