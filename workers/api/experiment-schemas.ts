/** The zod schemas of /v1/experiments: they validate requests and describe every answer in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { LOCALE_VALUES } from "./template-schemas";

const slug = z.string().regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, { message: "Use lowercase letters, digits, '_' or '-'." });
const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;

export const ExperimentParams = z.object({ id: z.string().max(64).openapi({ param: { name: "id", in: "path" }, example: "exp_3kq9x7c2m4p8r1t6" }) });

export const NewVariantSchema = z
  .strictObject({
    key: slug.max(32).openapi({ example: "warmer" }),
    weight: z.number().positive().max(100).default(1).openapi({ description: "Share of new debtors, relative to the other variants' weights." }),
    control: z.boolean().default(false).openapi({ description: "Exactly one variant is the control: the copy published when the experiment starts (give it no versions)." }),
    versions: z
      .partialRecord(z.enum(LOCALE_VALUES), z.number().int().min(0))
      .optional()
      .openapi({ description: "For each locale of the experiment, the template version this variant shows (0: Kindly's default). Drafts are fine; a version with lint problems is refused." }),
  })
  .openapi("NewExperimentVariant");

export const NewExperimentSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    template: z.string().max(64).openapi({ description: "The template whose copy is tested (GET /v1/templates).", example: "reminder-friendly" }),
    channel: z.enum(["email", "letter", "sms"]).openapi({ description: "Variants run within this channel when the policy already chose it; the channel mix is never moved." }),
    locales: z.array(z.enum(LOCALE_VALUES)).min(1).max(4).refine(unique, { message: "List each locale once." }),
    segments: z.array(slug.max(64)).min(1).max(20).refine(unique, { message: "List each segment once." }).optional().openapi({ description: "Policy segment keys it runs in (GET /v1/policy); left out: every segment." }),
    help_first: z.boolean().default(false).openapi({ description: "Every variant only adds help and takes pressure away (checked against the control); only then may protected debtors (vulnerable, hardship, debt counselling) take part." }),
    variants: z.array(NewVariantSchema).min(2).max(5).refine((v) => unique(v.map((x) => x.key)), { message: "Give each variant its own key." }),
    primary_metric: z
      .strictObject({
        kind: z.literal("paid_or_arrangement").openapi({ description: "Paid in full, or an arrangement agreed, within window_days of the first exposure. Opens are shown but can never be the primary metric (mail privacy features fake them)." }),
        window_days: z.number().int().min(1).max(60).default(14),
      })
      .default({ kind: "paid_or_arrangement", window_days: 14 }),
    duration_days: z.number().int().min(1).max(180).optional().openapi({ description: "Enrolment ends after this many days (or at sample_size, whichever is first); results are final when the last window closed." }),
    sample_size: z.number().int().min(20).max(1_000_000).optional().openapi({ description: "Enrolment ends when this many debtors have seen a variant." }),
    minimum_detectable_effect: z.number().min(0.005).max(0.5).default(0.05).openapi({ description: "The smallest lift worth finding, in rate points (0.05 = 5 points): it sizes the sample estimate and the test." }),
    error_rate: z.number().min(0.01).max(0.2).default(0.05).openapi({ description: "The false-positive rate, held however often the results are looked at." }),
  })
  .refine((e) => e.duration_days !== undefined || e.sample_size !== undefined, { message: "Give duration_days, sample_size or both.", path: ["duration_days"] })
  .openapi("NewExperiment", {
    example: {
      name: "Warmer first reminder",
      template: "reminder-friendly",
      channel: "email",
      locales: ["nl-NL"],
      variants: [
        { key: "control", control: true, weight: 1 },
        { key: "warmer", weight: 1, versions: { "nl-NL": 1 } },
      ],
      primary_metric: { kind: "paid_or_arrangement", window_days: 14 },
      duration_days: 30,
      minimum_detectable_effect: 0.05,
    },
  });

const Rate = z.number().nullable();
const GuardrailSchema = z.object({ count: z.number().int(), rate: Rate, breached: z.boolean() });

export const VariantResultSchema = z
  .object({
    key: z.string(),
    control: z.boolean(),
    status: z.enum(["active", "stopped"]),
    stopped_reason: z.string().nullable(),
    weight: z.number(),
    versions: z.record(z.string(), z.number().int()),
    exposures: z.number().int().openapi({ description: "Debtors who saw this variant first." }),
    measured: z.number().int().openapi({ description: "Of them, those whose window has closed: the rate counts these." }),
    waiting: z.number().int(),
    successes: z.number().int().openapi({ description: "Measured debtors who paid in full or agreed an arrangement within the window." }),
    rate: Rate,
    interval: z.tuple([z.number(), z.number()]).nullable().openapi({ description: "95% credible interval of the rate (Beta posterior, uniform prior)." }),
    probability_best: Rate,
    expected_loss: Rate.openapi({ description: "Rate points lost, on average, by choosing this variant." }),
    vs_control: z
      .object({ difference: Rate, p_value: z.number().openapi({ description: "Always-valid p-value: the running minimum over every look." }), verdict: z.enum(["better", "worse", "undecided"]),
        decided_at: z.string().nullable().openapi({ description: "When the verdict was reached (the watcher's look that decided it); null while undecided." }),
      })
      .nullable(),
    secondary: z.object({
      paid: z.number().int(),
      arrangements: z.number().int(),
      days_to_pay_mean: z.number().nullable(),
      already_paid_share: Rate,
      click_share: Rate,
      open_share: Rate.openapi({ description: "Shown for reference only: mail privacy features fake opens." }),
      help_request_share: Rate.openapi({ description: "Reported, never counted against a variant." }),
    }),
    guardrails: z.object({ complaints: GuardrailSchema, sms_stops: GuardrailSchema, unsubscribes: GuardrailSchema, disputes: GuardrailSchema }),
  })
  .openapi("ExperimentVariantResult");

export const ExperimentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    template: z.string(),
    channel: z.enum(["email", "letter", "sms"]),
    locales: z.array(z.string()),
    segments: z.array(z.string()).nullable(),
    help_first: z.boolean(),
    status: z.enum(["running", "measuring", "completed", "stopped"]).openapi({ description: "running: enrolling; measuring: enrolment over, the last windows closing; completed; stopped." }),
    primary_metric: z.object({ kind: z.literal("paid_or_arrangement"), window_days: z.number().int() }),
    duration_days: z.number().int().nullable(),
    sample_size: z.number().int().nullable(),
    minimum_detectable_effect: z.number(),
    error_rate: z.number(),
    estimate: z
      .object({ base_rate: z.number(), base_rate_source: z.enum(["history", "assumed"]), daily_volume: z.number(), per_variant: z.number().int(), total: z.number().int(), days: z.number().int().nullable() })
      .nullable()
      .openapi({ description: "At creation: the sample per variant that finds the stated effect with 80% power, and the days of enrolment at your volume." }),
    method: z.string(),
    totals: z.object({ exposures: z.number().int(), measured: z.number().int(), waiting: z.number().int() }),
    variants: z.array(VariantResultSchema),
    recommendation: z.string(),
    actor: z.string(),
    created_at: z.string(),
    started_at: z.string(),
    enrolment_ended_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    ended_reason: z.string().nullable(),
    promoted_variant: z.string().nullable(),
  })
  .openapi("Experiment");

export const ExperimentListSchema = z.object({
  data: z.array(
    z.object({ id: z.string(), name: z.string(), template: z.string(), channel: z.string(), locales: z.array(z.string()), status: z.string(), variants: z.array(z.string()), created_at: z.string(), ended_at: z.string().nullable() }).openapi("ExperimentSummary"),
  ),
});

export const HistorySchema = z
  .object({
    experiment_id: z.string(),
    days: z.array(
      z.object({
        day: z.string(), variant: z.string(), exposures: z.number().int(), measured: z.number().int(), successes: z.number().int(), rate: Rate,
        interval_low: Rate, interval_high: Rate, probability_best: Rate, p_value: Rate, guardrails: z.record(z.string(), z.number().int()),
      }),
    ),
  })
  .openapi("ExperimentHistory");

export const StopBody = z.strictObject({ reason: z.string().max(300).optional() }).openapi("StopExperiment");
export const PromoteBody = z.strictObject({ variant: z.string().max(32) }).openapi("PromoteVariant", { example: { variant: "warmer" } });
export const CsvQuery = z.object({ view: z.enum(["variants", "daily"]).default("variants").openapi({ description: "variants: one row per variant; daily: the history, one row per variant and day." }) });
