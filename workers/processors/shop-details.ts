import type { PrismaClient } from "@prisma/client";
import type { Job } from "bullmq";
import type { Logger } from "../../app/logger.server";
import { parseJobPayload } from "../../app/queues/jobs";
import type { AnalyticsSchedules } from "../../app/queues/analytics-schedules.server";
import { syncShopDetails } from "../../app/services/shop-details.server";
import { rescheduleWeeklyReport } from "../../app/services/weekly-report.server";
import type { AdminGraphql } from "../../app/shopify/admin-graphql.server";

export type AdminGraphqlFor = (shop: string) => Promise<AdminGraphql>;

/**
 * `shop.sync-details`: store the shop's name, currency, timezone and plan, and move the weekly report
 * to the (possibly new) timezone. Safe to run twice.
 */
export function createShopDetailsProcessor({ db, adminGraphqlFor, schedules, logger }: {
  db: PrismaClient;
  adminGraphqlFor: AdminGraphqlFor;
  schedules: Pick<AnalyticsSchedules, "scheduleWeeklyReport" | "unscheduleWeeklyReport">;
  logger: Logger;
}) {
  return async (job: Job) => {
    const { shop } = parseJobPayload("shop.sync-details", job.data);
    const graphql = await adminGraphqlFor(shop);
    await syncShopDetails({ db, graphql, logger: logger.child({ job: job.name, jobId: job.id }) }, shop);
    await rescheduleWeeklyReport({ db, schedules }, shop);
  };
}
