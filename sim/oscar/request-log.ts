import { createHash } from "node:crypto";

/**
 * What the simulated Oscar saw per API key: every arrival with its outcome, and Oscar's own rate
 * limit (at most `limit` requests per rolling `windowMs`, counted by arrival time).
 * **assumed** (shared/oscar-api.md says only "300 requests per minute per API key"): every request
 * counts against the quota, refused ones too (401, 429, other 4xx), so a client that keeps calling
 * while limited stays limited.
 * Keys are recorded by a short hash, so a log or an inspection answer never shows a key.
 */

export type RequestOutcome = number | "dropped";

export type KeyRequestStats = {
  total: number;
  byOutcome: Record<string, number>;
  /** Answered 429 by the rate limit itself (injected 429 bursts are not counted here). */
  rateLimited: number;
  /** Arrival times (ms), in order. */
  arrivals: number[];
  /** The most arrivals in any rolling window of `windowMs` (default: the limit's window). */
  maxInWindow(windowMs?: number): number;
};

type KeyLog = { arrivals: number[]; inWindow: number[]; byOutcome: Map<string, number>; rateLimited: number };

export function keyIdOf(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex").slice(0, 12);
}

export function createRequestLog(options: { limit: number; windowMs: number; now: () => number }) {
  const logs = new Map<string, KeyLog>();
  const logOf = (keyId: string) => {
    let log = logs.get(keyId);
    if (!log) logs.set(keyId, (log = { arrivals: [], inWindow: [], byOutcome: new Map(), rateLimited: 0 }));
    return log;
  };

  return {
    /** Records an arrival, which uses up quota whatever its answer; returns its time. */
    record(keyId: string): number {
      const at = options.now();
      const log = logOf(keyId);
      log.arrivals.push(at);
      log.inWindow.push(at);
      return at;
    },

    /** Applies Oscar's rate limit to a request that arrived at `at`; when refused, says when to retry. */
    admit(keyId: string, at: number): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
      const log = logOf(keyId);
      while (log.inWindow.length && at - log.inWindow[0] >= options.windowMs) log.inWindow.shift();
      if (log.inWindow.length > options.limit) {
        log.rateLimited += 1;
        // This refusal counts too: the next request fits once all but limit - 1 of these have left the window.
        const freeAt = log.inWindow[log.inWindow.length - options.limit] + options.windowMs;
        return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - at) / 1000)) };
      }
      return { admitted: true };
    },

    finish(keyId: string, outcome: RequestOutcome) {
      const log = logOf(keyId);
      const name = String(outcome);
      log.byOutcome.set(name, (log.byOutcome.get(name) ?? 0) + 1);
    },

    stats(keyId: string): KeyRequestStats {
      const log = logOf(keyId);
      return {
        total: log.arrivals.length,
        byOutcome: Object.fromEntries(log.byOutcome),
        rateLimited: log.rateLimited,
        arrivals: [...log.arrivals],
        maxInWindow: (windowMs = options.windowMs) => maxInAnyWindow(log.arrivals, windowMs),
      };
    },

    keyIds: () => [...logs.keys()],
  };
}

/** The most timestamps that fit in any half-open window [t, t + windowMs); timestamps sorted ascending. */
export function maxInAnyWindow(timestamps: readonly number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < timestamps.length; last++) {
    while (timestamps[last] - timestamps[first] >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * The fewest timestamps in any half-open window [t, t + windowMs) that starts in [from, to]
 * (timestamps sorted ascending, whole milliseconds): how far a busy key's traffic ever fell below
 * what it was allowed. A window's count only drops just after it lets go of a timestamp, so the
 * windows starting at `from`, at `to` and 1 ms after each timestamp in between are all there is to check.
 */
export function minInAnyWindow(timestamps: readonly number[], windowMs: number, from: number, to: number): number {
  if (to < from) throw new RangeError("minInAnyWindow needs from <= to");
  const countFrom = (start: number) => firstAtOrAfter(timestamps, start + windowMs) - firstAtOrAfter(timestamps, start);
  let fewest = Math.min(countFrom(from), countFrom(to));
  for (let i = firstAtOrAfter(timestamps, from - 1); i < timestamps.length && timestamps[i] + 1 <= to; i++) {
    fewest = Math.min(fewest, countFrom(timestamps[i] + 1));
  }
  return fewest;
}

/** Index of the first timestamp >= t (binary search). */
function firstAtOrAfter(timestamps: readonly number[], t: number): number {
  let low = 0;
  let high = timestamps.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (timestamps[middle] < t) low = middle + 1;
    else high = middle;
  }
  return low;
}
