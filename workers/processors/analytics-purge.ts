import type { PrismaClient } from "@prisma/client";
import type { Job } from "bullmq";
import type { Logger } from "../../app/logger.server";
import { parseJobPayload } from "../../app/queues/jobs";
import { purgeExpiredAnalytics } from "../../app/services/analytics-retention.server";

/** `analytics.purge-expired`: the nightly purge of analytics rows older than each shop keeps them. Safe to run twice. */
export function createAnalyticsPurgeProcessor({ db, logger, now = () => new Date() }: { db: PrismaClient; logger: Logger; now?: () => Date }) {
  return async (job: Job) => {
    parseJobPayload("analytics.purge-expired", job.data);
    await purgeExpiredAnalytics({ db, logger: logger.child({ job: job.name, jobId: job.id }), now: now() });
  };
}
