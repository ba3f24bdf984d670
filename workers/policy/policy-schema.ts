/**
 * The tenant policy: versioned JSON that a merchant may tune, validated with zod at the
 * boundary (API body or stored JSON). Defaults are the lawful, kind values of domain.md.
 */
import { z } from "zod";
import { isTemplateKey, TEMPLATE_KEYS } from "../templates/keys";

/** Every channel Kindly can use; `call` is a task for the merchant's call centre, not a robocall. */
export const CHANNELS = ["email", "letter", "sms", "banner", "call"] as const;
/** What a step is for; the law modules key on `nl_fourteen_day_letter` and `be_first_reminder`. */
export const STEP_KINDS = ["reminder", "nl_fourteen_day_letter", "be_first_reminder", "call_task", "handover_ready", "pre_due_nudge"] as const;
/** Wki quiet hours: no contact from 20:00 until 07:00; a tenant may only widen this window. */
export const LAWFUL_QUIET_HOURS = { start_hour: 20, end_hour: 7 } as const;

const slug = z.string().regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, "Use lowercase letters, digits, '_' or '-'");
const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;

/** Validates a channel name. */
export const ChannelSchema = z.enum(CHANNELS);
/** A way to reach the debtor. */
export type Channel = z.infer<typeof ChannelSchema>;
/** Validates a step kind. */
export const StepKindSchema = z.enum(STEP_KINDS);
/** The purpose of a ladder step. */
export type StepKind = z.infer<typeof StepKindSchema>;
/** Validates a tone. */
export const ToneSchema = z.enum(["friendly", "neutral", "clear"]);
/** Wording register; never threatening (Wki), "clear" is just direct. */
export type Tone = z.infer<typeof ToneSchema>;

const channelList = z.array(ChannelSchema).min(1, "List at least one channel").refine(unique, "List each channel once");

/**
 * `channels` is an ordered preference list: the engine sends on the first `max_channels`
 * reachable ones, so a bounced email falls through to the next. "auto" lets the channel mix
 * rank `auto_candidates` by learned success per euro instead.
 * For `pre_due_nudge`, `offset_days` counts back from the due date (offsets are never negative).
 */
export const StepSchema = z.strictObject({
  key: slug,
  kind: StepKindSchema,
  offset_days: z.number().int().min(0).max(120),
  from: z.enum(["due_date", "previous_step"]),
  channels: z.union([z.literal("auto"), channelList], { error: 'Use "auto" or a list of channels' }),
  auto_candidates: channelList.optional(),
  max_channels: z.number().int().min(1).max(3).default(1),
  tone: ToneSchema,
  /** A key of the template registry (workers/templates/keys.ts): what the step's message says. */
  template: z.string().refine(isTemplateKey, { error: (i) => `Unknown template "${String(i.input)}". Use one of: ${TEMPLATE_KEYS.join(", ")}` }),
  /** Off unless switched on for the tenant or invoice; never counts toward legal or escalation checks. */
  optional: z.boolean().optional(),
});
/** One step of a reminder ladder. */
export type Step = z.infer<typeof StepSchema>;

const numericOp = z.enum(["eq", "gte", "lte"]);
const count = z.number().int().min(0);
/** Validates one segment condition, discriminated by `fact`. */
export const SegmentConditionSchema = z.discriminatedUnion("fact", [
  z.strictObject({ fact: z.literal("late_payments_12m"), op: numericOp, value: count }),
  z.strictObject({ fact: z.literal("total_outstanding_cents"), op: numericOp, value: count }),
  z.strictObject({ fact: z.enum(["hardship_flag", "vulnerable_flag"]), equals: z.boolean() }),
  z.strictObject({ fact: z.literal("country"), equals: z.enum(["NL", "BE"]) }),
  z.strictObject({ fact: z.literal("first_invoice"), equals: z.boolean() }),
]);
/** One fact test on the debtor or invoice; all of a segment's conditions must hold. */
export type SegmentCondition = z.infer<typeof SegmentConditionSchema>;

/** Validates a segment. */
export const SegmentSchema = z.strictObject({
  key: slug,
  description: z.string().max(300).optional(),
  when: z.array(SegmentConditionSchema),
  ladder: slug,
  tone_override: ToneSchema.optional(),
});
/** A group of debtors with its own ladder; an empty `when` matches everyone. */
export type Segment = z.infer<typeof SegmentSchema>;

