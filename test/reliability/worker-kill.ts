/**
 * kill -9 of a worker in the middle of jobs, during a stream of Oscar events: every conversation
 * still gets exactly one enrichment note in Oscar (none lost, none written twice).
 */
import { runCase, scaled, sleep, startReliabilityStack, waitUntil } from "./support/stack";

await runCase("worker kill -9 during a stream", async (report, onClose) => {
  // Short locks: the killed worker's jobs come back within seconds, as they would after 30 s in production.
  const stack = await startReliabilityStack({ name: "worker-kill", env: { WORKER_LOCK_MS: "2000", WORKER_CONCURRENCY: "5" }, customers: 80 });
  onClose(() => stack.close());
  const conversations = scaled(60, 20);
  const victim = await stack.startWorker();
  const survivor = await stack.startWorker();
  // Oscar applies each write at once but answers late, so jobs are caught half-done when the worker dies.
  stack.oscar.setFaults({ latencyMs: 400 });

  const opened: string[] = [];
  let activeAtKill = -1;
  const stream = (async () => {
    for (let i = 0; i < conversations; i++) {
      const customer = stack.store.customers[i % stack.store.customers.length];
      opened.push(stack.oscar.scenario.shopperOpensConversation({ email: customer.email, name: customer.firstName, message: `Where is order #${1000 + i}?` }).conversationId);
      await sleep(250);
    }
  })();
  await waitUntil("a third of the stream", () => opened.length >= conversations / 3, 60_000, 20);
  await waitUntil("jobs in the middle of processing", async () => (await stack.jobCounts()).active > 0, 20_000, 10);
  activeAtKill = (await stack.jobCounts()).active;
  victim.child.kill("SIGKILL");
  await victim.exited();
  const killedAt = Date.now();
  await sleep(1_000);
  const replacement = await stack.startWorker();
  await stream;

  const exactlyOne = () => opened.every((id) => stack.oscar.inspect.notes(id).length >= 1);
  await waitUntil("every conversation's note", exactlyOne, 120_000, 200);
  // Let any stalled-job retry that would write a second note have its chance.
  await waitUntil("the queue to drain", async () => {
    const c = await stack.jobCounts();
    return c.waiting + c.active + c.delayed + c.prioritized === 0;
  }, 60_000, 200);
  await sleep(3_000);
  const recoveredMs = Date.now() - killedAt;

  const notes = opened.map((id) => stack.oscar.inspect.notes(id).length);
  const missing = notes.filter((n) => n === 0).length;
  const doubled = notes.filter((n) => n > 1).length;
  const counts = await stack.jobCounts();
  report.info(`${conversations} conversations at 4/s, 2 workers (concurrency 5), Oscar answering 400 ms late; killed one worker with ${activeAtKill} jobs active; all done ${(recoveredMs / 1000).toFixed(1)} s after the kill`);
  report.figure("jobs in flight (both workers) when one was killed", activeAtKill, activeAtKill > 0, "> 0 (the kill hit jobs in flight)");
  report.figure("conversations with exactly one note", `${conversations - missing - doubled} of ${conversations} (missing ${missing}, doubled ${doubled})`, missing === 0 && doubled === 0, "all, 0 missing, 0 doubled");
  report.figure("dead letters (failed jobs)", counts.failed, counts.failed === 0, "0");
  void survivor;
  void replacement;
});
