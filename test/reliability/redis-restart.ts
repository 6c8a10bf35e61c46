/**
 * Redis killed (SIGKILL) and restarted during a stream of Oscar events: every event the app
 * acknowledged is processed, and none twice. Redis runs as production should (AOF, fsync always);
 * while it is down ingest answers 503 and Oscar redelivers, as Oscar does.
 */
import { completionsByJob, runCase, scaled, sleep, startOwnRedis, startReliabilityStack, waitUntil } from "./support/stack";

await runCase("Redis restarted during a stream", async (report, onClose) => {
  const redis = await startOwnRedis();
  onClose(() => redis.close());
  const stack = await startReliabilityStack({
    name: "redis-restart",
    redisUrl: redis.url,
    env: { WORKER_LOCK_MS: "2000" },
    customers: 80,
    // Oscar's own redelivery (exponential from 0.5 s), and 10% of events delivered twice anyway.
    oscarOptions: { deliveryRetry: { maxAttempts: 8, baseDelayMs: 500 }, duplicateDeliveryRate: 0.1 },
  });
  onClose(() => stack.close());
  const worker = await stack.startWorker();
  stack.oscar.setFaults({ latencyMs: 200 });
  const conversations = scaled(60, 20);
  const downMs = 4_000;

  const opened: string[] = [];
  const stream = (async () => {
    for (let i = 0; i < conversations; i++) {
      const customer = stack.store.customers[i % stack.store.customers.length];
      opened.push(stack.oscar.scenario.shopperOpensConversation({ email: customer.email, name: customer.firstName, message: `Hi, about order #${2000 + i}` }).conversationId);
      await sleep(250);
    }
  })();
  await waitUntil("a third of the stream", () => opened.length >= conversations / 3, 60_000, 20);
  await redis.kill();
  const downAt = Date.now();
  await sleep(downMs);
  await redis.start();
  const upAt = Date.now();
  await stream;
  await stack.oscar.webhooksIdle();

  await waitUntil("the queue to drain", async () => {
    const c = await stack.jobCounts();
    return c.waiting + c.active + c.delayed + c.prioritized === 0;
  }, 120_000, 200);
  await sleep(3_000);

  const attempts = stack.oscar.inspect.webhookDeliveries();
  const refusedWhileDown = attempts.filter((a) => a.status === 503).length;
  const acknowledged = new Set(attempts.filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300).map((a) => a.eventId));
  const neverAcknowledged = new Set(attempts.map((a) => a.eventId).filter((id) => !acknowledged.has(id)));
  const notes = opened.map((id) => stack.oscar.inspect.notes(id).length);
  // A conversation.created acknowledged but never enriched is an acknowledged event lost.
  const createdAcked = attempts.filter((a) => a.type === "conversation.created" && acknowledged.has(a.eventId)).length > 0;
  const missing = notes.filter((n) => n === 0).length;
  const doubled = notes.filter((n) => n > 1).length;
  const counts = await stack.jobCounts();
  const completions = completionsByJob([worker.output()]);
  const completedTwice = [...completions.values()].filter((n) => n > 1).length;

  report.info(`${conversations} conversations at 4/s (each also sends message.created), 10% delivered twice; Redis SIGKILLed a third into the stream, down ${((upAt - downAt) / 1000).toFixed(1)} s`);
  report.info(`deliveries: ${attempts.length} attempts, ${acknowledged.size} events acknowledged, ${refusedWhileDown} answered 503 while Redis was down and redelivered`);
  report.figure("503s while Redis was down (ingest refused instead of pretending)", refusedWhileDown, refusedWhileDown > 0, "> 0 (the outage hit the stream)");
  report.figure("events never acknowledged after Oscar's redelivery", neverAcknowledged.size, neverAcknowledged.size === 0, "0");
  report.figure("acknowledged conversations without their note (lost)", missing, createdAcked && missing === 0, "0");
  report.figure("conversations with two notes (processed twice)", doubled, doubled === 0, "0");
  report.figure("jobs completed twice (worker log)", completedTwice, completedTwice === 0, "0");
  report.figure("dead letters (failed jobs)", counts.failed, counts.failed === 0, "0");
});
