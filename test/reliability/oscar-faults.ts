/**
 * Oscar answering 429 (bursts with Retry-After) and 5xx for a minute while conversations keep
 * coming: afterwards everything completes, the app's rate limit held (Oscar's own limit never
 * answered 429), and any job past its retry budget sits in BullMQ's failed set (the dead letters).
 */
import { OSCAR_KEY, runCase, scaled, sleep, startReliabilityStack, waitUntil } from "./support/stack";

await runCase("Oscar 429 and 5xx for a minute", async (report, onClose) => {
  const stack = await startReliabilityStack({ name: "oscar-faults", customers: 80 });
  onClose(() => stack.close());
  await stack.startWorker();
  const faultMs = scaled(60_000, 10_000);
  // Of every 4 requests the first is a 429 (Retry-After 1 s); of the rest, a quarter get 500/502/503.
  stack.oscar.setFaults({ rateLimitBursts: { every: 4, length: 1, retryAfterSeconds: 1 }, serverErrorRate: 0.25, seed: 7 });
  const faultsFrom = Date.now();
  const opened: string[] = [];
  while (Date.now() - faultsFrom < faultMs) {
    const customer = stack.store.customers[opened.length % stack.store.customers.length];
    opened.push(stack.oscar.scenario.shopperOpensConversation({ email: customer.email, name: customer.firstName, message: "Can I change my address?" }).conversationId);
    await sleep(1_500);
  }
  const injected = stack.oscar.inspect.injectedFaults();
  stack.oscar.setFaults({});
  const clearedAt = Date.now();

  const settled = async () => {
    const c = await stack.jobCounts();
    return c.waiting + c.active + c.delayed + c.prioritized === 0;
  };
  await waitUntil("every job completed or dead-lettered", settled, 240_000, 250);
  const settledMs = Date.now() - clearedAt;
  await sleep(1_000);

  const counts = await stack.jobCounts();
  const failed = await stack.queue.getFailed(0, -1);
  const requests = stack.oscar.inspect.requests(OSCAR_KEY);
  const maxInMinute = requests.maxInWindow(60_000);
  const notes = opened.map((id) => stack.oscar.inspect.notes(id).length);
  const missing = notes.filter((n) => n === 0).length;
  const doubled = notes.filter((n) => n > 1).length;

  report.info(`${opened.length} conversations over ${(faultMs / 1000).toFixed(0)} s of faults; injected ${injected.rateLimitBursts} 429s and ${injected.serverErrors} 5xx out of ${requests.total} Oscar requests`);
  report.figure("time to settle after Oscar recovered", `${(settledMs / 1000).toFixed(1)} s`, true, "reported");
  report.figure("jobs completed + dead-lettered = jobs stored", `${counts.completed} + ${counts.failed} = ${counts.completed + counts.failed}`, counts.waiting + counts.active + counts.delayed === 0, "nothing left waiting or retrying");
  report.figure("dead letters, each with its reason", `${failed.length}${failed.length ? ` (${[...new Set(failed.map((j) => j.failedReason))].join("; ")})` : ""}`, failed.every((j) => Boolean(j.failedReason)), "visible in the failed set");
  report.figure("conversations enriched exactly once", `${opened.length - missing - doubled} of ${opened.length} (missing ${missing}, doubled ${doubled})`, doubled === 0 && missing === failed.filter((j) => j.data.type === "conversation.created").length, "all but dead-lettered ones, 0 doubled");
  report.figure("Oscar requests in the busiest 60 s", maxInMinute, maxInMinute <= 300, "<= 300 (Oscar's limit)");
  report.figure("429s from Oscar's own limit (not injected)", requests.rateLimited, requests.rateLimited === 0, "0");
});
