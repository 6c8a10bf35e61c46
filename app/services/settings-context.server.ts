import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { createOscarClient } from "../oscar/client.server";
import { createOscarClientFactory } from "../oscar/for-shop.server";
import { createOscarRateLimiter, type OscarRateLimiter } from "../oscar/rate-limit.server";
import { producerRedis } from "../queues/index.server";
import { whenReady } from "../queues/redis.server";
import { createSlackSender } from "../slack/slack.server";
import { createFailedJobs } from "./failed-jobs.server";
import { createUnexpectedOscarEvents } from "./unexpected-oscar-events.server";
import type { OscarConnectionDeps } from "./oscar-connection.server";

/**
 * What the admin pages' services talk to, built once per web process from the setup modules.
 * Oscar calls made while a merchant waits retry briefly: a page should answer within seconds.
 */

const settings = config();

// The same per-key budget the worker uses (same Redis keys), so the admin never pushes a key over Oscar's limit.
const sharedLimiter = createOscarRateLimiter({ redis: producerRedis, prefix: `${settings.redis.prefix}:oscar-rate:` });
export const limiter: OscarRateLimiter = {
  async acquire(apiKey, options) {
    await whenReady(producerRedis);
    return sharedLimiter.acquire(apiKey, options);
  },
};

export const oscarConnectionDeps: OscarConnectionDeps = {
  db: prisma,
  keyring: settings.encryption,
  appUrl: settings.shopify.appUrl,
  logger,
  oscarWithKey: (apiKey) =>
    createOscarClient({ baseUrl: settings.oscarApiBase, apiKey, limiter, logger, timeoutMs: 8_000, retry: { maxAttempts: 2, maxTotalMs: 5_000 } }),
};

/**
 * The shop's stored key, for reading its widgets, bots and agents while a page loads: a short
 * budget (one retry, 3 s), because a page that falls back to typed ids beats a page that hangs.
 */
export const oscarChoicesDeps = {
  oscarForShop: createOscarClientFactory({
    db: prisma,
    keyring: settings.encryption,
    baseUrl: settings.oscarApiBase,
    limiter,
    logger,
    timeoutMs: 3_000,
    retry: { maxAttempts: 2, maxTotalMs: 3_000 },
  }),
};

export const settingsDeps = { db: prisma, keyring: settings.encryption, logger };

export const failedJobs = createFailedJobs({ connection: producerRedis, prefix: settings.redis.prefix });

/** Same keys as the ingest path (app/webhooks/oscar-fast-path.server.ts) writes. */
export const unexpectedOscarEvents = createUnexpectedOscarEvents({ redis: producerRedis, prefix: `${settings.redis.prefix}:`, keyring: settings.encryption });

/** Loopback Slack URLs (the sandbox's local receiver) are accepted only outside production. */
export const allowLoopbackSlack = settings.env !== "production";

export const sendSlack = createSlackSender({ allowLocalReceiver: allowLoopbackSlack });

export const shopifyApiKey = settings.shopify.apiKey;
