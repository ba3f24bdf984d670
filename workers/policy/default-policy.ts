/**
 * The policy a tenant starts with: the best practice of domain.md (bol.com's ladder, the NL
 * BNPL code's extra free reminder, Wki conduct, Book XIX, the NVVK covenant). Every value is
 * the kind and lawful one; tenants may tune it within the schema's limits.
 */
import type { Ladder, Segment, Step, TenantPolicy } from "./policy-schema";

type Country = "NL" | "BE";
type StepInit = Omit<Step, "max_channels"> & { max_channels?: number };
const step = (s: StepInit): Step => ({ max_channels: 1, ...s });

// Banner in the app plus an email, two days before the due date; off unless switched on,
// because an unasked reminder before anything is late can feel like distrust.
const preDueNudge = step({
  key: "pre_due_nudge", kind: "pre_due_nudge", offset_days: 2, from: "due_date",
  channels: ["banner", "email"], max_channels: 2, tone: "friendly", template: "pre-due-nudge", optional: true,
});

/**
 * First reminder: email, unless this debtor's own history shows they pay after post and not
 * after email (bol.com: "iemand die alleen na een brief blijkt te betalen, zullen we eerder via
 * reguliere post benaderen"); with no history the channel mix keeps email. In Belgium it is the
 * Book XIX "first reminder" (email or post): free, with the mandatory content, and the 14-day
 * term runs from the day after sending, so later steps are safely past it. In the Netherlands it
 * is a plain free reminder.
 */
const firstReminder = (c: Country, offset: number): Step =>
  step({
    key: "reminder_1", kind: c === "BE" ? "be_first_reminder" : "reminder", offset_days: offset, from: "due_date",
    channels: "auto", auto_candidates: ["email", "letter"], tone: "friendly", template: c === "BE" ? "be-first-reminder" : "reminder-friendly",
  });

// The extra free interim reminder of the NL BNPL code: in3 found it cut handovers by a third.
// "auto": after an ignored email the mix tries what works for debtors like this one (an SMS, or
// a letter for those who pay after post); the simulator measured this (README, "Simulator").
const secondReminder = (offset: number): Step =>
  step({
    key: "reminder_2", kind: "reminder", offset_days: offset, from: "previous_step", channels: "auto",
    auto_candidates: ["email", "sms", "letter"], tone: "friendly", template: "reminder-second",
  });

/** The paper step: the NL 14-day letter (BIK), or in Belgium a free reminder letter. */
const letter = (c: Country, offset: number): Step =>
  c === "NL"
    ? step({ key: "fourteen_day_letter", kind: "nl_fourteen_day_letter", offset_days: offset, from: "previous_step", channels: ["letter"], tone: "neutral", template: "nl-fourteen-day-letter" })
    : step({ key: "reminder_letter", kind: "reminder", offset_days: offset, from: "previous_step", channels: ["letter"], tone: "neutral", template: "reminder-letter" });

const sms = (offset: number): Step =>
  step({ key: "reminder_sms", kind: "reminder", offset_days: offset, from: "previous_step", channels: ["sms"], tone: "neutral", template: "reminder-sms" });

/** bol.com calls before any agency: a person finds the arrangement a letter cannot. */
const call = (offset: number, key = "call"): Step =>
  step({ key, kind: "call_task", offset_days: offset, from: "previous_step", channels: ["call"], tone: "neutral", template: "call-task" });

// A state change for the merchant (webhook); the debtor sees it only in the app banner, so it
// spends no contact. Ten days after the call (final notice on day 3, handover 7 days later) keeps
// it past the 14-day letter's term even when the letter was posted on a Friday (delivered
// Tuesday, term ends 18 days after posting).
/**
 * The last reminder before a handover, by email (a letter when there is no email address): it
 * names the shop's handover partner once and threatens nothing. Only for a shop with a partner;
 * without one the ladder passes over it and keeps its days, so the handover stays as far from
 * the legal letter as planned.
 */
const finalNotice = (offset: number): Step =>
  step({ key: "final_notice", kind: "reminder", offset_days: offset, from: "previous_step", channels: ["email"], tone: "neutral", template: "final-notice" });

const handover = (offset: number): Step =>
  step({ key: "handover_ready", kind: "handover_ready", offset_days: offset, from: "previous_step", channels: ["banner"], tone: "clear", template: "handover-ready" });

/** Days 3, 10, 17 (letter), 23, 28 (call), 31 (final notice, with a partner), 38 (handover ready). */
const standard = (c: Country): Ladder => ({
  steps: [preDueNudge, firstReminder(c, 3), secondReminder(7), letter(c, 7), sms(6), call(5), finalNotice(3), handover(7)],
});

/**
 * Paid late three times or more this year: the second reminder goes "auto", so a debtor who
 * only pays after paper gets a letter at day 8, and the legal letter comes four days earlier.
 */
const oftenLate = (c: Country): Ladder => ({
  steps: [
    preDueNudge,
    firstReminder(c, 3),
    step({
      key: "reminder_2", kind: "reminder", offset_days: 5, from: "previous_step", channels: "auto",
      auto_candidates: ["email", "sms", "letter"], tone: "friendly", template: "reminder-second",
    }),
    letter(c, 5), sms(5), call(5), finalNotice(3), handover(7),
  ],
});

