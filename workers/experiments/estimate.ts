/**
 * The sample an experiment needs, from the tenant's own history: its base rate (of debtors who
 * got this template on this channel in the last 90 days, the share that paid in full or agreed an
 * arrangement within the window) and its volume (debtors a day who got it in the last 28 days).
 * Without enough history the base rate is assumed and said to be.
 */
import { estimateSample } from "./stats";

const DAY_MS = 24 * 3600_000;
/** Fewer debtors than this in the history: the base rate is assumed. */
const MIN_HISTORY = 30;
/** The base rate assumed without history: about a third pays within two weeks of a first reminder. */
export const ASSUMED_BASE_RATE = 0.3;

/** The estimate stored with an experiment and shown in its results. */
export interface Estimate {
  base_rate: number;
  base_rate_source: "history" | "assumed";
  daily_volume: number;
  per_variant: number;
  total: number;
  /** Days of enrolment at this volume until the smallest variant has its sample (null: no volume yet). */
  days: number | null;
}

/** Estimates the sample for an experiment on `template` and `channel`. */
export async function estimateFor(
  db: D1Database,
  tenantId: string,
  e: { template: string; channel: string; windowDays: number; mde: number; alpha: number; weights: number[] },
  now: number,
): Promise<Estimate> {
  const window = e.windowDays * DAY_MS;
  const [history, volume] = await db.batch<{ n: number; s: number | null }>([
    db
      .prepare(
        `WITH sent AS (
           SELECT debtor_id, MIN(occurred_at) AS at FROM outcome_events
           WHERE tenant_id = ?1 AND type = 'reminder.sent' AND occurred_at BETWEEN ?2 AND ?3
             AND json_extract(data, '$.template') = ?4 AND json_extract(data, '$.channel') = ?5
           GROUP BY debtor_id)
         SELECT COUNT(*) AS n, SUM(EXISTS (
           SELECT 1 FROM outcome_events o WHERE o.tenant_id = ?1 AND o.debtor_id = sent.debtor_id AND o.occurred_at BETWEEN sent.at AND sent.at + ?6
             AND (o.type = 'arrangement.created' OR (o.type = 'invoice.closed' AND json_extract(o.data, '$.reason') = 'paid')))) AS s
         FROM sent`,
      )
      .bind(tenantId, now - 90 * DAY_MS, now - window, e.template, e.channel, window),
    db
      .prepare(
        `SELECT COUNT(DISTINCT debtor_id) AS n, NULL AS s FROM outcome_events
         WHERE tenant_id = ? AND type = 'reminder.sent' AND occurred_at >= ? AND json_extract(data, '$.template') = ? AND json_extract(data, '$.channel') = ?`,
      )
      .bind(tenantId, now - 28 * DAY_MS, e.template, e.channel),
  ]);
  const h = history?.results[0];
  const fromHistory = h && h.n >= MIN_HISTORY;
  const baseRate = fromHistory ? (h.s ?? 0) / h.n : ASSUMED_BASE_RATE;
  const dailyVolume = (volume?.results[0]?.n ?? 0) / 28;
  const est = estimateSample({ baseRate, mde: e.mde, variants: e.weights.length, alpha: e.alpha, power: 0.8, dailyVolume });
  const total = e.weights.reduce((s, w) => s + w, 0);
  const smallestShare = Math.min(...e.weights) / total;
  return {
    base_rate: Math.round(baseRate * 1000) / 1000,
    base_rate_source: fromHistory ? "history" : "assumed",
    daily_volume: Math.round(dailyVolume * 10) / 10,
    per_variant: est.perVariant,
    total: Math.ceil(est.perVariant / smallestShare),
    days: dailyVolume > 0 ? Math.ceil(est.perVariant / (smallestShare * dailyVolume)) : null,
  };
}
