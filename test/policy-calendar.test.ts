import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  type ContactKind,
  type Country,
  isAllowedContactTime,
  isPublicHoliday,
  isWorkingDay,
  nextAllowedContactTime,
  quietHoursFor,
  type QuietHours,
  weekday,
  workingDayOnOrAfter,
} from "../workers/policy/calendar";
import { addDays, localParts, zonedTimeToEpoch } from "../workers/zoned-time";
import { assertProperty } from "./property";

function holidaysIn(year: number, country: Country): string[] {
  const days: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
    if (isPublicHoliday(d, country)) days.push(d);
  }
  return days;
}

const AMS = "Europe/Amsterdam";
const BRU = "Europe/Brussels";
const at = (date: string, hour: number, minute: number, tz = AMS) => zonedTimeToEpoch(date, hour, minute, tz);

describe("Dutch holidays (Algemene termijnenwet art. 3, from date-holidays)", () => {
  it("2025: Koningsdag moves to Saturday 26 April because 27 April is a Sunday; 30 May is designated", () => {
    expect(holidaysIn(2025, "NL")).toEqual([
      "2025-01-01", "2025-04-18", "2025-04-21", "2025-04-26", "2025-05-05",
      "2025-05-29", "2025-05-30", "2025-06-09", "2025-12-25", "2025-12-26",
    ]);
  });

  it("2026: 2 January and 15 May are designated by decree", () => {
    expect(holidaysIn(2026, "NL")).toEqual([
      "2026-01-01", "2026-01-02", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05",
      "2026-05-14", "2026-05-15", "2026-05-25", "2026-12-25", "2026-12-26",
    ]);
  });

  it("2027: Bevrijdingsdag on 5 May, the day before Ascension", () => {
    expect(holidaysIn(2027, "NL")).toEqual([
      "2027-01-01", "2027-03-26", "2027-03-29", "2027-04-27", "2027-05-05",
      "2027-05-06", "2027-05-07", "2027-05-17", "2027-12-25", "2027-12-26",
    ]);
  });

  it("5 May is a holiday every year, not only in lustrum years", () => {
    for (let y = 2024; y <= 2035; y++) expect(isPublicHoliday(`${y}-05-05`, "NL")).toBe(true);
  });

  it("Good Friday counts (Atw art. 3(2)); Remembrance Day, Sinterklaas and New Year's Eve do not", () => {
    expect(isPublicHoliday("2025-04-18", "NL")).toBe(true);
    for (const d of ["2025-05-04", "2025-12-05", "2025-12-31", "2025-12-15"]) expect(isPublicHoliday(d, "NL")).toBe(false);
  });

  it("days designated in 2024 (10 May, 27 December) are holidays", () => {
    expect(isPublicHoliday("2024-05-10", "NL")).toBe(true);
    expect(isPublicHoliday("2024-12-27", "NL")).toBe(true);
  });

  it("a year where Ascension falls on 5 May still loads (2016)", () => {
    expect(isPublicHoliday("2016-05-05", "NL")).toBe(true);
    expect(holidaysIn(2016, "NL")).toHaveLength(8);
  });
});

describe("Belgian legal holidays (from date-holidays)", () => {
  it("2025 has the ten legal holidays", () => {
    expect(holidaysIn(2025, "BE")).toEqual([
      "2025-01-01", "2025-04-21", "2025-05-01", "2025-05-29", "2025-06-09",
      "2025-07-21", "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25",
    ]);
  });

  it("2026 and 2027 follow Easter", () => {
    expect(holidaysIn(2026, "BE")).toEqual([
      "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25",
      "2026-07-21", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
    ]);
    expect(holidaysIn(2027, "BE")).toEqual([
      "2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17",
      "2027-07-21", "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25",
    ]);
  });

  it("Good Friday, 26 December and the King's Feast are working days in Belgium", () => {
    for (const d of ["2025-04-18", "2025-12-26"]) expect(isWorkingDay(d, "BE")).toBe(true);
    expect(isPublicHoliday("2025-11-15", "BE")).toBe(false);
  });
});

