/**
 * Worker throughput: how fast one worker process turns stored Oscar events into their effects, on
 * each database. 4,000 signed conversation.resolved events (quick: 1,000) are stored through the real
 * ingest while the queue is paused, then one worker is started and timed until the queue is empty.
 *
 *   npx tsx bench/worker-throughput.ts [--quick]
 *
 * Goal: ≥ 167 events/s on each database, what the reliability suite's ingest-load case needs (a
 * minute at 1,000 events/s drained within 6 minutes by one worker). An absolute bound, because the
 * requirement is one: the backlog is real time, whatever the machine. Break it on purpose:
 * BENCH_SLOW_MS=50 BENCH_SLOW_REDIS=1 delays each of the worker's Redis commands by 50 ms.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { startReliabilityStack, waitUntil } from "../test/reliability/support/stack";
import { atLeast, exactly, runIfMain, type BenchOptions, type BenchReport, type Goal } from "./support/goals";
import { slowdownEnv } from "./support/stack";

const GOAL_EVENTS_PER_SECOND = Math.ceil(60_000 / 360);

export async function run({ quick }: BenchOptions): Promise<BenchReport> {
  const events = quick ? 1_000 : 4_000;
  const goals: Goal[] = [];
  const info: string[] = [];
  for (const database of ["sqlite", "postgresql"] as const) {
    const stack = await startReliabilityStack({ name: `worker-throughput-${database}`, database });
    try {
      await stack.queue.pause();
      await promisify(execFile)(process.execPath, [
        "--import", "tsx", resolve("bench/support/load.ts"), stack.ingestUrl, "120", "50", "0", stack.webhookSecret, String(events),
      ]);
      const stored = (await stack.jobCounts()).waiting;
      await stack.startWorker(slowdownEnv());
      const started = Date.now();
      await stack.queue.resume();
      await waitUntil("the queue to drain", async () => {
        const c = await stack.jobCounts();
        return c.waiting + c.active + c.prioritized + c.delayed === 0;
      }, 600_000, 50);
      const seconds = (Date.now() - started) / 1000;
      const recorded = await stack.db.conversationRecord.count({ where: { resolvedAt: { not: null } } });
      goals.push(atLeast(`${database}, 1 worker: events processed per second`, stored / seconds, GOAL_EVENTS_PER_SECOND, "events/s"));
      goals.push(exactly(`${database}: conversations recorded as resolved, of ${events} events sent`, recorded, events, "conversations"));
      info.push(`${database}: ${stored} events stored, drained in ${seconds.toFixed(1)} s.`);
    } finally {
      await stack.close();
    }
  }
  return { bench: "worker-throughput", goals, info };
}

await runIfMain(import.meta.url, run);
