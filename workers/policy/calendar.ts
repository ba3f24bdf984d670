/**
 * Public holidays, working days and lawful contact hours for NL and BE debtors.
 * Pure: dates are ISO "YYYY-MM-DD" calendar days, instants epoch milliseconds, zones IANA names.
 */
import type DateHolidays from "date-holidays";
import type { HolidaysTypes } from "date-holidays";
// The package's ESM entry pulls in moment-timezone, whose `require("moment")` the workerd test
// pool resolves to moment's ESM build (it forces the "jsnext:main" main field), which then fails
// to load as CommonJS. The prebuilt UMD bundle inlines every dependency. Because the package is
// "type": "module", esbuild (wrangler) loads it as ESM, where the UMD wrapper assigns
// `self.Holidays`; the test pool loads it as CommonJS, where it sets `module.exports`.
// @ts-expect-error -- the bundle ships no .d.ts; its shape is checked in holidaysClass().
import * as holidaysUmd from "../../node_modules/date-holidays/dist/umd.min.js";
import { addDays, isIsoDate, isValidTimeZone, localParts, zonedTimeToEpoch } from "../zoned-time";
import { NL_DESIGNATED_DAYS } from "./designated-days";

export type Country = "NL" | "BE";
/** "message": email, SMS, letter hand-off, banner push; "call": phone. */
export type ContactKind = "message" | "call";

/**
 * date-holidays rules that are legal holidays. Matched by rule, not by its "type" field, which
 * serves other purposes there (Goede Vrijdag and Bevrijdingsdag are typed "school").
 */
const HOLIDAY_RULES: Record<Country, readonly RegExp[]> = {
  // Atw art. 3(1): Nieuwjaarsdag, tweede Paas- en Pinksterdag, beide Kerstdagen, Hemelvaartsdag,
  // de verjaardag van de Koning (27 Apr, 26 Apr when the 27th is a Sunday; 30 Apr before 2014)
  // and 5 mei (every year). Art. 3(2) adds Goede Vrijdag (wetten.overheid.nl BWBR0002448).
  NL: [/^01-01$/, /^easter -2$/, /^easter 1$/, /^04-(27|30) /, /^05-05$/, /^easter 39$/, /^easter 50$/, /^12-25$/, /^12-26$/],
  // The ten Belgian legal holidays (KB 18 April 1974; werk.belgie.be).
  BE: [/^01-01$/, /^easter 1$/, /^05-01$/, /^easter 39$/, /^easter 50$/, /^07-21$/, /^08-15$/, /^11-01$/, /^11-11$/, /^12-25$/],
};

const ALL_TYPES: HolidaysTypes.HolidayType[] = ["public", "bank", "school", "optional", "observance"];
type HolidaysClass = typeof DateHolidays;

function holidaysClass(): HolidaysClass {
  const field = (o: unknown, key: string): unknown => (typeof o === "object" && o !== null ? Reflect.get(o, key) : undefined);
  const namespace: unknown = field(holidaysUmd, "default") ?? Reflect.get(globalThis, "Holidays");
  const ctor = field(namespace, "default");
  if (typeof ctor !== "function") throw new Error("date-holidays bundle has an unexpected shape");
  return ctor as HolidaysClass;
}

const calendars = new Map<Country, DateHolidays>();
const holidaysByYear = new Map<string, ReadonlySet<string>>();

function holidaySet(country: Country, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  const cached = holidaysByYear.get(key);
  if (cached) return cached;
  let calendar = calendars.get(country);
  if (!calendar) {
    const Holidays = holidaysClass();
    calendar = new Holidays(country, { types: ALL_TYPES });
    calendars.set(country, calendar);
  }
  const days = new Set<string>();
  const matched = new Set<RegExp>();
  for (const h of calendar.getHolidays(year)) {
    const rule = HOLIDAY_RULES[country].find((r) => r.test(h.rule));
    if (!rule) continue;
    matched.add(rule);
    days.add(h.date.slice(0, 10));
  }
  // Fail loudly if a library update renames a rule, rather than silently dropping a holiday.
  if (year >= 2014 && matched.size !== HOLIDAY_RULES[country].length) {
    throw new Error(`date-holidays returned ${matched.size} of ${HOLIDAY_RULES[country].length} ${country} holidays for ${year}`);
  }
  if (country === "NL") for (const d of NL_DESIGNATED_DAYS) if (d.startsWith(`${year}-`)) days.add(d);
  holidaysByYear.set(key, days);
  return days;
}

function assertDate(date: string): void {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
}

