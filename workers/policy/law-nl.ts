/**
 * Dutch collection-cost law for consumers: the BIK scale, the 14-dagenbrief term and its wording.
 * Money is in integer euro cents; each computation rounds half up to whole cents once, at the end.
 * Not legal advice.
 */
import { addDays, isIsoDate } from "../zoned-time";
import { isPublicHoliday, weekday, workingDayOnOrAfter } from "./calendar";

/** Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141) art. 2, in cents. */
const BIK_TIERS: readonly { widthCents: number; perMille: number }[] = [
  { widthCents: 250_000, perMille: 150 }, // 15% of the first EUR 2,500
  { widthCents: 250_000, perMille: 100 }, // 10% of the next EUR 2,500
  { widthCents: 500_000, perMille: 50 }, // 5% of the next EUR 5,000
  { widthCents: 19_000_000, perMille: 10 }, // 1% of the next EUR 190,000
  { widthCents: Number.POSITIVE_INFINITY, perMille: 5 }, // 0.5% above EUR 200,000
];
const BIK_MIN_CENTS = 4_000;
const BIK_MAX_CENTS = 677_500;
// The scale reaches the maximum exactly at EUR 1,000,000; clamping the input keeps the
// intermediate sums exact for any safe integer.
const BIK_CAP_PRINCIPAL_CENTS = 100_000_000;

function assertPositiveCents(cents: number, what: string): void {
  if (!Number.isSafeInteger(cents) || cents < 1) throw new RangeError(`${what} must be a positive integer of cents: ${cents}`);
}

/** Half-up rounding of num/den for non-negative integers. */
function divideHalfUp(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}

/**
 * BIK collection costs in cents on the SUM of the open principals of one creditor (not on
 * interest): the staffel, then at least EUR 40 and at most EUR 6,775. No VAT by default.
 */
export function bikCosts(principalCents: number): number {
  assertPositiveCents(principalCents, "principal");
  let rest = Math.min(principalCents, BIK_CAP_PRINCIPAL_CENTS);
  let perMilleCents = 0; // exact: cents x per-mille
  for (const tier of BIK_TIERS) {
    const part = Math.min(rest, tier.widthCents);
    perMilleCents += part * tier.perMille;
    rest -= part;
    if (rest === 0) break;
  }
  const costs = divideHalfUp(perMilleCents, 1000);
  return Math.min(BIK_MAX_CENTS, Math.max(BIK_MIN_CENTS, costs));
}

function assertDate(date: string): void {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
}

/**
 * Presumed delivery of a posted letter: the second day after posting, counting no Sundays, Mondays
 * or public holidays (HR 25-11-2016, ECLI:NL:HR:2016:2704; aa-advocaten.nl). So Mon -> Wed,
 * Tue -> Thu, Wed -> Fri, Thu -> Sat, Fri -> Tue, Sat -> Wed. Holidays are the Atw set including
 * designated days, on which post may in fact arrive: a later presumption only delays costs.
 */
export function nlPostalDeliveryDate(postedDate: string): string {
  assertDate(postedDate);
  let d = postedDate;
  for (let counted = 0; counted < 2; ) {
    d = addDays(d, 1);
    const day = weekday(d);
    if (day !== 0 && day !== 1 && !isPublicHoliday(d, "NL")) counted++;
  }
  return d;
}

/**
 * Last day of the 14-day term of art. 6:96(6) BW. It runs "vanaf de dag nadat deze brief bij u
 * is bezorgd": day 1 is the day after delivery, so delivery on D ends the term on D+14. A term
 * ending on a Saturday, Sunday or Atw holiday runs on to the next working day (Atw art. 1(1)).
 */
export function nlTermEndDate(deliveredDate: string): string {
  assertDate(deliveredDate);
  return workingDayOnOrAfter(addDays(deliveredDate, 14), "NL");
}

/**
 * Whether BIK costs may be charged on `today`: only once the term has passed unpaid
 * (today > termEndDate; the last day itself still counts as in time) and the tenant enabled costs.
 */
export function nlCostsMayBeCharged(input: { termEndDate: string; today: string; tenantEnabled: boolean }): boolean {
  assertDate(input.termEndDate);
  assertDate(input.today);
  return input.tenantEnabled && input.today > input.termEndDate;
}

/** The lawful term sentence of the 14-dagenbrief (nvi.nl; hvbjuristen.nl) and its translation. */
export const NL_FOURTEEN_DAY_WORDING: Record<"nl" | "en", string> = {
  nl: "Betaal het bedrag binnen 14 dagen vanaf de dag nadat deze brief bij u is bezorgd.",
  en: "Please pay the amount within 14 days from the day after this letter was delivered to you.",
};

// Lawful forms per domain.md, plus the English translation we ship.
const LAWFUL_TERM_PHRASES = [
  "binnen 14 dagen vanaf de dag nadat deze brief bij u is bezorgd",
  "binnen 15 dagen nadat deze brief bij u is bezorgd",
  "within 14 days from the day after this letter was delivered to you",
];
// A term counted from the letter's date voids the letter (only a new, correct letter repairs it).
const VOID_TERM_PATTERNS = [
  /dagtekening/,
  /dagen (na|vanaf) (de )?(datum van (deze|de) brief|briefdatum|factuurdatum)/,
  /days (after|from) (the )?(date of (this|the) letter|letter date|invoice date)/,
];

/**
 * Whether `text` states the 14-day term lawfully: it must contain a lawful form and must not
 * also count from the letter's date ("14 dagen na dagtekening"), which would make the letter void.
 */
export function isLawfulNlTermWording(text: string): boolean {
  const normal = text.toLowerCase().replace(/\s+/g, " ");
  if (VOID_TERM_PATTERNS.some((p) => p.test(normal))) return false;
  return LAWFUL_TERM_PHRASES.some((p) => normal.includes(p));
}

/**
 * Start (inclusive) of the six-month look-back for costs after a missed instalment
 * (cumulatieregeling of art. 6:96 BW as amended by the Wki, since 1 Oct 2024; kantoorabri.nl,
 * nvi.nl): the same day six calendar months earlier, or that month's last day when it is shorter
 * (31 Aug -> 28/29 Feb).
 */
export function nlCostsLookbackStart(missedInstalmentDate: string): string {
  assertDate(missedInstalmentDate);
  const [y, m, d] = missedInstalmentDate.split("-").map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) - 6;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(year).padStart(4, "0")}-${pad(month)}-${pad(Math.min(d, lastDay))}`;
}
