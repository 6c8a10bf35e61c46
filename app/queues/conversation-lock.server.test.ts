import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "../../test/harness/redis";
import { waitFor } from "../../test/harness/wait";
import { ConversationBusyError, promoteDelayedJobs, waitBehindConversation, withConversationLock } from "./conversation-lock.server";

/** A promise and the function that settles it: the test decides when the lock's holder finishes. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("the conversation lock", () => {
  let redis: Redis;
  let prefix: string;

  beforeAll(() => {
    redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
    prefix = testRedisPrefix("conversation-lock");
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
  });

  it("hands the holder, on release, exactly the jobs that asked to wait while it held the lock", async () => {
    const key = `${prefix}:lock:c1`;
    const woken: string[][] = [];
    const wake = async (ids: string[]) => void woken.push([...ids].sort());
    const holding = gate();
    const finished = gate();
    const holder = withConversationLock(redis, key, 30_000, async () => {
      holding.open();
      await finished.opened;
      return "done";
    }, wake);
    await holding.opened;

    await expect(withConversationLock(redis, key, 30_000, async () => "second", wake)).rejects.toBeInstanceOf(ConversationBusyError);
    const promoted: string[] = [];
    const job = (id: string) => ({ id, promote: async () => void promoted.push(id) });
    await waitBehindConversation(redis, key, 30_000, job("job-2"));
    await waitBehindConversation(redis, key, 30_000, job("job-3"));
    // While the lock is held nobody is promoted: the holder will do it.
    expect(promoted).toEqual([]);

    finished.open();
    await expect(holder).resolves.toBe("done");
    expect(woken).toEqual([["job-2", "job-3"]]);

    // Free now: a job that comes to wait goes ahead at once, and the next holder wakes nobody twice.
    await waitBehindConversation(redis, key, 30_000, job("job-4"));
    expect(promoted).toEqual(["job-4"]);
    await withConversationLock(redis, key, 30_000, async () => undefined, wake);
    expect(woken).toEqual([["job-2", "job-3"]]);
  });

  it("a BullMQ job that found its conversation busy runs as soon as the holder is done, not after its fallback delay", async () => {
    const queueName = "conversation-lock-test";
    const key = `${prefix}:lock:c2`;
    const queue = new Queue(queueName, { connection: redis, prefix });
    const workerConnection = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      queueName,
      async (job: Job, token?: string) => {
        try {
          await withConversationLock(redis, key, 30_000, async () => {
            if (job.name === "first") {
              holding.open();
              await finished.opened;
            }
            ran.push(job.name);
          }, promoteDelayedJobs(queue));
        } catch (error) {
          if (!(error instanceof ConversationBusyError)) throw error;
          // A minute: far longer than the test waits, so only the holder's wake-up can run it.
          await job.moveToDelayed(Date.now() + 60_000, token);
          await waitBehindConversation(redis, key, 30_000, job);
          throw new DelayedError();
        }
      },
      { connection: workerConnection, prefix, concurrency: 2 },
    );
    const holding = gate();
    const finished = gate();
    const ran: string[] = [];
    try {
      await queue.add("first", {});
      await holding.opened;
      const second = await queue.add("second", {});
      await waitFor("the second job to wait in the delayed set", async () => (await second.getState()) === "delayed");

      finished.open();
      await waitFor("the second job to complete", async () => (await queue.getJobState(second.id!)) === "completed", 10_000);
      expect(ran).toEqual(["first", "second"]);
      // Waiting was not a failed try: BullMQ counts one attempt, the one that completed.
      expect((await queue.getJob(second.id!))?.attemptsMade).toBe(1);
    } finally {
      await worker.close();
      await queue.close();
      workerConnection.disconnect();
    }
  });
});