/** Day of the week of an ISO date: 0 = Sunday ... 6 = Saturday. */
export function weekday(date: string): number {
  assertDate(date);
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/**
 * Whether `date` is a legal holiday: NL per Algemene termijnenwet art. 3 (incl. Goede Vrijdag and
 * days designated by decree); BE the ten legal holidays. Easter and Whit Sunday are not listed
 * (they are Sundays anyway).
 */
export function isPublicHoliday(date: string, country: Country): boolean {
  assertDate(date);
  return holidaySet(country, Number(date.slice(0, 4))).has(date);
}

/** Whether `date` is Monday to Friday and not a public holiday. */
export function isWorkingDay(date: string, country: Country): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !isPublicHoliday(date, country);
}

/** `date` itself if it is a working day, otherwise the next working day. */
export function workingDayOnOrAfter(date: string, country: Country): string {
  let d = date;
  while (!isWorkingDay(d, country)) d = addDays(d, 1);
  return d;
}

/** The `n`-th working day strictly after `date` (n >= 1). */
export function addWorkingDays(date: string, n: number, country: Country): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer: ${n}`);
  assertDate(date);
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d, country)) left--;
  }
  return d;
}

/**
 * Quiet hours in local time: no contact from `startHour`:00 until `endHour`:00 the next morning,
 * so contact is allowed in [endHour:00, startHour:00).
 */
export interface QuietHours {
  startHour: number;
  endHour: number;
}

/**
 * Lawful quiet hours, made stricter (never looser) by a tenant override. Wki/Bki art. 4.2(1):
 * no contact 20:00-07:00 (NL; our default for BE messages too); BE: no calls 20:00-08:00 (tcm.be).
 */
export function quietHoursFor(country: Country, kind: ContactKind, tenantOverride?: QuietHours): QuietHours {
  const law: QuietHours = { startHour: 20, endHour: country === "BE" && kind === "call" ? 8 : 7 };
  if (!tenantOverride) return law;
  const { startHour, endHour } = tenantOverride;
  for (const h of [startHour, endHour]) {
    if (!Number.isInteger(h) || h < 0 || h > 24) throw new RangeError(`quiet hour must be an integer 0-24: ${h}`);
  }
  const strict = { startHour: Math.min(law.startHour, startHour), endHour: Math.max(law.endHour, endHour) };
  if (strict.endHour >= strict.startHour) throw new RangeError("quiet hours leave no time for contact");
  return strict;
}

function isQuietDay(date: string, country: Country): boolean {
  // Bki art. 4.2(2): no contact on Sundays or Atw holidays; Saturday is allowed.
  return weekday(date) === 0 || isPublicHoliday(date, country);
}

function assertInstant(ms: number, tz: string): void {
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${ms}`);
  if (!isValidTimeZone(tz)) throw new RangeError(`unknown time zone: ${tz}`);
}

function allowedLocally(local: { date: string; hour: number; minute: number }, country: Country, hours: QuietHours): boolean {
  if (isQuietDay(local.date, country)) return false;
  const minutes = local.hour * 60 + local.minute;
  return minutes >= hours.endHour * 60 && minutes < hours.startHour * 60;
}

/** Whether the debtor in zone `tz` may be contacted at instant `ms`. */
export function isAllowedContactTime(ms: number, tz: string, country: Country, kind: ContactKind, override?: QuietHours): boolean {
  assertInstant(ms, tz);
  return allowedLocally(localParts(ms, tz), country, quietHoursFor(country, kind, override));
}

/**
 * The first instant >= `ms` at which contact is allowed: `ms` itself when allowed, otherwise
 * `endHour`:00 local on the same or next day that is not a Sunday or holiday.
 */
export function nextAllowedContactTime(ms: number, tz: string, country: Country, kind: ContactKind, override?: QuietHours): number {
  assertInstant(ms, tz);
  const hours = quietHoursFor(country, kind, override);
  const local = localParts(ms, tz);
  if (allowedLocally(local, country, hours)) return ms;
  // Before the window opens today, today may still do; otherwise look from tomorrow.
  let day = local.hour < hours.endHour ? local.date : addDays(local.date, 1);
  // Runs of Sundays and holidays are short; the bound only guards against a broken zone table.
  for (let i = 0; i < 370; i++, day = addDays(day, 1)) {
    if (isQuietDay(day, country)) continue;
    // zonedTimeToEpoch settles DST days. Re-check: should endHour ever fall in a zone's DST gap,
    // that day is skipped (still lawful, merely later); no European zone shifts after 03:00.
    const candidate = zonedTimeToEpoch(day, hours.endHour, 0, tz);
    if (candidate >= ms && allowedLocally(localParts(candidate, tz), country, hours)) return candidate;
  }
  throw new Error(`no allowed contact time found after ${ms} in ${tz}`);
}
