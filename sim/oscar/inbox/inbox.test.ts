import { afterEach, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../server";
import type { CapturedSlackMessage } from "./inbox-data";

const HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>";

describe("the agent inbox over HTTP", () => {
  let sim: OscarSimulator;
  let slack: CapturedSlackMessage[];
  afterEach(() => sim?.close());

  async function start() {
    slack = [];
    sim = await startOscarSimulator({ delivery: "calm", slackMessages: () => slack });
    const { workspaceId, agentIds } = sim.inspect.accounts()[0];
    const opened = sim.scenario.shopperOpensConversation({ workspaceId, email: "x@example.com", name: HOSTILE, message: HOSTILE, customAttributes: { [HOSTILE]: HOSTILE } });
    sim.state.addLabels(sim.state.conversation(opened.conversationId)!, [HOSTILE]);
    return { ...opened, agentIds };
  }
  const get = (path: string) => fetch(`${sim.url}${path}`);
  const post = (path: string, fields: Record<string, string>, type = "application/x-www-form-urlencoded") =>
    fetch(`${sim.url}${path}`, { method: "POST", redirect: "manual", headers: { "content-type": type }, body: new URLSearchParams(fields) });
  const tokenOf = async (path: string) => /name="token" value="([^"]+)"/.exec(await (await get(path)).text())![1];

  it("escapes everything a shopper controls on every page, and forbids inline script", async () => {
    const { conversationId } = await start();
    slack.push({ path: "/services/T000/urgent", at: 0, body: { text: HOSTILE, blocks: [{ type: "section", text: { type: "plain_text", text: HOSTILE } }] } });
    for (const path of ["/inbox", `/inbox/conversations/${conversationId}`, "/inbox/slack"]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
      const body = await response.text();
      expect(body).not.toContain("<script>alert");
      expect(body).not.toContain("<img src=x");
      expect(body).toMatch(/<title>[^<]+<\/title>/);
    }
  });

  it("shows only the Slack alerts that link to the conversation", async () => {
    const { conversationId } = await start();
    const button = (id: string) => ({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open conversation" }, url: `https://app.oscarchat.ai/conversations/${id}` }] });
    slack.push({ path: "/services/T000/urgent", at: 0, body: { text: "mine", blocks: [{ type: "header", text: { type: "plain_text", text: "Mine" } }, button(conversationId)] } });
    slack.push({ path: "/services/T000/urgent", at: 0, body: { text: "other", blocks: [{ type: "header", text: { type: "plain_text", text: "Other" } }, button(`${conversationId}0`)] } });
    const live = await (await get(`/inbox/conversations/${conversationId}/live`)).json();
    expect(live.slack).toContain("Mine");
    expect(live.slack).not.toContain("Other");
  });

  it("changes the live version when something happens, not otherwise", async () => {
    const { conversationId } = await start();
    const version = async () => ((await (await get(`/inbox/conversations/${conversationId}/live`)).json()) as { version: string }).version;
    const before = await version();
    expect(await version()).toBe(before);
    sim.scenario.shopperWrites(conversationId, "still there?");
    expect(await version()).not.toBe(before);
  });

  it("records who wrote a reply or note, and refuses an agent of another account or a form in another format", async () => {
    const { conversationId, agentIds } = await start();
    const path = `/inbox/conversations/${conversationId}`;
    const token = await tokenOf(path);
    const reply = await post(`${path}/note`, { token, agentId: agentIds[2], note: "checked the order" });
    expect(reply.status).toBe(303);
    expect(reply.headers.get("location")).toBe(`${path}?done=note&as=${agentIds[2]}`);
    expect(sim.state.conversation(conversationId)!.messages.at(-1)).toMatchObject({ private: true, sender: "agent", agentId: agentIds[2] });

    sim.state.openAccount("another-key");
    const stranger = sim.state.account("another-key")!.agents[0].id;
    const refused = await post(`${path}/reply`, { token, agentId: stranger, reply: "hello" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("That agent is not in this account.");
    expect(sim.state.conversation(conversationId)!.messages.filter((m) => m.content === "hello")).toEqual([]);

    expect((await post(`${path}/resolve`, { token }, "application/json")).status).toBe(415);
    expect((await post("/inbox/conversations/conv_404/resolve", { token })).status).toBe(404);
    expect(sim.state.conversation(conversationId)!.status).toBe("open");
  });

  it("pages a long list, newest first", async () => {
    await start();
    const { workspaceId } = sim.inspect.accounts()[0];
    for (let i = 1; i <= 55; i++) sim.scenario.shopperOpensConversation({ workspaceId, email: `s${i}@example.com`, name: `Shopper ${i}`, at: 1_000_000 + i * 1000 });
    const first = await (await get("/inbox")).text();
    // 56 conversations: the hostile one (now) first, then Shopper 55 down to Shopper 7 on page 1.
    expect(first.match(/class="row-link"/g)).toHaveLength(50);
    expect(first.indexOf(">Shopper 55<")).toBeGreaterThan(-1);
    expect(first.indexOf(">Shopper 55<")).toBeLessThan(first.indexOf(">Shopper 54<"));
    expect(first).not.toContain(">Shopper 6<");
    expect(first).toContain("Older conversations");
    const second = await (await get("/inbox?page=2")).text();
    expect(second.match(/class="row-link"/g)).toHaveLength(6);
    expect(second).toContain(">Shopper 1<");
    expect(second).toContain("Newer conversations");
  });
});
