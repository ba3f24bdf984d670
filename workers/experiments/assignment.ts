/**
 * Which variant a debtor sees: deterministic per (experiment, debtor), so the same person gets
 * the same variant at every step of the ladder and on every replay, and the split follows the
 * weights. The debtor's object stores the answer at the first exposure; this function is how
 * that first answer is made. Pure.
 */
import { createRng } from "../policy/random";

/** A variant and its share of traffic (weights need not sum to 1). */
export interface WeightedVariant {
  key: string;
  weight: number;
}

/** The variant for `unitId` (tenant-scoped debtor id) in experiment `experimentId`. */
export function assignVariant(experimentId: string, unitId: string, variants: WeightedVariant[]): string {
  const live = variants.filter((v) => Number.isFinite(v.weight) && v.weight > 0);
  if (live.length === 0) throw new RangeError("an experiment needs at least one variant with a positive weight");
  const total = live.reduce((s, v) => s + v.weight, 0);
  // One uniform draw from a hash of the pair: independent of other experiments the debtor is in.
  let u = createRng(`experiment:${experimentId}:${unitId}`)() * total;
  for (const v of live) {
    u -= v.weight;
    if (u < 0) return v.key;
  }
  return live[live.length - 1]?.key as string;
}
