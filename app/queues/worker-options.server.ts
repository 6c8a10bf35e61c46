import type { WorkerOptions } from "bullmq";
import type { Config } from "../config.server";
import { createWorkerConnection } from "./redis.server";

/**
 * How every worker of the app takes jobs (workers/index.ts), and the benchmark's reference worker with
 * it, so the two cannot drift apart. A job whose worker died (kill -9, lost machine) is taken up again
 * once its lock lapses.
 */
export function workerOptions(settings: Pick<Config, "redis" | "workerConcurrency" | "workerLockMs">): WorkerOptions {
  return {
    connection: createWorkerConnection(settings.redis.url),
    prefix: settings.redis.prefix,
    concurrency: settings.workerConcurrency,
    lockDuration: settings.workerLockMs,
    stalledInterval: settings.workerLockMs,
    maxStalledCount: 3,
  };
}
