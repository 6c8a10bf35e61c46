import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES, type QueueName } from "../queues/jobs";
import { QueueUnavailableError } from "../queues/producer.server";
import { whenReady } from "../queues/redis.server";

/**
 * The dead-letter list: jobs that failed for good (BullMQ's failed set), as one shop may see them.
 * Queues are shared by every shop: the worker notes each job that failed for good in a sorted set per
 * shop (`failed-jobs:<shop>`, ref scored by failure time), so a page view reads only that shop's jobs.
 * Each job is still checked against the shop before it is shown, retried or discarded. Only what a
 * merchant needs is read out: what, why, when; never the event.
 */

export type FailedJob = {
  /** `<queue>:<job id>`: what the retry and discard buttons send back. */
  ref: string;
  what: string;
  eventType: string | null;
  reason: string;
  attempts: number;
  createdAt: number;
  failedAt: number | null;
};

export class FailedJobNotFoundError extends Error {
  override name = "FailedJobNotFoundError";
  constructor() {
    super("That failed job no longer exists: it may have been retried or discarded already.");
  }
}

/** How many of the shop's failed jobs are looked through (newest first). */
export const FAILED_JOBS_SCAN_LIMIT = 1_000;
/** As long as BullMQ keeps a failed job (removeOnFail in app/queues/producer.server.ts). */
const FAILED_JOB_INDEX_TTL_SECONDS = 30 * 24 * 3600;

/** The shop's index of failed jobs; `keyPrefix` is the app's Redis prefix with its colon ("oscar:"). */
export const failedJobIndexKey = (keyPrefix: string, shop: string) => `${keyPrefix}failed-jobs:${shop}`;

const JOB_LABELS: Record<string, string> = {
  "oscar.event": "Process an event from Oscar",
  "shop.sync-details": "Read your store's details",
};

const QUEUE_NAMES = Object.values(QUEUES) as QueueName[];

/** Failure messages are written without customer data; this is a second net for an email that slipped in. */
export function scrubReason(reason: string | undefined): string {
  const text = (reason ?? "").replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, "[email hidden]").trim();
  if (!text) return "No reason was recorded.";
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

const shopOf = (job: Job) => (job.data && typeof job.data === "object" ? (job.data as { shop?: unknown }).shop : undefined);

function describe(queue: QueueName, job: Job): FailedJob {
  const type = (job.data as { type?: unknown }).type;
  return {
    ref: `${queue}:${job.id}`,
    what: JOB_LABELS[job.name] ?? job.name,
    eventType: typeof type === "string" ? type.slice(0, 64) : null,
    reason: scrubReason(job.failedReason),
    attempts: job.attemptsMade,
    createdAt: job.timestamp,
    failedAt: job.finishedOn ?? null,
  };
}

/**
 * The worker's "failed" listener: notes a job that failed for good in its shop's index. BullMQ emits
 * "failed" for every attempt; only a final failure has `finishedOn` (a retried one is delayed instead).
 */
export async function recordFailedJob({ redis, keyPrefix }: { redis: Redis; keyPrefix: string }, queue: string, job: Job | undefined): Promise<void> {
  const shop = job && shopOf(job);
  if (!job?.id || !job.finishedOn || typeof shop !== "string") return;
  const key = failedJobIndexKey(keyPrefix, shop);
  await redis.multi().zadd(key, job.finishedOn, `${queue}:${job.id}`).expire(key, FAILED_JOB_INDEX_TTL_SECONDS).exec();
}

export type FailedJobs = ReturnType<typeof createFailedJobs>;

export function createFailedJobs({ connection, prefix }: { connection: Redis; prefix: string }) {
  const ready = () => whenReady(connection).catch((error: unknown) => {
    throw new QueueUnavailableError(error);
  });
  const queues = new Map<QueueName, Queue>();
  const queueFor = (name: QueueName) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix });
      queue.on("error", () => {});
      queues.set(name, queue);
    }
    return queue;
  };

  const indexKey = (shop: string) => failedJobIndexKey(`${prefix}:`, shop);

  async function findShopJob(shop: string, ref: string): Promise<Job> {
    const separator = ref.indexOf(":");
    const queue = ref.slice(0, separator) as QueueName;
    const id = ref.slice(separator + 1);
    if (separator < 0 || !QUEUE_NAMES.includes(queue) || !id) throw new FailedJobNotFoundError();
    await ready();
    const job = await queueFor(queue).getJob(id);
    // Another shop's job answers exactly like a missing one.
    if (!job || shopOf(job) !== shop || !(await job.isFailed())) throw new FailedJobNotFoundError();
    return job;
  }

  return {
    /** The shop's failed jobs, newest failure first. */
    async list(shop: string, limit = 100): Promise<FailedJob[]> {
      await ready();
      const refs = await connection.zrevrange(indexKey(shop), 0, FAILED_JOBS_SCAN_LIMIT - 1);
      const found = await Promise.all(
        refs.map(async (ref) => {
          // Only a job that is really gone is forgotten; a Redis error fails the page instead.
          const job = await findShopJob(shop, ref).catch((error: unknown) => {
            if (error instanceof FailedJobNotFoundError) return null;
            throw error;
          });
          return job && describe(ref.slice(0, ref.indexOf(":")) as QueueName, job);
        }),
      );
      // Retried, discarded, expired or redacted since: the index forgets them.
      const gone = refs.filter((_, i) => !found[i]);
      if (gone.length) await connection.zrem(indexKey(shop), ...gone);
      return found.filter((job): job is FailedJob => job !== null).sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0)).slice(0, limit);
    },
    /** Puts the job back in its queue with a fresh set of attempts. */
    async retry(shop: string, ref: string): Promise<void> {
      const job = await findShopJob(shop, ref);
      await job.retry("failed", { resetAttemptsMade: true });
      await connection.zrem(indexKey(shop), ref);
    },
    async discard(shop: string, ref: string): Promise<void> {
      const job = await findShopJob(shop, ref);
      await job.remove();
      await connection.zrem(indexKey(shop), ref);
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
