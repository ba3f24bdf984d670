/**
 * Belgian consumer-debt law (Book XIX Code of Economic Law, Act of 4 May 2023): damages cap,
 * the 14-day waiting period after the free first reminder, and reminder fees.
 * Money is in integer euro cents; each computation rounds half up to whole cents once, at the end.
 * Not legal advice.
 */
import { addDays, isIsoDate } from "../zoned-time";
import { addWorkingDays } from "./calendar";

function assertPositiveCents(cents: number, what: string): void {
  if (!Number.isSafeInteger(cents) || cents < 1) throw new RangeError(`${what} must be a positive integer of cents: ${cents}`);
}

function assertNonNegativeCents(cents: number, what: string): void {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`${what} must be a non-negative integer of cents: ${cents}`);
}

/** Half-up rounding of num/den for non-negative integers. */
function divideHalfUp(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}

const BE_DAMAGES_MAX_CENTS = 200_000;

/**
 * Maximum damages in cents on an unpaid balance (Book XIX WER; farys.be, amboslaw.be):
 * up to EUR 150: EUR 20; EUR 150.01-500: EUR 30 + 10% above 150; above EUR 500: EUR 65 + 5% above
 * 500, at most EUR 2,000. The tiers join at EUR 500 (30 + 35 = 65); at 150.01 the cap jumps 20 -> 30.
 */
export function beDamagesCap(balanceCents: number): number {
  assertPositiveCents(balanceCents, "balance");
  if (balanceCents <= 15_000) return 2_000;
  if (balanceCents <= 50_000) return 3_000 + divideHalfUp(balanceCents - 15_000, 10);
  // Clamp before multiplying: the maximum is reached at EUR 39,200, so larger inputs change nothing.
  const above = Math.min(balanceCents - 50_000, 4_000_000);
  return Math.min(BE_DAMAGES_MAX_CENTS, 6_500 + divideHalfUp(above, 20));
}

function assertDate(date: string): void {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
}

/**
 * First of the 14 calendar days that must pass after the free first reminder (Book XIX WER;
 * lex4u.com, daldewolf.com): the day after sending for email, the third working day after sending
 * for post. "Working day" here is Monday-Friday without the ten legal holidays; Belgian procedure
 * (Ger.W. art. 53) would count Saturday too, which would start the term earlier: we take the later.
 */
export function beWaitingPeriodStart(sentDate: string, channel: "email" | "letter"): string {
  assertDate(sentDate);
  return channel === "email" ? addDays(sentDate, 1) : addWorkingDays(sentDate, 3, "BE");
}

/**
 * First day on which damages, interest or costs may be charged. The start day is day 1 of the 14,
 * so day 14 is start + 13 and the first chargeable day is start + 14 (email sent on the 1st:
 * days 2..15, costs from the 16th). No weekend/holiday extension applies to this date.
 */
export function beEarliestCostsDate(sentDate: string, channel: "email" | "letter"): string {
  return addDays(beWaitingPeriodStart(sentDate, channel), 14);
}

/** Most a later reminder may cost in cents, postage excluded (Book XIX WER). */
export const BE_LATER_REMINDER_MAX_CENTS = 750;

/**
 * Whether charging `feeCents` for reminder number `reminderNumber` (1 = first) is lawful, given
 * the reminder's actual `postageCents` (0 for email): the first reminder is free; later ones cost
 * at most EUR 7.50 plus postage.
 */
export function beReminderFeeAllowed(reminderNumber: number, feeCents: number, postageCents: number): boolean {
  if (!Number.isInteger(reminderNumber) || reminderNumber < 1) throw new RangeError(`reminder number must be >= 1: ${reminderNumber}`);
  assertNonNegativeCents(feeCents, "fee");
  assertNonNegativeCents(postageCents, "postage");
  if (reminderNumber === 1) return feeCents === 0;
  return feeCents <= BE_LATER_REMINDER_MAX_CENTS + postageCents;
}
