import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveEscalationRules, DEFAULT_ESCALATION_RULES } from "../app/models/escalation-rules.server";
import { saveSlackUrl } from "../app/models/slack-settings.server";
import { parseKeyring } from "../app/security/encryption.server";
import { NO_CUSTOMER_NOTE, NO_EMAIL_NOTE } from "../app/services/enrichment-note";
import type { OscarSimulator } from "../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../sim/slack/receiver";
import { TEST_ENCRYPTION_KEYS, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { deliverOscarEvent, oscarWebhookTarget, startConnectedStack } from "./harness/oscar-webhook";
import { signedInAs } from "./harness/signed-in";
import { waitForOscarWorkSettled } from "./harness/settled";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_merchant_key_0001";

describe("Oscar webhooks in, enriched and routed conversations out", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  let agents: string[];
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    // The worker starts once the rules and Slack URLs are in place.
    stage = await startConnectedStack({ label: "oscar-webhooks", oscarKey: OSCAR_KEY, worker: false });
    ({ oscar, stack } = stage);
    const keyring = parseKeyring(TEST_ENCRYPTION_KEYS);
    agents = oscar.accountFor(OSCAR_KEY).agentIds;
    await saveEscalationRules(stack.db, TEST_SHOP, {
      ...DEFAULT_ESCALATION_RULES,
      urgentAgentId: agents[0],
      vipAgentId: agents[1],
      botEscalationAgents: [agents[1], agents[2]],
    });
    for (const kind of ["urgent", "vip", "botEscalation"] as const) {
      await saveSlackUrl(stack.db, keyring, TEST_SHOP, kind, slack.webhookUrl(kind));
    }
    await stack.startWorker();
  });

  afterAll(async () => {
    await stage?.close();
    await slack?.close();
  });

  const customers = () => stack.fakeAdmin.store(TEST_SHOP).customers;
  const notesOf = (conversationId: string) => oscar.inspect.notes(conversationId);

  it("writes one private note with a signed-in customer's orders and sets their contact attributes", async () => {
    const maya = customers()[0];
    const { conversationId, contactId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: signedInAs(maya) });
    const [note] = await waitFor("the enrichment note", () => notesOf(conversationId).length === 1 && notesOf(conversationId));
    expect(note.content).toContain(`**Shopify customer: [${maya.displayName}](https://admin.shopify.com/store/oscar-test-shop/customers/`);
    expect(note.content).toContain("| Order | Date | Payment | Fulfilment | Total | Tracking |");
    const lastOrder = stack.fakeAdmin.store(TEST_SHOP).orders.filter((o) => o.customerId === maya.id).sort((a, b) => b.processedAt.localeCompare(a.processedAt))[0];
    // Order names are "#1001": the note escapes the "#" like any text it did not write.
    expect(note.content).toContain(`[\\${lastOrder.name}](https://admin.shopify.com/store/oscar-test-shop/orders/`);

    const attributes = await waitFor("contact attributes", () => {
      const contact = oscar.inspect.contact(contactId);
      return contact.custom_attributes.shopify_customer_id ? contact.custom_attributes : null;
    });
    const mayasOrders = stack.fakeAdmin.store(TEST_SHOP).orders.filter((o) => o.customerId === maya.id);
    const spent = mayasOrders.reduce((sum, o) => sum + Number(o.currentTotalPriceSet.shopMoney.amount), 0);
    expect(attributes).toMatchObject({
      shopify_customer_id: maya.id.split("/").pop(),
      shopify_orders_count: mayasOrders.length,
      shopify_tags: maya.tags.join(", "),
    });
    expect(attributes.shopify_total_spent).toBeCloseTo(spent, 2);
    expect(attributes.shopify_last_order_at).toBe(lastOrder.processedAt);
  });

  it("tells agents when the contact has no email, or no customer has exactly that email", async () => {
    const stranger = oscar.scenario.shopperOpensConversation({ email: "nobody-here@example.org", name: "Stranger" });
    const anonymous = oscar.scenario.shopperOpensConversation({ email: "", name: "Visitor" });
    // Shopify's search is tokenised: "okafor@example.com" also finds maya.okafor@example.com, a near miss never to be used.
    const maya = customers()[0];
    const nearMissEmail = maya.email.slice(maya.email.indexOf(".") + 1);
    expect(customers().some((c) => c.email === nearMissEmail)).toBe(false);
    const nearMiss = oscar.scenario.shopperOpensConversation({ email: nearMissEmail, name: "Near miss" });
    const [unknownNote] = await waitFor("the no-customer note", () => notesOf(stranger.conversationId).length === 1 && notesOf(stranger.conversationId));
    const [noEmailNote] = await waitFor("the no-email note", () => notesOf(anonymous.conversationId).length === 1 && notesOf(anonymous.conversationId));
    const [nearMissNote] = await waitFor("the near miss's note", () => notesOf(nearMiss.conversationId).length === 1 && notesOf(nearMiss.conversationId));
    expect(unknownNote.content?.startsWith(NO_CUSTOMER_NOTE)).toBe(true);
    expect(noEmailNote.content?.startsWith(NO_EMAIL_NOTE)).toBe(true);
    expect(nearMissNote.content?.startsWith(NO_CUSTOMER_NOTE)).toBe(true);
    expect(nearMissNote.content).not.toContain(maya.displayName);
    expect(oscar.inspect.contact(stranger.contactId).custom_attributes.shopify_customer_id).toBeUndefined();
  });

  it("labels, assigns and alerts Slack for an urgent message, matching whole words in any case", async () => {
    const liam = customers()[1];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: liam.email, name: "Liam" });
    await waitFor("enrichment", () => notesOf(conversationId).length === 1);
    oscar.scenario.shopperWrites(conversationId, "Is the charger included?");
    oscar.scenario.shopperWrites(conversationId, "This is a FRAUDULENT charge, I want a Refund!");
    await waitFor("the urgent label", () => oscar.inspect.labels(conversationId).includes("urgent"));
    await waitFor("the urgent assignment", () => oscar.inspect.assignments(conversationId).some((a) => a.assigneeId === agents[0]));
    const alert = await waitFor("the urgent Slack alert", () => slack.to("urgent").find((d) => JSON.stringify(d.body).includes(conversationId)));
    expect(alert.body.text).toBe("Urgent conversation: Liam");
    expect(JSON.stringify(alert.body.blocks)).toContain("refund, charge");
    expect(oscar.inspect.labels(conversationId)).toEqual(["urgent"]);
  });

  it("routes a signed-in VIP (over the total-spent threshold) to the VIP agent and alerts Slack with their orders", async () => {
    const maya = customers()[0];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: signedInAs(maya) });
    await waitFor("enrichment", () => notesOf(conversationId).length === 1);
    oscar.scenario.shopperWrites(conversationId, "Hello, quick question about sizes");
    await waitFor("the vip label", () => oscar.inspect.labels(conversationId).includes("vip"));
    await waitFor("the VIP assignment", () => oscar.inspect.assignments(conversationId).some((a) => a.assigneeId === agents[1]));
    const alert = await waitFor("the VIP Slack alert", () => slack.to("vip").find((d) => JSON.stringify(d.body).includes(conversationId)));
    expect(JSON.stringify(alert.body.blocks)).toMatch(/spent \d+(\.\d+)? \w{3} \(over 1000\)/);
    expect(JSON.stringify(alert.body.blocks)).toContain("*Orders*");
    expect(oscar.inspect.labels(conversationId)).not.toContain("urgent");
  });

  it("hands a bot escalation to the next agent in turn, records it on the contact and alerts Slack", async () => {
    const sofia = customers()[2];
    const first = oscar.scenario.shopperOpensConversation({ email: sofia.email, name: "Sofia", message: "where is my parcel" });
    const second = oscar.scenario.shopperOpensConversation({ email: "guest@example.net", name: "Guest", message: "I need a human" });
    await waitFor("enrichment", () => notesOf(first.conversationId).length === 1 && notesOf(second.conversationId).length === 1);
    oscar.scenario.botEscalates(first.conversationId, "shopper asked for a human");
    await waitFor("the first escalation assignment", () => oscar.inspect.assignments(first.conversationId).length === 1);
    oscar.scenario.botEscalates(second.conversationId, "low confidence");
    await waitFor("the second escalation assignment", () => oscar.inspect.assignments(second.conversationId).length === 1);

    // Round robin over [agent 1, agent 2]: two escalations, two different agents.
    const assigned = [first, second].map((c) => oscar.inspect.assignments(c.conversationId)[0].assigneeId);
    expect(new Set(assigned)).toEqual(new Set([agents[1], agents[2]]));
    expect(oscar.inspect.contact(first.contactId).custom_attributes).toMatchObject({ escalated: true, escalation_reason: "shopper asked for a human" });

    const alert = await waitFor("the escalation Slack alert", () => slack.to("botEscalation").find((d) => JSON.stringify(d.body).includes(first.conversationId)));
    const blocks = JSON.stringify(alert.body.blocks);
    expect(alert.body.text).toBe("The bot handed a conversation to your team: Sofia");
    expect(blocks).toContain("shopper asked for a human");
    expect(blocks).toContain("where is my parcel");
    expect(blocks).toContain("Open conversation");
  });

  it("writes one note however often, and however concurrently, the same event arrives", async () => {
    const sofia = customers()[2];
    const { conversationId, contactId } = oscar.scenario.shopperOpensConversation({ email: sofia.email, name: "Sofia" });
    const body = JSON.stringify({
      id: "evt_repeated_by_oscar",
      type: "conversation.created",
      data: { conversation_id: conversationId, contact: { id: contactId, name: "Sofia", email: sofia.email } },
    });
    const target = await oscarWebhookTarget(stack.db, stack.appUrl, TEST_SHOP);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => deliverOscarEvent(target.url, body, { secret: target.secret })));
    for (let i = 0; i < 5; i++) expect((await deliverOscarEvent(target.url, body, { secret: target.secret })).status).toBe(202);
    expect(concurrent.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);

    await waitFor("the note", () => notesOf(conversationId).length >= 1);
    // Every copy was answered and every job it queued has finished before counting.
    await waitForOscarWorkSettled(stack, oscar);
    // Oscar's own delivery plus ten copies of another event for the same conversation: one note.
    expect(notesOf(conversationId)).toHaveLength(1);
  });
});
