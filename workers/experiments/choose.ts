/**
 * Which words a message is written with: the tenant's published copy (or Kindly's default), or,
 * for a debtor in a running experiment on this template and channel, their variant's copy. Pure:
 * the run context's copies and experiments, the debtor's kept assignment and facts in; the copy
 * and the experiment to record out.
 *
 * - The variant is decided at the first exposure (assignVariant over the variants still active)
 *   and kept by the debtor's object, so it is stable over the whole ladder.
 * - A variant a guardrail stopped shows the control's copy to its debtors from then on; they still
 *   count for the variant they saw first.
 * - Protected debtors (vulnerable, hardship, debt counselling) are never assigned, unless the
 *   experiment is help-first; one flagged after assignment gets the control from then on.
 * - An experiment only picks words: the step, its channel and its timing were chosen by the policy
 *   before this runs, so legal steps never move and the channel mix is not skewed.
 */
import type { TemplateCopy } from "../templates/blocks";
import { assignVariant } from "./assignment";
import type { ActiveExperiment } from "./model";

/** The experiment a message belongs to: the variant whose copy it shows, and the one the debtor was assigned. */
export interface ExperimentTag {
  id: string;
  /** The variant whose words this message carries (the control after a stop). */
  variant: string;
  /** The variant the debtor was assigned at the first exposure (outcomes count for it). */
  assigned: string;
}

/** What the message says and which experiment it belongs to. */
export interface CopyChoice {
  /** The copy to write with; undefined: Kindly's default. */
  copy: TemplateCopy | undefined;
  experiment: ExperimentTag | null;
}

/** Everything the choice depends on. */
export interface CopyQuestion {
  template: string;
  channel: string;
  /** The language the message is written in. */
  locale: string;
  segment: string;
  protectedDebtor: boolean;
  /** The tenant's published copies, keyed "template|locale". */
  published: Record<string, { version: number; copy: TemplateCopy }>;
  experiments: ActiveExperiment[];
  /** The variant this debtor's object kept for an experiment, if any. */
  assignment: (experimentId: string) => string | null;
  /** Tenant-scoped debtor id: the unit of assignment. */
  unitId: string;
}

/** The running experiment a message of this template, channel, locale and segment falls in. */
export function experimentFor(q: Pick<CopyQuestion, "template" | "channel" | "locale" | "segment" | "experiments">): ActiveExperiment | null {
  return q.experiments.find((e) => e.template === q.template && e.channel === q.channel && e.locales.includes(q.locale) && (e.segments === null || e.segments.includes(q.segment))) ?? null;
}

/** Picks the copy for one message. */
export function chooseCopy(q: CopyQuestion): CopyChoice {
  const published = q.published[`${q.template}|${q.locale}`]?.copy;
  const e = experimentFor(q);
  if (!e) return { copy: published, experiment: null };
  const control = e.variants.find((v) => v.control);
  const controlCopy = control?.copies[q.locale] ?? published;
  const kept = q.assignment(e.id);
  const eligible = !q.protectedDebtor || e.helpFirst;
  if (kept !== null) {
    const v = e.variants.find((x) => x.key === kept);
    // Stopped by a guardrail, gone, or no longer eligible: the control's words from now on.
    if (!v || v.status !== "active" || !eligible || !v.copies[q.locale]) return { copy: controlCopy, experiment: { id: e.id, variant: control?.key ?? kept, assigned: kept } };
    return { copy: v.copies[q.locale], experiment: { id: e.id, variant: v.key, assigned: kept } };
  }
  if (!eligible || e.status !== "running") return { copy: published, experiment: null };
  const active = e.variants.filter((v) => v.status === "active" && v.copies[q.locale]);
  if (active.length === 0) return { copy: published, experiment: null };
  const key = assignVariant(e.id, q.unitId, active.map((v) => ({ key: v.key, weight: v.weight })));
  const v = active.find((x) => x.key === key) ?? active[0];
  return { copy: v?.copies[q.locale] ?? controlCopy, experiment: { id: e.id, variant: key, assigned: key } };
}
