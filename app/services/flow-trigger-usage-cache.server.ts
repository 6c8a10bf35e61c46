import type { Redis } from "ioredis";
import type { FlowTriggerKind } from "./flow-triggers.server";

/** The Redis channel on which the web process says that a shop's Flow trigger usage changed (payload: the shop). */
export const flowTriggerUsageChannel = (redisPrefix: string) => `${redisPrefix}:flow-trigger-usage-changed`;

/** Tells every worker that Flow's lifecycle callback changed which triggers the shop's workflows use. */
export async function announceFlowTriggerUsageChanged(redis: Redis, redisPrefix: string, shop: string): Promise<void> {
  await redis.publish(flowTriggerUsageChannel(redisPrefix), shop);
}

export type FlowTriggerUsageCache = {
  /** The triggers the shop's workflows use, as the database last said and no announcement has changed since. */
  inUse(shop: string): Promise<Set<FlowTriggerKind>>;
  /** Resolves once the cache listens for announcements, after its latest (re)connect; until then every ask reads the database. */
  readonly ready: Promise<void>;
};

/**
 * Why a cache: every resolution, urgent or VIP message and hand-off asks which Flow triggers the shop
 * uses before it sends one, and the answer changes only when a merchant turns a workflow on or off.
 * Read from the database each time, it was a fifth of a resolution's work on PostgreSQL (the
 * worker-throughput bench read 0.55 of its reference worker with it, 0.67 without, 2026-12-07).
 *
 * Each worker keeps the answer per shop until the web process announces a change
 * (announceFlowTriggerUsageChanged, after recording Flow's callback), so a workflow turned on gets the
 * next event. What could keep an answer stale is handled so it cannot last:
 * - an announcement sent while this subscriber was disconnected is lost, so every reconnect forgets
 *   everything, and while the subscriber is not listening every ask reads the database;
 * - an announcement the web process failed to send (its Redis down) is outlived by `maxAgeMs`.
 *
 * `subscriber` must be a connection of its own: a subscribed ioredis connection sends nothing else.
 */
export function createFlowTriggerUsageCache({
  subscriber,
  redisPrefix,
  load,
  maxAgeMs = 30_000,
  now = Date.now,
}: {
  subscriber: Redis;
  redisPrefix: string;
  load: (shop: string) => Promise<Set<FlowTriggerKind>>;
  maxAgeMs?: number;
  now?: () => number;
}): FlowTriggerUsageCache {
  const channel = flowTriggerUsageChannel(redisPrefix);
  const kept = new Map<string, { usage: Promise<Set<FlowTriggerKind>>; at: number }>();
  /** Subscribed and heard back: only then is an answer kept. */
  let listening = false;
  /** A SUBSCRIBE was sent since the connection last closed (so a "ready" need not send another). */
  let asked = false;

  let listened: Promise<void>;
  const listen = () => {
    asked = true;
    listened = subscriber.subscribe(channel).then(() => {
      kept.clear();
      listening = true;
    });
    // A failed SUBSCRIBE leaves the cache reading the database until the next reconnect listens again.
    listened.catch(() => undefined);
  };
  subscriber.on("message", (from: string, shop: string) => {
    if (from === channel) kept.delete(shop);
  });
  subscriber.on("close", () => {
    listening = false;
    asked = false;
    kept.clear();
  });
  // ioredis subscribes again by itself after a reconnect; subscribing here too says when that is done.
  subscriber.on("ready", () => {
    if (!asked) listen();
  });
  listen();

  return {
    get ready() {
      return listened;
    },
    inUse(shop) {
      if (!listening) return load(shop);
      const entry = kept.get(shop);
      if (entry && now() - entry.at < maxAgeMs) return entry.usage;
      const usage = load(shop);
      kept.set(shop, { usage, at: now() });
      // A failed read is not kept: the next ask tries the database again.
      usage.catch(() => {
        if (kept.get(shop)?.usage === usage) kept.delete(shop);
      });
      return usage;
    },
  };
}
