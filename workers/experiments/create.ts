/**
 * Starting an experiment: every check before the first debtor sees a variant, each problem named
 * at its field. The control is the copy published now (frozen for the experiment), every other
 * variant names a version per locale that passes the lint (and, for a help-first experiment, only
 * adds help and takes pressure away), no other experiment runs on the same template, channel and
 * locale, and the sample estimate comes from the tenant's own history.
 */
import { randomToken } from "../crypto";
import type { FieldProblem } from "../errors";
import { hasCopy, type CopyKey, type CopyLocale } from "../templates/copy";
import { isTemplateKey, TEMPLATE_DEFS } from "../templates/keys";
import { lintFor } from "../templates/preview";
import { getVersion, liveVersion } from "../templates/versions";
import { estimateFor } from "./estimate";
import { helpFirstProblems } from "./help-first";
import type { Experiment, Variant } from "./model";
import { overlapping } from "./store";

/** A new experiment as the API validated it. */
export interface NewExperiment {
  name: string;
  template: string;
  channel: "email" | "letter" | "sms";
  locales: CopyLocale[];
  segments?: string[] | undefined;
  help_first: boolean;
  variants: { key: string; weight: number; control: boolean; versions?: Partial<Record<CopyLocale, number>> | undefined }[];
  primary_metric: { kind: "paid_or_arrangement"; window_days: number };
  duration_days?: number | undefined;
  sample_size?: number | undefined;
  minimum_detectable_effect: number;
  error_rate: number;
}

/** Why an experiment cannot start. */
export type CreateRefusal = { code: "validation_failed" | "conflict"; message: string; errors: FieldProblem[] };

/** What the checks need of the tenant. */
export interface CreateContext {
  tenantId: string;
  actor: string;
  shopName: string;
  smsBudget: number;
  /** The policy's segment keys. */
  segments: string[];
  /** Clock time the experiment starts at. */
  now: number;
}

/** Checks `input` and builds the experiment, or names every problem. */
export async function buildExperiment(db: D1Database, input: NewExperiment, ctx: CreateContext): Promise<Experiment | CreateRefusal> {
  const errors: FieldProblem[] = [];
  const refuse = (message: string): CreateRefusal => ({ code: "validation_failed", message, errors });
  if (!isTemplateKey(input.template) || !hasCopy(input.template)) {
    errors.push({ field: "template", message: "No template with editable copy by this key; see GET /v1/templates." });
    return refuse("The experiment is not valid; see errors.");
  }
  const key: CopyKey = input.template;
  if (!(TEMPLATE_DEFS[key].channels as readonly string[]).includes(input.channel)) errors.push({ field: "channel", message: `${key} is not sent by ${input.channel}.` });
  for (const [i, s] of (input.segments ?? []).entries()) if (!ctx.segments.includes(s)) errors.push({ field: `segments.${i}`, message: `No segment "${s}" in your policy (${ctx.segments.join(", ")}).` });
  const controls = input.variants.filter((v) => v.control);
  if (controls.length !== 1) errors.push({ field: "variants", message: "Mark exactly one variant as the control." });

  // The control shows what is published now, frozen for the whole experiment.
  const control: Variant["copies"] = {};
  const controlVersions: Record<string, number> = {};
  for (const locale of input.locales) {
    const live = await liveVersion(db, ctx.tenantId, key, locale);
    control[locale] = live.copy;
    controlVersions[locale] = live.version;
  }
  const variants: Variant[] = [];
  for (const [i, v] of input.variants.entries()) {
    if (v.control) {
      if (v.versions && Object.keys(v.versions).length > 0) errors.push({ field: `variants.${i}.versions`, message: "The control shows the published copy; give it no versions." });
      variants.push({ key: v.key, weight: v.weight, control: true, versions: controlVersions, copies: control, status: "active", stopped_at: null, stopped_reason: null });
      continue;
    }
    const copies: Variant["copies"] = {};
    const versions: Record<string, number> = {};
    for (const locale of input.locales) {
      const n = v.versions?.[locale];
      const field = `variants.${i}.versions.${locale}`;
      if (n === undefined) {
        errors.push({ field, message: `Name the version this variant shows in ${locale}.` });
        continue;
      }
      const version = await getVersion(db, ctx.tenantId, key, locale, n);
      if (!version) {
        errors.push({ field, message: `There is no version ${n} of ${key} in ${locale}.` });
        continue;
      }
      const lint = lintFor(key, locale, version.copy, ctx);
      for (const p of lint.problems) errors.push({ field: `${field}.${p.block}`, message: `${p.code}: ${p.message}` });
      const controlCopy = control[locale];
      if (input.help_first && controlCopy) for (const why of helpFirstProblems(controlCopy, version.copy, locale)) errors.push({ field, message: `help_first: ${why}.` });
      copies[locale] = version.copy;
      versions[locale] = n;
    }
    for (const locale of Object.keys(v.versions ?? {})) if (!(input.locales as string[]).includes(locale)) errors.push({ field: `variants.${i}.versions.${locale}`, message: `${locale} is not one of the experiment's locales.` });
    variants.push({ key: v.key, weight: v.weight, control: false, versions, copies, status: "active", stopped_at: null, stopped_reason: null });
  }
  if (errors.length > 0) return refuse("The experiment cannot start; see errors for every problem.");

  const clash = await overlapping(db, ctx.tenantId, key, input.channel, input.locales);
  if (clash) return { code: "conflict", message: `Experiment ${clash.id} ("${clash.name}") already runs on ${key} by ${input.channel} in ${clash.locales.join(", ")}. A debtor can be in one experiment per template and channel; stop or promote it first.`, errors: [] };

  const estimate = await estimateFor(db, ctx.tenantId, { template: key, channel: input.channel, windowDays: input.primary_metric.window_days, mde: input.minimum_detectable_effect, alpha: input.error_rate, weights: variants.map((v) => v.weight) }, ctx.now);
  const createdAt = Date.now();
  return {
    id: `exp_${randomToken(16).toLowerCase()}`, tenantId: ctx.tenantId, name: input.name, template: key, channel: input.channel, locales: input.locales,
    segments: input.segments ?? null, helpFirst: input.help_first, variants, status: "running", windowDays: input.primary_metric.window_days,
    durationDays: input.duration_days ?? null, sampleSize: input.sample_size ?? null, mde: input.minimum_detectable_effect, alpha: input.error_rate,
    state: { estimate, min_p: {}, verdicts: {}, decided_at: {}, guardrail_stops: {} }, actor: ctx.actor, createdAt, startedAt: ctx.now,
    enrolmentEndedAt: null, endedAt: null, endedReason: null, promotedVariant: null, updatedAt: createdAt,
  };
}

/** True when `r` is a refusal rather than an experiment. */
export const isRefusal = (r: Experiment | CreateRefusal): r is CreateRefusal => "code" in r && "errors" in r;
