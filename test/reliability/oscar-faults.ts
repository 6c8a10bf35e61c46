/**
 * Oscar answering 429 (bursts with Retry-After) and 5xx for a minute while conversations keep
 * coming: afterwards everything completes, the app's rate limit held (Oscar's own limit never
 * answered 429). Then Oscar is down outright for longer than a job's retry budget: those jobs end
 * in BullMQ's failed set (the dead letters) with their reason, and retried from there as the
 * admin's Retry button does, they complete, each conversation with exactly one note.
 *
 * Oscar's own limit is only a sanity check here: one conversation every 1.5 s asks for about 180
 * requests a minute, retries included, under the 300 Oscar allows, so a limiter letting everything
 * through would pass this case too. Whether the limiter holds 300 under load, and does not stall
 * below it, is test/reliability/oscar-rate-limit.ts's job: the same worker processes, client and
 * Redis limiter against the same simulator, offered twice Oscar's limit. Loading this case that
 * much would make its figures (time to settle, dead letters) measure the queue behind the limit
 * rather than recovery from faults.
 */
import { createFailedJobs } from "../../app/services/failed-jobs.server";
import { OSCAR_KEY, runCase, scaled, SHOP, sleep, startReliabilityStack, waitUntil } from "./support/stack";

// A retry budget of 3 tries, 0.2 s then 0.4 s apart (plus the Oscar client's own retries inside each
// try), so an outage can outlast it within the case; production tries 8 times over about 2 minutes.
const RETRY_ENV = { JOB_ATTEMPTS: "3", JOB_BACKOFF_MS: "200" };

await runCase("Oscar 429 and 5xx for a minute", async (report, onClose) => {
  const stack = await startReliabilityStack({ name: "oscar-faults", customers: 80, env: RETRY_ENV });
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
  const failedAfterFaults = await stack.queue.getFailed(0, -1);
  const requests = stack.oscar.inspect.requests(OSCAR_KEY);
  const maxInMinute = requests.maxInWindow(60_000);
  const notesOf = (ids: string[]) => ids.map((id) => stack.oscar.inspect.notes(id).length);
  const notes = notesOf(opened);
  const missing = notes.filter((n) => n === 0).length;
  const doubled = notes.filter((n) => n > 1).length;

  report.info(`${opened.length} conversations over ${(faultMs / 1000).toFixed(0)} s of faults; injected ${injected.rateLimitBursts} 429s and ${injected.serverErrors} 5xx out of ${requests.total} Oscar requests`);
  report.figure("time to settle after Oscar recovered", `${(settledMs / 1000).toFixed(1)} s`, true, "reported");
  report.figure("jobs completed + dead-lettered = jobs stored", `${counts.completed} + ${counts.failed} = ${counts.completed + counts.failed}`, counts.waiting + counts.prioritized + counts.active + counts.delayed === 0, "nothing left waiting or retrying");
  report.figure("conversations enriched exactly once", `${opened.length - missing - doubled} of ${opened.length} (missing ${missing}, doubled ${doubled})`, doubled === 0 && missing === failedAfterFaults.filter((j) => j.data.type === "conversation.created").length, "all but dead-lettered ones, 0 doubled");
  report.figure("Oscar requests in the busiest 60 s", maxInMinute, maxInMinute <= 300, "<= 300 (Oscar's limit)");
  report.figure("429s from Oscar's own limit (not injected)", requests.rateLimited, requests.rateLimited === 0, "0");

  // Oscar down outright: every request answered 503 until the stored jobs have used up their tries.
  stack.oscar.setFaults({ serverErrorRate: 1, seed: 8 });
  const duringOutage: string[] = [];
  for (let i = 0; i < scaled(8, 3); i++) {
    const customer = stack.store.customers[(opened.length + i) % stack.store.customers.length];
    duringOutage.push(stack.oscar.scenario.shopperOpensConversation({ email: customer.email, name: customer.firstName, message: "Can I change my address?" }).conversationId);
    await sleep(500);
  }
  const outageFrom = Date.now();
  const enrichmentsFailed = async () => (await stack.queue.getFailed(0, -1)).filter((j) => j.data.type === "conversation.created").length;
  const expectedDead = failedAfterFaults.filter((j) => j.data.type === "conversation.created").length + duringOutage.length;
  await waitUntil("the outage's enrichments to use up their retry budget", async () => (await enrichmentsFailed()) >= expectedDead, 180_000, 250);
  const outageMs = Date.now() - outageFrom;
  const dead = await stack.queue.getFailed(0, -1);
  stack.oscar.setFaults({});
  report.figure(
    "dead letters after the outage outlasted the retry budget",
    `${dead.length} in the failed set after ${(outageMs / 1000).toFixed(1)} s (${[...new Set(dead.map((j) => j.failedReason))].join("; ")}), ${dead.filter((j) => j.attemptsMade === 3).length} of them after 3 tries`,
    dead.length >= duringOutage.length && dead.every((j) => Boolean(j.failedReason)),
    `>= ${duringOutage.length}, each with its reason`,
  );

  // Oscar is back: the merchant presses Retry on each dead letter (the failed-jobs page's service).
  const failedJobs = createFailedJobs({ connection: stack.redis, prefix: stack.prefix });
  onClose(() => failedJobs.close());
  const listed = await failedJobs.list(SHOP);
  for (const job of listed) await failedJobs.retry(SHOP, job.ref);
  await waitUntil("the retried dead letters to finish", settled, 120_000, 250);
  await sleep(1_000);
  const everyConversation = [...opened, ...duringOutage];
  const finalNotes = notesOf(everyConversation);
  const left = await stack.queue.getFailed(0, -1);
  report.figure("dead letters listed for the shop and retried", `${listed.length} of ${dead.length}`, listed.length === dead.length, "all");
  report.figure(
    "after the retries: conversations with exactly one note",
    `${finalNotes.filter((n) => n === 1).length} of ${everyConversation.length} (missing ${finalNotes.filter((n) => n === 0).length}, doubled ${finalNotes.filter((n) => n > 1).length}); ${left.length} dead letters left`,
    finalNotes.every((n) => n === 1) && left.length === 0,
    "all, none left in the failed set",
  );
});
