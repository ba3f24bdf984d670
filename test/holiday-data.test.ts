import HolidaysParser from "date-holidays-parser";
import { describe, expect, it } from "vitest";
// The full date-holidays build (every country, every time zone) is the reference the Worker's
// NL/BE-only data must match. Its UMD bundle inlines its own moment-timezone, so it is
// independent of the Worker's moment-timezone alias. It ships no .d.ts; its shape is checked below.
// @ts-expect-error -- no declaration file for the prebuilt bundle
import * as holidaysUmd from "../node_modules/date-holidays/dist/umd.min.js";
import { HOLIDAY_DATA } from "../workers/policy/holiday-data";

interface Calendar {
  getHolidays(year: number): Array<Record<string, unknown>>;
}
type CalendarClass = new (country: string, opts: { types: string[] }) => Calendar;

function fullDateHolidays(): CalendarClass {
  const field = (o: unknown, key: string): unknown => (typeof o === "object" && o !== null ? Reflect.get(o, key) : undefined);
  // Loaded as CommonJS here (module.exports); as ESM the UMD wrapper sets globalThis.Holidays.
  const namespace: unknown = field(holidaysUmd, "default") ?? Reflect.get(globalThis, "Holidays");
  const ctor = field(namespace, "default");
  if (typeof ctor !== "function") throw new Error("date-holidays bundle has an unexpected shape");
  return ctor as CalendarClass;
}

const TYPES = ["public", "bank", "school", "optional", "observance"];
const comparable = (h: Record<string, unknown>) => ({ ...h, start: String(h.start), end: String(h.end) });

describe("the Worker's NL/BE holiday data (npm run holidays:data)", () => {
  for (const country of ["NL", "BE"]) {
    it(`gives exactly what the full date-holidays build gives for ${country}, every holiday 1970-2100, with start and end instants`, () => {
      const Full = fullDateHolidays();
      const full = new Full(country, { types: TYPES });
      const lean = new HolidaysParser(HOLIDAY_DATA, country, { types: TYPES });
      let compared = 0;
      for (let year = 1970; year <= 2100; year++) {
        const expected = full.getHolidays(year).map(comparable);
        expect(lean.getHolidays(year).map((h) => comparable({ ...h }))).toEqual(expected);
        compared += expected.length;
      }
      // Every year has holidays; an empty comparison would prove nothing.
      expect(compared).toBeGreaterThan(131 * 8);
    });
  }

  it("fails loudly for a rule that needs a calendar the Worker does not bundle (Chinese, equinox, Julian)", () => {
    for (const rule of ["chinese 8-0-15", "march equinox", "julian 12-25"]) {
      const data = { holidays: { XX: { names: { en: "Elsewhere" }, zones: ["Europe/Brussels"], days: { [rule]: { name: { en: "A holiday" } } } } } };
      expect(() => new HolidaysParser(data, "XX", { types: TYPES }).getHolidays(2026)).toThrow("not bundled");
    }
  });

  it("holds only the NL and BE rules", () => {
    expect(Object.keys(HOLIDAY_DATA.holidays).sort()).toEqual(["BE", "NL"]);
  });
});