/** True for a step that reaches the debtor on paper (or is a legal letter whatever its channel). */
export function isLetterCapable(step: Step): boolean {
  if (step.kind === "nl_fourteen_day_letter" || step.kind === "be_first_reminder") return true;
  return step.channels !== "auto" && step.channels.includes("letter");
}

type Path = (string | number)[];
const flag = (ctx: z.RefinementCtx<unknown>, path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });

// Each rule sits on the smallest schema that holds its fields, so it still runs (and names its
// problem) when an unrelated part of the policy is broken.
function checkLadder({ steps }: { steps: Step[] }, ctx: z.RefinementCtx<unknown>): void {
  const seen = new Set<string>();
  let letterBefore = false;
  let prevDay = Number.NEGATIVE_INFINITY;
  steps.forEach((step, i) => {
    const at: Path = ["steps", i];
    if (seen.has(step.key)) flag(ctx, [...at, "key"], `Step key "${step.key}" is used twice in this ladder`);
    seen.add(step.key);
    if (step.channels === "auto" && !step.auto_candidates) flag(ctx, [...at, "auto_candidates"], 'channels "auto" needs auto_candidates');
    if (step.kind === "pre_due_nudge" && (i !== 0 || step.from !== "due_date")) {
      flag(ctx, [...at, "kind"], "A pre_due_nudge must be the first step, counted from the due date");
    }
    if (i === 0 && step.from === "previous_step") flag(ctx, [...at, "from"], "The first step has no previous step: use due_date");
    // Day relative to the due date; a ladder must never run backwards in time.
    const day = step.from === "due_date" ? (step.kind === "pre_due_nudge" ? -step.offset_days : step.offset_days) : prevDay + step.offset_days;
    if (i > 0 && day < prevDay) flag(ctx, [...at, "offset_days"], `This step would run on day ${day}, before the previous step (day ${prevDay})`);
    prevDay = day;
    // A handover without a paper reminder first reaches too few people (bol.com: letter, then call, then agency).
    if (step.kind === "handover_ready" && !letterBefore) {
      flag(ctx, [...at, "kind"], "handover_ready needs an earlier, non-optional letter step (channel letter or a legal letter kind)");
    }
    if (!step.optional && isLetterCapable(step)) letterBefore = true;
  });
}

/** Validates a ladder and its order rules (unique keys, time runs forward, a letter before handover). */
export const LadderSchema = z.strictObject({ steps: z.array(StepSchema).min(1).max(12) }).superRefine(checkLadder);
/** An ordered list of steps. */
export type Ladder = z.infer<typeof LadderSchema>;

const segmentList = z
  .array(SegmentSchema)
  .min(1)
  .superRefine((segments, ctx) => {
    const keys = new Set<string>();
    segments.forEach((s, i) => {
      if (keys.has(s.key)) flag(ctx, [i, "key"], `Segment key "${s.key}" is used twice`);
      keys.add(s.key);
    });
    const last = segments.length - 1;
    if (segments[last] && segments[last].when.length > 0) {
      flag(ctx, [last, "when"], "The last segment must be a catch-all (empty when) so every debtor has a ladder");
    }
  });

const hour = z.number().int().min(0).max(23);
const quietHours = z.strictObject({ start_hour: hour, end_hour: hour }).superRefine((q, ctx) => {
  // Overnight window [start, 24) + [0, end): stricter means it contains 20:00-07:00 and leaves a sending window.
  if (q.start_hour > LAWFUL_QUIET_HOURS.start_hour || q.start_hour <= q.end_hour) {
    flag(ctx, ["start_hour"], "Quiet hours must start at 20:00 or earlier in the evening, after end_hour (Wki)");
  }
  if (q.end_hour < LAWFUL_QUIET_HOURS.end_hour) flag(ctx, ["end_hour"], "Quiet hours must last until 07:00 or later (Wki)");
});

const cents = z.number().int().min(0);

