import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "../../app/queues/jobs";

/** Until no job of the app's waits or runs (the install's shop sync, say), so what a bench counts next is its own. */
export async function waitForIdleQueues(redis: Redis, prefix: string, timeoutMs = 30_000): Promise<void> {
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: redis, prefix }));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts("waiting", "active", "prioritized")));
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
      if (Date.now() > deadline) throw new Error(`the app's queues were still busy after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}