describe("working days", () => {
  it("weekends and holidays are not working days", () => {
    expect(weekday("2025-03-08")).toBe(6);
    expect(isWorkingDay("2025-03-07", "NL")).toBe(true);
    expect(isWorkingDay("2025-03-08", "NL")).toBe(false);
    expect(isWorkingDay("2025-03-09", "NL")).toBe(false);
    expect(isWorkingDay("2024-05-10", "NL")).toBe(false);
    expect(isWorkingDay("2024-05-10", "BE")).toBe(true);
  });

  it("counts working days across Easter and rejects bad input", () => {
    expect(workingDayOnOrAfter("2025-04-18", "NL")).toBe("2025-04-22");
    expect(addWorkingDays("2025-04-17", 3, "BE")).toBe("2025-04-23");
    expect(() => isPublicHoliday("2025-02-30", "NL")).toThrow(RangeError);
    expect(() => addWorkingDays("2025-01-01", 0, "NL")).toThrow(RangeError);
  });
});

describe("quiet hours", () => {
  it("law: 20:00-07:00 for all contact, 20:00-08:00 for Belgian calls", () => {
    expect(quietHoursFor("NL", "message")).toEqual({ startHour: 20, endHour: 7 });
    expect(quietHoursFor("NL", "call")).toEqual({ startHour: 20, endHour: 7 });
    expect(quietHoursFor("BE", "message")).toEqual({ startHour: 20, endHour: 7 });
    expect(quietHoursFor("BE", "call")).toEqual({ startHour: 20, endHour: 8 });
  });

  it("a tenant may make the window stricter but never looser", () => {
    expect(quietHoursFor("NL", "message", { startHour: 18, endHour: 9 })).toEqual({ startHour: 18, endHour: 9 });
    expect(quietHoursFor("NL", "message", { startHour: 22, endHour: 6 })).toEqual({ startHour: 20, endHour: 7 });
    expect(quietHoursFor("BE", "call", { startHour: 21, endHour: 7 })).toEqual({ startHour: 20, endHour: 8 });
    expect(() => quietHoursFor("NL", "call", { startHour: 9, endHour: 10 })).toThrow(RangeError);
    expect(() => quietHoursFor("NL", "call", { startHour: 19.5, endHour: 7 })).toThrow(RangeError);
  });

  it("contact is allowed from 07:00 up to 19:59 on a weekday or Saturday", () => {
    expect(isAllowedContactTime(at("2025-03-04", 6, 59), AMS, "NL", "message")).toBe(false);
    expect(isAllowedContactTime(at("2025-03-04", 7, 0), AMS, "NL", "message")).toBe(true);
    expect(isAllowedContactTime(at("2025-03-04", 19, 59), AMS, "NL", "message")).toBe(true);
    expect(isAllowedContactTime(at("2025-03-04", 20, 0), AMS, "NL", "message")).toBe(false);
    expect(isAllowedContactTime(at("2025-03-08", 12, 0), AMS, "NL", "call")).toBe(true);
  });

  it("no contact on Sundays or holidays, in the debtor's own zone", () => {
    expect(isAllowedContactTime(at("2025-03-09", 12, 0), AMS, "NL", "message")).toBe(false);
    expect(isAllowedContactTime(at("2025-04-26", 12, 0), AMS, "NL", "message")).toBe(false);
    // 23:30 UTC on Saturday is already Sunday morning in Amsterdam but still Saturday in New York.
    const saturdayNight = Date.parse("2025-03-08T23:30:00Z");
    expect(isAllowedContactTime(saturdayNight, "America/New_York", "NL", "message")).toBe(true);
    expect(isAllowedContactTime(saturdayNight, AMS, "NL", "message")).toBe(false);
  });

  it("a Belgian call at 07:30 waits until 08:00; a message at 07:30 goes", () => {
    const early = at("2025-03-03", 7, 30, BRU);
    expect(isAllowedContactTime(early, BRU, "BE", "message")).toBe(true);
    expect(nextAllowedContactTime(early, BRU, "BE", "call")).toBe(at("2025-03-03", 8, 0, BRU));
  });

  it("an allowed instant is returned unchanged", () => {
    const ms = at("2025-03-04", 10, 15) + 12_345;
    expect(nextAllowedContactTime(ms, AMS, "NL", "message")).toBe(ms);
  });

  it("Saturday evening waits for Monday 07:00, across the spring DST change", () => {
    expect(nextAllowedContactTime(at("2025-03-29", 21, 0), AMS, "NL", "message")).toBe(Date.parse("2025-03-31T05:00:00Z"));
  });

  it("Saturday evening waits for Monday 07:00, across the autumn DST change", () => {
    expect(nextAllowedContactTime(at("2025-10-25", 22, 0), AMS, "NL", "message")).toBe(Date.parse("2025-10-27T06:00:00Z"));
  });

  it("Easter: Thursday night waits for Saturday; Saturday night waits for Tuesday", () => {
    expect(nextAllowedContactTime(at("2025-04-17", 21, 0), AMS, "NL", "message")).toBe(at("2025-04-19", 7, 0));
    expect(nextAllowedContactTime(at("2025-04-19", 20, 0), AMS, "NL", "message")).toBe(at("2025-04-22", 7, 0));
  });

  it("Christmas Eve night waits until Saturday 27 December", () => {
    expect(nextAllowedContactTime(at("2025-12-24", 20, 0), AMS, "NL", "call")).toBe(at("2025-12-27", 7, 0));
  });

  it("a tenant's stricter morning start is honoured", () => {
    const override = { startHour: 18, endHour: 9 };
    expect(nextAllowedContactTime(at("2025-03-04", 8, 0), AMS, "NL", "message", override)).toBe(at("2025-03-04", 9, 0));
    expect(nextAllowedContactTime(at("2025-03-04", 18, 0), AMS, "NL", "message", override)).toBe(at("2025-03-05", 9, 0));
  });

  it("rejects unknown zones", () => {
    expect(() => isAllowedContactTime(0, "Mars/Olympus", "NL", "message")).toThrow(RangeError);
  });
});

