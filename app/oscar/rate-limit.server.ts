import { createHash } from "node:crypto";
import { setTimeout as sleepFor } from "node:timers/promises";
import type { Redis } from "ioredis";

/**
 * Paces requests to Oscar so that, per API key and across every process sharing that key, no
 * rolling window ever holds more than `limit` requests (Oscar allows 300 per minute per key).
 *
 * How: GCRA (the generic cell rate algorithm): each request reserves the next free send time, one
 * interval after the previous reservation, except that up to `burst` requests may go early when
 * the key has been quiet (so the two calls of one enrichment do not wait for each other). Reservations are made by one Lua script on Redis's own
 * clock, so all processes share one clock and one queue per key, and a waiting caller only sleeps
 * (no polling, first come first served). Keys never wait on each other: each has its own Redis key.
 *
 * Why the margin: Oscar counts requests when they arrive, and arrival = send time + a latency that
 * varies. With interval T and a burst of B, any span S holds at most S / T + B + 1 sends; choosing
 * T = (windowMs + latencyMarginMs) / (limit - burst - 1) keeps that at `limit` for a span of
 * windowMs + latencyMarginMs, so Oscar never sees more than `limit` in a window as long as
 * latencies differ by less than the margin. Defaults: 300 per 60 s, 1.5 s margin, burst 2 = one
 * request every 207 ms sustained, 289.7 per minute. Why a burst of 2, not more: each request of
 * burst costs one of sustained rate, and a key with work waiting must still get 285 in every
 * minute when its arrivals are late by up to a second (test/reliability/oscar-rate-limit.ts);
 * 2 still lets one enrichment's note and contact update go together.
 */

export type OscarRateLimiter = {
  /** Resolves when this key may send one request; waits as long as needed, never fails for being busy. */
  acquire(apiKey: string, options?: { signal?: AbortSignal }): Promise<void>;
};

export type OscarRateLimiterOptions = {
  redis: Redis;
  /** Prefix of the limiter's Redis keys, e.g. "oscar:rate:". */
  prefix: string;
  limit?: number;
  windowMs?: number;
  latencyMarginMs?: number;
  /** Requests a quiet key may send without spacing. */
  burst?: number;
  /** Redis's own clock (TIME) and real sleeps unless given: a test hands in a clock it moves itself. */
  clock?: RateLimiterClock;
};

