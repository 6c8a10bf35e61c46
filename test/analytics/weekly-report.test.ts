import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveSlackUrl } from "../../app/models/slack-settings.server";
import { createAnalyticsSchedules, weeklyReportSchedulerId } from "../../app/queues/analytics-schedules.server";
import { QUEUES } from "../../app/queues/jobs";
import { createProducerConnection } from "../../app/queues/redis.server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { installShop, startAppStack, type AppStack } from "../harness/app-stack";
import { SHARED_REDIS_URL } from "../harness/redis";
import { clockStartingAt } from "../harness/shifted-clock";
import { testKeyring } from "../harness/support-scenario";
import { waitFor } from "../harness/wait";
import { postForm, type FormAnswer } from "../settings/admin-requests";

/**
 * Three shops in three timezones, each registered on the Saturday before its clocks change, each
 * report sent by real worker processes whose clock reaches the Monday 9:00 after the change.
 * Every instant is written out by hand from the timezone's rules (2027: the US springs forward on
 * Sunday March 14, the EU on Sunday March 28, New Zealand falls back on Sunday April 4), so a report
 * scheduled or sent an hour early or late across the change fails here.
 */
const SHOPS = [
  {
    shop: "weekly-ny.myshopify.com",
    timeZone: "America/New_York",
    registeredAt: "2027-03-13T17:00:00.000Z", // Saturday noon EST (UTC-5)
    due: "2027-03-15T13:00:00.000Z", // Monday 9:00 EDT (UTC-4), not 14:00Z as in winter
    week: "Mar 8 – Mar 14, 2027",
    nextDue: "2027-03-22T13:00:00.000Z",
  },
  {
    shop: "weekly-paris.myshopify.com",
    timeZone: "Europe/Paris",
    registeredAt: "2027-03-27T11:00:00.000Z", // Saturday noon CET (UTC+1)
    due: "2027-03-29T07:00:00.000Z", // Monday 9:00 CEST (UTC+2), not 08:00Z as in winter
    week: "Mar 22 – Mar 28, 2027",
    nextDue: "2027-04-05T07:00:00.000Z",
  },
  {
    shop: "weekly-auckland.myshopify.com",
    timeZone: "Pacific/Auckland",
    registeredAt: "2027-04-03T00:00:00.000Z", // Saturday 13:00 NZDT (UTC+13)
    due: "2027-04-04T21:00:00.000Z", // Monday April 5, 9:00 NZST (UTC+12), not 20:00Z as in summer
    week: "Mar 29 – Apr 4, 2027",
    nextDue: "2027-04-11T21:00:00.000Z",
  },
];
const ANALYTICS = { path: "/app/analytics", id: "routes/app.analytics" } as const;
const channelOf = (shop: string) => `report-${shop.split(".")[0]}`;
/** How long before the due instant a worker's clock starts: it must wait for the report, not find it overdue. */
const LEAD_MS = 5_000;

