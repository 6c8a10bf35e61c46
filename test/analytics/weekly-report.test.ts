import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveSlackUrl } from "../../app/models/slack-settings.server";
import { QUEUES } from "../../app/queues/jobs";
import { weeklyReportSchedulerId } from "../../app/queues/analytics-schedules.server";
import { nextWeeklyReportAt, reportedWeek } from "../../app/services/analytics-periods";
import { formatPeriod } from "../../app/services/analytics-format";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { installShop, startAppStack, type AppStack } from "../harness/app-stack";
import { SHARED_REDIS_URL } from "../harness/redis";
import { testKeyring } from "../harness/support-scenario";
import { waitFor } from "../harness/wait";
import { postForm, type FormAnswer } from "../settings/admin-requests";

/** Three shops in three timezones, three worker processes, one weekly report per shop in Slack. */

const SHOPS = [
  { shop: "weekly-ny.myshopify.com", timeZone: "America/New_York" },
  { shop: "weekly-berlin.myshopify.com", timeZone: "Europe/Berlin" },
  { shop: "weekly-kolkata.myshopify.com", timeZone: "Asia/Kolkata" },
];
const ANALYTICS = { path: "/app/analytics", id: "routes/app.analytics" } as const;
const channelOf = (shop: string) => `report-${shop.split(".")[0]}`;

describe("the weekly Slack report", () => {
  let slack: SlackReceiver;
  let stack: AppStack;
  let queue: Queue;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "weekly-report", shops: SHOPS.map((s) => s.shop) });
    for (const { shop } of SHOPS) await installShop(stack, shop);
    // Three workers from the start; the shop details they sync first are then overwritten below with the timezones under test.
    await Promise.all([stack.startWorker(), stack.startWorker(), stack.startWorker()]);
    await waitFor("the shops' details synced", async () => (await stack.db.shop.count({ where: { detailsSyncedAt: { not: null } } })) === SHOPS.length);
    queue = new Queue(QUEUES.analytics, { connection: { url: SHARED_REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
  });

  afterAll(async () => {
    await queue?.close();
    await stack?.close();
    await slack?.close();
  });

  const enable = (shop: string) =>
    postForm<FormAnswer>(stack, shop, ANALYTICS.path, ANALYTICS.id, { intent: "save-analytics-settings", weeklyReportEnabled: "true", assistedWindowDays: "7", retentionDays: "365" });

  it("is registered per shop as a job scheduler: Mondays 9:00 in the shop's timezone", async () => {
    for (const { shop, timeZone } of SHOPS) {
      await stack.db.shop.update({ where: { domain: shop }, data: { ianaTimezone: timeZone, currencyCode: "USD" } });
      await saveSlackUrl(stack.db, testKeyring(), shop, "report", slack.webhookUrl(channelOf(shop)));
      // Saved twice (two web processes, a double click): still one scheduler.
      expect((await enable(shop)).body.ok).toBe(true);
      expect((await enable(shop)).body.ok).toBe(true);
    }
    const now = new Date();
    for (const { shop, timeZone } of SHOPS) {
      const scheduler = await queue.getJobScheduler(weeklyReportSchedulerId(shop));
      expect(scheduler).toMatchObject({ pattern: "0 9 * * 1", tz: timeZone, next: nextWeeklyReportAt(now, timeZone).getTime() });
    }
    const reports = (await queue.getDelayed()).filter((j) => j.name === "analytics.weekly-report");
    expect(reports.map((j) => j.data.shop).sort()).toEqual(SHOPS.map((s) => s.shop).sort());
  });

  it("with three workers running, sends exactly one message per shop, for the week before the Monday it was due", async () => {
    const due = new Map<string, number>();
    for (const job of (await queue.getDelayed()).filter((j) => j.name === "analytics.weekly-report")) {
      due.set(job.data.shop, job.opts.prevMillis!);
      // Monday 9:00 arrives: the scheduled run becomes ready for whichever worker takes it first.
      await job.promote();
    }
    await waitFor("a report for each shop", () => slack.deliveries.length >= SHOPS.length);
    await waitFor("the runs finished", async () => {
      const counts = await queue.getJobCounts("active", "waiting");
      return counts.active + counts.waiting === 0;
    });

    // A run repeated (its worker was lost after posting) finds the week already sent.
    for (const { shop } of SHOPS) await queue.add("analytics.weekly-report", { shop }, { jobId: `rerun-${shop}`, prevMillis: due.get(shop) });
    await waitFor("the repeated runs finished", async () => {
      const states = await Promise.all(SHOPS.map(({ shop }) => queue.getJobState(`rerun-${shop}`)));
      return states.every((s) => s === "completed");
    });

    for (const { shop, timeZone } of SHOPS) {
      const messages = slack.to(channelOf(shop));
      expect(messages).toHaveLength(1);
      const week = reportedWeek(new Date(due.get(shop)!), timeZone);
      expect(messages[0].body.blocks?.[0]).toEqual({ type: "header", text: { type: "plain_text", text: `Support last week: ${formatPeriod(week)}` } });
    }
    expect(slack.deliveries).toHaveLength(SHOPS.length);
    // The next Monday is scheduled, and every worker registered the nightly purge as the same one scheduler.
    const schedulers = (await queue.getJobSchedulers()).map((s) => s.key).sort();
    expect(schedulers).toEqual(["analytics-retention", ...SHOPS.map((s) => weeklyReportSchedulerId(s.shop))].sort());
  }, 60_000);

  it("'send now' posts at once, and turning the report off removes the schedule", async () => {
    const [{ shop }] = SHOPS;
    const before = slack.to(channelOf(shop)).length;
    const sent = await postForm<FormAnswer>(stack, shop, ANALYTICS.path, ANALYTICS.id, { intent: "send-report-now" });
    expect(sent.body).toMatchObject({ ok: true, message: "Report sent to Slack" });
    expect(slack.to(channelOf(shop))).toHaveLength(before + 1);
    const off = await postForm<FormAnswer>(stack, shop, ANALYTICS.path, ANALYTICS.id, { intent: "save-analytics-settings", assistedWindowDays: "7", retentionDays: "365" });
    expect(off.body.ok).toBe(true);
    expect(await queue.getJobScheduler(weeklyReportSchedulerId(shop))).toBeUndefined();
  });
});
