import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../server";
import { HANDOVER_MESSAGE } from "./bot";

const KEY = "osk_test_widget_api_01";

/** The simulator's widget API over real HTTP, as the widget's loader calls it from a storefront's origin. */
describe("the simulator's widget API", () => {
  let sim: OscarSimulator;
  let widgetId: string;
  const storefront = "http://127.0.0.1:5555";

  beforeAll(async () => {
    sim = await startOscarSimulator({ apiKeys: [KEY], delivery: "calm" });
    widgetId = sim.accountFor(KEY).widgetIds[0];
  });
  afterAll(async () => {
    await sim?.close();
  });

  const widgetApi = (path: string, init: { method?: string; body?: unknown; token?: string; visitor?: string } = {}) =>
    fetch(`${sim.url}/widget/api/${path}`, {
      method: init.method ?? "GET",
      headers: {
        Origin: storefront,
        ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
        "X-Visitor-User": init.visitor ?? "",
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  async function startConversation(identity: Record<string, unknown>, content = "Hello there") {
    const response = await widgetApi(`widgets/${widgetId}/conversations`, { method: "POST", body: { content, identity } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { conversation_id: string; token: string; cursor: number };
    const conversation = sim.state.conversation(body.conversation_id)!;
    return { ...body, contact: () => sim.inspect.contact(conversation.contactId) };
  }

  it("serves the loader, and answers CORS preflights from a storefront's origin", async () => {
    const loader = await fetch(sim.widgetLoaderUrl);
    expect(loader.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await loader.text()).toContain("OscarChat");
    const preflight = await fetch(`${sim.url}/widget/api/widgets/${widgetId}/conversations`, {
      method: "OPTIONS",
      headers: { Origin: storefront, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, x-visitor-user" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(storefront);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-visitor-user");
  });

  it("knows only the accounts' widgets", async () => {
    expect(await (await widgetApi(`widgets/${widgetId}`)).json()).toEqual({ id: widgetId, name: "Storefront chat" });
    expect((await widgetApi("widgets/wgt_nobody")).status).toBe(404);
    expect((await widgetApi("widgets/wgt_nobody/conversations", { method: "POST", body: { content: "hi" } })).status).toBe(404);
  });

  it("turns identify fields into the contact: email and name as its own, the rest as custom attributes", async () => {
    const { contact } = await startConversation({ user_id: "7400000000001", email: "Maya@Example.com", name: "Maya Okafor", oscar_identity: "v1.a.b", plan: "gold" });
    expect(contact()).toMatchObject({ email: "maya@example.com", name: "Maya Okafor", custom_attributes: { user_id: "7400000000001", oscar_identity: "v1.a.b", plan: "gold" } });
  });

  it("never lets a claimed email inherit the signed identity another session left on that contact", async () => {
    const first = await startConversation({ user_id: "7400000000002", email: "liam@example.com", name: "Liam", oscar_identity: "v1.liam.sig" });
    const claimant = await startConversation({ email: "liam@example.com", name: "Not Liam" });
    expect(claimant.contact().id).toBe(first.contact().id);
    expect(claimant.contact().custom_attributes).toEqual({});
  });

  it("makes a new contact for a visitor with no email: empty identify fields clear the identity", async () => {
    const a = await startConversation({ user_id: "", email: "", name: "", oscar_identity: "" });
    const b = await startConversation({});
    expect(a.contact().id).not.toBe(b.contact().id);
    expect(a.contact()).toMatchObject({ email: null, name: null, custom_attributes: {} });
  });

  it("lets only the token's holder, speaking for the same shopper, read and write the conversation", async () => {
    const { conversation_id: id, token } = await startConversation({ user_id: "42", email: "ana@example.com" });
    expect((await widgetApi(`conversations/${id}/messages`, { token, visitor: "42" })).status).toBe(200);
    expect((await widgetApi(`conversations/${id}/messages`, { token: "not-the-token", visitor: "42" })).status).toBe(404);
    expect((await widgetApi(`conversations/${id}/messages`, { visitor: "42" })).status).toBe(404);
    // The same browser now speaks for someone else (log-out on a shared device): refused.
    expect((await widgetApi(`conversations/${id}/messages`, { token, visitor: "" })).status).toBe(409);
    expect((await widgetApi(`conversations/${id}/messages`, { method: "POST", token, visitor: "43", body: { content: "hi" } })).status).toBe(409);
    expect((await widgetApi(`conversations/${id}/identity`, { method: "PUT", token, visitor: "42", body: { identity: { user_id: "" } } })).status).toBe(409);
  });

  it("renews the contact's identity for the same shopper", async () => {
    const { conversation_id: id, token, contact } = await startConversation({ user_id: "44", email: "zoe@example.com", oscar_identity: "v1.old" });
    const renewed = await widgetApi(`conversations/${id}/identity`, { method: "PUT", token, visitor: "44", body: { identity: { user_id: "44", email: "zoe@example.com", oscar_identity: "v1.new" } } });
    expect(renewed.status).toBe(200);
    expect(contact().custom_attributes).toMatchObject({ oscar_identity: "v1.new" });
  });

  it("refuses an empty or oversized message with a sentence, and an unreadable body", async () => {
    const { conversation_id: id, token } = await startConversation({});
    const empty = await widgetApi(`conversations/${id}/messages`, { method: "POST", token, body: { content: "   " } });
    expect([empty.status, await empty.json()]).toEqual([400, { error: "content: write a message first" }]);
    const long = await widgetApi(`conversations/${id}/messages`, { method: "POST", token, body: { content: "x".repeat(5001) } });
    expect([long.status, await long.json()]).toEqual([400, { error: "content: at most 5,000 characters" }]);
    const garbled = await fetch(`${sim.url}/widget/api/conversations/${id}/messages`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{" });
    expect(garbled.status).toBe(400);
    // The first message and the bot's hand-over line (nothing in its knowledge): nothing refused was kept.
    expect(sim.inspect.messages(id).map((m) => m.content)).toEqual(["Hello there", HANDOVER_MESSAGE]);
  });

  it("answers a (long) poll with what came after the cursor that the shopper may see: an agent's reply, never a note", async () => {
    const { conversation_id: id, token, cursor } = await startConversation({});
    const poll = widgetApi(`conversations/${id}/messages?after=${cursor}&wait=10000`, { token });
    sim.state.postMessage(sim.state.conversation(id)!, { content: "note for agents", message_type: "activity", content_type: "markdown", private: true });
    sim.scenario.agentReplies(id, "Hi, Ada here");
    const body = (await (await poll).json()) as { messages: Array<{ author: string; content: string; position: number }>; cursor: number };
    expect(body.messages.map((m) => [m.author, m.content])).toEqual([["agent", "Hi, Ada here"]]);
    expect(body.cursor).toBe(sim.state.conversation(id)!.messages.length);
    expect(body.messages[0].position).toBe(body.cursor - 1);
  });
});