describe("the weekly Slack report", () => {
  let slack: SlackReceiver;
  let stack: AppStack;
  let queue: Queue;
  const connection = createProducerConnection(SHARED_REDIS_URL, { enableOfflineQueue: true });

  beforeAll(async () => {
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "weekly-report", shops: SHOPS.map((s) => s.shop) });
    // Shopify reports each shop's timezone; the app reads it when the shop is installed.
    for (const { shop, timeZone } of SHOPS) stack.fakeAdmin.store(shop).shop.ianaTimezone = timeZone;
    for (const { shop } of SHOPS) await installShop(stack, shop);
    const syncing = await stack.startWorker();
    await waitFor("the shops' details synced", async () => (await stack.db.shop.count({ where: { detailsSyncedAt: { not: null } } })) === SHOPS.length);
    await syncing.stop();
    queue = new Queue(QUEUES.analytics, { connection: { url: SHARED_REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
  });

  afterAll(async () => {
    await queue?.close();
    connection.disconnect();
    await stack?.close();
    await slack?.close();
  });

  const enable = (shop: string) =>
    postForm<FormAnswer>(stack, shop, ANALYTICS.path, ANALYTICS.id, { intent: "save-analytics-settings", weeklyReportEnabled: "true", assistedWindowDays: "7", retentionDays: "365" });
  /** Weekday and wall-clock time of an instant in a timezone, as Intl (not the app) reads it. */
  const wallClock = (at: number, timeZone: string) =>
    new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  const reportJobs = async () => (await queue.getDelayed()).filter((j) => j.name === "analytics.weekly-report");

  it("is registered per shop as a job scheduler from the settings page: Mondays 9:00 in the shop's timezone", async () => {
    for (const { shop } of SHOPS) {
      await saveSlackUrl(stack.db, testKeyring(), shop, "report", slack.webhookUrl(channelOf(shop)));
      // Saved twice (two web processes, a double click): still one scheduler.
      expect((await enable(shop)).body.ok).toBe(true);
      expect((await enable(shop)).body.ok).toBe(true);
    }
    for (const { shop, timeZone } of SHOPS) {
      const scheduler = await queue.getJobScheduler(weeklyReportSchedulerId(shop));
      expect(scheduler).toMatchObject({ pattern: "0 9 * * 1", tz: timeZone });
      expect(wallClock(scheduler!.next!, timeZone)).toBe("Monday 09:00");
    }
    expect((await reportJobs()).map((j) => j.data.shop).sort()).toEqual(SHOPS.map((s) => s.shop).sort());
  });

  it("counts the next report from the schedules' clock: the Monday 9:00 after each clock change, to the instant", async () => {
    for (const { shop, timeZone, registeredAt, due } of SHOPS) {
      const schedules = createAnalyticsSchedules({ connection, prefix: stack.env.REDIS_PREFIX, clock: () => new Date(registeredAt) });
      await schedules.scheduleWeeklyReport(shop, timeZone);
      await schedules.close();
      expect(new Date((await queue.getJobScheduler(weeklyReportSchedulerId(shop)))!.next!).toISOString()).toBe(due);
    }
    // One delayed run per shop, replacing the one registered from today's date, due when written above.
    const runs = await reportJobs();
    expect(runs.map((j) => ({ shop: j.data.shop, due: new Date(j.timestamp + j.delay).toISOString(), scheduledFor: new Date(j.opts.prevMillis!).toISOString() })).sort((a, b) => a.due.localeCompare(b.due))).toEqual(
      SHOPS.map(({ shop, due }) => ({ shop, due, scheduledFor: due })),
    );
  });

  it("is sent by real workers when their clock reaches the instant: exactly one message, for the week before that Monday", async () => {
    for (const { shop, due, week, nextDue } of SHOPS) {
      const dueMs = Date.parse(due);
      // Two workers whose clocks read five seconds before the report is due, and run on from there.
      const clock = clockStartingAt(new Date(dueMs - LEAD_MS));
      const workers = await Promise.all([stack.startWorker(clock), stack.startWorker(clock)]);
      const runId = `repeat:${weeklyReportSchedulerId(shop)}:${dueMs}`;
      await waitFor(`${shop}'s report`, async () => (await queue.getJobState(runId)) === "completed", 60_000);
      const run = (await queue.getJob(runId))!;
      // Taken by the worker's clock: not before the instant, and not an hour after it.
      expect(run.processedOn!).toBeGreaterThanOrEqual(dueMs);
      expect(run.processedOn! - dueMs).toBeLessThan(10 * 60_000);

      // A run repeated (its worker was lost after posting) finds the week already sent.
      await queue.add("analytics.weekly-report", { shop }, { jobId: `rerun-${shop}`, prevMillis: dueMs });
      await waitFor(`${shop}'s repeated run`, async () => (await queue.getJobState(`rerun-${shop}`)) === "completed");
      const messages = slack.to(channelOf(shop));
      expect(messages).toHaveLength(1);
      expect(messages[0].body.blocks?.[0]).toEqual({ type: "header", text: { type: "plain_text", text: `Support last week: ${week}` } });

      // The Monday after is scheduled; it is then taken off, so the next shop's later clock does not send it.
      expect(new Date((await queue.getJobScheduler(weeklyReportSchedulerId(shop)))!.next!).toISOString()).toBe(nextDue);
      await queue.removeJobScheduler(weeklyReportSchedulerId(shop));
      await Promise.all(workers.map((w) => w.stop()));
    }
    expect(slack.deliveries).toHaveLength(SHOPS.length);
  }, 400_000);

  it("'send now' posts at once, and turning the report off removes the schedule", async () => {
    const [{ shop }] = SHOPS;
    expect((await enable(shop)).body.ok).toBe(true);
    expect(await queue.getJobScheduler(weeklyReportSchedulerId(shop))).toBeDefined();
    const before = slack.to(channelOf(shop)).length;
    const sent = await postForm<FormAnswer>(stack, shop, ANALYTICS.path, ANALYTICS.id, { intent: "send-report-now" });
    expect(sent.body).toMatchObject({ ok: true, message: "Report sent to Slack" });
    expect(slack.to(channelOf(shop))).toHaveLength(before + 1);
    const off = await postForm<FormAnswer>(stack, shop, ANALYTICS.path, ANALYTICS.id, { intent: "save-analytics-settings", assistedWindowDays: "7", retentionDays: "365" });
    expect(off.body.ok).toBe(true);
    expect(await queue.getJobScheduler(weeklyReportSchedulerId(shop))).toBeUndefined();
  });
});
