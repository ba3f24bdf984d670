/**
 * Meetlat criteria Kindly grades: from policy and account settings the product reads (each
 * names them in `reads`, and test/scorecard-honesty.test.ts moves each and sees the product's
 * behaviour move), or from what Kindly's own code does today ("built_in", naming that code).
 * Settings that are not graded: `help.offer_help_from_step` (nothing reads it: help is in every
 * message) and `costs.vat_on_costs` (read by the costs, but a tax fact of the creditor, not a practice).
 */
import { isLetterCapable, type Segment, type SegmentCondition, type Step, type StepKind, type TenantPolicy } from "./policy-schema";
import { type CriterionDefinition, type Finding, judge, type Verdict } from "./scorecard-types";

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
const fixed = (v: Verdict) => () => v;
const setting = (d: Omit<CriterionDefinition, "basis">): CriterionDefinition => ({ ...d, basis: "setting" });
const builtIn = (d: Omit<CriterionDefinition, "basis">): CriterionDefinition => ({ ...d, basis: "built_in" });

export const GRADED: CriterionDefinition[] = [
  // --- policy ---------------------------------------------------------------------------------
  setting({
    key: "hardship_segment", theme: "policy", title: "People with money worries get their own approach",
    positions: {
      laggard: "Customers with money worries get the same reminders as everyone else, up to handover.",
      on_the_way: "They have their own route, but it may still call, send several letters, or be caught by another segment first.",
      frontrunner: "They come first to a gentle route: friendly, help from the first message, one letter at most, no call, no handover.",
    },
    reads: ["policy.segments", "policy.ladders"], action: { feasibility: "high", social_impact: "high" },
    judge: ({ policy }) => judge(protectionFindings(policy, "hardship_flag"), `A segment for debtors in hardship ${GENTLE}`),
  }),
  setting({
    key: "vulnerable_protected", theme: "policy", title: "Vulnerable customers are never escalated",
    positions: {
      laggard: "Vulnerable customers can be handed over like anyone else.",
      on_the_way: "They have their own route, but it may still call, send several letters, or be caught by another segment first.",
      frontrunner: "They come first to a gentle route that never escalates and never hands over.",
    },
    reads: ["policy.segments", "policy.ladders"], action: { feasibility: "high", social_impact: "high" },
    judge: ({ policy }) => judge(protectionFindings(policy, "vulnerable_flag"), `A segment for vulnerable debtors ${GENTLE}`),
  }),
  setting({
    key: "debt_counselling_stop", theme: "policy", title: "Collection stops when a debt counsellor steps in",
    positions: {
      laggard: "Collection stops for less than four months after a debt counsellor's notice.",
      on_the_way: "Collection stops for four to eight months.",
      frontrunner: "Collection stops for at least eight months (NVVK covenant).",
    },
    reads: ["policy.debt_counselling_stop_days"], action: { feasibility: "high", social_impact: "high" },
    judge: ({ policy }) => {
      const d = policy.debt_counselling_stop_days;
      const fix = "Set debt_counselling_stop_days to 240 (8 months, NVVK covenant) or more";
      return judge([d < 240 && { level: d >= 120 ? "on_the_way" : "laggard", why: `Collection resumes after ${d} days.`, fix }],
        `Collection stops for ${d} days after a debt counsellor's notice (NVVK covenant: 8 months).`);
    },
  }),
  setting({
    key: "costs", theme: "policy", title: "No collection costs by default",
    positions: {
      laggard: "Collection costs, Belgian damages and fees for later reminders are all charged.",
      on_the_way: "Some costs are charged where the law allows them.",
      frontrunner: "No costs are charged; the debt does not grow while the customer works it out.",
    },
    reads: ["policy.costs.nl_bik_enabled", "policy.costs.be_damages_enabled", "policy.costs.be_later_reminder_fee_cents"], action: { feasibility: "medium", social_impact: "high" },
    judge: ({ policy }) => {
      const on = (["nl_bik_enabled", "be_damages_enabled"] as const).filter((k) => policy.costs[k]).map((k) => `Set costs.${k} to false`);
      const fixes = [...on, ...(policy.costs.be_later_reminder_fee_cents > 0 ? ["Set costs.be_later_reminder_fee_cents to 0"] : [])];
      return judge([fixes.length > 0 && { level: fixes.length >= 3 ? "laggard" : "on_the_way", why: `${fixes.length} kind(s) of cost are charged.`, fix: fixes.join("; ") }],
        "No costs are charged; Kindly would charge none before the legal term anyway.");
    },
  }),
  setting({
    key: "free_interim_reminder", theme: "policy", title: "An extra free reminder before the legal letter or handover",
    positions: {
      laggard: "The legal letter or the handover comes without a free reminder first.",
      on_the_way: "One free reminder comes first, or later reminders cost a fee.",
      frontrunner: "Two free reminders come before any legal letter or handover (NL BNPL code; in3 saw a third fewer handovers).",
    },
    reads: ["policy.ladders", "policy.costs.be_later_reminder_fee_cents"], action: { feasibility: "high", social_impact: "medium" },
    judge: ({ policy }) => {
      const ladders = Object.entries(policy.ladders).filter(([, l]) => sent(l.steps).some((s) => s.kind === "nl_fourteen_day_letter" || s.kind === "handover_ready"));
      const fee = policy.costs.be_later_reminder_fee_cents;
      return judge([
        ...ladders.map(([name, l]): Finding => {
          const free = sentBefore(l.steps, ["nl_fourteen_day_letter", "handover_ready"]).filter((s) => s.kind === "reminder" || s.kind === "be_first_reminder").length;
          return free < 2 && { level: free === 0 ? "laggard" : "on_the_way", why: `Ladder "${name}" sends ${free} free reminder(s) first.`,
            fix: `Add a second free reminder (kind "reminder") before the legal letter or handover in ladder "${name}"` };
        }),
        fee > 0 && { level: "on_the_way", why: `Belgian later reminders cost ${fee} cents.`, fix: "Set costs.be_later_reminder_fee_cents to 0" },
      ], "Two free reminders come before any legal letter or handover (NL BNPL code; in3 saw a third fewer handovers).");
    },
  }),
  setting({
    key: "payment_date_choice", theme: "policy", title: "The customer chooses a payment date, aligned to payday",
    positions: {
      laggard: "The customer cannot choose when to pay.",
      on_the_way: "A later date can be chosen, but only a short time ahead or not around payday.",
      frontrunner: "The customer picks a date up to a month ahead, with payday-aligned suggestions.",
    },
    reads: ["policy.payment_date.max_days_after_due", "policy.payment_date.align_to_payday"], action: { feasibility: "high", social_impact: "medium" },
    judge: ({ policy }) => {
      const { max_days_after_due: max, align_to_payday: align } = policy.payment_date;
      const level = max === 0 || (max < 7 && !align) ? "laggard" : "on_the_way";
      return judge([
        max < 14 && { level, why: `A later date may be at most ${max} days after the due date.`, fix: "Set payment_date.max_days_after_due to 30 (always contains a payday)" },
        !align && { level, why: "Dates are not aligned to payday.", fix: "Set payment_date.align_to_payday to true" },
      ], `Customers may pick a date up to ${max} days later, aligned to payday (day ${policy.payment_date.payday_of_month} of the month).`);
    },
  }),
  setting({
    key: "arrangements", theme: "policy", title: "Payment arrangements within reach",
    positions: {
      laggard: "Customers cannot arrange to pay in parts themselves.",
      on_the_way: "Parts are possible, but few or large.",
      frontrunner: "Customers arrange six or more parts themselves, from small amounts, without calling.",
    },
    reads: ["policy.arrangements.enabled", "policy.arrangements.max_instalments", "policy.arrangements.min_instalment_cents"], action: { feasibility: "high", social_impact: "high" },
    judge: ({ policy }) => {
      const a = policy.arrangements;
      return judge([
        !a.enabled && { level: "laggard", why: "Arrangements are off.", fix: "Set arrangements.enabled to true" },
        a.max_instalments < 6 && { level: "on_the_way", why: `At most ${a.max_instalments} instalments.`, fix: "Set arrangements.max_instalments to 6 or more" },
        a.min_instalment_cents > 2_500 && { level: "on_the_way", why: `Instalments are at least ${a.min_instalment_cents} cents.`, fix: "Set arrangements.min_instalment_cents to 2500 (EUR 25) or lower" },
      ], `Up to ${a.max_instalments} instalments from ${a.min_instalment_cents} cents each.`);
    },
  }),
  // --- execution ------------------------------------------------------------------------------
  setting({
    key: "contact_budget", theme: "execution", title: "Few contacts, well spaced",
    positions: {
      laggard: "More than three contacts a week are possible.",
      on_the_way: "Up to three a week, or contacts less than a day apart.",
      frontrunner: "At most two contacts a week, at least a day apart, over all channels.",
    },
    reads: ["policy.contact_budget.max_per_week", "policy.contact_budget.min_hours_between"], action: { feasibility: "high", social_impact: "medium" },
    judge: ({ policy }) => {
      const { max_per_week: max, min_hours_between: gap } = policy.contact_budget;
      return judge([
        max > 2 && { level: max > 3 ? "laggard" : "on_the_way", why: `Up to ${max} contacts a week.`, fix: "Set contact_budget.max_per_week to 2 or lower" },
        gap < 24 && { level: "on_the_way", why: `Contacts may be ${gap} hours apart.`, fix: "Set contact_budget.min_hours_between to 48" },
      ], `At most ${max} contacts a week, ${gap} hours apart.`);
    },
  }),
  builtIn({
    key: "quiet_hours", theme: "execution", title: "No contact at night, on Sundays or holidays",
    positions: {
      laggard: "Reminders go out at any hour.",
      on_the_way: "No contact at night, but on Sundays or public holidays.",
      frontrunner: "No contact between 20:00 and 07:00, on Sundays or public holidays (Wki).",
    },
    reads: ["workers/policy/engine.ts (quiet hours; policy.quiet_hours_override may only widen them)", "workers/debtor/dispatch.ts (checked again at send time)"],
    action: { feasibility: "high", social_impact: "medium" },
    judge: fixed({ level: "frontrunner", why: "Kindly never contacts between 20:00 and 07:00, on Sundays or public holidays (Wki); a policy can only widen that.", to_improve: null }),
  }),
  setting({
    key: "channels_before_handover", theme: "execution", title: "Several channels, including a letter, before any handover",
    positions: {
      laggard: "A handover can follow messages on one channel only.",
      on_the_way: "Two channels are tried before a handover.",
      frontrunner: "Three channels, a letter among them, reach the customer before any handover.",
    },
    reads: ["policy.ladders"], action: { feasibility: "medium", social_impact: "medium" },
    judge: ({ policy }) => judge(escalating(policy).map(([name, l]): Finding => {
      const n = new Set(sentBefore(l.steps, ["handover_ready"]).flatMap(channelsOf)).size;
      return n < 3 && { level: n < 2 ? "laggard" : "on_the_way", why: `Ladder "${name}" uses ${n} channel(s) before handover.`,
        fix: `Use at least three channels (email, letter, sms) before handover_ready in ladder "${name}"` };
    }), "Every ladder that can end in a handover reaches the debtor by at least three channels, a letter among them."),
  }),
  setting({
    key: "call_before_handover", theme: "execution", title: "A personal call before any handover",
    positions: {
      laggard: "No ladder calls the customer before a handover.",
      on_the_way: "Some ladders call first, others do not.",
      frontrunner: "The call centre calls before every handover (bol.com).",
    },
    reads: ["policy.ladders"], action: { feasibility: "medium", social_impact: "high" },
    judge: ({ policy }) => {
      const ladders = escalating(policy);
      const missing = ladders.filter(([, l]) => !sentBefore(l.steps, ["handover_ready"]).some((s) => s.kind === "call_task")).map(([n]) => n);
      return judge([missing.length > 0 && {
        level: missing.length === ladders.length ? "laggard" : "on_the_way", why: `No call before handover in ${quoted(missing)}.`,
        fix: `Add a call_task step (channels ["call"]) before handover_ready in ladder ${quoted(missing)}`,
      }], "The call centre calls before any handover (bol.com).");
    },
  }),
  setting({
    key: "learning_channel_mix", theme: "execution", title: "The channel that works for this person",
    positions: {
      laggard: "Every customer gets the same channels in the same order.",
      on_the_way: "Some steps learn the best channel, but never pick a letter.",
      frontrunner: "Steps learn from outcomes, so a customer who pays only after a letter gets one earlier.",
    },
    reads: ["policy.ladders (channels \"auto\", auto_candidates)"], action: { feasibility: "high", social_impact: "medium" },
    judge: ({ policy }) => {
      const auto = Object.values(policy.ladders).flatMap((l) => sent(l.steps)).filter((s) => s.channels === "auto");
      const fix = 'Set channels "auto" with auto_candidates ["email", "sms", "letter"] on a reminder step, e.g. for often-late debtors';
      return judge([
        auto.length === 0 && { level: "laggard", why: "Every step uses fixed channels.", fix },
        auto.length > 0 && !auto.some((s) => s.auto_candidates?.includes("letter")) && { level: "on_the_way", why: "Learning never picks a letter.", fix },
      ], "Some steps learn from outcomes, so a debtor who pays only after a letter gets one earlier.");
    },
  }),
  setting({
    key: "friendly_tone", theme: "execution", title: "The first reminders are friendly",
    positions: {
      laggard: "The first reminder is already stern.",
      on_the_way: "The first reminder is friendly, the second is not.",
      frontrunner: "Every route opens with two friendly reminders.",
    },
    reads: ["policy.segments (tone_override)", "policy.ladders (tone)"], action: { feasibility: "high", social_impact: "medium" },
    judge: ({ policy }) => judge(policy.segments.map((seg): Finding => {
      const first = sent(policy.ladders[seg.ladder]?.steps ?? []).slice(0, 2).map((s) => seg.tone_override ?? s.tone);
      const friendly = first.filter((t) => t === "friendly").length;
      return friendly < first.length && { level: first[0] === "friendly" ? "on_the_way" : "laggard",
        why: `Segment "${seg.key}" opens with a ${first.join(", ")} tone.`, fix: `Make the first two steps of ladder "${seg.ladder}" tone "friendly"` };
    }), "Every segment opens with two friendly reminders."),
  }),
  builtIn({
    key: "consolidated_reminders", theme: "execution", title: "One message for all open invoices",
    positions: {
      laggard: "Each invoice gets its own reminders, so contacts and costs stack up.",
      on_the_way: "Invoices are combined in some messages only.",
      frontrunner: "Every message names all open invoices of the customer, and one pay action pays exactly what it names.",
    },
    reads: ["workers/debtor/runner.ts (one step for all open invoices)", "workers/pay-action.ts (per-invoice links or the consolidated link)"],
    action: { feasibility: "high", social_impact: "medium" },
    judge: fixed({ level: "frontrunner", why: "Kindly puts every open invoice of a debtor in one reminder, and every pay action pays exactly the amount it names.", to_improve: null }),
  }),
  builtIn({
    key: "crossed_payment_wording", theme: "execution", title: "Every reminder says payment and reminder may have crossed",
    positions: {
      laggard: "Reminders assume the customer has not paid.",
      on_the_way: "Most reminders say payment and reminder may have crossed.",
      frontrunner: "Every reminder, on every channel, says so; it prevents worry and needless calls.",
    },
    reads: ["workers/templates/locked*.ts (the line, per message kind)", "workers/channels/sms-text.ts (never cut from an SMS)", "test/templates.test.ts"],
    action: { feasibility: "high", social_impact: "medium" },
    judge: fixed({
      level: "frontrunner",
      why: "Every template carries the crossed-payment line as a locked part on every channel; an SMS cuts its own words, never that line, and uses two segments where it must.",
      to_improve: null,
    }),
  }),
  builtIn({
    key: "plain_language", theme: "execution", title: "Plain language at level B1, no threats",
    positions: {
      laggard: "Reminders use legal or financial jargon, or threaten.",
      on_the_way: "Texts are written for B1 and never threaten, but their readability is not measured.",
      frontrunner: "Every text is written for B1, never threatens, and its readability is measured per language.",
    },
    reads: ["workers/templates/copy/", "workers/templates/readability.ts (npm run readability)", "workers/api/self-service-copy*.ts", "workers/banner/copy.ts"],
    action: { feasibility: "high", social_impact: "high" },
    judge: fixed({
      level: "frontrunner",
      why: "Kindly's message templates are written for B1, never threaten, and their readability is measured per template and language (Flesch-Douma, Kandel-Moles, Flesch: npm run readability).",
      to_improve: null,
    }),
  }),
  builtIn({
    key: "help_offered", theme: "execution", title: "Concrete, free help is named early",
    positions: {
      laggard: "Help is only mentioned when the customer asks.",
      on_the_way: "Most messages name where free help is.",
      frontrunner: "Every message, page and banner names concrete, free help for the customer's region, from the first contact.",
    },
    reads: ["workers/help-places.ts (every message, page and banner)", "workers/templates/model.ts (the locked help block)", "workers/channels/sms-text.ts (the help line in every SMS)"],
    action: { feasibility: "high", social_impact: "high" },
    judge: fixed({
      level: "frontrunner",
      why: "Every message (email, letter, SMS, call script), the debtor's page and the banner name concrete, free help for the debtor's region from the first contact; gentle templates put it first. (help.offer_help_from_step is not read: help is always there.)",
      to_improve: null,
    }),
  }),
  builtIn({
    key: "minimal_handover_data", theme: "execution", title: "A handover shares the claim, not the person",
    positions: {
      laggard: "Everything known about the customer goes to the collection partner.",
      on_the_way: "Contact data and history go along with the claim.",
      frontrunner: "Only the claim goes: invoice number, dates, principal, what is still open and costs (Wki).",
    },
    reads: ["workers/debtor/runner.ts (invoice.handover_ready)", "workers/webhooks-out/events.ts"],
    action: { feasibility: "high", social_impact: "medium" },
    judge: fixed({
      level: "frontrunner",
      why: "invoice.handover_ready carries only the invoice number, issue and due date, principal, outstanding amount and costs; no name, address or history. Your backend adds what the partner needs.",
      to_improve: null,
    }),
  }),
  // --- preconditions --------------------------------------------------------------------------
  setting({
    key: "reachability", theme: "preconditions", title: "Easy to reach",
    positions: {
      laggard: "The customer cannot see how to reach the shop.",
      on_the_way: "One way to reach the shop is shown, or a phone number without opening hours.",
      frontrunner: "Phone with opening hours, and chat or a service email address, on the page and in the banner.",
    },
    reads: ["account.service.phone", "account.service.hours", "account.service.chat_url", "account.email.reply_to", "account.contact_email"],
    action: { feasibility: "high", social_impact: "medium" },
    judge: ({ profile, contactEmail }) => {
      const phone = Boolean(profile.service?.phone);
      const hours = (profile.service?.hours ?? []).length > 0;
      const written = Boolean(profile.service?.chat_url ?? profile.email?.reply_to ?? contactEmail);
      const fix = "Set service.phone with service.hours, and service.chat_url or email.reply_to, with PATCH /v1/account";
      return judge([
        !phone && !written && { level: "laggard", why: "No phone, chat or email is set.", fix },
        (!phone || !written) && (phone || written) && { level: "on_the_way", why: phone ? "A phone number, but no chat or email." : "Chat or email, but no phone number.", fix },
        phone && !hours && { level: "on_the_way", why: "The phone number has no opening hours.", fix: "Set service.hours with PATCH /v1/account" },
      ], "The page and banner show a phone number with opening hours, and chat or email.");
    },
  }),
  setting({
    key: "payment_options", theme: "preconditions", title: "Easy to pay, also for several invoices",
    positions: {
      laggard: "With several invoices the customer must pay each one separately online, and cannot pay by transfer.",
      on_the_way: "One link pays everything, or the customer can pay by transfer, not both.",
      frontrunner: "One link pays everything open, each invoice can be paid on its own, and the page shows how to pay by transfer.",
    },
    reads: ["account.links.pay_url_template", "account.bank"],
    action: { feasibility: "medium", social_impact: "medium" },
    judge: ({ profile }) => {
      const template = Boolean(profile.links?.pay_url_template);
      const bank = Boolean(profile.bank);
      const missing = [!template && "links.pay_url_template", !bank && "bank"].filter((x): x is string => x !== false);
      return judge([missing.length > 0 && {
        level: missing.length === 2 ? "laggard" : "on_the_way",
        why: `${template ? "" : "No link pays several invoices at once. "}${bank ? "" : "No bank account to pay by transfer."}`.trim(),
        fix: `Set ${missing.join(" and ")} with PATCH /v1/account`,
      }], "One link pays everything open, each invoice has its own link, and the page shows how to pay by transfer.");
    },
  }),
];
