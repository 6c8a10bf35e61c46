import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { captureLogs } from "../../test/harness/log-capture";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "../../test/harness/redis";
import { createOscarClient } from "../oscar/client.server";
import { createOscarRateLimiter } from "../oscar/rate-limit.server";
import { loadOscarChoices, unlistedIdProblem } from "./oscar-choices.server";

// What the pickers get when Oscar lists, and the sentence the page shows when it does not.

const KEY = "sk_live_choices_93b1e0c5a7";
let sim: OscarSimulator;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  sim = await startOscarSimulator({ apiKeys: [KEY] });
  redis = new Redis(SHARED_REDIS_URL);
  prefix = `${testRedisPrefix("oscar-choices")}:`;
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

// As the admin pages build it: one retry and a short budget, so a page falls back instead of hanging.
const deps = {
  oscarForShop: async () =>
    createOscarClient({
      baseUrl: sim.baseUrl,
      apiKey: KEY,
      limiter: createOscarRateLimiter({ redis, prefix, limit: 1_000, windowMs: 1_000 }),
      logger: captureLogs({ name: "choices" }).logger,
      // Long enough for a loaded machine to answer; the delay faults below outlast it on purpose.
      timeoutMs: 1_500,
      retry: { maxAttempts: 2, maxTotalMs: 5_000, baseDelayMs: 10 },
    }),
};

const why = async (kind: "widgets" | "bots" | "agents") => {
  const list = (await loadOscarChoices(deps, "shop.myshopify.com", [kind]))[kind];
  return list.listed ? "listed" : list.why;
};

describe("the admin's choices of widgets, bots and agents", () => {
  it("offers every listed item by name and id", async () => {
    const account = sim.accountFor(KEY);
    const { widgets, bots, agents } = await loadOscarChoices(deps, "shop.myshopify.com", ["widgets", "bots", "agents"]);
    expect(widgets).toEqual({ listed: true, choices: account.widgetIds.map((id, i) => ({ id, label: `${["Storefront chat", "Returns desk"][i]} (${id})`, botId: account.botIds[i] })) });
    expect(bots.listed && bots.choices.map((b) => b.label)).toEqual([`Store assistant (${account.botIds[0]})`, `Returns helper (${account.botIds[1]})`]);
    expect(agents.listed && agents.choices.map((a) => a.id)).toEqual(account.agentIds);
  });

  it("falls back to a typed id with a sentence saying why: 404, 5xx, 429, timeout, unreadable", async () => {
    sim.setListEndpoints("absent");
    expect(await why("widgets")).toBe("Oscar didn't list your widgets (HTTP 404: it has no such list); paste the widget id from Oscar's dashboard.");
    sim.setListEndpoints("present");

    sim.setFaults({ script: [{ kind: "status", status: 503 }, { kind: "status", status: 503 }] });
    expect(await why("bots")).toBe("Oscar didn't list your bots (HTTP 503: it is unavailable right now); paste the bot id from its settings in Oscar.");

    sim.setFaults({ script: [{ kind: "status", status: 429, retryAfterSeconds: 30 }] });
    expect(await why("agents")).toBe("Oscar didn't list your agents (HTTP 429: it is limiting requests right now); paste agent ids from your team's page in Oscar.");

    sim.setFaults({ script: [{ kind: "delay", ms: 4_000 }, { kind: "delay", ms: 4_000 }] });
    expect(await why("widgets")).toBe("Oscar didn't list your widgets (it did not answer in time); paste the widget id from Oscar's dashboard.");

    sim.setFaults({ script: [{ kind: "answer", status: 200, body: { data: [{ title: "no id" }] } }] });
    expect(await why("widgets")).toBe("Oscar didn't list your widgets (its answer could not be read); paste the widget id from Oscar's dashboard.");

    sim.setFaults({ script: [{ kind: "answer", status: 200, body: { data: [] } }] });
    expect(await why("widgets")).toBe("Oscar didn't list your widgets (it listed none for your account); paste the widget id from Oscar's dashboard.");
  });

  it("refuses an id missing from a list Oscar gave, and accepts any id when there is no list", async () => {
    const listed = { listed: true as const, choices: [{ id: "agent_1", label: "Ada (agent_1)", botId: null }] };
    expect(unlistedIdProblem("agents", listed, "agent_1")).toBeNull();
    expect(unlistedIdProblem("agents", listed, "agent_9")).toBe("Oscar doesn't list an agent “agent_9” for your account; choose one of your agents from the list.");
    expect(unlistedIdProblem("agents", { listed: false, why: "…" }, "agent_9")).toBeNull();
  });
});
