import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { WEEKLY_REPORT_CRON } from "../services/analytics-periods";
import { JOBS, QUEUES } from "./jobs";
import { QueueUnavailableError } from "./producer.server";
import { whenReady } from "./redis.server";

/**
 * The analytics' repeatable jobs, as BullMQ job schedulers. A scheduler is one record per id in
 * Redis, so registering it again (another web process, a restarted worker) replaces it instead of
 * adding a second, and each run is one job whose id is the scheduler's id and the run's time: with
 * any number of workers, one of them takes it.
 */

/** Named for the shop, so uninstall and shop/redact remove it with the shop's other jobs. */
export const weeklyReportSchedulerId = (shop: string) => `weekly-report:${shop}`;
export const RETENTION_SCHEDULER_ID = "analytics-retention";

/**
 * Mondays 9:00 in the shop's timezone, the first one after `from`. BullMQ counts from its own
 * `Date.now()` unless given a later `startDate`; passing the schedules' clock makes the instant the
 * app reads the one the next run is counted from.
 */
export const weeklyReportRepeat = (timeZone: string, from: Date) => ({ pattern: WEEKLY_REPORT_CRON, tz: timeZone, startDate: from });
/** Every night at 3:30 UTC. */
export const RETENTION_REPEAT = { pattern: "30 3 * * *", tz: "UTC" };

const RUN_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: "exponential", delay: 30_000 },
  removeOnComplete: { age: 30 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
};

export type AnalyticsSchedules = {
  scheduleWeeklyReport(shop: string, timeZone: string): Promise<void>;
  unscheduleWeeklyReport(shop: string): Promise<void>;
  /** When the shop's next report is due, or null when none is scheduled. */
  nextWeeklyReport(shop: string): Promise<Date | null>;
  scheduleRetention(): Promise<void>;
  close(): Promise<void>;
};

/** `clock`: the time the schedules count from (the system's, unless a test sets the date). */
export function createAnalyticsSchedules({ connection, prefix, clock = () => new Date() }: { connection: Redis; prefix: string; clock?: () => Date }): AnalyticsSchedules {
  const queue = new Queue(QUEUES.analytics, { connection, prefix });
  // Errors surface on the calls below; without a listener Node would treat them as unhandled.
  queue.on("error", () => {});
  const ready = () => whenReady(connection).catch((error) => Promise.reject(new QueueUnavailableError(error)));
  return {
    async scheduleWeeklyReport(shop, timeZone) {
      await ready();
      const data = JOBS["analytics.weekly-report"].payload.parse({ shop });
      await queue.upsertJobScheduler(weeklyReportSchedulerId(shop), weeklyReportRepeat(timeZone, clock()), { name: "analytics.weekly-report", data, opts: RUN_OPTIONS });
    },
    async unscheduleWeeklyReport(shop) {
      await ready();
      await queue.removeJobScheduler(weeklyReportSchedulerId(shop));
    },
    async nextWeeklyReport(shop) {
      await ready();
      const scheduler = await queue.getJobScheduler(weeklyReportSchedulerId(shop));
      return scheduler?.next ? new Date(scheduler.next) : null;
    },
    async scheduleRetention() {
      await queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, RETENTION_REPEAT, { name: "analytics.purge-expired", data: {}, opts: RUN_OPTIONS });
    },
    close: () => queue.close(),
  };
}