/** EUR 500 or more: a EUR 3 call pays for itself, so a person offers an arrangement before the letter. */
const highAmount = (c: Country): Ladder => ({
  steps: [preDueNudge, firstReminder(c, 3), secondReminder(7), call(4, "call_arrangement"), letter(c, 5), sms(6), call(5), finalNotice(3), handover(7)],
});

/**
 * Vulnerable or in hardship: more time, friendly throughout, one letter (people with money
 * worries avoid screens as much as post), no SMS, no call, no handover. The ladder ends and
 * the merchant decides by hand, after help was offered from the first message.
 */
const gentle: Ladder = {
  steps: [
    step({ key: "reminder_1", kind: "reminder", offset_days: 5, from: "due_date", channels: ["email"], tone: "friendly", template: "reminder-gentle" }),
    step({ key: "reminder_2", kind: "reminder", offset_days: 10, from: "previous_step", channels: ["email"], tone: "friendly", template: "reminder-help" }),
    step({ key: "reminder_letter", kind: "reminder", offset_days: 14, from: "previous_step", channels: ["letter"], tone: "friendly", template: "reminder-letter-help" }),
  ],
};

const inCountry = (c: Country) => ({ fact: "country", equals: c }) as const;
// First match wins: protection first, then behaviour, then amount, then the catch-all.
const segments: Segment[] = [
  { key: "vulnerable", description: "Marked vulnerable by the merchant", when: [{ fact: "vulnerable_flag", equals: true }], ladder: "gentle", tone_override: "friendly" },
  { key: "hardship", description: "Told us paying is hard right now", when: [{ fact: "hardship_flag", equals: true }], ladder: "gentle", tone_override: "friendly" },
  ...(["NL", "BE"] as const).flatMap((c): Segment[] => {
    const cc = c.toLowerCase();
    return [
      { key: `often_late_${cc}`, description: "Three or more late payments in 12 months", when: [{ fact: "late_payments_12m", op: "gte", value: 3 }, inCountry(c)], ladder: `often_late_${cc}` },
      { key: `high_amount_${cc}`, description: "EUR 500 or more outstanding", when: [{ fact: "total_outstanding_cents", op: "gte", value: 50_000 }, inCountry(c)], ladder: `high_amount_${cc}` },
      // Never late before: most likely forgot, so the whole ladder stays friendly.
      { key: `first_time_late_${cc}`, description: "No late payment in 12 months", when: [{ fact: "late_payments_12m", op: "eq", value: 0 }, inCountry(c)], ladder: `standard_${cc}`, tone_override: "friendly" },
    ];
  }),
  { key: "standard_be", when: [inCountry("BE")], ladder: "standard_be" },
  { key: "standard", description: "Everyone else (the Netherlands)", when: [], ladder: "standard_nl" },
];

/** The default tenant policy; `parsePolicy(DEFAULT_POLICY)` accepts it unchanged. */
export const DEFAULT_POLICY: TenantPolicy = {
  version: 1,
  segments,
  ladders: {
    standard_nl: standard("NL"),
    standard_be: standard("BE"),
    often_late_nl: oftenLate("NL"),
    often_late_be: oftenLate("BE"),
    high_amount_nl: highAmount("NL"),
    high_amount_be: highAmount("BE"),
    gentle,
  },
  // Cents per contact: email ~0.1 ct rounds up to 1; a printed and posted letter; a call-centre call.
  channel_costs_cents: { email: 1, letter: 120, sms: 8, banner: 0, call: 300 },
  // Two contacts a week, two days apart: enough to be seen, never a barrage.
  contact_budget: { max_per_week: 2, min_hours_between: 48 },
  // A bank transfer can take days to reach the merchant; a week avoids reminding a payer.
  already_paid_pause_days: 7,
  // Up to 30 days later always contains one payday; the 25th is the common Dutch payday.
  payment_date: { max_days_after_due: 30, align_to_payday: true, payday_of_month: 25 },
  // Small instalments keep an arrangement possible on a tight budget.
  arrangements: { enabled: true, max_instalments: 12, min_instalment_cents: 1_000 },
  // Costs push people further into debt and mostly go unpaid: off until a tenant chooses them.
  costs: { nl_bik_enabled: false, be_damages_enabled: false, be_later_reminder_fee_cents: 0, vat_on_costs: false },
  debt_counselling_stop_days: 240,
  // Short B1 texts fit in two segments; each segment is billed, so more buys nothing.
  sms_max_segments: 2,
  // Help lowers the threshold to ask (geldfit.nl, municipal debt help, OCMW/CPAS): in every message.
  help: { offer_help_from_step: 1 },
  // A short thank-you by email when everything is paid after a reminder: off until the tenant
  // chooses it, like any message the debtor did not ask for.
  thank_you_after_payment: false,
  // One NPS question after a cycle that ended well: off until the tenant wants feedback.
  nps_after_cycle: false,
};
