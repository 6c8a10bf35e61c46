/**
 * Dates as the merchant reads them: in the shop's timezone, formatted on the server so the page the
 * browser hydrates shows exactly what the server rendered.
 */
export function formatShopTime(date: Date | number | null | undefined, timeZone: string | null | undefined): string | null {
  if (date === null || date === undefined) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: timeZone ?? "UTC" }).format(date);
  } catch {
    return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(date);
  }
}
