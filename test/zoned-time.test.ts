/**
 * The fast local-time path (a zone's offset reused for the whole hour) gives exactly what the
 * Intl formatter says, across DST changes and in every zone the runtime knows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, isIsoDate, localParts } from "../workers/zoned-time";
import { assertProperty } from "./property";

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The reference: Intl's own reading of the wall clock, minute by minute. */
function reference(ms: number, tz: string): string {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(tz, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${Number(get("hour"))}:${Number(get("minute"))}`;
}
const fast = (ms: number, tz: string) => {
  const p = localParts(ms, tz);
  return `${p.date} ${p.hour}:${p.minute}`;
};

describe("local wall-clock time", () => {
  it("matches the formatter every minute around the DST changes in Amsterdam, Brussels and Lord Howe (30-minute shift)", () => {
    const changes = [
      ["Europe/Amsterdam", Date.UTC(2026, 2, 29, 0)],
      ["Europe/Brussels", Date.UTC(2026, 9, 25, 0)],
      ["Australia/Lord_Howe", Date.UTC(2026, 3, 4, 14)],
      ["Australia/Lord_Howe", Date.UTC(2026, 9, 3, 15)],
    ] as const;
    let checked = 0;
    for (const [tz, around] of changes) {
      for (let m = -180; m <= 180; m++) {
        const ms = around + m * 60_000 + 17_000;
        expect(fast(ms, tz)).toBe(reference(ms, tz));
        checked++;
      }
    }
    expect(checked).toBe(4 * 361);
  });

  it("matches the formatter at random instants in every zone (property)", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    assertProperty(fc.tuple(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2060, 0, 1) })), 1, ([tz, ms], reached) => {
      reached();
      expect(fast(ms, tz)).toBe(reference(ms, tz));
    });
  });

  it("keeps checking dates after caching them", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-2-28")).toBe(false);
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });
});
