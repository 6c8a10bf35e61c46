import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES, type QueueName } from "../queues/jobs";
import { QueueUnavailableError } from "../queues/producer.server";
import { whenReady } from "../queues/redis.server";

/**
 * The dead-letter list: jobs that failed for good (BullMQ's failed set), as one shop may see them.
 * Queues are shared by every shop, so each job is checked against the shop before it is shown,
 * retried or discarded. Only what a merchant needs is read out: what, why, when; never the event.
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

/** How many failed jobs per queue are looked through (newest first) for the shop's own. */
export const FAILED_JOBS_SCAN_LIMIT = 1_000;

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
      const perQueue = await Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const jobs = await queueFor(name).getFailed(0, FAILED_JOBS_SCAN_LIMIT - 1);
          return jobs.filter((job) => job && shopOf(job) === shop).map((job) => describe(name, job));
        }),
      );
      return perQueue.flat().sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0)).slice(0, limit);
    },
    /** Puts the job back in its queue with a fresh set of attempts. */
    async retry(shop: string, ref: string): Promise<void> {
      const job = await findShopJob(shop, ref);
      await job.retry("failed", { resetAttemptsMade: true });
    },
    async discard(shop: string, ref: string): Promise<void> {
      const job = await findShopJob(shop, ref);
      await job.remove();
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
