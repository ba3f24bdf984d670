import type { Locale } from "./copy";

/**
 * The Intl tag behind each copy locale. English readers here live in the euro area, so "en"
 * formats like Irish English ("€1,234.56", "2 March 2026") rather than US English
 * ("March 2, 2026"), which would misread day and month.
 */
const INTL_TAG: Record<Locale, string> = {
  "nl-NL": "nl-NL",
  "nl-BE": "nl-BE",
  "fr-BE": "fr-BE",
  en: "en-IE",
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Formats integer cents as a euro amount in the reader's conventions, e.g. "€ 1.234,56". */
export function formatMoney(cents: number, locale: Locale): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be whole cents, got ${cents}`);
  return new Intl.NumberFormat(INTL_TAG[locale], { style: "currency", currency: "EUR" }).format(
    cents / 100,
  );
}

/**
 * Formats a calendar date "YYYY-MM-DD" as e.g. "2 maart 2026". The date is a day, not an
 * instant: it is read and printed in UTC so no time zone can move it to the day before.
 */
export function formatDate(isoDate: string, locale: Locale): string {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new RangeError(`date must be YYYY-MM-DD, got "${isoDate}"`);
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  // Date.UTC rolls 2026-02-30 over to March; refuse it instead of printing a different day.
  if (date.toISOString().slice(0, 10) !== isoDate) throw new RangeError(`no such date "${isoDate}"`);
  return new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: "long", timeZone: "UTC" }).format(date);
}
