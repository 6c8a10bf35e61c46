import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { createOscarClientFactory } from "../oscar/for-shop.server";
import { createAnalyticsSchedules } from "../queues/analytics-schedules.server";
import { producerRedis } from "../queues/index.server";
import { limiter, sendSlack } from "./settings-context.server";
import type { WeeklyReportDeps } from "./weekly-report.server";

/** What the analytics page's services talk to, built once per web process from the setup modules. */

const settings = config();

export const analyticsDeps: WeeklyReportDeps = {
  db: prisma,
  logger,
  keyring: settings.encryption,
  sendSlack,
  apiKey: settings.shopify.apiKey,
  // The dashboard shows the app's own figures without Oscar's after about 3 s of a slow Oscar.
  oscarFor: createOscarClientFactory({ db: prisma, keyring: settings.encryption, baseUrl: settings.oscarApiBase, limiter, logger, timeoutMs: 3_000, retry: { maxAttempts: 2, maxTotalMs: 3_000 } }),
};

export const analyticsSchedules = createAnalyticsSchedules({ connection: producerRedis, prefix: settings.redis.prefix });
