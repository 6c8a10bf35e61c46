import { Queue } from "bullmq";
import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oscarConversationUrl } from "../../app/oscar/links";
import { FLOW_TRIGGER_HANDLES } from "../../app/services/flow-triggers.server";
import { sendFlowTriggerLifecycle } from "../../sim/shopify-admin/flow-lifecycle";
import type { FlowTriggerCall } from "../../sim/shopify-admin/flow-triggers";
import { APP_EXTENSIONS_DIR } from "../../sim/shopify-admin/server";
import { legacyIdOf } from "../../sim/shopify-admin/gid";
import type { OscarSimulator } from "../../sim/oscar/server";
import { TEST_API_SECRET, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { startConnectedStack } from "../harness/oscar-webhook";
import { orderedOscarEvents } from "../harness/ordered-events";
import { signedInAs } from "../harness/signed-in";
import { waitFor } from "../harness/wait";

const OSCAR_KEY = "osk_test_flow_automation_0020";

/**
 * Shopify Flow end to end: the built app, three worker processes, the Oscar simulator and the fake
 * Admin API, whose flowTriggerReceive checks each call against the app's declared triggers and records it.
 */
let oscar: OscarSimulator;
let stack: AppStack;
let stage: Awaited<ReturnType<typeof startConnectedStack>>;
let events: Awaited<ReturnType<typeof orderedOscarEvents>>;
let flowActions: Queue;

beforeAll(async () => {
  stage = await startConnectedStack({ label: "flow-automation", oscarKey: OSCAR_KEY, worker: false });
  ({ oscar, stack } = stage);
  events = await orderedOscarEvents(stack, oscar, OSCAR_KEY, TEST_SHOP);
  await Promise.all([stack.startWorker(), stack.startWorker(), stack.startWorker()]);
  flowActions = new Queue("flow-actions", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
});
afterAll(async () => {
  await flowActions?.close();
  await events?.close();
  await stage?.close();
});

const customer = (index: number) => stack.fakeAdmin.store(TEST_SHOP).customers[index];
const acceptedCalls = (handle: string, conversationId: string): FlowTriggerCall[] =>
  stack.fakeAdmin.flowTriggerCalls.filter((c) => c.accepted && c.handle === handle && (c.payload as Record<string, unknown>)["Conversation ID"] === conversationId);

/** What Flow tells the app when the merchant turns a workflow with `trigger` on or off. */
const workflowTurned = (trigger: string, enabled: boolean, at?: Date) =>
  sendFlowTriggerLifecycle({ appUrl: stack.appUrl, apiSecret: TEST_API_SECRET, extensionsDir: APP_EXTENSIONS_DIR, shop: TEST_SHOP, trigger, enabled, at });
const triggerCallsFor = (conversationId: string) =>
  stack.fakeAdmin.requests.filter((r) => r.operationName === "FlowTriggerReceive" && JSON.stringify(r.variables).includes(`"${conversationId}"`));

/** Another message from the same shopper in an open chat. */
function shopperMessage(chat: { conversationId: string; contactId: string }, contact: Record<string, unknown>, content: string) {
  const { messageId } = oscar.scenario.shopperWrites(chat.conversationId, content);
  return { type: "message.created", data: { conversation_id: chat.conversationId, message: { id: messageId, content, message_type: "incoming", private: false }, contact } };
}

describe("Flow triggers", () => {
  beforeAll(async () => {
    // The merchant turns on a workflow for each trigger; Flow lets them only after the app's 200.
    for (const trigger of Object.values(FLOW_TRIGGER_HANDLES)) expect((await workflowTurned(trigger, true)).status).toBe(200);
  });

  it("fires Urgent conversation and VIP customer is chatting once each for a VIP's conversation, across three workers and several urgent messages", async () => {
    const maya = customer(0); // over 1,000 spent: a VIP by the default rules
    const newest = stack.fakeAdmin.store(TEST_SHOP).orders.filter((o) => o.customerId === maya.id).sort((a, b) => b.processedAt.localeCompare(a.processedAt))[0];
    const attributes = signedInAs(maya);
    const chat = events.openChat({ email: maya.email, name: maya.firstName, message: `I want a refund for ${newest.name}`, customAttributes: attributes });
    const contact = { id: chat.contactId, name: maya.firstName, email: maya.email, custom_attributes: attributes };
    await events.deliverInOrder(chat.created, chat.message);
    // Then two more urgent messages and a redelivery of the first, all at once, to three workers.
    const more = [shopperMessage(chat, contact, "Refund please"), shopperMessage(chat, contact, "This is fraud, refund me")];
    const ids = await Promise.all([...more, chat.message].map((event) => events.deliver(event)));
    await Promise.all(ids.map((id) => events.processed(id)));

    const urgent = acceptedCalls("urgent-conversation", chat.conversationId);
    const vip = acceptedCalls("vip-customer-chatting", chat.conversationId);
    expect(urgent).toHaveLength(1);
    expect(vip).toHaveLength(1);
    expect(urgent[0].payload).toEqual({
      customer_id: Number(legacyIdOf(maya.id)),
      order_id: Number(legacyIdOf(newest.id)),
      "Conversation link": oscarConversationUrl(chat.conversationId),
      "Conversation ID": chat.conversationId,
      Reason: "Urgent words: refund",
    });
    expect((vip[0].payload as Record<string, unknown>).Reason).toMatch(/^spent \d+(\.\d+)? \w{3} \(over 1000\)$/);
    const firings = await stack.db.flowTriggerFiring.findMany({ where: { shop: TEST_SHOP, conversationId: chat.conversationId } });
    expect(firings.map((f) => [f.kind, f.sentAt !== null]).sort()).toEqual([["urgent", true], ["vip", true]]);
  });

  it("retries a hand-off trigger whose send failed, and sends it once; a shopper who is not signed in is not named", async () => {
    const chat = events.openChat({ email: "guest@example.com", name: "Guest", message: "Can I talk to a person?", customAttributes: {} });
    await events.deliverInOrder(chat.created, chat.message);
    stack.fakeAdmin.failNext("FlowTriggerReceive", 1);
    const escalated = { type: "bot.escalated", data: { conversation_id: chat.conversationId, contact: { id: chat.contactId, name: "Guest", email: "guest@example.com" }, reason: "Shopper asked for a human", last_message: "Can I talk to a person?" } };
    const first = await events.deliver(escalated);
    const again = await events.deliver(escalated); // Oscar's redelivery with a new event id
    await events.processed(first);
    await events.processed(again);

    const refusedBefore = stack.fakeAdmin.requests.filter((r) => r.operationName === "FlowTriggerReceive" && r.status === 503);
    expect(refusedBefore).toHaveLength(1);
    const calls = acceptedCalls("conversation-handed-to-team", chat.conversationId);
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).toEqual({ "Conversation link": oscarConversationUrl(chat.conversationId), "Conversation ID": chat.conversationId, Reason: "Shopper asked for a human" });
  });

  it("fires Conversation resolved once, with the signed-in customer enrichment recorded", async () => {
    const maya = customer(0);
    const chat = events.openChat({ email: maya.email, name: maya.firstName, message: "Thanks, all good", customAttributes: signedInAs(maya) });
    await events.deliverInOrder(chat.created, chat.message);
    oscar.scenario.agentResolves(chat.conversationId);
    const resolved = { type: "conversation.resolved", data: { conversation_id: chat.conversationId } };
    await events.deliverInOrder(resolved, resolved);
    const calls = acceptedCalls("conversation-resolved", chat.conversationId);
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).toMatchObject({ customer_id: Number(legacyIdOf(maya.id)), Reason: "Resolved by the bot" });
    expect(stack.fakeAdmin.flowTriggerCalls.filter((c) => !c.accepted)).toEqual([]);
  });

  it("fires Conversation resolved for a guest's conversation too, naming no customer", async () => {
    const chat = events.openChat({ email: "guest-resolved@example.com", name: "Guest", message: "Where are you based?", customAttributes: {} });
    await events.deliverInOrder(chat.created, chat.message);
    oscar.scenario.agentResolves(chat.conversationId);
    await events.deliverInOrder({ type: "conversation.resolved", data: { conversation_id: chat.conversationId } });
    const calls = acceptedCalls("conversation-resolved", chat.conversationId);
    expect(calls.map((c) => c.payload)).toEqual([{ "Conversation link": oscarConversationUrl(chat.conversationId), "Conversation ID": chat.conversationId, Reason: "Resolved by the bot" }]);
  });

  it("sends no trigger that no enabled workflow uses, and an older lifecycle callback does not turn one back on", async () => {
    const now = Date.now();
    expect((await workflowTurned("urgent-conversation", false, new Date(now))).status).toBe(200);
    // Flow's earlier "on", delivered late: acknowledged, and it changes nothing.
    expect((await workflowTurned("urgent-conversation", true, new Date(now - 60_000))).status).toBe(200);
    const chat = events.openChat({ email: "guest-urgent@example.com", name: "Guest", message: "URGENT: I want a refund", customAttributes: {} });
    await events.deliverInOrder(chat.created, chat.message);
    // Routing still labels it urgent; Flow's trigger is not sent, so it costs no Admin API call.
    expect(oscar.inspect.labels(chat.conversationId)).toContain("urgent");
    expect(triggerCallsFor(chat.conversationId)).toEqual([]);

    // Turned on again, the next urgent conversation fires it.
    expect((await workflowTurned("urgent-conversation", true, new Date(now + 1_000))).status).toBe(200);
    const next = events.openChat({ email: "guest-urgent-2@example.com", name: "Guest", message: "URGENT: I want a refund", customAttributes: {} });
    await events.deliverInOrder(next.created, next.message);
    expect(acceptedCalls("urgent-conversation", next.conversationId)).toHaveLength(1);
  });

  it("refuses a lifecycle callback Shopify did not sign, and one for a store without the app", async () => {
    const body = JSON.stringify({ flow_trigger_definition_id: "conversation-resolved", has_enabled_flow: false, shop_id: 1, shopify_domain: TEST_SHOP, timestamp: new Date(Date.now() + 3_600_000).toISOString() });
    const forged = await fetch(`${stack.appUrl}/flow/trigger-lifecycle`, { method: "POST", headers: { "content-type": "application/json", "x-shopify-hmac-sha256": createHmac("sha256", "not-the-secret").update(body).digest("base64") }, body });
    expect(forged.status).toBe(401);
    const elsewhere = await sendFlowTriggerLifecycle({ appUrl: stack.appUrl, apiSecret: TEST_API_SECRET, extensionsDir: APP_EXTENSIONS_DIR, shop: "not-installed.myshopify.com", trigger: "conversation-resolved", enabled: true });
    expect(elsewhere.status).toBe(404);
    // The forged "off" changed nothing: Conversation resolved is still in use.
    expect(await stack.db.flowTriggerUsage.findUnique({ where: { shop_trigger: { shop: TEST_SHOP, trigger: "conversation-resolved" } } })).toMatchObject({ inUse: true });
    expect(await stack.db.flowTriggerUsage.count({ where: { shop: "not-installed.myshopify.com" } })).toBe(0);
  });
});

