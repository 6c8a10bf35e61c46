import { Redis, type RedisOptions } from "ioredis";

/**
 * One connection per role, as BullMQ recommends:
 * - producer: fails fast while Redis is down (no offline queue), so a web request can answer 503
 *   at once instead of hanging or pretending the work was stored;
 * - worker: blocking commands, retries forever (BullMQ requires maxRetriesPerRequest: null).
 */
export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Concurrent requests' commands share round trips: ingest under load sends many small adds.
    enableAutoPipelining: true,
    // Keep trying to reconnect in the background, at most every 2 s, so the app heals when Redis returns.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...options,
  });
}

export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...options,
  });
}

/**
 * Waits (briefly) for a fail-fast connection to be up. Without an offline queue a command sent while
 * ioredis is still connecting fails at once, so the first request after start-up or a reconnect
 * gets this short grace; a Redis that stays down still fails within `timeoutMs`.
 */
export async function whenReady(connection: Redis, timeoutMs = 1_500): Promise<void> {
  if (connection.status === "ready") return;
  if (connection.status === "wait") connection.connect().catch(() => {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off("ready", onReady);
      reject(new Error("Redis is not reachable."));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once("ready", onReady);
  });
}
