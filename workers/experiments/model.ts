/**
 * What an experiment is, as stored in D1 and carried to each debtor's object in its run context:
 * one template's copy on one channel, 2-5 variants with weights (one of them the control, the
 * published copy frozen at the start), where it runs (locales, policy segments), and whether it is
 * help-first. Zod at the boundary (stored JSON); plain types elsewhere. Pure.
 */
import { z } from "zod";
import { TemplateCopySchema } from "../templates/copy-schema";

export const EXPERIMENT_CHANNELS = ["email", "letter", "sms"] as const;
export type ExperimentChannel = (typeof EXPERIMENT_CHANNELS)[number];
export const LOCALES = ["nl-NL", "nl-BE", "fr-BE", "en"] as const;
export type ExperimentStatus = "running" | "measuring" | "completed" | "stopped";

/** Guardrails: outcomes that say a variant hurts people; a credibly higher rate stops the variant. */
export const GUARDRAILS = ["complaints", "sms_stops", "unsubscribes", "disputes"] as const;
export type Guardrail = (typeof GUARDRAILS)[number];

export const VariantSchema = z.object({
  key: z.string(),
  weight: z.number().positive(),
  control: z.boolean(),
  /** The template version shown per locale (0: Kindly's default). */
  versions: z.record(z.string(), z.number().int().min(0)),
  /** The copy per locale, frozen when the experiment started (versions never change, this is the same words). */
  copies: z.record(z.string(), TemplateCopySchema),
  status: z.enum(["active", "stopped"]),
  stopped_at: z.number().nullable().default(null),
  stopped_reason: z.string().nullable().default(null),
});
export type Variant = z.infer<typeof VariantSchema>;
export const VariantsSchema = z.array(VariantSchema).min(2).max(5);

/** What a debtor's object needs to know of a running experiment to pick the copy. */
export interface ActiveExperiment {
  id: string;
  template: string;
  channel: ExperimentChannel;
  locales: string[];
  /** Policy segment keys; null: every segment. */
  segments: string[] | null;
  helpFirst: boolean;
  /** running: new debtors are assigned; measuring: only those already in it keep their variant. */
  status: "running" | "measuring";
  variants: Variant[];
}

/** The stored row, parsed. */
export interface Experiment extends Omit<ActiveExperiment, "status"> {
  tenantId: string;
  name: string;
  status: ExperimentStatus;
  windowDays: number;
  durationDays: number | null;
  sampleSize: number | null;
  mde: number;
  alpha: number;
  state: ExperimentState;
  actor: string;
  createdAt: number;
  startedAt: number;
  enrolmentEndedAt: number | null;
  endedAt: number | null;
  endedReason: string | null;
  promotedVariant: string | null;
  /** Changes with every update: the optimistic-concurrency token. */
  updatedAt: number;
}

export const ExperimentStateSchema = z.object({
  estimate: z
    .object({
      base_rate: z.number(),
      base_rate_source: z.enum(["history", "assumed"]),
      daily_volume: z.number(),
      per_variant: z.number().int(),
      total: z.number().int(),
      days: z.number().int().nullable(),
    })
    .nullable()
    .default(null),
  /** Running minimum of each variant's always-valid p-value against the control. */
  min_p: z.record(z.string(), z.number()).default({}),
  /** Latched verdicts: once the always-valid test decides, the decision stands. */
  verdicts: z.record(z.string(), z.enum(["better", "worse"])).default({}),
  decided_at: z.record(z.string(), z.number()).default({}),
  /** Guardrail stops, per variant: which guardrail, the rates then. */
  guardrail_stops: z.record(z.string(), z.object({ guardrail: z.string(), variant_rate: z.number(), control_rate: z.number(), at: z.number() })).default({}),
});
export type ExperimentState = z.infer<typeof ExperimentStateSchema>;

export type ExperimentRow = {
  id: string; tenant_id: string; name: string; template_key: string; channel: ExperimentChannel; locales: string; segments: string | null; help_first: number;
  variants: string; window_days: number; duration_days: number | null; sample_size: number | null; mde: number; alpha: number; status: ExperimentStatus;
  state: string; actor: string; created_at: number; started_at: number; enrolment_ended_at: number | null; ended_at: number | null; ended_reason: string | null;
  promoted_variant: string | null; updated_at: number;
};

const stringList = z.array(z.string());

/** Parses a stored row; null when it no longer parses (it then runs nowhere). */
export function parseExperiment(r: ExperimentRow): Experiment | null {
  try {
    const variants = VariantsSchema.safeParse(JSON.parse(r.variants));
    const locales = stringList.safeParse(JSON.parse(r.locales));
    const segments = r.segments === null ? null : stringList.safeParse(JSON.parse(r.segments));
    const state = ExperimentStateSchema.safeParse(JSON.parse(r.state));
    if (!variants.success || !locales.success || (segments && !segments.success) || !state.success) return null;
    return {
      id: r.id, tenantId: r.tenant_id, name: r.name, template: r.template_key, channel: r.channel, locales: locales.data, segments: segments ? (segments.data ?? null) : null,
      helpFirst: r.help_first === 1, variants: variants.data, status: r.status, windowDays: r.window_days, durationDays: r.duration_days, sampleSize: r.sample_size,
      mde: r.mde, alpha: r.alpha, state: state.data, actor: r.actor, createdAt: r.created_at, startedAt: r.started_at, enrolmentEndedAt: r.enrolment_ended_at,
      endedAt: r.ended_at, endedReason: r.ended_reason, promotedVariant: r.promoted_variant, updatedAt: r.updated_at,
    };
  } catch {
    return null;
  }
}

/** The part of a running experiment the debtor's object carries. */
export function activeOf(e: Experiment): ActiveExperiment | null {
  if (e.status !== "running" && e.status !== "measuring") return null;
  return { id: e.id, template: e.template, channel: e.channel, locales: e.locales, segments: e.segments, helpFirst: e.helpFirst, status: e.status, variants: e.variants };
}

export const ActiveExperimentsSchema = z.array(
  z.object({
    id: z.string(), template: z.string(), channel: z.enum(EXPERIMENT_CHANNELS), locales: z.array(z.string()), segments: z.array(z.string()).nullable(),
    helpFirst: z.boolean(), status: z.enum(["running", "measuring"]), variants: VariantsSchema,
  }),
);