describe("Flow actions", () => {
  const sign = (body: string) => createHmac("sha256", TEST_API_SECRET).update(body).digest("base64");
  const runBody = (handle: string, customerGid: string, message: string, runId = randomUUID()) =>
    JSON.stringify({ shop_id: 1, shopify_domain: TEST_SHOP, action_run_id: runId, action_definition_id: handle, handle, properties: { customer_id: customerGid, message } });
  const post = (handle: string, body: string, signature: string | null = sign(body)) =>
    fetch(`${stack.appUrl}/flow/actions/${handle}`, { method: "POST", headers: { "content-type": "application/json", ...(signature ? { "x-shopify-hmac-sha256": signature } : {}) }, body });
  const jobCount = async () => Object.values(await flowActions.getJobCounts()).reduce((a, b) => a + b, 0);

  let sofiaChat: { conversationId: string };
  beforeAll(async () => {
    const sofia = customer(2);
    const chat = events.openChat({ email: sofia.email, name: sofia.firstName, message: "Hi, a question about sizes", customAttributes: signedInAs(sofia) });
    await events.deliverInOrder(chat.created, chat.message);
    sofiaChat = chat;
  });

  it("posts a private note on the customer's open conversation once, its text shown literally; a replay answers the same and does nothing", async () => {
    const text = "Loyalty tier: **Gold** [see](https://evil.example) <b>x</b>\nSecond line";
    const body = runBody("post-private-note", customer(2).id, text);
    const response = await post("post-private-note", body);
    expect(response.status).toBe(200);
    const result = { return_value: { outcome: "QUEUED", hasOpenConversation: true, conversationLink: oscarConversationUrl(sofiaChat.conversationId) } };
    expect(await response.json()).toEqual(result);
    const note = await waitFor("the Flow note", () => oscar.inspect.notes(sofiaChat.conversationId).find((m) => m.content?.includes("From a Shopify Flow workflow")), 30_000);
    expect(note.content_type).toBe("markdown");
    expect(note.content).toContain("Loyalty tier\\: \\*\\*Gold\\*\\* \\[see\\]\\(https\\:\\/\\/evil\\.example\\) \\<b\\>x\\<\\/b\\>  \nSecond line");
    const jobsAfterFirst = await jobCount();

    const replay = await post("post-private-note", body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(result);
    expect(await jobCount()).toBe(jobsAfterFirst);
    expect(oscar.inspect.notes(sofiaChat.conversationId).filter((m) => m.content?.includes("From a Shopify Flow workflow"))).toHaveLength(1);
  });

  it("sends the customer a chat message, HTML-escaped", async () => {
    const response = await post("send-chat-message", runBody("send-chat-message", legacyIdOf(customer(2).id), "Your <script>alert(1)</script> order ships today\nThanks!"));
    expect(response.status).toBe(200);
    const message = await waitFor("the Flow chat message", () => oscar.inspect.messages(sofiaChat.conversationId).find((m) => m.content?.includes("ships today")), 30_000);
    expect(message).toMatchObject({ private: false, message_type: "outgoing", content_type: "html" });
    expect(message.content).toMatch(/^Your &#60;script&#62;alert\(1\)&#60;\/script&#62; order ships today<br>Thanks!/);
  });

  it("refuses a forged or unsigned run with 401 (and another action's run with 400), and queues nothing", async () => {
    const before = await jobCount();
    const body = runBody("send-chat-message", customer(2).id, "Forged");
    const forged = await post("send-chat-message", body, sign(body.replace("Forged", "forged")));
    expect(forged.status).toBe(401);
    expect((await post("send-chat-message", body, null)).status).toBe(401);
    // Signed, but a run of the other action: refused rather than posted as the wrong kind of message.
    expect((await post("post-private-note", body)).status).toBe(400);
    expect(await jobCount()).toBe(before);
    const runId = (JSON.parse(body) as { action_run_id: string }).action_run_id;
    expect(await stack.db.flowActionRun.count({ where: { shop: TEST_SHOP, actionRunId: runId } })).toBe(0);
  });

  it("writes nothing for a customer with no open conversation, and the run's result says so", async () => {
    const liam = customer(1); // never chatted
    const before = await jobCount();
    const messagesBefore = oscar.inspect.messages(sofiaChat.conversationId).length;
    const body = runBody("post-private-note", liam.id, "Should go nowhere");
    const response = await post("post-private-note", body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ return_value: { outcome: "NO_OPEN_CONVERSATION", hasOpenConversation: false, conversationLink: null } });
    expect(await jobCount()).toBe(before);
    expect(oscar.inspect.messages(sofiaChat.conversationId)).toHaveLength(messagesBefore);
    const run = await stack.db.flowActionRun.findFirstOrThrow({ where: { shop: TEST_SHOP, actionRunId: (JSON.parse(body) as { action_run_id: string }).action_run_id } });
    expect(run).toMatchObject({ outcome: "no-open-conversation", conversationId: null });
  });
});
