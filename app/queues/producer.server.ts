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

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs are the dead-letter list: kept 30 days for the merchant to inspect, retry or discard.
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
};

function isConnectionError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return /not reachable|Connection is closed|enableOfflineQueue|ECONNREFUSED|ETIMEDOUT|Stream isn't writeable/i.test(message);
}

/** Adds validated jobs to their queues; rejects with QueueUnavailableError when Redis cannot take them. */
export function createJobProducer({ connection, prefix }: { connection: Redis; prefix: string }): JobProducer {
  const queues = new Map<QueueName, Queue>();
  const queueFor = (name: QueueName) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
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
        await whenReady(connection);
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
