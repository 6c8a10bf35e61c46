/**
 * Shopify's Admin API answering THROTTLED (GraphQL cost errors) to a stream of enrichments: every
 * enrichment completes, none fails permanently, each conversation gets one note.
 */
import { SHOP, runCase, scaled, sleep, startReliabilityStack, waitUntil } from "./support/stack";

await runCase("Shopify Admin API throttling", async (report, onClose) => {
  const stack = await startReliabilityStack({ name: "admin-throttle", customers: 80 });
  onClose(() => stack.close());
  await stack.startWorker({ WORKER_CONCURRENCY: "10" });
  const conversations = scaled(30, 10);
  // An empty bucket of 100 points refilling at 10 points/s: a ~20-point lookup every 2 s at most,
  // against conversations arriving at 2/s, so Shopify must answer THROTTLED again and again.
  stack.admin.setThrottle({ maximumAvailable: 100, currentlyAvailable: 0, restoreRate: 10 }, SHOP);
  const started = Date.now();
  const opened: string[] = [];
  for (let i = 0; i < conversations; i++) {
    const customer = stack.store.customers[i % stack.store.customers.length];
    opened.push(stack.oscar.scenario.shopperOpensConversation({ email: customer.email, name: customer.firstName, message: "Is my order shipped?" }).conversationId);
    await sleep(500);
  }
  await waitUntil("every conversation's note", () => opened.every((id) => stack.oscar.inspect.notes(id).length >= 1), 180_000, 200);
  const elapsedMs = Date.now() - started;
  await waitUntil("the queue to drain", async () => {
    const c = await stack.jobCounts();
    return c.waiting + c.active + c.delayed + c.prioritized === 0;
  }, 60_000, 200);

  // A look-up is a search for candidates, then the exact match read by id.
  const lookups = stack.admin.requests.filter((r) => r.operationName === "CustomerForConversation" || r.operationName === "CustomerById");
  const throttled = lookups.filter((r) => r.throttled).length;
  const counts = await stack.jobCounts();
  const failed = await stack.queue.getFailed(0, -1);
  const retried = (await stack.queue.getCompleted(0, -1)).filter((j) => j.attemptsMade > 1).length;
  const notes = opened.map((id) => stack.oscar.inspect.notes(id).length);
  const records = await stack.db.conversationRecord.count({ where: { shop: SHOP, enrichedAt: { not: null } } });

  report.info(`${conversations} conversations at 2/s against a bucket of 100 points refilling at 10/s; ${lookups.length} lookups sent, ${throttled} answered THROTTLED; ${retried} jobs needed a BullMQ retry`);
  report.figure("Shopify answered THROTTLED", throttled, throttled > 0, "> 0 (the throttle bit)");
  report.figure("enrichments completed", `${records} of ${conversations} in ${(elapsedMs / 1000).toFixed(1)} s`, records === conversations, "all");
  report.figure("conversations with exactly one note", notes.filter((n) => n === 1).length, notes.every((n) => n === 1), `${conversations}`);
  report.figure("failed permanently (dead letters)", `${failed.length}`, failed.length === 0 && counts.failed === 0, "0");
});
