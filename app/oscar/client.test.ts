import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { createProducerConnection } from "../queues/redis.server";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, startOwnRedis, testRedisPrefix } from "../../test/harness/redis";
import { createOscarClient, idempotencyMarker, type OscarClientOptions } from "./client.server";
import { OscarKeyRejectedError, OscarNotFoundError, OscarRequestError, OscarTransientError } from "./errors";
import { createOscarRateLimiter, type OscarRateLimiter } from "./rate-limit.server";
import { captureLogs } from "../../test/harness/log-capture";

// Client → simulator over real HTTP, paced by the real limiter on real Redis.

const KEY = "sk_live_4f1c9a7e2b8d4c6a9e0f1b2c3d4e5f60";
const WRONG_KEY = "sk_live_0000wrong0000key0000wrong0000";

/** Records the client's backoff sleeps without waiting them out. */
function recordSleeps() {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
}

let redis: Redis;
let prefix: string;
let sim: OscarSimulator;
let limiter: OscarRateLimiter;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL);
  prefix = `${testRedisPrefix("oscar-client")}:`;
  // Fast pacing here: these tests are about the client; the 300-per-minute default is proven by the bench.
  limiter = createOscarRateLimiter({ redis, prefix, limit: 1_000, windowMs: 1_000 });
  sim = await startOscarSimulator({ apiKeys: [KEY] });
});

afterAll(async () => {
  await sim.close();
  await deleteKeysWithPrefix(prefix);
  redis.disconnect();
});

beforeEach(() => {
  sim.setFaults({});
  logs = captureLogs({ name: "oscar-client-test" });
});

function client(overrides: Partial<OscarClientOptions> = {}) {
  return createOscarClient({ baseUrl: sim.baseUrl, apiKey: KEY, limiter, logger: logs.logger, timeoutMs: 2_000, ...overrides });
}

const requestsSeen = (apiKey = KEY) => sim.inspect.requests(apiKey).total;

