import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { JOBS, QUEUES } from "./jobs";
import { whenReady } from "./redis.server";

/**
 * Debounced knowledge syncs, shared by every process through BullMQ: each shop has at most one
 * `knowledge.sync` job, under a fixed job id. A change schedules it DEBOUNCE_MS ahead; another
 * change while it waits pushes it back again (a trailing debounce), but never past MAX_WAIT_MS after
 * the first change, so a shop edited without pause is still synced. A job already running reads
 * the new changes from the database when it ends and runs again (see the processor), so nothing is
 * lost and one shop's sync never runs twice at once.
 */

export const DEBOUNCE_MS = 10_000;
export const MAX_WAIT_MS = 60_000;

/** Named for the shop (BullMQ ids may not hold ":"), so uninstall and shop/redact find it. */
export const knowledgeSyncJobId = (shop: string) => `knowledge-sync-${shop}`;

const JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: "exponential", delay: 30_000 },
  // Completed runs leave nothing behind, so the fixed id is free for the next change.
  removeOnComplete: true,
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
};

export type KnowledgeSyncScheduler = {
  /** `firstChangeAt`: the oldest change still waiting, which bounds how far the run can be pushed back. */
  afterChange(shop: string, firstChangeAt: Date): Promise<void>;
  /** Runs as soon as a worker is free (the merchant pressed the button, or settings changed). */
  now(shop: string): Promise<void>;
  close(): Promise<void>;
};

export function createKnowledgeSyncScheduler({ connection, prefix, clock = Date.now }: { connection: Redis; prefix: string; clock?: () => number }): KnowledgeSyncScheduler {
  const queue = new Queue(QUEUES.knowledgeSync, { connection, prefix });
  queue.on("error", () => {});

  async function schedule(shop: string, delay: number) {
    await whenReady(connection);
    const jobId = knowledgeSyncJobId(shop);
    const existing = await queue.getJob(jobId);
    const state = existing ? await existing.getState() : "unknown";
    if (existing && state === "delayed") {
      // Another process may have moved it on meanwhile; then it is about to run, which is as good.
      await (delay === 0 ? existing.promote() : existing.changeDelay(delay)).catch(() => {});
      return;
    }
    if (existing && ["waiting", "active", "prioritized", "waiting-children"].includes(state)) return;
    // A failed run stays in the failed list until a newer change replaces it.
    if (existing) await existing.remove().catch(() => {});
    const data = JOBS["knowledge.sync"].payload.parse({ shop });
    await queue.add("knowledge.sync", data, { ...JOB_OPTIONS, jobId, delay });
  }

  return {
    afterChange: (shop, firstChangeAt) => schedule(shop, Math.max(0, Math.min(DEBOUNCE_MS, firstChangeAt.getTime() + MAX_WAIT_MS - clock()))),
    now: (shop) => schedule(shop, 0),
    close: () => queue.close(),
  };
}
