import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { JOBS, type JobName, type JobPayload, type QueueName } from "./jobs";
import { whenReady } from "./redis.server";

export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
  constructor(cause: unknown) {
    super("The job queue (Redis) is not reachable, so the work could not be stored.", { cause });
  }
}

export type JobProducer = {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: JobsOptions): Promise<{ id: string }>;
  close(): Promise<void>;
};

/** Eight tries over about two minutes (1 s, 2 s, … 64 s apart), then the dead-letter list. */
export const DEFAULT_JOB_RETRY = { attempts: 8, backoffMs: 1_000 };

const jobOptions = (retry: { attempts: number; backoffMs: number }): JobsOptions => ({
  attempts: retry.attempts,
  backoff: { type: "exponential", delay: retry.backoffMs },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs are the dead-letter list: kept 30 days for the merchant to inspect, retry or discard.
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
});

function isConnectionError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return /not reachable|Connection is closed|enableOfflineQueue|ECONNREFUSED|ETIMEDOUT|Stream isn't writeable/i.test(message);
}

/** Adds validated jobs to their queues; rejects with QueueUnavailableError when Redis cannot take them. */
export function createJobProducer({ connection, prefix, retry = DEFAULT_JOB_RETRY }: { connection: Redis; prefix: string; retry?: { attempts: number; backoffMs: number } }): JobProducer {
  const queues = new Map<QueueName, Queue>();
  const defaultJobOptions = jobOptions(retry);
  const queueFor = (name: QueueName) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix, defaultJobOptions });
      // Errors surface on enqueue; without a listener Node would treat them as unhandled.
      queue.on("error", () => {});
      queues.set(name, queue);
    }
    return queue;
  };

  return {
    async enqueue(name, payload, options) {
      const definition = JOBS[name];
      const data = definition.payload.parse(payload);
      try {
        // Checked here first: an await on every job costs the ingest path a promise and a turn.
        if (connection.status !== "ready") await whenReady(connection);
        const job = await queueFor(definition.queue).add(name, data, options);
        return { id: String(job.id) };
      } catch (error) {
        // Only a Redis that cannot take the job is "unavailable"; a refused job is a bug to surface.
        if (connection.status !== "ready" || isConnectionError(error)) throw new QueueUnavailableError(error);
        throw error;
      }
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
