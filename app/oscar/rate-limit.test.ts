import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxInAnyWindow, minInAnyWindow } from "../../sim/oscar/request-log";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "../../test/harness/redis";
import { createOscarJobStarts, createOscarRateLimiter, OSCAR_RATE_LIMIT, oscarRateLimitKey, type OscarRateLimiter, type RateLimiterClock } from "./rate-limit.server";

/** A clock that moves only when every caller is asleep, straight to the earliest wake-up. */
function virtualClock() {
  let nowMs = 0;
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  const clock: RateLimiterClock & { nowMs(): number; sleeping(): number; wakeNext(): void } = {
    nowMicros: () => nowMs * 1000,
    sleep: (ms, signal) =>
      new Promise<void>((wake, fail) => {
        const sleeper = { at: nowMs + ms, wake };
        sleepers.push(sleeper);
        // As the real sleep does: an aborted wait rejects, and its sleeper no longer counts.
        signal?.addEventListener("abort", () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          fail(signal.reason);
        });
      }),
    nowMs: () => nowMs,
    sleeping: () => sleepers.length,
    wakeNext() {
      sleepers.sort((a, b) => a.at - b.at);
      nowMs = sleepers[0].at;
      while (sleepers.length && sleepers[0].at === nowMs) sleepers.shift()!.wake();
    },
  };
  return clock;
}

/**
 * `callers` callers spread over the limiters, each sending (recording the clock's time) as soon as
 * its slot comes, then asking for the next, until `durationMs` has passed; returns the send times.
 */
async function sendBackToBack(clock: ReturnType<typeof virtualClock>, limiters: OscarRateLimiter[], callers: number, apiKey: string, durationMs: number) {
  const sent: number[] = [];
  let running = callers;
  const caller = async (limiter: OscarRateLimiter) => {
    for (;;) {
      await limiter.acquire(apiKey);
      if (clock.nowMs() >= durationMs) break;
      sent.push(clock.nowMs());
    }
    running--;
  };
  const done = Promise.all(Array.from({ length: callers }, (_, i) => caller(limiters[i % limiters.length])));
  // Time moves only once every caller still running is asleep (each has its answer from Redis).
  while (running > 0) {
    if (clock.sleeping() === running) clock.wakeNext();
    else await new Promise((r) => setImmediate(r));
  }
  await done;
  return sent.sort((a, b) => a - b);
}

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

  it("holds Oscar's 300 per minute across processes: never 301 in any 60 s, and at least 285 in every 60 s while work waits", async () => {
    // GIVEN three processes (three connections, three limiters) on one key with Oscar's real limit,
    // on a clock the test moves: ten minutes pass in a second or two, and no jitter blurs the count
    const clock = virtualClock();
    const processes = [0, 1, 2].map(() => createOscarRateLimiter({ redis: connect(), prefix, clock }));

    // WHEN 12 callers (4 per process) send back to back for 10 minutes, always waiting for a slot
    const sent = await sendBackToBack(clock, processes, 12, "sk_shared_real_window", 10 * 60_000);

    // THEN no 60 s holds 301, and none holds fewer than 285 (the limiter aims at 289.7 a minute:
    // 300 less what it leaves for the latency margin and the burst)
    expect(maxInAnyWindow(sent, 60_000)).toBeLessThanOrEqual(300);
    expect(minInAnyWindow(sent, 60_000, 0, 9 * 60_000)).toBeGreaterThanOrEqual(285);
  });

  it("keeps Oscar's count, taken when requests arrive, at 300 a minute when their latency varies by up to 1.5 s", async () => {
    // GIVEN the real limit on a clock the test moves, and each request reaching Oscar 0 to 1.5 s after its slot
    const clock = virtualClock();
    const processes = [0, 1].map(() => createOscarRateLimiter({ redis: connect(), prefix, clock }));
    let seed = 7;
    const latency = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * OSCAR_RATE_LIMIT.latencyMarginMs;

    // WHEN 8 callers send back to back for 5 minutes
    const sent = await sendBackToBack(clock, processes, 8, "sk_shared_latency", 5 * 60_000);
    const arrived = sent.map((at) => at + latency()).sort((a, b) => a - b);

    // THEN Oscar counts at most 300 in any 60 s
    expect(maxInAnyWindow(arrived, 60_000)).toBeLessThanOrEqual(300);
  });

  it("never makes one key wait because another key is busy", async () => {
    // GIVEN key A has 50 requests asking at once, one slot per 100 ms (5 s of queue), on a clock the
    // test moves (so the test reads the limiter's decisions, not how fast a busy machine answers)
    const clock = virtualClock();
    const limiter = createOscarRateLimiter({ redis: connect(), prefix, limit: 10, windowMs: 1_000, latencyMarginMs: 0, clock });
    const cancelA = new AbortController();
    let aServed = 0;
    const queueA = Array.from({ length: 50 }, () =>
      limiter.acquire("sk_busy", { signal: cancelA.signal }).then(() => aServed++, () => undefined),
    );

    // WHEN key B asks for a slot, and every caller has its answer from Redis (served, or asleep until its slot)
    let bServed = false;
    const b = limiter.acquire("sk_quiet").then(() => (bServed = true));
    while (aServed + Number(bServed) + clock.sleeping() < 51) await new Promise((r) => setImmediate(r));

    // THEN B is served at once, with no time passing, while A's first is served and its other 49 wait their turn
    expect(bServed).toBe(true);
    expect(clock.nowMs()).toBe(0);
    expect(aServed).toBe(1);
    expect(clock.sleeping()).toBe(49);
    cancelA.abort();
    await Promise.all([b, ...queueA]);
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
      // GIVEN 60 per 3 s with a burst of 5, on a clock the test moves (the grants are the limiter's
      // own decisions, not how promptly a busy machine's timers wake the callers)
      const clock = virtualClock();
      const limiter = createOscarRateLimiter({ redis, prefix, limit: 60, windowMs: 3_000, latencyMarginMs: 0, burst: 5, clock });

      // WHEN 75 callers ask for a slot at once
      const granted: number[] = [];
      let waiting = 75;
      const all = Promise.all(
        Array.from({ length: 75 }, () =>
          limiter.acquire("sk_burst").then(() => {
            granted.push(clock.nowMs());
            waiting--;
          }),
        ),
      );
      // Time moves only once every caller still waiting is asleep (each has its answer from Redis).
      while (waiting > 0) {
        if (clock.sleeping() === waiting) clock.wakeNext();
        else await new Promise((r) => setImmediate(r));
      }
      await all;
      granted.sort((a, b) => a - b);

      // THEN the first 6 go at once (without the burst the 6th would wait 5 x 56 ms), the 7th waits
      // its turn, and no 3 s window holds more than 60
      expect(granted.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(granted[6]).toBeGreaterThan(0);
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
