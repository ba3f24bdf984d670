/**
 * A "Meetlat sociale incasso" style scorecard: twenty criteria in its four themes, each with the
 * policy change that would raise it. Criteria outside Kindly still appear, with what the merchant
 * must do, because social collection is judged as a whole.
 */
import { isLetterCapable, type Segment, type SegmentCondition, type Step, type StepKind, type TenantPolicy } from "./policy-schema";

/** Meetlat levels: hekkensluiter, goed op weg, koploper. */
export type Level = "laggard" | "on_the_way" | "frontrunner";
/** The four Meetlat themes. */
export type Theme = "vision_and_policy" | "execution" | "communication" | "conditions";

/** One scored criterion; `to_improve` is null when there is nothing left to do. */
export interface Criterion {
  key: string;
  title: string;
  level: Level;
  influenced_by_kindly: boolean;
  why: string;
  to_improve: string | null;
}

/** The whole scorecard. */
export interface Scorecard {
  overall: Level;
  themes: { theme: Theme; criteria: Criterion[] }[];
}

type Verdict = Pick<Criterion, "level" | "why" | "to_improve">;
type Finding = { level: Exclude<Level, "frontrunner">; why: string; fix: string } | false;
type Definition = { theme: Theme; key: string; title: string; influenced: boolean; judge: (p: TenantPolicy) => Verdict };

/** The worst finding sets the level; every finding contributes its reason and its fix. */
function judge(findings: Finding[], goodWhy: string): Verdict {
  const found = findings.filter((f): f is Exclude<Finding, false> => f !== false);
  if (found.length === 0) return { level: "frontrunner", why: goodWhy, to_improve: null };
  const level = found.some((f) => f.level === "laggard") ? "laggard" : "on_the_way";
  return { level, why: found.map((f) => f.why).join(" "), to_improve: found.map((f) => f.fix).join("; ") };
}
const byConstruction = (why: string) => (): Verdict => ({ level: "frontrunner", why, to_improve: null });
const outsideKindly = (why: string, fix: string) => (): Verdict => ({ level: "on_the_way", why, to_improve: fix });

const sent = (steps: Step[]) => steps.filter((s) => !s.optional);
/** Steps sent before the first step of one of `kinds` (all sent steps when there is none). */
function sentBefore(steps: Step[], kinds: StepKind[]): Step[] {
  const s = sent(steps);
  const i = s.findIndex((x) => kinds.includes(x.kind));
  return i < 0 ? s : s.slice(0, i);
}
const escalating = (p: TenantPolicy) => Object.entries(p.ladders).filter(([, l]) => sent(l.steps).some((s) => s.kind === "handover_ready"));
const channelsOf = (s: Step) => (s.channels === "auto" ? (s.auto_candidates ?? []) : s.channels);
const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(", ");

type Flag = "hardship_flag" | "vulnerable_flag";
const isFor = (fact: Flag) => (c: SegmentCondition) => c.fact === fact && "equals" in c && c.equals === true;
const isProtective = (s: Segment) => s.when.some(isFor("hardship_flag")) || s.when.some(isFor("vulnerable_flag"));

/** The first segment for a flag: missing, caught first by a broader segment, or on a ladder that escalates. */
function protectionFindings(p: TenantPolicy, fact: Flag): Finding[] {
  const index = p.segments.findIndex((s) => s.when.some(isFor(fact)));
  const segment = p.segments[index];
  if (!segment) {
    return [{ level: "laggard", why: `No segment tests ${fact}.`, fix: `Add a segment with when [{ "fact": "${fact}", "equals": true }] on a gentle ladder, listed first` }];
  }
  const shadowedBy = p.segments.slice(0, index).find((s) => !isProtective(s));
  const name = segment.ladder;
  const steps = sent(p.ladders[name]?.steps ?? []);
  return [
    shadowedBy !== undefined && {
      level: "on_the_way", why: `Segment "${shadowedBy.key}" comes first and catches some of these debtors.`,
      fix: `Move segment "${segment.key}" above "${shadowedBy.key}" (the first matching segment wins)`,
    },
    steps.some((s) => s.kind === "handover_ready") && { level: "laggard", why: `Ladder "${name}" can hand them over.`, fix: `Remove the handover_ready step from ladder "${name}"` },
    steps.filter(isLetterCapable).length > 1 && { level: "on_the_way", why: `Ladder "${name}" sends several letters.`, fix: `Keep one letter step in ladder "${name}"` },
    steps.some((s) => s.kind === "call_task" || channelsOf(s).includes("call")) && {
      level: "on_the_way", why: `Ladder "${name}" plans a call.`, fix: `Remove call steps from ladder "${name}"; let the debtor call you instead`,
    },
    steps.some((s) => (segment.tone_override ?? s.tone) !== "friendly") && {
      level: "on_the_way", why: `Ladder "${name}" is not friendly throughout.`, fix: `Set tone_override "friendly" on segment "${segment.key}"`,
    },
  ];
}

