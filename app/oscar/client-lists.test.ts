import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { captureLogs } from "../../test/harness/log-capture";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "../../test/harness/redis";
import { createOscarClient, type OscarClientOptions } from "./client.server";
import { OscarNotFoundError, OscarRequestError, OscarTransientError } from "./errors";
import { createOscarRateLimiter, type OscarRateLimiter } from "./rate-limit.server";

// The widget, bot and agent list calls (assumed endpoints, see contract.ts), client → simulator over real HTTP.

const KEY = "sk_live_lists_7c2e9a41b8d04f6e";
/** Simulator pages of one item, so every list spans several pages. */
const PAGE_SIZE = 1;

let redis: Redis;
let prefix: string;
let sim: OscarSimulator;
let limiter: OscarRateLimiter;

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL);
  prefix = `${testRedisPrefix("oscar-client-lists")}:`;
  limiter = createOscarRateLimiter({ redis, prefix, limit: 1_000, windowMs: 1_000 });
  sim = await startOscarSimulator({ apiKeys: [KEY], pageSize: PAGE_SIZE });
});

afterAll(async () => {
  await sim.close();
  await deleteKeysWithPrefix(prefix);
  redis.disconnect();
});

beforeEach(() => {
  sim.setFaults({});
  sim.setListEndpoints("present");
});

function client(overrides: Partial<OscarClientOptions> = {}) {
  const logs = captureLogs({ name: "oscar-client-lists-test" });
  return createOscarClient({ baseUrl: sim.baseUrl, apiKey: KEY, limiter, logger: logs.logger, timeoutMs: 2_000, sleep: async () => {}, ...overrides });
}

const requestsSeen = () => sim.inspect.requests(KEY).total;

describe("listing the account's widgets, bots and agents", () => {
  it("reads every page of each list, one request a page", async () => {
    const account = sim.state.account(sim.accountFor(KEY).keyId)!;
    const oscar = client();

    let before = requestsSeen();
    const widgets = await oscar.listWidgets();
    expect(widgets).toEqual(account.widgets.map((w) => expect.objectContaining({ id: w.id, name: w.name, bot_id: w.botId })));
    expect(widgets).toHaveLength(2);
    expect(requestsSeen() - before).toBe(2);

    before = requestsSeen();
    expect((await oscar.listBots()).map((b) => [b.id, b.name])).toEqual(account.bots.map((b) => [b.id, b.name]));
    expect(requestsSeen() - before).toBe(2);

    before = requestsSeen();
    expect((await oscar.listAgents()).map((a) => [a.id, a.name])).toEqual([
      [account.agents[0].id, "Ada"],
      [account.agents[1].id, "Grace"],
      [account.agents[2].id, "Linus"],
    ]);
    expect(requestsSeen() - before).toBe(3);
  });

  it("reads a bare array (the older account style) as one whole page", async () => {
    sim.setFaults({ script: [{ kind: "answer", status: 200, body: [{ id: 41, name: "Footer chat" }, { id: "wgt_x", name: null }] }] });
    const before = requestsSeen();
    expect(await client().listWidgets()).toEqual([expect.objectContaining({ id: "41", name: "Footer chat" }), expect.objectContaining({ id: "wgt_x", name: null })]);
    expect(requestsSeen() - before).toBe(1);
  });

  it("answers 404 at once, without retrying, when Oscar has no such list", async () => {
    sim.setListEndpoints("absent");
    const oscar = client({ retry: { maxAttempts: 5 } });
    for (const [list, resource] of [
      [() => oscar.listWidgets(), "widget list"],
      [() => oscar.listBots(), "bot list"],
      [() => oscar.listAgents(), "agent list"],
    ] as const) {
      const before = requestsSeen();
      const error = await list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OscarNotFoundError);
      expect(error).toMatchObject({ resource, permanent: true });
      expect(requestsSeen() - before).toBe(1);
    }
  });

  it("turns the list calls off and on again through the simulator's /_sim/list-endpoints control", async () => {
    const flip = (listEndpoints: string) =>
      fetch(`${sim.url}/_sim/list-endpoints`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ listEndpoints }) });
    expect((await flip("absent")).status).toBe(200);
    await expect(client().listBots()).rejects.toBeInstanceOf(OscarNotFoundError);
    expect((await flip("sometimes")).status).toBe(400);
    expect((await flip("present")).status).toBe(200);
    await expect(client().listBots()).resolves.toHaveLength(2);
  });

  it("retries a 429 after Retry-After, and gives up with a transient error when Oscar keeps limiting", async () => {
    const slept: number[] = [];
    sim.setFaults({ script: [{ kind: "status", status: 429, retryAfterSeconds: 2 }] });
    await expect(client({ sleep: async (ms) => void slept.push(ms) }).listAgents()).resolves.toHaveLength(3);
    expect(slept).toEqual([2_000]);

    sim.setFaults({ script: Array.from({ length: 2 }, () => ({ kind: "status" as const, status: 429, retryAfterSeconds: 1 })) });
    const error = await client({ retry: { maxAttempts: 2 } }).listWidgets().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OscarTransientError);
    expect(error).toMatchObject({ status: 429, attempts: 2, message: "Could not list the widgets: Oscar is limiting requests (HTTP 429) after 2 attempts" });
  });

  it("counts list calls against the key's limit at Oscar, which answers 429 past it", async () => {
    const strict = await startOscarSimulator({ apiKeys: [KEY], rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const oscar = createOscarClient({ baseUrl: strict.baseUrl, apiKey: KEY, limiter, logger: captureLogs({ name: "strict" }).logger, retry: { maxAttempts: 1 } });
      await oscar.listWidgets();
      await oscar.listBots();
      await expect(oscar.listAgents()).rejects.toMatchObject({ status: 429 });
      expect(strict.inspect.requests(KEY).rateLimited).toBe(1);
    } finally {
      await strict.close();
    }
  });

  it("refuses a malformed list as permanent, after one request", async () => {
    for (const body of [{ data: "not a list" }, { data: [{ name: "no id" }] }, { widgets: [] }]) {
      sim.setFaults({ script: [{ kind: "answer", status: 200, body }] });
      const before = requestsSeen();
      await expect(client().listWidgets()).rejects.toThrow(new OscarRequestError("Oscar's answer when asked to list the widgets did not have the expected shape"));
      expect(requestsSeen() - before).toBe(1);
    }
    sim.setFaults({ script: [{ kind: "answer", status: 200, text: "<html>maintenance</html>" }] });
    await expect(client().listAgents()).rejects.toBeInstanceOf(OscarRequestError);
  });
});
