/**
 * Calendar arithmetic for the dashboard's rollups: weeks start on Monday in Europe/Amsterdam (the
 * shops are Dutch and Belgian; both countries share the zone's offsets), named by that Monday.
 */
import { addDays, localParts } from "../zoned-time";

/** The zone the dashboard's days and weeks are counted in. */
export const DASHBOARD_ZONE = "Europe/Amsterdam";

/** The Monday ("YYYY-MM-DD") of the week a calendar day falls in. */
export function weekOfDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** The Monday of the week an instant (clock ms) falls in, in Amsterdam. */
export function weekOf(ms: number): string {
  return weekOfDate(localParts(ms, DASHBOARD_ZONE).date);
}

/** The calendar day of an instant in Amsterdam. */
export function dayOf(ms: number): string {
  return localParts(ms, DASHBOARD_ZONE).date;
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const utc = (s: string) => {
    const [y, m, d] = s.split("-").map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** The `n` week names ending with the week of `ms`, oldest first. */
export function lastWeeks(ms: number, n: number): string[] {
  const current = weekOf(ms);
  return Array.from({ length: n }, (_, i) => addDays(current, -7 * (n - 1 - i)));
}
