/**
 * How long a dismissed banner stays away. A banner that comes back every app open nags; one that
 * never comes back is useless. So a dismissal lasts until something is worth saying again: the
 * next morning for an open bill, the end of the "we are checking" week, the morning after a
 * chosen pay date, a few days before the next instalment, or (null) until the state changes.
 * Pure: the caller passes the clock and the debtor's time zone.
 */
import type { DebtorState } from "../debtor/debtor-state";
import { addDays, localParts, zonedTimeToEpoch } from "../zoned-time";

/** The hour a dismissed banner may come back, in the debtor's zone (the start of the sending day). */
const MORNING_HOUR = 7;
/** An instalment reminder in the app comes this many days before its due date. */
const INSTALMENT_LEAD_DAYS = 3;

/**
 * Until when (ISO instant) a dismissal of a banner in `state` holds, or null: until the state
 * changes. Never earlier than the next morning, so a dismissal always buys a quiet evening.
 */
export function dismissUntil(state: DebtorState, now: number, timeZone: string): string | null {
  const today = localParts(now, timeZone).date;
  const nextMorning = zonedTimeToEpoch(addDays(today, 1), MORNING_HOUR, 0, timeZone);
  const atLeastMorning = (ms: number | null) => new Date(ms === null ? nextMorning : Math.max(ms, nextMorning)).toISOString();
  const parse = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  switch (state.kind) {
    case "open":
    case "nothing_open":
      return atLeastMorning(null);
    case "already_paid":
    case "payment_date":
    case "help":
      return atLeastMorning(parse(state.until));
    case "arrangement":
      return atLeastMorning(state.next ? zonedTimeToEpoch(addDays(state.next.dueDate, -INSTALMENT_LEAD_DAYS), MORNING_HOUR, 0, timeZone) : null);
    case "debt_help":
      return state.until === null ? null : atLeastMorning(parse(state.until));
    case "dispute":
      return null;
  }
}