/** A clock a test controls; the reservations are still made by the same script on Redis. */
export type RateLimiterClock = {
  nowMicros(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

export const OSCAR_RATE_LIMIT = { limit: 300, windowMs: 60_000, latencyMarginMs: 1_500, burst: 2 } as const;

// Times are microseconds on Redis's clock (or the test's, when ARGV[3] gives "now"); "%.0f" keeps
// all digits (Lua's tostring would round them).
const NOW = `
local now = tonumber(ARGV[3])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
`;
const RESERVE_SLOT = `${NOW}
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, tat - tolerance)
local after = math.max(tat, start) + interval
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.ceil((after - now) / 1000) + 1000)
return math.ceil(start - now)
`;
const RESERVE_SLOT_SHA = createHash("sha1").update(RESERVE_SLOT).digest("hex");

/** The spacing and burst tolerance of a key's sends, in microseconds, from the limit and its margin. */
function pacing(options: Omit<OscarRateLimiterOptions, "redis" | "prefix" | "clock">) {
  const limit = options.limit ?? OSCAR_RATE_LIMIT.limit;
  const windowMs = options.windowMs ?? OSCAR_RATE_LIMIT.windowMs;
  const latencyMarginMs = options.latencyMarginMs ?? OSCAR_RATE_LIMIT.latencyMarginMs;
  // A small limit (as in tests) gets no burst: the burst must leave room for steady spacing.
  const burst = Math.min(options.burst ?? OSCAR_RATE_LIMIT.burst, Math.max(0, Math.floor((limit - 1) / 10)));
  if (!(limit >= 1) || !(windowMs > 0) || !(latencyMarginMs >= 0) || !(burst >= 0)) {
    throw new RangeError("The Oscar rate limit needs limit >= 1, windowMs > 0, latencyMarginMs >= 0 and burst >= 0");
  }
  const intervalMicros = Math.ceil(((windowMs + latencyMarginMs) * 1000) / Math.max(1, limit - burst - (burst > 0 ? 1 : 0)));
  return { intervalMicros, toleranceMicros: burst * intervalMicros };
}

/** Runs a script by its hash, loading it on a Redis that has not seen it yet. */
async function runScript(redis: Redis, script: string, sha: string, keys: string[], args: number[]): Promise<number> {
  try {
    return Number(await redis.evalsha(sha, keys.length, ...keys, ...args));
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return Number(await redis.eval(script, keys.length, ...keys, ...args));
  }
}

export function createOscarRateLimiter(options: OscarRateLimiterOptions): OscarRateLimiter {
  const { redis, prefix, clock } = options;
  const { intervalMicros, toleranceMicros } = pacing(options);
  const sleep = clock ? clock.sleep : (ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, { signal });

  return {
    async acquire(apiKey, acquireOptions = {}) {
      const args = [intervalMicros, toleranceMicros, ...(clock ? [clock.nowMicros()] : [])];
      const waitMicros = await runScript(redis, RESERVE_SLOT, RESERVE_SLOT_SHA, [oscarRateLimitKey(prefix, apiKey)], args);
      // Sleeping past the reserved time is harmless; waking early is not, hence the rounding up.
      const waitMs = Math.ceil(waitMicros / 1000);
      if (waitMs > 0) await sleep(waitMs, acquireOptions.signal);
    },
  };
}

/**
 * When a job that will call Oscar may start, so that a shop sending more than its key's budget
 * waits in the queue instead of in a worker's slot. Without it, a burst from one shop fills every
 * worker with jobs sleeping on that shop's limiter while other shops' events queue behind them.
 *
 * Job starts are paced like the key's sends (a second GCRA per key, on Redis's clock), a job
 * booking the time its expected requests will take, and never before the key's send queue has
 * room. Each job books once: it starts now, or is put back in the queue until its booked time.
 */
export type OscarJobStarts = {
  /** Books a start for a job expected to make `expectedRequests` (an average: may be a fraction); resolves to the ms until it (0: now). */
  book(apiKey: string, expectedRequests: number): Promise<number>;
};

const BOOK_START = `${NOW}
local spacing = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local starts = tonumber(redis.call('GET', KEYS[1]) or '0')
local sends = tonumber(redis.call('GET', KEYS[2]) or '0')
local start = math.max(now, starts - tolerance, sends - tolerance)
local after = math.max(starts, start) + spacing
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.ceil((after - now) / 1000) + 1000)
return math.ceil(start - now)
`;
const BOOK_START_SHA = createHash("sha1").update(BOOK_START).digest("hex");

export function createOscarJobStarts(options: OscarRateLimiterOptions): OscarJobStarts {
  const { redis, prefix, clock } = options;
  const { intervalMicros, toleranceMicros } = pacing(options);
  return {
    async book(apiKey, expectedRequests) {
      const keys = [oscarRateLimitKey(`${prefix}starts:`, apiKey), oscarRateLimitKey(prefix, apiKey)];
      const spacing = Math.ceil(intervalMicros * Math.max(0, expectedRequests));
      const waitMicros = await runScript(redis, BOOK_START, BOOK_START_SHA, keys, [spacing, toleranceMicros, ...(clock ? [clock.nowMicros()] : [])]);
      return Math.ceil(waitMicros / 1000);
    },
  };
}

/**
 * The Redis key for an API key: a truncated SHA-256, so the key itself never reaches Redis. The hash
 * is a Redis Cluster hash tag, so a key's send queue and its job starts live in one slot and one
 * script can read both.
 */
export function oscarRateLimitKey(prefix: string, apiKey: string): string {
  return `${prefix}{${createHash("sha256").update(apiKey).digest("hex").slice(0, 24)}}`;
}
