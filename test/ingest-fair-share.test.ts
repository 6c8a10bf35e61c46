import { Queue, type Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAIR_SHARE_PER_SECOND } from "../app/queues/fair-share.server";
import { startOscarSimulator, type OscarSimulator } from "../sim/oscar/server";
import { startAppStack, type AppStack } from "./harness/app-stack";
import { connectShopToOscar, deliverOscarEvent, oscarWebhookTarget } from "./harness/oscar-webhook";
import { waitFor } from "./harness/wait";

const FLOODING = "flooding-shop.myshopify.com";
const QUIET = "quiet-shop.myshopify.com";
const FLOOD = 150;

const resolved = (id: string) => JSON.stringify({ id, type: "conversation.resolved", data: { conversation_id: `conv_${id}` } });

describe("one shop's flood of Oscar events", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let queue: Queue;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: ["osk_fair_share_flooding_01", "osk_fair_share_quiet_0002"] });
    stack = await startAppStack({ label: "ingest-fair-share", shops: [FLOODING, QUIET], extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await connectShopToOscar(stack, oscar.baseUrl, "osk_fair_share_flooding_01", FLOODING);
    await connectShopToOscar(stack, oscar.baseUrl, "osk_fair_share_quiet_0002", QUIET);
    queue = new Queue("oscar-events", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
  });
  afterAll(async () => {
    await queue?.close();
    await stack?.close();
    await oscar?.close();
  });

  it("does not hold up another shop's events: past its share, the flood waits for the slot the others leave free", async () => {
    // An agent closes 150 conversations at once in one shop (10 deliveries at a time, as fast as they go)…
    const flooding = await oscarWebhookTarget(stack.db, stack.appUrl, FLOODING);
    for (let sent = 0; sent < FLOOD; sent += 10) {
      const batch = Array.from({ length: 10 }, (_, i) => deliverOscarEvent(flooding.url, resolved(`evt_flood_${sent + i}`), { secret: flooding.secret }));
      expect((await Promise.all(batch)).map((r) => r.status)).toEqual(Array(10).fill(202));
    }
    // …and then a conversation ends in another.
    const quiet = await oscarWebhookTarget(stack.db, stack.appUrl, QUIET);
    expect((await deliverOscarEvent(quiet.url, resolved("evt_quiet"), { secret: quiet.secret })).status).toBe(202);

    const shopOf = (job: Job) => job.data.shop as string;
    const waiting = await queue.getJobs(["waiting"]);
    const aheadOfQuiet = waiting.filter((job) => shopOf(job) === FLOODING).length;
    // The flood's first share of each second queues as usual; the rest, in the slow lane.
    expect(aheadOfQuiet).toBeGreaterThanOrEqual(FAIR_SHARE_PER_SECOND);
    expect(aheadOfQuiet).toBeLessThan(FLOOD / 2);
    expect((await queue.getJobs(["prioritized"])).filter((job) => shopOf(job) === FLOODING)).toHaveLength(FLOOD - aheadOfQuiet);
    expect(waiting.filter((job) => shopOf(job) === QUIET)).toHaveLength(1);

    await stack.startWorker();
    await waitFor("every event handled", async () => (await queue.getJobCounts("completed")).completed === FLOOD + 1, 60_000);

    // The quiet shop's event started after only what was queued ahead of it, not after the whole flood.
    const completed = await queue.getJobs(["completed"], 0, -1);
    const quietStart = completed.find((job) => shopOf(job) === QUIET)!.processedOn!;
    const floodStartedBefore = completed.filter((job) => shopOf(job) === FLOODING && job.processedOn! < quietStart).length;
    expect(floodStartedBefore).toBeLessThanOrEqual(aheadOfQuiet);
    expect(floodStartedBefore).toBeLessThan(FLOOD / 2);
    // Every event of the flood was still handled: it was queued later, not dropped.
    const recorded = await stack.db.conversationRecord.count({ where: { shop: FLOODING, resolvedAt: { not: null } } });
    expect(recorded).toBe(FLOOD);
  });
});
