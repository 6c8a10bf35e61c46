import { setTimeout as sleepFor } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { AdminGraphql } from "./admin-graphql.server";

/**
 * Shopify's Admin GraphQL API is cost-throttled per store: a bucket of points (e.g. 2,000) that
 * refills at a restore rate (e.g. 100/s); each answer reports what is left in
 * `extensions.cost.throttleStatus`, and a query the bucket cannot pay is answered THROTTLED.
 *
 * This wrapper keeps each shop's last reported status in Redis (shared by every worker process),
 * waits before a query when that shop's bucket is nearly empty, and after a THROTTLED answer waits
 * exactly as long as the restore rate needs to pay for the query, then tries again. Buckets are per
 * shop, at Shopify and here: one shop's burst only ever makes that shop's own jobs wait.
 */

export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };

export class AdminApiThrottledError extends Error {
  override name = "AdminApiThrottledError";
  constructor(waitedMs: number) {
    super(`Shopify's Admin API stayed throttled for this shop after waiting ${Math.round(waitedMs)} ms; the job will try again later.`);
  }
}

type Options = {
  redis: Redis;
  prefix: string;
  /** Points to keep in hand before sending a query (the app's queries cost well under 100). */
  reserve?: number;
  /** A float in [0, 1), to spread concurrent waiters so they do not all retry at the same instant. */
  random?: () => number;
  /** Longest a single query may wait across throttled answers before the job is retried later. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

export type AdminThrottle = (shop: string, graphql: AdminGraphql) => AdminGraphql;

export function createAdminThrottle({ redis, prefix, reserve = 50, maxWaitMs = 20_000, sleep = (ms) => sleepFor(ms), now = Date.now, random = Math.random }: Options): AdminThrottle {
  const keyOf = (shop: string) => `${prefix}admin-budget:${shop}`;

  async function remember(shop: string, status: ThrottleStatus | undefined) {
    if (!status) return;
    await redis.set(keyOf(shop), JSON.stringify({ ...status, at: now() }), "EX", 600);
  }

  /** How long until the bucket holds `points`, from the last status any process saw. */
  async function waitFor(shop: string, points: number): Promise<number> {
    const raw = await redis.get(keyOf(shop));
    if (!raw) return 0;
    const last = JSON.parse(raw) as ThrottleStatus & { at: number };
    const restored = last.currentlyAvailable + (last.restoreRate * (now() - last.at)) / 1000;
    const available = Math.min(last.maximumAvailable, restored);
    // A small bucket (a test store, a throttled partner) is never asked for more than half of itself.
    const needed = Math.min(points, last.maximumAvailable / 2) - available;
    return needed > 0 && last.restoreRate > 0 ? Math.ceil((needed / last.restoreRate) * 1000) : 0;
  }

  return (shop, graphql) => async (query, options) => {
    let waited = 0;
    const before = await waitFor(shop, reserve);
    if (before > 0) {
      await sleep(before);
      waited += before;
    }
    for (;;) {
      try {
        const response = await graphql(query, options);
        const body = (await response.clone().json()) as { extensions?: { cost?: { throttleStatus?: ThrottleStatus } } };
        await remember(shop, body.extensions?.cost?.throttleStatus);
        return response;
      } catch (error) {
        const throttled = throttledAnswer(error);
        if (!throttled) throw error;
        await remember(shop, throttled.status);
        const { status, requested } = throttled;
        const pause = status && status.restoreRate > 0
          ? Math.ceil((Math.max(requested - status.currentlyAvailable, 1) / status.restoreRate) * 1000) + Math.floor(random() * 250)
          : 1_000;
        if (waited + pause > maxWaitMs) throw new AdminApiThrottledError(waited);
        await sleep(pause);
        waited += pause;
      }
    }
  };
}

type ThrottledAnswer = { status: ThrottleStatus | undefined; requested: number };

/** Recognises Shopify's THROTTLED answer in the error the library throws for GraphQL errors. */
export function throttledAnswer(error: unknown): ThrottledAnswer | null {
  const body = (error as { body?: unknown })?.body as
    | { errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> }; extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } } }
    | undefined;
  const codes = body?.errors?.graphQLErrors?.map((e) => e.extensions?.code) ?? [];
  if (!codes.includes("THROTTLED")) return null;
  const cost = body?.extensions?.cost;
  return { status: cost?.throttleStatus, requested: cost?.requestedQueryCost ?? 100 };
}
