// Fixture timestamps are ISO strings counted back from the store's "today".

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoDaysBefore(now: Date, days: number): string {
  return iso(now.getTime() - days * DAY_MS);
}
