/**
 * Calendar arithmetic in a debtor's own time zone, with Intl only (no clock reads).
 * Dates are ISO "YYYY-MM-DD" strings: a due date is a day in the debtor's zone, not an instant.
 */

// Zones already checked: building a DateTimeFormat to test one costs ~40 µs, and the policy
// checks the debtor's zone on every call (the simulator makes millions of them).
const knownZones = new Set<string>();

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    knownZones.add(tz);
    return true;
  } catch {
    return false;
  }
}

// The policy checks and shifts the same few hundred days over and over (every plan, every
// holiday test); parsing a Date each time was a fifth of a decision's cost. Bounded caches.
const DATE_CACHE_MAX = 20_000;
const validDates = new Set<string>();
const shifted = new Map<string, string>();

/** Whether `date` is a real calendar day in YYYY-MM-DD form. */
export function isIsoDate(date: string): boolean {
  if (validDates.has(date)) return true;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  const ok = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
  if (ok) {
    if (validDates.size >= DATE_CACHE_MAX) validDates.clear();
    validDates.add(date);
  }
  return ok;
}

/** Adds whole days to a calendar date. */
export function addDays(date: string, days: number): string {
  const key = `${date}|${days}`;
  const hit = shifted.get(key);
  if (hit !== undefined) return hit;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  const out = d.toISOString().slice(0, 10);
  if (shifted.size >= DATE_CACHE_MAX) shifted.clear();
  shifted.set(key, out);
  return out;
}

/** Adds calendar months; the 31st of a shorter month becomes its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

interface LocalParts {
  date: string;
  hour: number;
  minute: number;
}

// Building a DateTimeFormat costs ~40 µs, using one ~3 µs: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(tz, f);
  }
  return f;
}

function formattedParts(ms: number, tz: string): LocalParts {
  const parts = formatterFor(tz).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return { date: `${get("year")}-${get("month")}-${get("day")}`, hour: Number(get("hour")), minute: Number(get("minute")) };
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Bounded: a long-lived isolate must not grow it without end (a year of hours for a few zones fits). */
const OFFSET_CACHE_MAX = 50_000;
// Before 1980 some zones had offsets in seconds (Monrovia -0:44:30 until 1972), which a minute
// offset cannot reproduce: those instants always go through the formatter.
const FAST_FROM_MS = Date.UTC(1980, 0, 1);
// Zone offset in minutes per (zone, UTC hour), or null when it changes inside that hour.
const offsets = new Map<string, number | null>();

/** Offset (local minus UTC, minutes) at `ms`, from the formatter; exact for whole-minute instants. */
function offsetAt(ms: number, tz: string): number {
  const p = formattedParts(ms, tz);
  const shown = Date.parse(`${p.date}T00:00:00Z`) + (p.hour * 60 + p.minute) * MINUTE_MS;
  return Math.round((shown - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/**
 * The zone's offset for the whole UTC hour holding `ms`, or null when it is not constant there.
 * An offset changes at most once in any hour, so equal offsets at the hour's first and last
 * minute mean it held for the whole hour.
 */
function hourOffset(ms: number, tz: string): number | null {
  const hour = Math.floor(ms / HOUR_MS);
  const key = `${tz}|${hour}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const first = offsetAt(hour * HOUR_MS, tz);
  const last = offsetAt(hour * HOUR_MS + HOUR_MS - MINUTE_MS, tz);
  const offset = first === last ? first : null;
  if (offsets.size >= OFFSET_CACHE_MAX) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The wall-clock date and time at instant `ms` in zone `tz`. */
export function localParts(ms: number, tz: string): LocalParts {
  // formatToParts costs a few µs a call and the policy makes many per decision: reuse the
  // zone's offset for the hour, and ask the formatter only within an hour that changes it.
  const offset = Number.isFinite(ms) && ms >= FAST_FROM_MS ? hourOffset(ms, tz) : null;
  if (offset === null) return formattedParts(ms, tz);
  const d = new Date(ms + offset * MINUTE_MS);
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) return formattedParts(ms, tz);
  return { date: `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`, hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** The instant at which the wall clock in `tz` shows `date` `hour`:`minute`. */
export function zonedTimeToEpoch(date: string, hour: number, minute: number, tz: string): number {
  const wanted = Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  let guess = wanted;
  // Two corrections settle any zone offset, including the day a DST change happens.
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, tz);
    const shown = Date.parse(`${p.date}T00:00:00Z`) + (p.hour * 60 + p.minute) * 60_000;
    guess += wanted - shown;
  }
  return guess;
}