const GENTLE = "comes first, on a ladder with one letter at most, no call, no handover and a friendly tone throughout.";
const DEFINITIONS: Definition[] = [
  {
    theme: "vision_and_policy", key: "hardship_segment", title: "People with money worries get their own approach", influenced: true,
    judge: (p) => judge(protectionFindings(p, "hardship_flag"), `A segment for debtors in hardship ${GENTLE}`),
  },
  {
    theme: "vision_and_policy", key: "vulnerable_protected", title: "Vulnerable customers are never escalated", influenced: true,
    judge: (p) => judge(protectionFindings(p, "vulnerable_flag"), `A segment for vulnerable debtors ${GENTLE}`),
  },
  {
    theme: "vision_and_policy", key: "debt_counselling_stop", title: "Collection stops when a debt counsellor steps in", influenced: true,
    judge: (p) => {
      const d = p.debt_counselling_stop_days;
      const fix = "Set debt_counselling_stop_days to 240 (8 months, NVVK covenant) or more";
      return judge([d < 240 && { level: d >= 120 ? "on_the_way" : "laggard", why: `Collection resumes after ${d} days.`, fix }],
        `Collection stops for ${d} days after a debt counsellor's notice (NVVK covenant: 8 months).`);
    },
  },
  {
    theme: "vision_and_policy", key: "help_offered_early", title: "Help is offered early", influenced: true,
    judge: (p) => {
      const n = p.help.offer_help_from_step;
      return judge([n > 2 && { level: n > 3 ? "laggard" : "on_the_way", why: `Help is first mentioned at step ${n}.`, fix: "Set help.offer_help_from_step to 1" }],
        `From step ${n} every message says where free help is (geldfit.nl, municipal debt help, OCMW/CPAS).`);
    },
  },
  {
    theme: "vision_and_policy", key: "debt_stacking_prevention", title: "No pay-later for those it would harm", influenced: false,
    judge: outsideKindly("Kindly does not decide who may pay later at checkout.",
      "Do not offer pay-later to customers with 3 or more late payments in 12 months, nor to minors; check for other open pay-later debt (NL BNPL code)"),
  },
  {
    theme: "execution", key: "contact_budget", title: "Few contacts, well spaced", influenced: true,
    judge: (p) => {
      const { max_per_week: max, min_hours_between: gap } = p.contact_budget;
      return judge([
        max > 2 && { level: max > 3 ? "laggard" : "on_the_way", why: `Up to ${max} contacts a week.`, fix: "Set contact_budget.max_per_week to 2 or lower" },
        gap < 24 && { level: "on_the_way", why: `Contacts may be ${gap} hours apart.`, fix: "Set contact_budget.min_hours_between to 48" },
      ], `At most ${max} contacts a week, ${gap} hours apart.`);
    },
  },
  {
    theme: "execution", key: "quiet_hours", title: "No contact at night, on Sundays or holidays", influenced: true,
    judge: byConstruction("Kindly never contacts between 20:00 and 07:00, on Sundays or public holidays (Wki); a policy can only widen that."),
  },
  {
    theme: "execution", key: "channels_before_handover", title: "Several channels, including a letter, before any handover", influenced: true,
    judge: (p) => judge(escalating(p).map(([name, l]): Finding => {
      const n = new Set(sentBefore(l.steps, ["handover_ready"]).flatMap(channelsOf)).size;
      return n < 3 && { level: n < 2 ? "laggard" : "on_the_way", why: `Ladder "${name}" uses ${n} channel(s) before handover.`,
        fix: `Use at least three channels (email, letter, sms) before handover_ready in ladder "${name}"` };
    }), "Every ladder that can end in a handover reaches the debtor by at least three channels, a letter among them."),
  },
  {
    theme: "execution", key: "call_before_handover", title: "A personal call before any handover", influenced: true,
    judge: (p) => {
      const ladders = escalating(p);
      const missing = ladders.filter(([, l]) => !sentBefore(l.steps, ["handover_ready"]).some((s) => s.kind === "call_task")).map(([n]) => n);
      return judge([missing.length > 0 && {
        level: missing.length === ladders.length ? "laggard" : "on_the_way", why: `No call before handover in ${quoted(missing)}.`,
        fix: `Add a call_task step (channels ["call"]) before handover_ready in ladder ${quoted(missing)}`,
      }], "The call centre calls before any handover (bol.com).");
    },
  },
  {
    theme: "execution", key: "learning_channel_mix", title: "The channel that works for this person", influenced: true,
    judge: (p) => {
      const auto = Object.values(p.ladders).flatMap((l) => sent(l.steps)).filter((s) => s.channels === "auto");
      const fix = 'Set channels "auto" with auto_candidates ["email", "sms", "letter"] on a reminder step, e.g. for often-late debtors';
      return judge([
        auto.length === 0 && { level: "laggard", why: "Every step uses fixed channels.", fix },
        auto.length > 0 && !auto.some((s) => s.auto_candidates?.includes("letter")) && { level: "on_the_way", why: "Learning never picks a letter.", fix },
      ], "Some steps learn from outcomes, so a debtor who pays only after a letter gets one earlier.");
    },
  },
  {
    theme: "execution", key: "minimal_handover_data", title: "Handover shares only the minimal data set", influenced: true,
    judge: byConstruction("Kindly's handover carries only name, address, invoice number, reason, dates and amounts (Wki)."),
  },
  {
    theme: "communication", key: "crossed_payment_wording", title: "Every reminder says payment and reminder may have crossed", influenced: true,
    judge: byConstruction("Kindly's templates always carry the crossed-payment line; it prevents worry and needless calls."),
  },
  {
    theme: "communication", key: "b1_language", title: "Plain language at level B1, no threats", influenced: true,
    judge: byConstruction("Kindly's templates are written at B1, name the positive outcome and never threaten."),
  },
  {
    theme: "communication", key: "friendly_tone", title: "The first reminders are friendly", influenced: true,
    judge: (p) => judge(p.segments.map((seg): Finding => {
      const first = sent(p.ladders[seg.ladder]?.steps ?? []).slice(0, 2).map((s) => seg.tone_override ?? s.tone);
      const friendly = first.filter((t) => t === "friendly").length;
      return friendly < first.length && { level: first[0] === "friendly" ? "on_the_way" : "laggard",
        why: `Segment "${seg.key}" opens with a ${first.join(", ")} tone.`, fix: `Make the first two steps of ladder "${seg.ladder}" tone "friendly"` };
    }), "Every segment opens with two friendly reminders."),
  },
  {
    theme: "communication", key: "consolidated_reminders", title: "One message for all open invoices", influenced: true,
    judge: byConstruction("Kindly puts every open invoice of a debtor in one reminder, so costs and worry do not stack."),
  },
  {
    theme: "communication", key: "reachability_and_complaints", title: "Easy to reach, with a complaints procedure", influenced: false,
    judge: outsideKindly("Kindly shows your contact details but cannot see how quickly you answer.",
      "Publish a complaints procedure, answer phone, chat and email replies within two working days, and put those channels in your tenant settings"),
  },
  {
    theme: "conditions", key: "free_interim_reminder", title: "An extra free reminder before the legal letter or handover", influenced: true,
    judge: (p) => {
      const ladders = Object.entries(p.ladders).filter(([, l]) => sent(l.steps).some((s) => s.kind === "nl_fourteen_day_letter" || s.kind === "handover_ready"));
      const fee = p.costs.be_later_reminder_fee_cents;
      return judge([
        ...ladders.map(([name, l]): Finding => {
          const free = sentBefore(l.steps, ["nl_fourteen_day_letter", "handover_ready"]).filter((s) => s.kind === "reminder" || s.kind === "be_first_reminder").length;
          return free < 2 && { level: free === 0 ? "laggard" : "on_the_way", why: `Ladder "${name}" sends ${free} free reminder(s) first.`,
            fix: `Add a second free reminder (kind "reminder") before the legal letter or handover in ladder "${name}"` };
        }),
        fee > 0 && { level: "on_the_way", why: `Belgian later reminders cost ${fee} cents.`, fix: "Set costs.be_later_reminder_fee_cents to 0" },
      ], "Two free reminders come before any legal letter or handover (NL BNPL code; in3 saw a third fewer handovers).");
    },
  },
  {
    theme: "conditions", key: "costs_off_by_default", title: "No collection costs by default", influenced: true,
    judge: (p) => {
      const on = (["nl_bik_enabled", "be_damages_enabled", "vat_on_costs"] as const).filter((k) => p.costs[k]).map((k) => `costs.${k}`);
      const fixes = [...on.map((k) => `Set ${k} to false`), ...(p.costs.be_later_reminder_fee_cents > 0 ? ["Set costs.be_later_reminder_fee_cents to 0"] : [])];
      return judge([fixes.length > 0 && { level: fixes.length >= 3 ? "laggard" : "on_the_way", why: `${fixes.length} kind(s) of cost are charged.`, fix: fixes.join("; ") }],
        "No costs are charged; Kindly would charge none before the legal term anyway.");
    },
  },
  {
    theme: "conditions", key: "payment_date_choice", title: "The customer chooses a payment date, aligned to payday", influenced: true,
    judge: (p) => {
      const { max_days_after_due: max, align_to_payday: align } = p.payment_date;
      const level = max === 0 || (max < 7 && !align) ? "laggard" : "on_the_way";
      return judge([
        max < 14 && { level, why: `A later date may be at most ${max} days after the due date.`, fix: "Set payment_date.max_days_after_due to 30 (always contains a payday)" },
        !align && { level, why: "Dates are not aligned to payday.", fix: "Set payment_date.align_to_payday to true" },
      ], `Customers may pick a date up to ${max} days later, aligned to payday (day ${p.payment_date.payday_of_month} of the month).`);
    },
  },
  {
    theme: "conditions", key: "arrangements", title: "Payment arrangements within reach", influenced: true,
    judge: (p) => {
      const a = p.arrangements;
      return judge([
        !a.enabled && { level: "laggard", why: "Arrangements are off.", fix: "Set arrangements.enabled to true" },
        a.max_instalments < 6 && { level: "on_the_way", why: `At most ${a.max_instalments} instalments.`, fix: "Set arrangements.max_instalments to 6 or more" },
        a.min_instalment_cents > 2_500 && { level: "on_the_way", why: `Instalments are at least ${a.min_instalment_cents} cents.`, fix: "Set arrangements.min_instalment_cents to 2500 (EUR 25) or lower" },
      ], `Up to ${a.max_instalments} instalments from ${a.min_instalment_cents} cents each.`);
    },
  },
];

/** Overall: laggard when a quarter or more lag; frontrunner when none lags and 80% lead; else on the way. */
function overallOf(levels: Level[]): Level {
  const share = (l: Level) => levels.filter((x) => x === l).length / levels.length;
  if (share("laggard") >= 0.25) return "laggard";
  return share("laggard") === 0 && share("frontrunner") >= 0.8 ? "frontrunner" : "on_the_way";
}

const THEMES: Theme[] = ["vision_and_policy", "execution", "communication", "conditions"];

/** Scores a (parsed) tenant policy on the Meetlat-style criteria. */
export function scorePolicy(policy: TenantPolicy): Scorecard {
  const criteria = DEFINITIONS.map((d) => ({ theme: d.theme, criterion: { key: d.key, title: d.title, influenced_by_kindly: d.influenced, ...d.judge(policy) } }));
  return {
    overall: overallOf(criteria.map((c) => c.criterion.level)),
    themes: THEMES.map((theme) => ({ theme, criteria: criteria.filter((c) => c.theme === theme).map((c) => c.criterion) })),
  };
}
