/**
 * How fast workers turn stored Oscar events into their effects, on each database: N signed
 * conversation.resolved events are stored while the queue is paused (through the real ingest), then
 * W worker processes are started and timed until the queue is empty. Prints events per second.
 *
 *   npx tsx bench/worker-throughput.ts [events=4000] [workers=1]
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { startReliabilityStack, waitUntil } from "../test/reliability/support/stack";

const events = Number(process.argv[2] ?? 4_000);
const workerCount = Number(process.argv[3] ?? 1);

for (const database of ["sqlite", "postgresql"] as const) {
  const stack = await startReliabilityStack({ name: `worker-throughput-${database}`, database });
  try {
    await stack.queue.pause();
    await promisify(execFile)(process.execPath, [
      resolve("node_modules/tsx/dist/cli.mjs"), resolve("bench/support/load.ts"), stack.ingestUrl, "120", "50", "0", stack.webhookSecret, String(events),
    ]);
    const stored = (await stack.jobCounts()).waiting;
    await Promise.all(Array.from({ length: workerCount }, () => stack.startWorker()));
    const started = Date.now();
    await stack.queue.resume();
    await waitUntil("the queue to drain", async () => {
      const c = await stack.jobCounts();
      return c.waiting + c.active + c.prioritized + c.delayed === 0;
    }, 600_000, 50);
    const seconds = (Date.now() - started) / 1000;
    const recorded = await stack.db.conversationRecord.count({ where: { resolvedAt: { not: null } } });
    console.log(`${database.padEnd(10)} ${workerCount} worker(s): ${stored} events in ${seconds.toFixed(1)} s = ${(stored / seconds).toFixed(0)} events/s (${recorded} recorded)`);
  } finally {
    await stack.close();
  }
}
process.exit(0);
