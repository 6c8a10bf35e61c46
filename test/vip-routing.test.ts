import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ESCALATION_RULES, saveEscalationRules } from "../app/models/escalation-rules.server";
import { saveSlackUrl } from "../app/models/slack-settings.server";
import { parseKeyring } from "../app/security/encryption.server";
import type { OscarSimulator } from "../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../sim/slack/receiver";
import { TEST_ENCRYPTION_KEYS, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { orderedOscarEvents } from "./harness/ordered-events";
import { signedInAs } from "./harness/signed-in";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_vip_routing_0007";

/**
 * VIP status comes from the signed-in shopper's Shopify customer, whichever of conversation.created
 * and message.created Oscar delivers first, for a contact that never chatted before.
 */
describe("VIP routing from the Shopify customer, in either event order", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  let agents: string[];
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;
  let events: Awaited<ReturnType<typeof orderedOscarEvents>>;
  let worker: Awaited<ReturnType<AppStack["startWorker"]>>;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    stage = await startConnectedStack({ label: "vip-routing", oscarKey: OSCAR_KEY, worker: false });
    ({ oscar, stack } = stage);
    agents = oscar.accountFor(OSCAR_KEY).agentIds;
    // Maya spent over 1,000 (and is tagged VIP, newsletter); Sofia never ordered but is tagged newsletter; Liam is neither.
    await saveEscalationRules(stack.db, TEST_SHOP, { ...DEFAULT_ESCALATION_RULES, vipTotalSpent: 1000, vipCustomerTags: ["Newsletter"], vipAgentId: agents[1] });
    await saveSlackUrl(stack.db, parseKeyring(TEST_ENCRYPTION_KEYS), TEST_SHOP, "vip", slack.webhookUrl("vip"));
    events = await orderedOscarEvents(stack, oscar, OSCAR_KEY, TEST_SHOP);
    worker = await stack.startWorker();
  });
  afterAll(async () => {
    await events?.close();
    await stage?.close();
    await slack?.close();
  });

  const customer = (index: number) => stack.fakeAdmin.store(TEST_SHOP).customers[index];
  const record = (conversationId: string) => stack.db.conversationRecord.findUniqueOrThrow({ where: { shop_conversationId: { shop: TEST_SHOP, conversationId } } });
  const vipAlertsFor = (conversationId: string) => slack.to("vip").filter((d) => JSON.stringify(d.body).includes(conversationId));

  it.each([
    ["by Shopify spend", "conversation.created first", 0, /spent \d+(\.\d+)? \w{3} \(over 1000\)/],
    ["by Shopify spend", "message.created first", 0, /spent \d+(\.\d+)? \w{3} \(over 1000\)/],
    ["by customer tag", "conversation.created first", 2, /tagged newsletter/],
    ["by customer tag", "message.created first", 2, /tagged newsletter/],
  ] as const)("labels, assigns and alerts a VIP %s chatting for the first time, %s", async (_why, order, index, reason) => {
    const vip = customer(index);
    const chat = events.openChat({ email: vip.email, name: vip.firstName, message: "Hello, a quick question about sizes", customAttributes: signedInAs(vip) });
    if (order === "conversation.created first") await events.deliverInOrder(chat.created, chat.message);
    else await events.deliverInOrder(chat.message, chat.created);

    expect(oscar.inspect.labels(chat.conversationId)).toEqual(["vip"]);
    expect(oscar.inspect.assignments(chat.conversationId).map((a) => a.assigneeId)).toEqual([agents[1]]);
    const alerts = vipAlertsFor(chat.conversationId);
    expect(alerts).toHaveLength(1);
    const blocks = JSON.stringify(alerts[0].body.blocks);
    expect(blocks).toMatch(reason);
    // The order summary is the looked-up customer's (the contact carries no order data at all).
    const orders = stack.fakeAdmin.store(TEST_SHOP).orders.filter((o) => o.customerId === vip.id).length;
    expect(blocks).toContain(`*Orders*\\n${orders} ${orders === 1 ? "order" : "orders"}, `);
    expect((await record(chat.conversationId)).shopifyCustomerId).toBe(vip.id.split("/").pop());
    expect(oscar.inspect.notes(chat.conversationId)[0].content).toContain("Signed-in customer");
  });

  it("does not make a signed-in customer who is neither a VIP by spend nor by tag a VIP", async () => {
    const liam = customer(1);
    const chat = events.openChat({ email: liam.email, name: liam.firstName, message: "Hello", customAttributes: { ...signedInAs(liam), total_spent: 99_999, plan: "enterprise" } });
    await events.deliverInOrder(chat.message, chat.created);
    expect(oscar.inspect.labels(chat.conversationId)).toEqual([]);
    expect(vipAlertsFor(chat.conversationId)).toEqual([]);
  });

  it("checks a signed identity against when the app received the event, so a job run after it expired still counts", async () => {
    // The worker is down while the events arrive; the identity then expires before their jobs run.
    await worker.stop();
    const maya = customer(0);
    const signedAt = new Date();
    const ttlSeconds = 5;
    const chat = events.openChat({ email: maya.email, name: maya.firstName, message: "Hello again", customAttributes: signedInAs(maya, { now: signedAt, ttlSeconds }) });
    const created = await events.deliver(chat.created);
    const message = await events.deliver(chat.message);
    const expiresAt = Math.floor(signedAt.getTime() / 1000) * 1000 + ttlSeconds * 1000;
    await waitFor("the identity to expire", () => Date.now() > expiresAt, 15_000);

    worker = await stack.startWorker();
    await events.processed(created);
    await events.processed(message);
    expect(oscar.inspect.notes(chat.conversationId)[0].content).toContain("Signed-in customer");
    expect(oscar.inspect.labels(chat.conversationId)).toEqual(["vip"]);
    expect((await record(chat.conversationId)).shopifyCustomerId).toBe(maya.id.split("/").pop());
  });

  describe("with an urgent agent as well as a VIP agent", () => {
    const assignee = (conversationId: string) => oscar.inspect.assignments(conversationId).at(-1)?.assigneeId;
    beforeAll(async () => {
      await saveEscalationRules(stack.db, TEST_SHOP, { ...DEFAULT_ESCALATION_RULES, vipTotalSpent: 1000, vipAgentId: agents[1], urgentAgentId: agents[0] });
    });

    // Oscar may deliver a VIP's messages out of order, and a job that waited may run after a later
    // message's: the urgent agent keeps the conversation whichever message is handled first.
    it.each([
      ["the ordinary message first", (chat: { ordinary: unknown; urgent: unknown }) => [chat.ordinary, chat.urgent]],
      ["the urgent message first", (chat: { ordinary: unknown; urgent: unknown }) => [chat.urgent, chat.ordinary]],
    ] as const)("gives a VIP's urgent conversation to the urgent agent, %s", async (_order, order) => {
      const maya = customer(0);
      const chat = events.openChat({ email: maya.email, name: maya.firstName, message: "Hi there", customAttributes: signedInAs(maya) });
      await events.deliverInOrder(chat.created);
      const ordinary = events.shopperWrites(chat, "Do you ship to Canada?");
      const urgent = events.shopperWrites(chat, "I think there is fraud on my card");
      await events.deliverInOrder(...(order({ ordinary, urgent }) as Array<{ type: string; data: unknown }>));

      expect(oscar.inspect.labels(chat.conversationId).sort()).toEqual(["urgent", "vip"]);
      expect(assignee(chat.conversationId)).toBe(agents[0]);
    });

    it("does not take a conversation back from the agent who took it when the shopper writes more urgent words", async () => {
      const liam = customer(1);
      const chat = events.openChat({ email: liam.email, name: liam.firstName, message: "This is fraud", customAttributes: signedInAs(liam) });
      await events.deliverInOrder(chat.created, chat.message);
      expect(assignee(chat.conversationId)).toBe(agents[0]);

      // A teammate takes it over in Oscar's inbox; the shopper, still worried, writes again.
      oscar.scenario.agentAssigned(chat.conversationId, agents[2]);
      await events.deliverInOrder(events.shopperWrites(chat, "Please hurry, it looks like fraud"));

      expect(oscar.inspect.assignments(chat.conversationId).map((a) => a.assigneeId)).toEqual([agents[0], agents[2]]);
      expect(oscar.inspect.labels(chat.conversationId)).toEqual(["urgent"]);
    });
  });
});
