// flowTriggerReceive as the fake answers it, over HTTP, against the app's real trigger declarations
// (extensions/*/shopify.extension.toml) and the payloads the app really builds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "../../app/graphql/flow-trigger-receive";
import { FLOW_TRIGGER_HANDLES, flowTriggerPayload } from "../../app/services/flow-triggers.server";
import { createStoreFixture } from "./fixtures";
import { FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES, readFlowTriggerDeclarations } from "./flow-triggers";
import { legacyIdOf } from "./gid";
import { ADMIN_API_VERSION } from "./schema";
import { APP_EXTENSIONS_DIR, FLOW_TRIGGERS_CONTROL_PATH, SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "./server";

const SHOP = "oscar-test-shop.myshopify.com";
let admin: FakeShopifyAdmin;

type Answer = { data?: { flowTriggerReceive: { userErrors: { field: string[] | null; message: string }[] } }; errors?: unknown[] };

async function receive(handle: string, payload: unknown): Promise<Answer> {
  const response = await fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", [SHOP_DOMAIN_HEADER]: SHOP, "x-shopify-access-token": admin.issueAccessToken(SHOP) },
    body: JSON.stringify({ query: FLOW_TRIGGER_RECEIVE_MUTATION, variables: { handle, payload } }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}
const userErrors = (answer: Answer) => answer.data?.flowTriggerReceive.userErrors;

beforeAll(async () => {
  admin = await startFakeShopifyAdmin({ stores: { [SHOP]: createStoreFixture({ shopDomain: SHOP, now: new Date() }) } });
});
afterAll(() => admin.close());

describe("flowTriggerReceive in the fake Admin API", () => {
  it("knows exactly the four triggers the app declares", () => {
    expect(readFlowTriggerDeclarations(APP_EXTENSIONS_DIR).map((d) => d.handle).sort()).toEqual(Object.values(FLOW_TRIGGER_HANDLES).sort());
  });

  it.each(Object.entries(FLOW_TRIGGER_HANDLES))("accepts the payload the app builds for %s, with a customer and their order, and records it", async (_kind, handle) => {
    const store = admin.store(SHOP);
    const order = store.orders.find((o) => o.customerId === store.customers[0].id)!;
    const payload = flowTriggerPayload({ conversationId: "conv_42", customerId: legacyIdOf(store.customers[0].id), orderId: legacyIdOf(order.id), reason: "Urgent words: refund" });
    expect(userErrors(await receive(handle, payload))).toEqual([]);
    const recorded = await (await fetch(`${admin.url}${FLOW_TRIGGERS_CONTROL_PATH}?shop=${SHOP}`)).json() as { calls: { handle: string; payload: unknown; accepted: boolean }[] };
    expect(recorded.calls.at(-1)).toMatchObject({ handle, payload, accepted: true });
  });

  it("accepts a payload without a customer or order (a shopper who was not signed in)", async () => {
    const payload = flowTriggerPayload({ conversationId: "conv_43", customerId: null, orderId: "1001", reason: "No reason given" });
    expect(payload).not.toHaveProperty("customer_id");
    expect(payload).not.toHaveProperty("order_id"); // an order without its signed-in customer is never sent
    expect(userErrors(await receive(FLOW_TRIGGER_HANDLES.handedOff, payload))).toEqual([]);
  });

  it("refuses a handle the app does not declare, a field the trigger does not declare, a bad value and a customer that does not exist", async () => {
    const valid = flowTriggerPayload({ conversationId: "conv_44", customerId: null, orderId: null, reason: "r" });
    expect(userErrors(await receive("urgent-conversations", valid))).toEqual([{ field: ["handle"], message: "No Flow trigger with handle 'urgent-conversations' is declared by this app." }]);
    expect(userErrors(await receive(FLOW_TRIGGER_HANDLES.urgent, { ...valid, CSAT: 5 }))).toEqual([{ field: ["payload", "CSAT"], message: "CSAT is not a field of the trigger 'urgent-conversation'." }]);
    expect(userErrors(await receive(FLOW_TRIGGER_HANDLES.urgent, { ...valid, "Conversation link": "not a url", Reason: "two\nlines" }))).toEqual([
      { field: ["payload", "Conversation link"], message: "Conversation link must be an absolute URL." },
      { field: ["payload", "Reason"], message: "Reason must be a single line of text." },
    ]);
    expect(userErrors(await receive(FLOW_TRIGGER_HANDLES.urgent, { ...valid, customer_id: 999_999_999 }))).toEqual([{ field: ["payload", "customer_id"], message: "customer_id 999999999 does not exist." }]);
    expect(userErrors(await receive(FLOW_TRIGGER_HANDLES.urgent, { ...valid, customer_id: "gid://shopify/Customer/1" }))).toEqual([{ field: ["payload", "customer_id"], message: "customer_id must be the resource's numeric id." }]);
    expect(admin.flowTriggerCalls.filter((c) => !c.accepted)).toHaveLength(5);
  });

  it("refuses a payload over Flow's size limit, which the app's payloads never reach", async () => {
    const huge = { Reason: "x".repeat(FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES) };
    expect(userErrors(await receive(FLOW_TRIGGER_HANDLES.resolved, huge))).toEqual([{ field: ["payload"], message: "payload exceeds the 50 KB limit." }]);
    const longest = flowTriggerPayload({ conversationId: "c".repeat(10_000), customerId: "1", orderId: "1", reason: "r".repeat(100_000) });
    expect(Buffer.byteLength(JSON.stringify(longest))).toBeLessThan(FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES);
  });
});