describe("nextAllowedContactTime (property)", () => {
  const zones = [AMS, BRU, "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Auckland"];
  const from = Date.parse("2024-01-01T00:00:00Z");
  const to = Date.parse("2028-12-31T00:00:00Z");
  const overrides: (QuietHours | undefined)[] = [undefined, undefined, { startHour: 19, endHour: 9 }, { startHour: 21, endHour: 6 }];

  it("returns the first allowed instant: >= input, never on a Sunday/holiday or in quiet hours", () => {
    const caseArb = fc.tuple(
      fc.integer({ min: from, max: to }),
      fc.constantFrom(...zones),
      fc.constantFrom<Country>("NL", "BE"),
      fc.constantFrom<ContactKind>("message", "call"),
      fc.constantFrom(...overrides),
    );
    // Most instants fall outside the contact window and must move: those test "the first".
    assertProperty(caseArb, 0.4, ([ms, tz, country, kind, override], reached) => {
      const next = nextAllowedContactTime(ms, tz, country, kind, override);
      const local = localParts(next, tz);
      const morning = country === "BE" && kind === "call" ? 8 : 7;
      expect(next).toBeGreaterThanOrEqual(ms);
      expect(weekday(local.date)).not.toBe(0);
      expect(isPublicHoliday(local.date, country)).toBe(false);
      expect(local.hour).toBeGreaterThanOrEqual(morning);
      expect(local.hour).toBeLessThan(20);
      if (next === ms) return;
      reached();
      // Nothing earlier was allowed: a moved instant is the very start of a window.
      expect(isAllowedContactTime(next - 1, tz, country, kind, override)).toBe(false);
    });
    // 10,000 cases take ~2.5 s: every localParts() call builds a new Intl.DateTimeFormat (~40 us in workerd).
  }, 20_000);
});
