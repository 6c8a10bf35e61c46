import { getNextMillis } from "bullmq";
import { describe, expect, it } from "vitest";
import { weeklyReportRepeat } from "../../app/queues/analytics-schedules.server";
import { addDaysInZone, instantAt, nextWeeklyReportAt, periodOfDays, previousPeriod, reportedWeek, resolvePeriod } from "../../app/services/analytics-periods";

const at = (iso: string) => new Date(iso);
const range = (p: { from: string; to: string; days: number; start: Date; end: Date }) => ({ from: p.from, to: p.to, days: p.days, start: p.start.toISOString(), end: p.end.toISOString() });

describe("periods in the shop's timezone", () => {
  it("takes the last 7 whole days before today, across the spring-forward change in New York (167 hours)", () => {
    // Tuesday 2026-03-10 11:00 EDT; clocks went forward on Sunday 2026-03-08.
    const period = resolvePeriod({ kind: "last", days: 7 }, at("2026-03-10T15:00:00Z"), "America/New_York");
    expect(range(period)).toEqual({ from: "2026-03-03", to: "2026-03-09", days: 7, start: "2026-03-03T05:00:00.000Z", end: "2026-03-10T04:00:00.000Z" });
    expect(range(previousPeriod(period, "America/New_York"))).toEqual({
      from: "2026-02-24",
      to: "2026-03-02",
      days: 7,
      start: "2026-02-24T05:00:00.000Z",
      end: "2026-03-03T05:00:00.000Z",
    });
  });

  it("is 169 hours long across the fall-back change", () => {
    const period = resolvePeriod({ kind: "last", days: 7 }, at("2026-11-03T15:00:00Z"), "America/New_York");
    expect(range(period)).toEqual({ from: "2026-10-27", to: "2026-11-02", days: 7, start: "2026-10-27T04:00:00.000Z", end: "2026-11-03T05:00:00.000Z" });
  });

  it("compares 30 days with the 30 before, and a custom day with the day before it (a 23-hour day in Berlin)", () => {
    const thirty = resolvePeriod({ kind: "last", days: 30 }, at("2026-04-01T10:00:00Z"), "Europe/Berlin");
    expect([thirty.from, thirty.to, previousPeriod(thirty, "Europe/Berlin").from, previousPeriod(thirty, "Europe/Berlin").to]).toEqual([
      "2026-03-02",
      "2026-03-31",
      "2026-01-31",
      "2026-03-01",
    ]);
    const day = periodOfDays("2026-03-29", "2026-03-29", "Europe/Berlin");
    expect(range(day)).toEqual({ from: "2026-03-29", to: "2026-03-29", days: 1, start: "2026-03-28T23:00:00.000Z", end: "2026-03-29T22:00:00.000Z" });
    expect(range(previousPeriod(day, "Europe/Berlin"))).toEqual({ from: "2026-03-28", to: "2026-03-28", days: 1, start: "2026-03-27T23:00:00.000Z", end: "2026-03-28T23:00:00.000Z" });
  });

  it("maps a wall-clock time skipped by the change to after it, and a repeated one to its first occurrence", () => {
    expect(instantAt({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, "America/New_York").toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(instantAt({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, "America/New_York").toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  it("adds days at the same wall-clock time: 7 days after 10:00 EST is 10:00 EDT, 167 hours later", () => {
    expect(addDaysInZone(at("2026-03-05T15:00:00Z"), 7, "America/New_York").toISOString()).toBe("2026-03-12T14:00:00.000Z");
    expect(addDaysInZone(at("2026-03-05T15:00:00Z"), 7, "Asia/Kolkata").toISOString()).toBe("2026-03-12T15:00:00.000Z");
  });
});

describe("when the weekly report is due (Mondays 9:00 in the shop's timezone)", () => {
  const cases: Array<{ tz: string; now: string; due: string; why: string }> = [
    { tz: "America/New_York", now: "2026-03-04T12:00:00Z", due: "2026-03-09T13:00:00.000Z", why: "the first Monday after the spring-forward change is 9:00 EDT" },
    { tz: "America/New_York", now: "2026-10-28T12:00:00Z", due: "2026-11-02T14:00:00.000Z", why: "the first Monday after the fall-back change is 9:00 EST" },
    { tz: "Europe/Berlin", now: "2026-03-23T07:59:59Z", due: "2026-03-23T08:00:00.000Z", why: "one second before 9:00 CET on a Monday: that same morning" },
    { tz: "Europe/Berlin", now: "2026-03-23T08:00:00Z", due: "2026-03-30T07:00:00.000Z", why: "at 9:00 sharp: the next Monday, 9:00 CEST" },
    { tz: "Asia/Kolkata", now: "2026-03-29T20:00:00Z", due: "2026-03-30T03:30:00.000Z", why: "Sunday evening in UTC is already Monday 01:30 in India" },
    { tz: "Asia/Kolkata", now: "2026-03-30T03:30:00Z", due: "2026-04-06T03:30:00.000Z", why: "no clock changes in India: exactly a week later" },
  ];

  it.each(cases)("$tz at $now → $due ($why)", ({ tz, now, due }) => {
    expect(nextWeeklyReportAt(at(now), tz).toISOString()).toBe(due);
  });

  it.each(cases)("BullMQ's scheduler computes the same instant from the registered cron and tz ($tz at $now)", ({ tz, now, due }) => {
    expect(new Date(getNextMillis(at(now).getTime(), weeklyReportRepeat(tz, at(now)))!).toISOString()).toBe(due);
  });

  it("reports the Monday-to-Sunday week before the Monday it is sent", () => {
    const week = reportedWeek(at("2026-03-09T13:00:00Z"), "America/New_York");
    expect(range(week)).toEqual({ from: "2026-03-02", to: "2026-03-08", days: 7, start: "2026-03-02T05:00:00.000Z", end: "2026-03-09T04:00:00.000Z" });
  });
});
