import type { Job } from "bullmq";
import { parseJobPayload } from "../../app/queues/jobs";
import { sendWeeklyReport, type WeeklyReportDeps } from "../../app/services/weekly-report.server";

/**
 * `analytics.weekly-report`: the shop's Monday report. The run's scheduled instant (not the moment a
 * worker got to it) decides the week, so a late or repeated run reports the same week.
 */
export function createWeeklyReportProcessor(deps: WeeklyReportDeps) {
  return async (job: Job) => {
    const { shop } = parseJobPayload("analytics.weekly-report", job.data);
    const at = new Date(job.opts.prevMillis ?? job.timestamp);
    const outcome = await sendWeeklyReport({ ...deps, logger: deps.logger.child({ job: job.name, jobId: job.id }) }, shop, { at, manual: false });
    if (outcome !== "sent") deps.logger.info({ shop, outcome }, "weekly report not sent");
  };
}
