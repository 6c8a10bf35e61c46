import { formatMoney } from "./enrichment-note";
import type { Period } from "./analytics-periods";

/** How the dashboard and the Slack report write figures, so both say the same thing the same way. */

export { formatMoney };

/** 95 → "1 min 35 s", 5400 → "1 h 30 min"; null → "—" (nothing to average). */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ""}`;
}

export const formatRate = (rate: number | null | undefined) => (rate === null || rate === undefined ? "—" : `${Math.round(rate * 100)} %`);
export const formatScore = (score: number | null | undefined) => (score === null || score === undefined ? "—" : `${score.toFixed(1)} / 5`);

/** "+25 % vs previous", "no change", or "" when there is nothing to compare with. */
export function formatChange(previous: number | null | undefined, current: number | null | undefined): string {
  if (previous === null || previous === undefined || current === null || current === undefined) return "";
  if (previous === current) return "no change";
  if (previous === 0) return "new";
  const change = Math.round(((current - previous) / previous) * 100);
  return `${change > 0 ? "+" : ""}${change} %`;
}

/** "Mar 2 – Mar 8, 2026" for the period's first and last local day. */
export function formatPeriod(period: Pick<Period, "from" | "to">): string {
  const day = (date: string, withYear: boolean) =>
    new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", ...(withYear ? { year: "numeric" } : {}), timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
  return period.from === period.to ? day(period.from, true) : `${day(period.from, false)} – ${day(period.to, true)}`;
}