describe("Oscar client against the simulator", () => {
  it("calls every endpoint of the contract and reads every answer", async () => {
    const oscar = client();
    const { workspaceId, botId, agentIds } = sim.accountFor(KEY);

    // Key check and workspace
    expect(await oscar.listWorkspaces()).toEqual([expect.objectContaining({ id: workspaceId, name: expect.any(String) })]);

    // Webhooks
    const webhook = await oscar.createWebhook({ url: "https://app.example.com/webhooks/oscar/shop-1", events: ["bot.escalated"], secret: "whsec_x" });
    expect(sim.inspect.webhooks()).toContainEqual({ id: webhook.id, url: webhook.url, events: ["bot.escalated"] });
    await oscar.deleteWebhook(webhook.id);
    expect(sim.inspect.webhooks().map((w) => w.id)).not.toContain(webhook.id);

    // Conversations
    const { conversationId, contactId } = sim.scenario.shopperOpensConversation({ email: "mia@example.com", name: "Mia", message: "Do you ship to Canada?" });
    expect((await oscar.listConversations(workspaceId, { status: "open", limit: 10 })).map((c) => c.id)).toContain(conversationId);
    const conversation = await oscar.getConversation(conversationId, ["messages", "contact", "assignee"]);
    expect(conversation).toMatchObject({ id: conversationId, status: "open", assignee: null, contact: { id: contactId, email: "mia@example.com" } });
    expect(conversation.messages?.map((m) => m.message_type)).toEqual(["incoming"]);

    // Writes on a conversation
    const note = await oscar.postMessage(
      conversationId,
      { content: "Returning customer: 4 orders", message_type: "activity", content_type: "text", private: true },
      { idempotencyKey: "evt_1:enrichment" },
    );
    expect(sim.inspect.notes(conversationId)).toEqual([expect.objectContaining({ id: note.id, content: expect.stringContaining(idempotencyMarker("evt_1:enrichment")) })]);
    expect(await oscar.assignConversation(conversationId, agentIds[1])).toMatchObject({ conversation_id: conversationId, assignee_id: agentIds[1] });
    expect(sim.inspect.assignments(conversationId)).toEqual([expect.objectContaining({ assigneeId: agentIds[1], by: "app" })]);
    expect(await oscar.addLabels(conversationId, ["vip", "shipping"])).toEqual(["vip", "shipping"]);
    expect(await oscar.addLabels(conversationId, ["vip"])).toEqual(["vip", "shipping"]);
    expect(await oscar.updateContact(contactId, { plan: "gold", total_spent: 412.5 })).toMatchObject({ custom_attributes: { plan: "gold", total_spent: 412.5 } });
    expect(sim.inspect.contact(contactId).custom_attributes).toEqual({ plan: "gold", total_spent: 412.5 });

    // Bot knowledge
    const source = await oscar.createKnowledgeSource(botId, { type: "url", name: "Shipping policy", url: "https://shop.example.com/policies/shipping-policy" });
    await oscar.createKnowledgeSource(botId, { type: "text", name: "FAQ", content: "We ship worldwide." });
    expect((await oscar.listKnowledgeSources(botId)).map((s) => s.name)).toEqual(["Shipping policy", "FAQ"]);
    await oscar.deleteKnowledgeSource(botId, source.id);
    expect(sim.inspect.knowledgeSources(botId).map((s) => s.name)).toEqual(["FAQ"]);
    expect(await oscar.syncBot(botId)).toEqual({ status: "queued" });
    expect(sim.inspect.syncCalls(botId)).toEqual([expect.objectContaining({ sourceCount: 1 })]);

    // Reports
    sim.scenario.agentResolves(conversationId, { csatScore: 4 });
    const summary = await oscar.getReportSummary(workspaceId, { since: new Date(Date.now() - 3_600_000), until: new Date(Date.now() + 60_000) });
    expect(summary).toMatchObject({ conversations_count: 1, csat_survey_score: 4, bot_resolution_rate: 0 });
  });

  it("refuses to send a body that breaks the contract, without calling Oscar", async () => {
    const { conversationId } = sim.scenario.shopperOpensConversation({ email: "li@example.com", name: "Li" });
    const before = requestsSeen();
    await expect(client().addLabels(conversationId, [""])).rejects.toThrow(OscarRequestError);
    await expect(client().createKnowledgeSource(sim.accountFor(KEY).botId, { type: "url", name: "No url" })).rejects.toThrow(
      "The app built an invalid knowledge source for Oscar",
    );
    expect(requestsSeen()).toBe(before);
  });

  it("reports a wrong key once and at once, in the merchant's words", async () => {
    const oscar = client({ apiKey: WRONG_KEY, retry: { maxAttempts: 10 } });
    const failure = await oscar.listWorkspaces().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OscarKeyRejectedError);
    expect(failure).toMatchObject({ message: "Oscar rejected the API key", permanent: true, status: 401 });
    expect(requestsSeen(WRONG_KEY)).toBe(1);
  });

  it("does not retry a missing conversation or a refused request", async () => {
    const oscar = client({ retry: { maxAttempts: 10 } });
    const before = requestsSeen();
    const missing = await oscar.getConversation("conv_does_not_exist").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OscarNotFoundError);
    expect(missing).toMatchObject({ message: "Oscar could not find the conversation", permanent: true });

    const { conversationId } = sim.scenario.shopperOpensConversation({ email: "jo@example.com", name: "Jo" });
    const refused = await oscar.assignConversation(conversationId, "agent_unknown").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OscarRequestError);
    expect(refused).toMatchObject({ message: "Oscar refused to assign the conversation (HTTP 422)", status: 422, permanent: true });
    expect(requestsSeen()).toBe(before + 2);
  });

  it("treats an answer of the wrong shape as permanent", async () => {
    let calls = 0;
    const oscar = client({
      fetch: async () => {
        calls++;
        return Response.json({ data: "not a list" });
      },
    });
    await expect(oscar.listWorkspaces()).rejects.toThrow(
      new OscarRequestError("Oscar's answer when asked to list the workspaces did not have the expected shape"),
    );
    expect(calls).toBe(1);
  });

  it("takes any 2xx as success where Oscar's answer is only assumed, and logs what it did not expect without its values", async () => {
    const { conversationId, contactId } = sim.scenario.shopperOpensConversation({ email: "ren@example.com", name: "Ren" });
    const { botId, agentIds } = sim.accountFor(KEY);
    const oscar = client();
    const webhook = await oscar.createWebhook({ url: "https://app.example.com/webhooks/oscar/shop-3", events: ["bot.escalated"], secret: "s" });
    const before = requestsSeen();
    const syncsBefore = sim.inspect.syncCalls(botId).length;
    sim.setFaults({
      script: [
        { kind: "answer", status: 200, body: { ok: true, agent: { email: "ren@example.com" } } },
        { kind: "answer", status: 201, body: { data: { labels: ["vip"] } } },
        { kind: "answer", status: 204 },
        { kind: "answer", status: 200, text: "queued" },
        { kind: "answer", status: 200, body: { deleted: true } },
      ],
    });

    await expect(oscar.assignConversation(conversationId, agentIds[1])).resolves.toEqual({ conversation_id: conversationId, assignee_id: agentIds[1] });
    await expect(oscar.addLabels(conversationId, ["vip"])).resolves.toEqual(["vip"]);
    await expect(oscar.updateContact(contactId, { tier: "gold" })).resolves.toMatchObject({ id: contactId });
    await expect(oscar.syncBot(botId)).resolves.toEqual({});
    await expect(oscar.deleteWebhook(webhook.id)).resolves.toBeUndefined();

    // Each write was applied once and not retried.
    expect(requestsSeen()).toBe(before + 5);
    expect(sim.inspect.assignments(conversationId)).toHaveLength(1);
    expect(sim.inspect.labels(conversationId)).toEqual(["vip"]);
    expect(sim.inspect.contact(contactId).custom_attributes).toEqual({ tier: "gold" });
    expect(sim.inspect.syncCalls(botId)).toHaveLength(syncsBefore + 1);
    expect(sim.inspect.webhooks().map((w) => w.id)).not.toContain(webhook.id);
    expect(logs.text().match(/shape the app did not expect/g)).toHaveLength(4);
    expect(logs.text()).toContain("expected 204");
    expect(logs.text()).not.toContain("ren@example.com");
  });

  it("retries a request that timed out", async () => {
    sim.setFaults({ script: [{ kind: "delay", ms: 1_000 }] });
    const before = requestsSeen();
    await expect(client({ timeoutMs: 150 }).listWorkspaces()).resolves.toHaveLength(1);
    expect(requestsSeen()).toBe(before + 2);
  });

  it("waits at least as long as Retry-After says before trying again", async () => {
    sim.setFaults({ script: [{ kind: "status", status: 429, retryAfterSeconds: 3 }] });
    const { slept, sleep } = recordSleeps();
    await client({ sleep, random: () => 0.5 }).listWorkspaces();
    expect(slept).toEqual([3_000]);
  });

  it("backs off exponentially with full jitter, then gives up and says how often it tried", async () => {
    sim.setFaults({ script: Array.from({ length: 4 }, () => ({ kind: "status" as const, status: 503 })) });
    const { slept, sleep } = recordSleeps();
    const before = requestsSeen();
    const oscar = client({ sleep, random: () => 0.5, retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 } });

    const failure = await oscar.listWorkspaces().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OscarTransientError);
    expect(failure).toMatchObject({ message: "Could not list the workspaces: Oscar is unavailable (HTTP 503) after 4 attempts", attempts: 4, permanent: false });
    expect(slept).toEqual([50, 100, 150]); // half of min(300, 100 · 2^n)
    expect(requestsSeen()).toBe(before + 4);
  });

  it("stops early when Oscar asks for a wait longer than the time budget, and passes the wait on", async () => {
    sim.setFaults({ script: [{ kind: "status", status: 429, retryAfterSeconds: 120 }] });
    const { slept, sleep } = recordSleeps();
    const failure = await client({ sleep, retry: { maxTotalMs: 10_000 } }).listWorkspaces().catch((error: unknown) => error);
    expect(failure).toMatchObject({ attempts: 1, status: 429, retryAfterMs: 120_000, permanent: false });
    expect(slept).toEqual([]);
  });

  it("does not post a note twice when the first answer was lost after Oscar applied it", async () => {
    const { conversationId } = sim.scenario.shopperOpensConversation({ email: "kai@example.com", name: "Kai" });
    const note = { content: "VIP: 12 orders", message_type: "activity", content_type: "text", private: true } as const;
    const { sleep } = recordSleeps();

    sim.setFaults({ script: [{ kind: "drop", afterApply: true }] });
    const posted = await client({ sleep }).postMessage(conversationId, note, { idempotencyKey: "evt_9:enrichment" });
    sim.setFaults({ script: [{ kind: "delay", ms: 1_000 }] });
    const again = await client({ sleep, timeoutMs: 150 }).postMessage(conversationId, note, { idempotencyKey: "evt_9:enrichment", checkFirst: true });

    expect(again.id).toBe(posted.id);
    expect(sim.inspect.notes(conversationId)).toHaveLength(1);
  });

  it("reads every page: a retried note finds its earlier copy under a page of newer messages", async () => {
    const { conversationId } = sim.scenario.shopperOpensConversation({ email: "ida@example.com", name: "Ida", message: "first" });
    const note = { content: "Returning customer", message_type: "activity", content_type: "text", private: true } as const;
    const oscar = client();
    const posted = await oscar.postMessage(conversationId, note, { idempotencyKey: "evt_40:enrichment" });
    for (let i = 1; i <= 45; i++) sim.scenario.shopperWrites(conversationId, `follow-up ${i}`);

    const again = await oscar.postMessage(conversationId, note, { idempotencyKey: "evt_40:enrichment", checkFirst: true });
    expect(again.id).toBe(posted.id);
    expect(sim.inspect.notes(conversationId)).toHaveLength(1);

    const conversation = await oscar.getConversation(conversationId, ["messages"]);
    expect(conversation.messages?.map((m) => m.id)).toEqual(sim.inspect.messages(conversationId).map((m) => m.id));
    expect(conversation.messages).toHaveLength(47);

    const { botId } = sim.accountFor(KEY);
    const before = (await oscar.listKnowledgeSources(botId)).length;
    for (let i = 0; i < 25; i++) sim.state.addKnowledgeSource(sim.state.accounts()[0].bots[0], { type: "text", name: `FAQ ${i}`, content: "x" });
    expect(await oscar.listKnowledgeSources(botId)).toHaveLength(before + 25);
  });

  it("does not assign twice, and counts a repeated delete as done", async () => {
    const { conversationId } = sim.scenario.shopperOpensConversation({ email: "noa@example.com", name: "Noa" });
    const [, agent] = sim.accountFor(KEY).agentIds;
    const { sleep } = recordSleeps();
    const oscar = client({ sleep });

    sim.setFaults({ script: [{ kind: "drop", afterApply: true }] });
    await oscar.assignConversation(conversationId, agent);
    await oscar.assignConversation(conversationId, agent, { checkFirst: true });
    expect(sim.inspect.assignments(conversationId)).toHaveLength(1);

    const webhook = await oscar.createWebhook({ url: "https://app.example.com/webhooks/oscar/shop-2", events: ["conversation.created"], secret: "s" });
    sim.setFaults({ script: [{ kind: "drop", afterApply: true }] });
    await expect(oscar.deleteWebhook(webhook.id)).resolves.toBeUndefined();
    await expect(oscar.deleteWebhook(webhook.id)).rejects.toThrow(OscarNotFoundError);

    const { botId } = sim.accountFor(KEY);
    sim.setFaults({ script: [{ kind: "status", status: 502 }] });
    await oscar.createKnowledgeSource(botId, { type: "text", name: "Returns", content: "30 days." });
    sim.setFaults({ script: [{ kind: "drop", afterApply: true }] });
    await oscar.createKnowledgeSource(botId, { type: "text", name: "Returns", content: "30 days." }, { checkFirst: true });
    expect(sim.inspect.knowledgeSources(botId).filter((s) => s.name === "Returns")).toHaveLength(1);
  });

  it("never puts the API key in an error message or a log line", async () => {
    const { sleep } = recordSleeps();
    const errors: unknown[] = [];
    await client({ apiKey: WRONG_KEY }).listWorkspaces().catch((error: unknown) => errors.push(error));
    sim.setFaults({ script: [{ kind: "status", status: 500 }, { kind: "drop" }, { kind: "status", status: 429, retryAfterSeconds: 0 }] });
    await client({ sleep, retry: { maxAttempts: 3 } }).listWorkspaces().catch((error: unknown) => errors.push(error));
    await client().getConversation("conv_nope").catch((error: unknown) => errors.push(error));

    expect(errors).toHaveLength(3);
    const everything = [logs.text(), ...errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack}`)].join("\n");
    expect(logs.text()).toContain("retrying an Oscar request");
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(WRONG_KEY);
    expect(everything).not.toContain(KEY.slice(8, 20));
  });

  it("holds requests back, sending none, while the limiter's Redis is down", async () => {
    const ownRedis = await startOwnRedis();
    const connection = createProducerConnection(ownRedis.url);
    connection.on("error", () => undefined);
    await new Promise((ready) => connection.once("ready", ready));
    try {
      const oscar = client({ limiter: createOscarRateLimiter({ redis: connection, prefix }) });
      await oscar.listWorkspaces();
      await ownRedis.stop();
      const before = requestsSeen();

      const failure = await oscar.listWorkspaces().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OscarTransientError);
      expect(failure).toMatchObject({ message: "Could not list the workspaces: the Oscar rate limiter cannot reach Redis" });
      expect(requestsSeen()).toBe(before);
    } finally {
      connection.disconnect();
      await ownRedis.stop();
    }
  });
});

describe("Oscar client under faults: 500 writes", () => {
  // A fast clock for Oscar's limit (200 per second) so the run takes seconds, not minutes.
  const LIMIT = { limit: 200, windowMs: 1_000 };
  const BATCH_KEY = "sk_live_batch_7c1e0b9a5d3f4e2a8b6c";
  let batchSim: OscarSimulator;

  beforeAll(async () => {
    batchSim = await startOscarSimulator({ apiKeys: [BATCH_KEY], rateLimit: LIMIT });
  });
  afterAll(async () => {
    await batchSim.close();
  });

  it("leaves no duplicate note, label or assignment and never exceeds the limit in any window", async () => {
    // GIVEN 125 open conversations, and an Oscar that fails 30% of requests, sends bursts of 429
    // and sometimes drops the connection after applying a write
    const { agentIds } = batchSim.accountFor(BATCH_KEY);
    const conversations = Array.from({ length: 125 }, (_, i) =>
      batchSim.scenario.shopperOpensConversation({ email: `shopper${i}@example.com`, name: `Shopper ${i}` }),
    );
    batchSim.setFaults({
      serverErrorRate: 0.3,
      dropRate: 0.02,
      dropAfterApplyRate: 0.06,
      rateLimitBursts: { every: 250, length: 6, retryAfterSeconds: 1 },
      seed: 20261124,
    });
    let slotsTaken = 0;
    const pacing = createOscarRateLimiter({ redis, prefix, ...LIMIT, latencyMarginMs: 250 });
    const countingLimiter: OscarRateLimiter = { acquire: (key, options) => (slotsTaken++, pacing.acquire(key, options)) };
    const oscar = createOscarClient({
      baseUrl: batchSim.baseUrl,
      apiKey: BATCH_KEY,
      limiter: countingLimiter,
      logger: logs.logger,
      timeoutMs: 5_000,
      retry: { maxAttempts: 40, maxTotalMs: 60_000, baseDelayMs: 20, maxDelayMs: 250 },
    });

    // WHEN 500 writes (a note, labels, an assignment and a contact update per conversation) run 20 at a time
    const writes = conversations.flatMap(({ conversationId, contactId }, i): (() => Promise<unknown>)[] => [
      () =>
        oscar.postMessage(
          conversationId,
          { content: `Order history for shopper ${i}`, message_type: "activity", content_type: "markdown", private: true },
          { idempotencyKey: `batch:${i}:note` },
        ),
      () => oscar.addLabels(conversationId, ["enriched", `tier-${i % 3}`]),
      () => oscar.assignConversation(conversationId, agentIds[i % 3]),
      () => oscar.updateContact(contactId, { orders_count: i, vip: i % 2 === 0 }),
    ]);
    const order = shuffled(writes.length, 7);
    const results = await runWithConcurrency(20, order.map((index) => writes[index]));

    // THEN every write succeeded exactly once
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    conversations.forEach(({ conversationId, contactId }, i) => {
      const notes = batchSim.inspect.notes(conversationId);
      expect(notes).toHaveLength(1);
      expect(notes[0].content).toContain(idempotencyMarker(`batch:${i}:note`));
      expect(batchSim.inspect.labels(conversationId).sort()).toEqual(["enriched", `tier-${i % 3}`].sort());
      expect(batchSim.inspect.assignments(conversationId).map((a) => a.assigneeId)).toEqual([agentIds[i % 3]]);
      expect(batchSim.inspect.contact(contactId).custom_attributes).toEqual({ orders_count: i, vip: i % 2 === 0 });
    });

    // AND the faults really happened
    const injected = batchSim.inspect.injectedFaults();
    expect(injected.serverErrors).toBeGreaterThan(100);
    expect(injected.rateLimitBursts).toBeGreaterThan(0);
    expect(injected.dropsAfterApply).toBeGreaterThan(10);

    // AND as Oscar counted them, no rolling window ever saw more than the limit, and every
    // request that reached Oscar had taken a slot from the limiter
    const seen = batchSim.inspect.requests(BATCH_KEY);
    expect(seen.maxInWindow(LIMIT.windowMs)).toBeLessThanOrEqual(LIMIT.limit);
    expect(seen.rateLimited).toBe(0);
    expect(seen.total).toBeLessThanOrEqual(slotsTaken);
    expect(seen.total).toBeGreaterThan(500);
  });
});

/** A fixed permutation of 0..n-1 (seeded), so the write order is mixed but repeatable. */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed;
  for (let i = n - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

async function runWithConcurrency<T>(concurrency: number, tasks: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]().then(
        (value) => ({ status: "fulfilled" as const, value }),
        (reason: unknown) => ({ status: "rejected" as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}
