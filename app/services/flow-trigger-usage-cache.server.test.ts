import { once } from "node:events";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHARED_REDIS_URL, testRedisPrefix } from "../../test/harness/redis";
import { announceFlowTriggerUsageChanged, createFlowTriggerUsageCache, type FlowTriggerUsageCache } from "./flow-trigger-usage-cache.server";
import type { FlowTriggerKind } from "./flow-triggers.server";

/**
 * The workers' cache of which Flow triggers a shop uses, on a real Redis: a stand-in database (a map
 * the test changes, counting reads) and the web process's real announcement on the real channel.
 */
describe("the workers' cache of Flow trigger usage", () => {
  let subscriber: Redis;
  let publisher: Redis;
  let prefix: string;
  let database: Map<string, FlowTriggerKind[]>;
  let reads: string[];
  let clock: number;
  let cache: FlowTriggerUsageCache;

  const load = async (shop: string) => {
    reads.push(shop);
    return new Set(database.get(shop) ?? []);
  };
  const readsOf = (shop: string) => reads.filter((s) => s === shop).length;
  /** The web process announces a change; resolves once the cache's subscriber has received it (its handler runs first). */
  const announce = async (shop: string) => {
    const received = once(subscriber, "message");
    await announceFlowTriggerUsageChanged(publisher, prefix, shop);
    await received;
  };

  beforeEach(async () => {
    prefix = testRedisPrefix("flow-usage-cache");
    subscriber = new Redis(SHARED_REDIS_URL);
    publisher = new Redis(SHARED_REDIS_URL);
    database = new Map([
      ["a.myshopify.com", ["resolved"]],
      ["b.myshopify.com", []],
    ]);
    reads = [];
    clock = 1_000_000;
    cache = createFlowTriggerUsageCache({ subscriber, redisPrefix: prefix, load, maxAgeMs: 30_000, now: () => clock });
    await cache.ready;
  });
  afterEach(() => {
    subscriber.disconnect();
    publisher.disconnect();
  });

  it("reads each shop's usage once while nothing changes, however many events ask at once", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.inUse(i % 2 ? "a.myshopify.com" : "b.myshopify.com")));
    expect(answers.map((a) => [...a])).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? ["resolved"] : [])));
    expect([...(await cache.inUse("a.myshopify.com"))]).toEqual(["resolved"]);
    expect(reads.sort()).toEqual(["a.myshopify.com", "b.myshopify.com"]);
  });

  it("reads a shop again as soon as the web process announces a change for it, and only that shop", async () => {
    await cache.inUse("a.myshopify.com");
    await cache.inUse("b.myshopify.com");
    database.set("a.myshopify.com", ["resolved", "urgent"]);
    await announce("a.myshopify.com");
    expect([...(await cache.inUse("a.myshopify.com"))]).toEqual(["resolved", "urgent"]);
    await cache.inUse("b.myshopify.com");
    expect({ a: readsOf("a.myshopify.com"), b: readsOf("b.myshopify.com") }).toEqual({ a: 2, b: 1 });
  });

  it("does not hear another app's announcements (another Redis prefix)", async () => {
    await cache.inUse("a.myshopify.com");
    const received = once(subscriber, "message");
    // The other app's announcement first, then one on ours as the marker: a subscriber gets messages in
    // the order they were published, so had it heard the first, it would have forgotten shop a by now.
    await announceFlowTriggerUsageChanged(publisher, `${prefix}-other`, "a.myshopify.com");
    await announceFlowTriggerUsageChanged(publisher, prefix, "b.myshopify.com");
    await received;
    await cache.inUse("a.myshopify.com");
    expect(readsOf("a.myshopify.com")).toBe(1);
  });

  it("forgets everything when its connection drops, so an announcement sent meanwhile is not missed; away, every ask reads the database", async () => {
    await cache.inUse("a.myshopify.com");
    subscriber.disconnect(false);
    await once(subscriber, "end");
    database.set("a.myshopify.com", []);
    // Nobody hears this one.
    await announceFlowTriggerUsageChanged(publisher, prefix, "a.myshopify.com");
    expect([...(await cache.inUse("a.myshopify.com"))]).toEqual([]);
    expect([...(await cache.inUse("a.myshopify.com"))]).toEqual([]);
    expect(readsOf("a.myshopify.com")).toBe(3);

    const back = once(subscriber, "ready");
    await subscriber.connect();
    await back;
    await cache.ready;
    await cache.inUse("a.myshopify.com");
    await cache.inUse("a.myshopify.com");
    expect(readsOf("a.myshopify.com")).toBe(4);
    // Listening again: a change is heard.
    database.set("a.myshopify.com", ["vip"]);
    await announce("a.myshopify.com");
    expect([...(await cache.inUse("a.myshopify.com"))]).toEqual(["vip"]);
  });

  it("reads again after 30 s even with no announcement (one the web process failed to send)", async () => {
    await cache.inUse("a.myshopify.com");
    database.set("a.myshopify.com", []);
    clock += 29_999;
    expect([...(await cache.inUse("a.myshopify.com"))]).toEqual(["resolved"]);
    clock += 1;
    expect([...(await cache.inUse("a.myshopify.com"))]).toEqual([]);
    expect(readsOf("a.myshopify.com")).toBe(2);
  });

  it("does not keep a failed read: the next ask reads the database again", async () => {
    let failing = true;
    subscriber.disconnect();
    subscriber = new Redis(SHARED_REDIS_URL);
    const flaky = createFlowTriggerUsageCache({
      subscriber,
      redisPrefix: prefix,
      load: async (shop) => {
        reads.push(shop);
        if (failing) throw new Error("database unavailable");
        return new Set<FlowTriggerKind>(["resolved"]);
      },
    });
    await flaky.ready;
    await expect(flaky.inUse("a.myshopify.com")).rejects.toThrow("database unavailable");
    failing = false;
    expect([...(await flaky.inUse("a.myshopify.com"))]).toEqual(["resolved"]);
    expect([...(await flaky.inUse("a.myshopify.com"))]).toEqual(["resolved"]);
    expect(readsOf("a.myshopify.com")).toBe(2);
  });
});
