/**
 * Calendar arithmetic in the shop's timezone, for the analytics: which instants a period of days
 * covers, the same wall-clock time some days later, and when the weekly report is due. Pure
 * functions of an instant and an IANA timezone, so a test controls the clock entirely.
 */

/** A calendar date as the merchant reads it, "2026-03-08". */
export type LocalDate = string;

/** Half-open: `start` is the first instant of `from`, `end` the first instant after `to`. */
export type Period = { from: LocalDate; to: LocalDate; days: number; start: Date; end: Date };

export type PeriodChoice = { kind: "last"; days: number } | { kind: "custom"; from: LocalDate; to: LocalDate };

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The shop's timezone when Shopify reported a valid one, UTC otherwise. */
export function shopTimeZone(ianaTimezone: string | null | undefined): string {
  if (!ianaTimezone) return "UTC";
  try {
    formatterFor(ianaTimezone);
    return ianaTimezone;
  } catch {
    return "UTC";
  }
}

function wallClockAt(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
const offsetAt = (ms: number, timeZone: string) => asUtc(wallClockAt(new Date(ms), timeZone)) - Math.floor(ms / 1000) * 1000;

/**
 * The instant a wall-clock time happens in the timezone. A time skipped by a spring-forward change
 * maps to the same distance after the change; a time that happens twice maps to the first.
 */
export function instantAt(wall: WallClock, timeZone: string): Date {
  const naive = asUtc(wall);
  const early = naive - offsetAt(naive - DAY_MS / 2, timeZone);
  if (offsetAt(early, timeZone) === naive - early) return new Date(early);
  const late = naive - offsetAt(naive + DAY_MS / 2, timeZone);
  if (offsetAt(late, timeZone) === naive - late) return new Date(late);
  return new Date(naive - offsetAt(naive - DAY_MS / 2, timeZone));
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const w = wallClockAt(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const [year, month, day] = date.split("-").map(Number);
  return { year, month, day };
}

export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const { year, month, day } = parseLocalDate(value);
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return instantAt({ ...parseLocalDate(date), hour: 0, minute: 0, second: 0 }, timeZone);
}

/** Whole local days `from`..`to` (inclusive); a day is 23 or 25 hours across a daylight-saving change. */
export function periodOfDays(from: LocalDate, to: LocalDate, timeZone: string): Period {
  return { from, to, days: daysBetween(from, to) + 1, start: startOfLocalDay(from, timeZone), end: startOfLocalDay(addDays(to, 1), timeZone) };
}

/** "Last N days" is the N whole days before today in the shop: today is not over, so it is not compared. */
export function resolvePeriod(choice: PeriodChoice, now: Date, timeZone: string): Period {
  if (choice.kind === "custom") return periodOfDays(choice.from, choice.to, timeZone);
  const yesterday = addDays(localDateOf(now, timeZone), -1);
  return periodOfDays(addDays(yesterday, -(choice.days - 1)), yesterday, timeZone);
}

/** The period of as many days that ends the day before `period` begins. */
export function previousPeriod(period: Period, timeZone: string): Period {
  const to = addDays(period.from, -1);
  return periodOfDays(addDays(to, -(period.days - 1)), to, timeZone);
}

/** The same wall-clock time `days` calendar days later (7 days after 10:00 is 10:00, whatever the clocks did). */
export function addDaysInZone(instant: Date, days: number, timeZone: string): Date {
  const w = wallClockAt(instant, timeZone);
  const date = addDays(`${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`, days);
  const shifted = instantAt({ ...parseLocalDate(date), hour: w.hour, minute: w.minute, second: w.second }, timeZone);
  return new Date(shifted.getTime() + (instant.getTime() % 1000));
}

/** The weekly report goes out on Mondays at 9:00 in the shop's timezone (cron, as BullMQ reads it). */
export const WEEKLY_REPORT_CRON = "0 9 * * 1";
const REPORT_HOUR = 9;

/** The first Monday 9:00 in the timezone strictly after `now` (what the job scheduler computes). */
export function nextWeeklyReportAt(now: Date, timeZone: string): Date {
  const today = localDateOf(now, timeZone);
  const { year, month, day } = parseLocalDate(today);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay(); // 0 Sunday … 1 Monday
  for (let ahead = (8 - weekday) % 7; ; ahead += 7) {
    const due = instantAt({ ...parseLocalDate(addDays(today, ahead)), hour: REPORT_HOUR, minute: 0, second: 0 }, timeZone);
    if (due.getTime() > now.getTime()) return due;
  }
}

/** The week a report sent at `sentAt` covers: the seven whole days before that day, Monday to Sunday. */
export function reportedWeek(sentAt: Date, timeZone: string): Period {
  return resolvePeriod({ kind: "last", days: 7 }, sentAt, timeZone);
}
