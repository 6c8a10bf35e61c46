/**
 * The worker process (`npm run worker`): runs queued jobs, separate from the web process so slow
 * Shopify or Oscar calls never hold up a web request. Stops gracefully on SIGTERM/SIGINT: active
 * jobs finish, nothing new is taken.
 */
import { Queue, Worker, type Job } from "bullmq";
import { config } from "../app/config.server";
import prisma from "../app/db.server";
import { logger } from "../app/logger.instance.server";
import { QUEUES, isJobName, type JobName } from "../app/queues/jobs";
import { createProducerConnection, createWorkerConnection } from "../app/queues/redis.server";
import { workerOptions } from "../app/queues/worker-options.server";
import { createOscarClientFactory } from "../app/oscar/for-shop.server";
import { createOscarJobStarts, createOscarRateLimiter } from "../app/oscar/rate-limit.server";
import { createCustomerLookup } from "../app/services/customer-lookup.server";
import { recordFailedJob } from "../app/services/failed-jobs.server";
import { createFlowTriggerUsageCache } from "../app/services/flow-trigger-usage-cache.server";
import { flowTriggersInUse } from "../app/services/flow-triggers.server";
import { createSlackSender } from "../app/slack/slack.server";
import { createAdminThrottle } from "../app/shopify/admin-throttle.server";
import { unauthenticated } from "../app/shopify.server";
import { withFailureClassification } from "./failures";
import { createFlowActionProcessor } from "./processors/flow-action";
import { createOscarEventProcessor } from "./processors/oscar-event";
import { createShopDetailsProcessor } from "./processors/shop-details";
import { createKnowledgeSyncProcessor } from "./processors/knowledge-sync";
import { createAnalyticsPurgeProcessor } from "./processors/analytics-purge";
import { createWeeklyReportProcessor } from "./processors/weekly-report";
import { createAnalyticsSchedules } from "../app/queues/analytics-schedules.server";
import { createJobProducer } from "../app/queues/producer.server";
import { promoteDelayedJobs } from "../app/queues/conversation-lock.server";
import { createSecretsReencryptProcessor, reportOldSecretsAtStartup } from "./processors/secrets-reencrypt";

const settings = config();
const keyring = settings.encryption;
const prefix = `${settings.redis.prefix}:`;
// Caches, rate limits and round-robin turns: shared by every worker process through Redis.
const redis = createProducerConnection(settings.redis.url, { enableOfflineQueue: true, maxRetriesPerRequest: 20 });
redis.on("error", (error) => logger.warn({ error: error.message }, "redis connection error"));
// Every Admin API call a job makes waits for that shop's cost budget (shared through Redis).
const adminThrottle = createAdminThrottle({ redis, prefix });
const adminGraphqlFor = async (shop: string) => adminThrottle(shop, (await unauthenticated.admin(shop)).admin.graphql);

const schedules = createAnalyticsSchedules({ connection: redis, prefix: settings.redis.prefix });
const oscarFor = createOscarClientFactory({
  db: prisma,
  keyring,
  baseUrl: settings.oscarApiBase,
  limiter: createOscarRateLimiter({ redis, prefix: `${prefix}oscar-rate:` }),
  jobStarts: createOscarJobStarts({ redis, prefix: `${prefix}oscar-rate:` }),
  logger,
});
// The sandbox's local Slack receiver is reachable only outside production, as in the settings page.
const sendSlack = createSlackSender({ allowLocalReceiver: settings.env !== "production" });

// Which Flow triggers each shop's workflows use, kept until the web process announces a change.
const flowUsageSubscriber = createWorkerConnection(settings.redis.url);
flowUsageSubscriber.on("error", () => {}); // the main connection above already reports Redis errors
const flowTriggerUsage = createFlowTriggerUsageCache({ subscriber: flowUsageSubscriber, redisPrefix: settings.redis.prefix, load: (shop) => flowTriggersInUse(prisma, shop) });

// Deferred events woken by the job that held their conversation (see withConversationLock).
const oscarEvents = new Queue(QUEUES.oscarEvents, { connection: redis, prefix: settings.redis.prefix });
oscarEvents.on("error", (error) => logger.warn({ error: error.message }, "oscar-events queue error"));

const processors: Record<JobName, (job: Job, token?: string) => Promise<unknown>> = {
  "shop.sync-details": createShopDetailsProcessor({ db: prisma, adminGraphqlFor, schedules, logger }),
  "oscar.event": createOscarEventProcessor({
    db: prisma,
    appSecret: settings.shopify.apiSecret,
    lockMs: settings.workerLockMs,
    redis,
    redisPrefix: prefix,
    keyring,
    oscarFor,
    adminGraphqlFor,
    findCustomer: createCustomerLookup({ redis, prefix, keyring }),
    sendSlack,
    flowTriggersInUse: flowTriggerUsage.inUse,
    wakeJobs: promoteDelayedJobs(oscarEvents),
    logger,
  }),
  "analytics.weekly-report": createWeeklyReportProcessor({ db: prisma, oscarFor, keyring, sendSlack, apiKey: settings.shopify.apiKey, logger }),
  "analytics.purge-expired": createAnalyticsPurgeProcessor({ db: prisma, logger }),
  "knowledge.sync": createKnowledgeSyncProcessor({ db: prisma, adminGraphqlFor, oscarFor, logger }),
  "secrets.reencrypt": createSecretsReencryptProcessor({ db: prisma, redis, prefix, keyring, logger }),
  "flow.action": createFlowActionProcessor({ oscarFor, keyring, logger }),
};

const process_ = withFailureClassification(async (job: Job, token?: string) => {
  if (!isJobName(job.name)) throw new Error(`No processor for job ${job.name}`);
  return processors[job.name](job, token);
});

const workers = Object.values(QUEUES).map((queue) => {
  const worker = new Worker(queue, process_, workerOptions(settings));
  worker.on("completed", (job) => logger.info({ queue, job: job.name, jobId: job.id }, "job completed"));
  worker.on("failed", (job, error) => {
    logger.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, error: error.message }, "job failed");
    recordFailedJob({ redis, keyPrefix: prefix }, queue, job).catch((indexError: unknown) =>
      logger.warn({ queue, jobId: job?.id, error: indexError instanceof Error ? indexError.message : "unknown" }, "failed job not indexed"),
    );
  });
  worker.on("error", (error) => logger.error({ queue, error: error.message }, "worker error"));
  return worker;
});

// Registering the nightly purge again replaces it: every worker may do so at start.
await schedules.scheduleRetention();
logger.info({ queues: Object.values(QUEUES), concurrency: settings.workerConcurrency }, "worker ready");

// Secrets under an old key are counted and, if any, re-encrypted (after a key rotation, once per deploy).
// Not awaited: the shutdown handlers below must be in place while it runs.
const producer = createJobProducer({ connection: redis, prefix: settings.redis.prefix });
void reportOldSecretsAtStartup({
  db: prisma, redis, prefix, keyring, logger,
  // A fixed id: several workers starting together queue one job; removed when done so the next deploy can queue it again.
  enqueue: () => producer.enqueue("secrets.reencrypt", {}, { jobId: "secrets-reencrypt", removeOnComplete: true, removeOnFail: true, attempts: 3 }),
}).catch((error: unknown) => logger.error({ error: (error as Error).message }, "counting secrets under an old key failed"));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing active jobs");
  await Promise.all(workers.map((w) => w.close()));
  await schedules.close();
  await producer.close();
  await oscarEvents.close();
  await prisma.$disconnect();
  redis.disconnect();
  flowUsageSubscriber.disconnect();
  logger.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
