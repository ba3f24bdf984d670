// What the Worker gets for the calendar libraries date-holidays-parser imports for other
// countries' rules (wrangler.toml [alias]): astronomia (equinoxes, Julian dates; 240 KiB),
// date-chinese, date-bengali-revised and jalaali-js. The NL and BE rules use only Gregorian
// dates and Easter; test/holiday-data.test.ts shows they give exactly what the full library
// gives. The parser imports these modules up front, so importing must work; using any of them
// throws, rather than computing a date wrongly.
function notBundled() {
  throw new Error("This calendar is not bundled: the Worker's holiday rules (NL, BE) use only Gregorian dates and Easter (workers/bundle/unused-calendars.js)");
}
/** An object whose every member is a function that throws when called or constructed. */
const unused = new Proxy({}, { get: () => notBundled });

// astronomia: Equinox.js builds `new planetposition.Planet(vsop87Bearth)` when it is imported.
export const planetposition = { Planet: class Planet {} };
export const solstice = unused;
export const julian = unused;
// date-chinese
export const CalendarChinese = notBundled;
export const CalendarKorean = notBundled;
export const CalendarVietnamese = notBundled;
// date-bengali-revised (the default, a class), jalaali-js (the default, { toJalaali, toGregorian }),
// astronomia/data/vsop87Bearth (the default, a data table).
export default Object.assign(notBundled, { toJalaali: notBundled, toGregorian: notBundled });
