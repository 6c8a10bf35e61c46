import { randomUUID } from "node:crypto";
import { Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";

/** Another job is working on this conversation right now; this one will run once it is done. */
export class ConversationBusyError extends Error {
  override name = "ConversationBusyError";
  constructor() {
    super("Another event of this conversation is being handled; this one will run after it.");
  }
}

/** The set of jobs waiting for a conversation's lock, named after the lock. */
const waitingKey = (lockKey: string) => `${lockKey}:waiting`;

/** Frees the lock if this holder still owns it, and hands back (and forgets) the jobs that waited for it. */
const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {} end
redis.call('DEL', KEYS[1])
local waiting = redis.call('SMEMBERS', KEYS[2])
redis.call('DEL', KEYS[2])
return waiting
`;

/**
 * Adds a job to the lock's waiting set only while the lock is held; 0 if it is already free. Checked
 * and added in one step, so a release either sees the job in the set or the job sees the lock gone:
 * no job is left waiting for a wake-up that never comes.
 */
const WAIT_IF_HELD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`;

/**
 * Runs `work` while holding the conversation's lock, shared by every worker process through Redis.
 * Two events of one conversation (two deliveries with different ids, a message right after the
 * conversation opened) are then handled one after the other, so "already done?" checks see each
 * other's results. A crashed holder's lock lapses after `ttlMs`.
 *
 * On release, `wake` gets the ids of the jobs that found the lock held and asked to be woken
 * (`waitBehindConversation`), so they run as soon as it is free rather than after a fixed wait.
 */
export async function withConversationLock<T>(redis: Redis, key: string, ttlMs: number, work: () => Promise<T>, wake: (jobIds: string[]) => Promise<void>): Promise<T> {
  const owner = randomUUID();
  const acquired = await redis.set(key, owner, "PX", ttlMs, "NX");
  if (!acquired) throw new ConversationBusyError();
  try {
    return await work();
  } finally {
    const waiting = (await redis.eval(RELEASE_IF_OWNER, 2, key, waitingKey(key), owner).catch(() => [])) as string[];
    if (waiting.length) await wake(waiting).catch(() => undefined);
  }
}

/**
 * For a job that found the conversation busy and is already in the delayed set: asks the lock's
 * holder to wake it on release, or, if the lock was released in the meantime, promotes it now. The
 * waiting set lives as long as a lock may, so a crashed holder's waiters are forgotten with it (their
 * own delay still runs them).
 */
export async function waitBehindConversation(redis: Redis, key: string, ttlMs: number, job: Pick<Job, "id" | "promote">): Promise<void> {
  if (!job.id) return;
  const held = (await redis.eval(WAIT_IF_HELD, 2, key, waitingKey(key), job.id, String(ttlMs))) === 1;
  // A job no longer delayed (woken already, or removed) has nothing to promote.
  if (!held) await job.promote().catch(() => undefined);
}

/** Wakes the named jobs of `queue` that are still in its delayed set (the `wake` of withConversationLock). */
export function promoteDelayedJobs(queue: Queue): (jobIds: string[]) => Promise<void> {
  return async (jobIds) => {
    await Promise.all(jobIds.map(async (id) => (await Job.fromId(queue, id))?.promote().catch(() => undefined)));
  };
}
