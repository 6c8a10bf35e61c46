import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxInAnyWindow } from "../../sim/oscar/request-log";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "../../test/harness/redis";
import { createOscarJobStarts, createOscarRateLimiter, oscarRateLimitKey } from "./rate-limit.server";

// Real Redis; a fast clock (windows under a second) so the properties show in little time.
describe("Oscar rate limiter", () => {
  let prefix: string;
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(SHARED_REDIS_URL);
    connections.push(redis);
    return redis;
  };

  beforeAll(() => {
    prefix = `${testRedisPrefix("oscar-rate")}:`;
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    for (const redis of connections) redis.disconnect();
  });

  it("lets no more than the limit through in any rolling window, counted across processes sharing the key", async () => {
    // GIVEN two processes (two connections, two limiters) using one key: 20 per 400 ms, with a
    // 200 ms margin for the jitter of a busy test machine (the grant times measured here carry it)
    const options = { prefix, limit: 20, windowMs: 400, latencyMarginMs: 200 };
    const processA = createOscarRateLimiter({ ...options, redis: connect() });
    const processB = createOscarRateLimiter({ ...options, redis: connect() });

    // WHEN they ask for 60 slots at once
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? processA : processB).acquire("sk_shared").then(() => granted.push(Date.now()))),
    );

    // THEN no 400 ms window holds more than 20 of them
    granted.sort((a, b) => a - b);
    expect(maxInAnyWindow(granted, 400)).toBeLessThanOrEqual(20);
  });

  it("never makes one key wait because another key is busy", async () => {
    // GIVEN key A has booked its next 50 slots, one per 100 ms (5 s of queue)
    const limiter = createOscarRateLimiter({ redis: connect(), prefix, limit: 10, windowMs: 1_000, latencyMarginMs: 0 });
    const cancelA = new AbortController();
    let aServed = 0;
    const queueA = Array.from({ length: 50 }, () =>
      limiter.acquire("sk_busy", { signal: cancelA.signal }).then(() => aServed++, () => undefined),
    );

    // WHEN key B asks for a slot
    const started = Date.now();
    await limiter.acquire("sk_quiet");

    // THEN B is served at once, while most of A's queue is still waiting
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(aServed).toBeLessThan(20);
    cancelA.abort();
    await Promise.all(queueA);
  });

  it("keeps API keys out of Redis: state lives under the prefix, named by a truncated SHA-256", async () => {
    const apiKey = "sk_live_do_not_store_me";
    const redis = connect();
    const limiter = createOscarRateLimiter({ redis, prefix });
    await limiter.acquire(apiKey);

    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toContain(oscarRateLimitKey(prefix, apiKey));
    expect(oscarRateLimitKey(prefix, apiKey)).toMatch(new RegExp(`^${prefix}\\{[0-9a-f]{24}\\}$`));
    expect(keys.join(" ")).not.toContain(apiKey);
    expect(await redis.pttl(oscarRateLimitKey(prefix, apiKey))).toBeGreaterThan(0);
  });
});

describe("Oscar rate limiter bursts", () => {
  it("lets a quiet key send a few requests at once, and still no more than the limit in any window", async () => {
    const redis = new Redis(SHARED_REDIS_URL);
    const prefix = `${testRedisPrefix("oscar-burst")}:`;
    try {
      // 60 per 3 s with a burst of 5: the first 6 go at once (without the burst the 6th would wait
      // 250 ms), the rest are spaced 56 ms apart.
      const limiter = createOscarRateLimiter({ redis, prefix, limit: 60, windowMs: 3_000, latencyMarginMs: 0, burst: 5 });
      const granted: number[] = [];
      await Promise.all(Array.from({ length: 75 }, () => limiter.acquire("sk_burst").then(() => granted.push(Date.now()))));
      granted.sort((a, b) => a - b);
      // Counted from the first grant, so connecting and loading the script on a busy machine is not counted.
      expect(granted[5] - granted[0]).toBeLessThan(100);
      expect(maxInAnyWindow(granted, 3_000)).toBeLessThanOrEqual(60);
    } finally {
      await deleteKeysWithPrefix(prefix);
      redis.disconnect();
    }
  });
});

describe("Oscar job starts", () => {
  it("books starts in arrival order, spaced by the requests each job makes, and never ahead of the key's send queue", async () => {
    const redis = new Redis(SHARED_REDIS_URL);
    const prefix = `${testRedisPrefix("oscar-starts")}:`;
    try {
      // GIVEN a key allowed 10 requests a second (one every 100 ms, no burst)
      const options = { redis, prefix, limit: 10, windowMs: 1_000, latencyMarginMs: 0 };
      const starts = createOscarJobStarts(options);
      const limiter = createOscarRateLimiter(options);

      // WHEN three jobs of two requests each ask to start
      // (asked together: one after the other on the one connection, so Redis books them back to back whatever the machine's load)
      const waits = await Promise.all([starts.book("sk_busy", 2), starts.book("sk_busy", 2), starts.book("sk_busy", 2)]);

      // THEN the first starts now and the others 200 ms apart, while another key starts at once
      expect(waits[0]).toBe(0);
      expect(waits[1]).toBeGreaterThan(150);
      expect(waits[1]).toBeLessThanOrEqual(200);
      expect(waits[2] - waits[1]).toBeGreaterThan(150);
      expect(await starts.book("sk_quiet", 2)).toBe(0);

      // AND a key whose sends are booked a second ahead (ten asked for at once) starts no job before then
      const askedAt = Date.now();
      // The first send is booked (and the script loaded) before the other nine are asked for: the
      // nine and the job's booking then reach Redis in that order on the one connection, no pause needed.
      await limiter.acquire("sk_sending");
      const sending = Array.from({ length: 9 }, () => limiter.acquire("sk_sending"));
      const startIn = await starts.book("sk_sending", 1);
      // Counted from when the sends were asked for, so a slow machine does not shrink the margin.
      expect(startIn + (Date.now() - askedAt)).toBeGreaterThan(800);
      await Promise.all(sending);
    } finally {
      await deleteKeysWithPrefix(prefix);
      redis.disconnect();
    }
  });
});
