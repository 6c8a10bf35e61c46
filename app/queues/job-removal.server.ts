import { Queue, type JobState } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES, type QueueName } from "./jobs";

/**
 * Finds and removes jobs across every queue of the app: what uninstall and the privacy webhooks use
 * to stop a shop's work and to erase what its jobs hold (job data stays in Redis until removed).
 */

/** Jobs that have not started: removing them means they never run. */
export const PENDING_STATES = ["waiting", "delayed", "prioritized", "waiting-children"] as const satisfies JobState[];
/** Every state a job's data can sit in, including finished jobs kept for inspection. */
export const ALL_STATES = [...PENDING_STATES, "active", "completed", "failed"] as const satisfies JobState[];

export type StoredJob = { queue: QueueName; id: string; name: string; data: unknown; state: JobState };

export type JobRemoval = {
  findJobs(states: readonly JobState[], matches: (job: StoredJob) => boolean): Promise<StoredJob[]>;
  /** Removes the jobs; those a worker holds right now cannot be removed and are returned. */
  removeJobs(jobs: StoredJob[]): Promise<{ removed: number; running: StoredJob[] }>;
  /** Removes repeatable jobs (job schedulers) whose id, name or data match. */
  removeSchedulers(matches: (scheduler: { id: string; name: string; data: unknown }) => boolean): Promise<number>;
  /** Deletes entries of the queues' event streams (which name job ids and carry results and failure reasons). */
  forgetEvents(matches: (fields: Record<string, string>) => boolean): Promise<number>;
  close(): Promise<void>;
};

const PAGE = 500;

export function createJobRemoval({ connection, prefix }: { connection: Redis; prefix: string }): JobRemoval {
  const queues = Object.values(QUEUES).map((name) => {
    const queue = new Queue(name, { connection, prefix });
    // Errors surface on the calls below; without a listener Node would treat them as unhandled.
    queue.on("error", () => {});
    return queue;
  });
  const queueNamed = (name: QueueName) => queues.find((q) => q.name === name)!;

  return {
    async findJobs(states, matches) {
      const found: StoredJob[] = [];
      for (const queue of queues) {
        for (const state of states) {
          for (let start = 0; ; start += PAGE) {
            const ids = await queue.getRanges([state], start, start + PAGE - 1, true);
            for (const job of await Promise.all(ids.map((id) => queue.getJob(id)))) {
              if (!job?.id) continue; // finished and removed since the ids were read
              const stored: StoredJob = { queue: queue.name as QueueName, id: job.id, name: job.name, data: job.data, state };
              if (matches(stored)) found.push(stored);
            }
            if (ids.length < PAGE) break;
          }
        }
      }
      return found;
    },

    async removeJobs(jobs) {
      let removed = 0;
      const running: StoredJob[] = [];
      for (const job of jobs) {
        if ((await queueNamed(job.queue).remove(job.id)) === 1) removed++;
        else if ((await queueNamed(job.queue).getJobState(job.id)) !== "unknown") running.push(job);
      }
      return { removed, running };
    },

    async removeSchedulers(matches) {
      let removed = 0;
      for (const queue of queues) {
        const schedulers = await queue.getJobSchedulers(0, -1, true);
        for (const scheduler of schedulers) {
          const id = scheduler.key; // the id it was upserted with
          if (matches({ id, name: scheduler.name, data: scheduler.template?.data }) && (await queue.removeJobScheduler(id))) removed++;
        }
      }
      return removed;
    },

    async forgetEvents(matches) {
      let deleted = 0;
      for (const queue of queues) {
        const key = queue.keys.events;
        let from = "-";
        for (;;) {
          const entries = await connection.xrange(key, from, "+", "COUNT", PAGE);
          const doomed = entries.filter(([, flat]) => matches(Object.fromEntries(pairs(flat)))).map(([id]) => id);
          if (doomed.length) deleted += await connection.xdel(key, ...doomed);
          if (entries.length < PAGE) break;
          from = `(${entries[entries.length - 1][0]}`;
        }
      }
      return deleted;
    },

    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** Every job of the app carries the shop it works for in `data.shop`. */
export const belongsToShop = (shop: string) => (job: { data: unknown }) => (job.data as { shop?: unknown } | null)?.shop === shop;

/** A repeatable job is the shop's when its id or name names the shop, or its jobs work for it. */
export const namedForShop = (shop: string) => (scheduler: { id: string; name: string; data: unknown }) =>
  scheduler.id.includes(shop) || scheduler.name.includes(shop) || belongsToShop(shop)(scheduler);
