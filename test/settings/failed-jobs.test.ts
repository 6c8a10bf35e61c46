import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../app/queues/jobs";
import { failedJobIndexKey, recordFailedJob } from "../../app/services/failed-jobs.server";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { startOwnRedis } from "../harness/redis";
import { redisCommandsDuring } from "../harness/redis-monitor";
import { sendShopifyWebhook, shopifyDelivery, shopifyPayloads } from "../harness/shopify-webhooks";
import { waitFor } from "../harness/wait";
import { FAILED_JOBS, HOME_DATA, loadRoute, postForm } from "./admin-requests";

const SHOP_A = TEST_SHOP;
const SHOP_B = "oscar-other-shop.myshopify.com";

type FailedJobsData = {
  reachable: boolean;
  jobs: Array<{ ref: string; what: string; eventType: string | null; reason: string; attempts: number; createdAt: string; failedAt: string }>;
};

/** An Oscar event job as the ingest route stores it: ids and an encrypted event, nothing readable. */
const eventJob = (shop: string, eventKey: string, type: string) => ({ shop, eventKey, type, receivedAt: Date.now(), sealedEvent: `v1.${eventKey}.sealed` });

describe("failed jobs: the shop's own dead letters, with retry and discard", () => {
  let stack: AppStack;
  let queue: Queue;
  let own: Awaited<ReturnType<typeof startOwnRedis>>;
  let redis: Redis;
  // Connections handed to BullMQ stay open after it closes: closed here before the Redis stops.
  const connections: Redis[] = [];
  const connect = (options = {}) => {
    const connection = new Redis(own.url, options);
    connections.push(connection);
    return connection;
  };
  const indexEntries = (shop: string) => redis.zrevrange(indexKey(shop), 0, -1);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // A Redis of its own: MONITOR then sees only this test's commands.
    own = await startOwnRedis();
    redis = connect();
    stack = await startAppStack({ label: "failed-jobs", shops: [SHOP_A, SHOP_B], redisUrl: own.url });
    await installShop(stack, SHOP_A);
    await installShop(stack, SHOP_B);
    const prefix = stack.env.REDIS_PREFIX;
    queue = new Queue(QUEUES.oscarEvents, { connection: connect(), prefix });

    // Fail three jobs for good, as the worker does when retrying cannot help.
    const reasons: Record<string, Error> = {
      "evt-a1": new UnrecoverableError("Oscar rejected the API key"),
      "evt-a2": new UnrecoverableError("No customer matched maya.lopez@example.com in the store"),
      "evt-b1": new UnrecoverableError("Oscar could not find the conversation"),
    };
    for (const [eventKey, shop] of [["evt-a1", SHOP_A], ["evt-a2", SHOP_A], ["evt-b1", SHOP_B]] as const) {
      const job = await queue.add("oscar.event", eventJob(shop, eventKey, eventKey === "evt-a2" ? "bot.escalated" : "message.created"), { attempts: 1 });
      ids[eventKey] = String(job.id);
    }
    const worker = new Worker(QUEUES.oscarEvents, async (job: Job) => Promise.reject(reasons[job.data.eventKey]), {
      connection: connect({ maxRetriesPerRequest: null }),
      prefix,
    });
    // The app's worker notes each final failure in the shop's index with this same listener (workers/index.ts).
    const indexRedis = connect();
    worker.on("failed", (job) => void recordFailedJob({ redis: indexRedis, keyPrefix: `${prefix}:` }, QUEUES.oscarEvents, job));
    await waitFor("three failed jobs", async () => (await queue.getFailedCount()) === 3);
    await waitFor("three indexed failures", async () => (await indexRedis.zcard(indexKey(SHOP_A))) + (await indexRedis.zcard(indexKey(SHOP_B))) === 3);
    await worker.close();
  });

  afterAll(async () => {
    await queue?.close();
    for (const connection of connections) connection.disconnect();
    await stack?.close();
    await own?.stop();
  });

  const ref = (eventKey: string) => `${QUEUES.oscarEvents}:${ids[eventKey]}`;
  const indexKey = (shop: string) => failedJobIndexKey(`${stack.env.REDIS_PREFIX}:`, shop);

  it("lists only this shop's failed jobs: what, why, when, without the event or personal data", async () => {
    const { status, body, text } = await loadRoute<FailedJobsData>(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id);
    expect(status).toBe(200);
    expect(body.reachable).toBe(true);
    expect(body.jobs.map((j) => j.ref).sort()).toEqual([ref("evt-a1"), ref("evt-a2")].sort());
    expect(body.jobs.find((j) => j.ref === ref("evt-a1"))).toMatchObject({
      what: "Process an event from Oscar",
      eventType: "message.created",
      reason: "Oscar rejected the API key",
      attempts: 1,
      createdAt: expect.any(String),
      failedAt: expect.any(String),
    });
    expect(body.jobs.find((j) => j.ref === ref("evt-a2"))?.reason).toBe("No customer matched [email hidden] in the store");
    expect(text).not.toContain("maya.lopez@example.com");
    expect(text).not.toContain("sealed");

    const other = await loadRoute<FailedJobsData>(stack, SHOP_B, FAILED_JOBS.path, FAILED_JOBS.id);
    expect(other.body.jobs.map((j) => j.ref)).toEqual([ref("evt-b1")]);

    const home = await loadRoute<{ queue: { reachable: boolean; failedJobs: number } }>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id);
    expect(home.body.queue).toEqual({ reachable: true, failedJobs: 2 });
  });

  it("a page view reads only this shop's failed jobs, never the shared failed set or another shop's job", async () => {
    const prefix = stack.env.REDIS_PREFIX;
    const commands = await redisCommandsDuring(own.url, prefix, async () => {
      const { body } = await loadRoute<FailedJobsData>(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id);
      expect(body.jobs).toHaveLength(2);
    });
    const keys = commands.flatMap((args) => args.slice(1));
    expect(keys).toContain(indexKey(SHOP_A));
    expect(keys).toContain(`${prefix}:${QUEUES.oscarEvents}:${ids["evt-a1"]}`);
    // The shared failed set is only asked about this shop's own jobs (is it still failed?), never listed.
    const onFailedSet = commands.filter((args) => args.includes(`${prefix}:${QUEUES.oscarEvents}:failed`));
    expect(onFailedSet.length).toBeGreaterThan(0);
    expect(onFailedSet.filter(([name, key, member]) => !(name?.toLowerCase() === "zscore" && key?.endsWith(":failed") && [ids["evt-a1"], ids["evt-a2"]].includes(member!)))).toEqual([]);
    const jobB = `${prefix}:${QUEUES.oscarEvents}:${ids["evt-b1"]}`;
    expect(keys.filter((key) => key === jobB || key.startsWith(`${jobB}:`) || key.includes(SHOP_B))).toEqual([]);
  });

  it("cannot retry or discard another shop's job: it answers as if the job did not exist", async () => {
    for (const intent of ["retry", "discard"]) {
      const { status, body } = await postForm(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id, { intent, ref: ref("evt-b1") });
      expect(status).toBe(404);
      expect(body.message).toBe("That failed job no longer exists: it may have been retried or discarded already.");
    }
    expect(await (await queue.getJob(ids["evt-b1"]))?.getState()).toBe("failed");
  });

  it("retries a job with a fresh set of attempts, and discards another", async () => {
    const retried = await postForm(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id, { intent: "retry", ref: ref("evt-a1") });
    expect(retried.body).toMatchObject({ ok: true, message: "Job queued again" });
    const job = await queue.getJob(ids["evt-a1"]);
    expect(await job?.getState()).toBe("waiting");
    expect(job?.attemptsMade).toBe(0);

    const discarded = await postForm(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id, { intent: "discard", ref: ref("evt-a2") });
    expect(discarded.body).toMatchObject({ ok: true, message: "Job discarded" });
    expect(await queue.getJob(ids["evt-a2"])).toBeUndefined();

    const again = await postForm(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id, { intent: "discard", ref: ref("evt-a2") });
    expect(again.status).toBe(404);
    const { body } = await loadRoute<FailedJobsData>(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id);
    expect(body.jobs).toEqual([]);
    expect(await indexEntries(SHOP_A)).toEqual([]);
  });

  it("shop/redact removes the shop's failed jobs and its index, and leaves the neighbour's", async () => {
    expect(await indexEntries(SHOP_B)).toEqual([ref("evt-b1")]);
    const answer = await sendShopifyWebhook(stack.appUrl, shopifyDelivery("shop/redact", SHOP_B, shopifyPayloads.shopRedact(SHOP_B)));
    expect(answer.status).toBe(200);
    expect(await indexEntries(SHOP_B)).toEqual([]);
    expect(await queue.getJob(ids["evt-b1"])).toBeUndefined();
    expect(await queue.getJob(ids["evt-a1"])).toBeDefined();
  });

  it("refuses a malformed request with a sentence", async () => {
    const { status, body } = await postForm(stack, SHOP_A, FAILED_JOBS.path, FAILED_JOBS.id, { intent: "explode", ref: "x" });
    expect(status).toBe(400);
    expect(body.message).toBe("That request is not one this page sends.");
  });
});