const PolicyShape = z.strictObject({
  version: z.number().int().min(1),
  segments: segmentList,
  ladders: z.record(slug, LadderSchema),
  channel_costs_cents: z.strictObject({ email: cents, letter: cents, sms: cents, banner: cents, call: cents }),
  contact_budget: z.strictObject({
    max_per_week: z.number().int().min(1).max(7).default(2),
    min_hours_between: z.number().int().min(0).max(168),
  }),
  already_paid_pause_days: z.number().int().min(1).max(30).default(7),
  payment_date: z.strictObject({
    max_days_after_due: z.number().int().min(0).max(90),
    align_to_payday: z.boolean(),
    payday_of_month: z.number().int().min(1).max(28),
  }),
  arrangements: z.strictObject({
    enabled: z.boolean(),
    max_instalments: z.number().int().min(2).max(24),
    min_instalment_cents: cents,
  }),
  costs: z.strictObject({
    nl_bik_enabled: z.boolean().default(false),
    be_damages_enabled: z.boolean().default(false),
    be_later_reminder_fee_cents: cents.max(750, "Book XIX caps a later reminder at 750 cents (EUR 7.50) plus postage").default(0),
    /** The creditor cannot deduct VAT: 21% VAT on top of Dutch collection costs, and the 14-day letter says so. */
    vat_on_costs: z.boolean().default(false),
  }),
  /** A short thank-you by email when everything is paid, after at least one reminder this cycle. */
  thank_you_after_payment: z.boolean().default(false),
  // NVVK covenant: collection stops 8 months after a debt counsellor's notice. Under a month is never allowed.
  debt_counselling_stop_days: z.number().int().min(30).max(730).default(240),
  quiet_hours_override: quietHours.optional(),
  sms_max_segments: z.number().int().min(1).max(4),
  help: z.strictObject({ offer_help_from_step: z.number().int().min(1).max(12) }),
  /**
   * Ask one NPS question (0-10 and an optional comment) when a cycle ends well (paid, or an
   * arrangement kept) after at least one reminder: never to protected debtors, at most once per
   * debtor per half year (workers/debtor/cycle.ts).
   */
  nps_after_cycle: z.boolean().default(false),
});

/** Just the fields the cross-part rules read, so they can run while other parts are broken. */
const CrossPartView = z.object({
  segments: z.array(z.object({ ladder: z.string() })),
  ladders: z.record(z.string(), z.object({ steps: z.array(z.object({ kind: z.string(), optional: z.boolean().optional() })) })),
  costs: z.object({ nl_bik_enabled: z.boolean() }),
});

function crossPartRules(p: z.infer<typeof CrossPartView>, ctx: z.RefinementCtx<unknown>): void {
  p.segments.forEach((s, i) => {
    if (!Object.hasOwn(p.ladders, s.ladder)) flag(ctx, ["segments", i, "ladder"], `No ladder named "${s.ladder}"`);
  });
  // BIK (art. 6:96 BW): no collection costs without a correct 14-day letter first.
  const has14DayLetter = Object.values(p.ladders).some((l) => l.steps.some((s) => s.kind === "nl_fourteen_day_letter" && !s.optional));
  if (p.costs.nl_bik_enabled && !has14DayLetter) {
    flag(ctx, ["costs", "nl_bik_enabled"], "Collection costs need a ladder with a non-optional nl_fourteen_day_letter step");
  }
}

/** The tenant policy schema: structure, defaults and every cross-field rule. */
export const TenantPolicySchema = PolicyShape.superRefine(
  (value, ctx) => {
    const view = CrossPartView.safeParse(value);
    if (view.success) crossPartRules(view.data, ctx);
  },
  // zod skips refinements after any aborting issue; this one checks its own inputs instead,
  // so one parse names a missing ladder even when, say, a cost field is also wrong.
  { when: () => true },
);
/** A validated tenant policy with defaults filled in. */
export type TenantPolicy = z.output<typeof TenantPolicySchema>;
/** A tenant policy as written (defaults may be left out). */
export type TenantPolicyInput = z.input<typeof TenantPolicySchema>;

/** One problem in a policy, at a dotted path such as `ladders.default.steps.2.channels`. */
export interface PolicyProblem {
  field: string;
  message: string;
}

type Issue = z.core.$ZodIssue;
function toProblems(issue: Issue, base: PropertyKey[]): PolicyProblem[] {
  const path = [...base, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ field: [...path, key].map(String).join("."), message: "Unknown field" }));
  }
  if (issue.code === "invalid_union") {
    // Report the branch that got furthest (e.g. a bad channel inside the list), not "Invalid input".
    const deepest = issue.errors.find((branch) => branch.some((i) => i.path.length > 0));
    if (deepest) return deepest.flatMap((i) => toProblems(i, path));
  }
  return [{ field: path.map(String).join("."), message: issue.message }];
}

/** Validates unknown JSON as a tenant policy, naming every problem at its dotted path. */
export function parsePolicy(input: unknown): { ok: true; policy: TenantPolicy } | { ok: false; problems: PolicyProblem[] } {
  const result = TenantPolicySchema.safeParse(input);
  if (result.success) return { ok: true, policy: result.data };
  return { ok: false, problems: result.error.issues.flatMap((issue) => toProblems(issue, [])) };
}
