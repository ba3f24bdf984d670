/**
 * Experiments in D1: the rows, the counts of their units as of a moment (one aggregate over
 * `experiment_units`, by experiment), the daily history, and the tenant-level events that become
 * the `experiment.stopped` and `experiment.completed` merchant webhooks.
 */
import { enqueuePending, fanOutStatements } from "../webhooks-out";
import { parseExperiment, type Experiment, type ExperimentRow, type ExperimentStatus, type ExperimentState, type Variant } from "./model";
import type { VariantCounts } from "./results";

const DAY_MS = 24 * 3600_000;

/** One experiment of the tenant, or null. */
export async function getExperiment(db: D1Database, tenantId: string, id: string): Promise<Experiment | null> {
  const row = await db.prepare("SELECT * FROM experiments WHERE id = ? AND tenant_id = ?").bind(id, tenantId).first<ExperimentRow>();
  return row ? parseExperiment(row) : null;
}

/** The tenant's experiments, newest first. */
export async function listExperiments(db: D1Database, tenantId: string, limit = 100): Promise<Experiment[]> {
  const { results } = await db.prepare("SELECT * FROM experiments WHERE tenant_id = ? ORDER BY created_at DESC LIMIT ?").bind(tenantId, limit).all<ExperimentRow>();
  return results.map(parseExperiment).filter((e): e is Experiment => e !== null);
}

/** A running or measuring experiment on the same template and channel in one of these locales. */
export async function overlapping(db: D1Database, tenantId: string, template: string, channel: string, locales: string[]): Promise<Experiment | null> {
  const { results } = await db
    .prepare("SELECT * FROM experiments WHERE tenant_id = ? AND template_key = ? AND channel = ? AND status IN ('running', 'measuring')")
    .bind(tenantId, template, channel)
    .all<ExperimentRow>();
  return results.map(parseExperiment).find((e) => e !== null && e.locales.some((l) => locales.includes(l))) ?? null;
}

/** Running or measuring experiments on a template in a locale, any channel (publishing waits for them). */
export async function runningOn(db: D1Database, tenantId: string, template: string, locale: string): Promise<Experiment[]> {
  const { results } = await db.prepare("SELECT * FROM experiments WHERE tenant_id = ? AND template_key = ? AND status IN ('running', 'measuring')").bind(tenantId, template).all<ExperimentRow>();
  return results.map(parseExperiment).filter((e): e is Experiment => e !== null && e.locales.includes(locale));
}

/** Stores a new experiment. */
export async function insertExperiment(db: D1Database, e: Experiment): Promise<void> {
  await db
    .prepare(
      `INSERT INTO experiments (id, tenant_id, name, template_key, channel, locales, segments, help_first, variants, window_days, duration_days, sample_size, mde, alpha, status, state, actor, created_at, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      e.id, e.tenantId, e.name, e.template, e.channel, JSON.stringify(e.locales), e.segments ? JSON.stringify(e.segments) : null, e.helpFirst ? 1 : 0,
      JSON.stringify(e.variants), e.windowDays, e.durationDays, e.sampleSize, e.mde, e.alpha, e.status, JSON.stringify(e.state), e.actor, e.createdAt, e.startedAt, e.updatedAt,
    )
    .run();
}

/** What changes after a look or a decision. */
export interface ExperimentPatch {
  status?: ExperimentStatus;
  variants?: Variant[];
  state?: ExperimentState;
  enrolmentEndedAt?: number;
  endedAt?: number;
  endedReason?: string;
  promotedVariant?: string;
}

/**
 * Applies `patch` only if nobody changed the experiment since `e` was read (a cron look and a
 * guardrail look at once: one wins, the other looks again later). `now` must move forward. Returns
 * the new `updated_at`, or null when someone else changed it first.
 */
export async function updateExperiment(db: D1Database, e: Experiment, patch: ExperimentPatch, now: number): Promise<number | null> {
  const updatedAt = Math.max(now, e.updatedAt + 1);
  const res = await db
    .prepare(
      `UPDATE experiments SET status = ?1, variants = ?2, state = ?3, enrolment_ended_at = COALESCE(enrolment_ended_at, ?4), ended_at = COALESCE(ended_at, ?5),
         ended_reason = COALESCE(ended_reason, ?6), promoted_variant = COALESCE(promoted_variant, ?7), updated_at = ?8
       WHERE id = ?9 AND tenant_id = ?10 AND updated_at = ?11`,
    )
    .bind(
      patch.status ?? e.status, JSON.stringify(patch.variants ?? e.variants), JSON.stringify(patch.state ?? e.state), patch.enrolmentEndedAt ?? null, patch.endedAt ?? null,
      patch.endedReason ?? null, patch.promotedVariant ?? null, updatedAt, e.id, e.tenantId, e.updatedAt,
    )
    .run();
  return res.meta.changes > 0 ? updatedAt : null;
}

type CountRow = {
  variant: string; exposures: number; measured: number | null; successes: number | null; paid: number | null; arrangements: number | null; pay_ms: number | null; payers: number | null;
  already_paid: number | null; clicked: number | null; opened: number | null; help: number | null; complaints: number | null; sms_stops: number | null; unsubscribes: number | null; disputes: number | null;
};

/**
 * The counts per variant as of `asOf` (clock ms): every unit exposed by then, outcomes that had
 * happened by then, and as "measured" the units whose window had closed by then.
 */
export function countsStatement(db: D1Database, e: Pick<Experiment, "id" | "tenantId" | "windowDays">, asOf: number): D1PreparedStatement {
  const window = e.windowDays * DAY_MS;
  const by = (col: string) => `SUM(${col} IS NOT NULL AND ${col} <= ?1)`;
  return db
    .prepare(
      `SELECT variant, COUNT(*) AS exposures,
         SUM(exposed_at <= ?2) AS measured,
         SUM(exposed_at <= ?2 AND MIN(COALESCE(paid_at, 9e15), COALESCE(arrangement_at, 9e15)) <= exposed_at + ?3) AS successes,
         SUM(exposed_at <= ?2 AND paid_at IS NOT NULL AND paid_at <= exposed_at + ?3) AS paid,
         SUM(exposed_at <= ?2 AND arrangement_at IS NOT NULL AND arrangement_at <= exposed_at + ?3) AS arrangements,
         SUM(CASE WHEN paid_at IS NOT NULL AND paid_at <= ?1 THEN paid_at - exposed_at END) AS pay_ms, ${by("paid_at")} AS payers,
         ${by("already_paid_at")} AS already_paid, ${by("clicked_at")} AS clicked, ${by("opened_at")} AS opened, ${by("help_at")} AS help,
         ${by("complained_at")} AS complaints, ${by("sms_stop_at")} AS sms_stops, ${by("unsubscribed_at")} AS unsubscribes, ${by("disputed_at")} AS disputes
       FROM experiment_units WHERE experiment_id = ?4 AND tenant_id = ?5 AND exposed_at <= ?1 GROUP BY variant`,
    )
    .bind(asOf, asOf - window, window, e.id, e.tenantId);
}

/** Parses the rows of `countsStatement`. */
export function parseCounts(rows: CountRow[]): VariantCounts[] {
  const n = (x: number | null) => x ?? 0;
  return rows.map((r) => ({
    variant: r.variant, exposures: r.exposures, measured: n(r.measured), successes: n(r.successes), paid: n(r.paid), arrangements: n(r.arrangements),
    payDays: n(r.pay_ms) / DAY_MS, payers: n(r.payers), alreadyPaid: n(r.already_paid), clicked: n(r.clicked), opened: n(r.opened), help: n(r.help),
    guardrails: { complaints: n(r.complaints), sms_stops: n(r.sms_stops), unsubscribes: n(r.unsubscribes), disputes: n(r.disputes) },
  }));
}

/** The counts per variant as of `asOf`. */
export async function countsAsOf(db: D1Database, e: Pick<Experiment, "id" | "tenantId" | "windowDays">, asOf: number): Promise<VariantCounts[]> {
  const { results } = await countsStatement(db, e, asOf).all<CountRow>();
  return parseCounts(results);
}

/** One row of the daily history. */
export interface DailyRow {
  day: string;
  variant: string;
  exposures: number;
  measured: number;
  successes: number;
  rate: number | null;
  interval_low: number | null;
  interval_high: number | null;
  probability_best: number | null;
  p_value: number | null;
  guardrails: Record<string, number>;
}

/** Upserts history rows (one per variant and day). */
export async function saveDaily(db: D1Database, e: Pick<Experiment, "id" | "tenantId">, rows: DailyRow[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await db.batch(
    rows.map((r) =>
      db
        .prepare(
          `INSERT INTO experiment_daily (experiment_id, variant, day, tenant_id, exposures, measured, successes, rate, interval_low, interval_high, probability_best, p_value, guardrails, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (experiment_id, variant, day) DO UPDATE SET exposures = excluded.exposures, measured = excluded.measured, successes = excluded.successes, rate = excluded.rate,
             interval_low = excluded.interval_low, interval_high = excluded.interval_high, probability_best = excluded.probability_best, p_value = excluded.p_value,
             guardrails = excluded.guardrails, updated_at = excluded.updated_at`,
        )
        .bind(e.id, r.variant, r.day, e.tenantId, r.exposures, r.measured, r.successes, r.rate, r.interval_low, r.interval_high, r.probability_best, r.p_value, JSON.stringify(r.guardrails), now),
    ),
  );
}

/** The daily history, oldest day first. */
export async function loadDaily(db: D1Database, e: Pick<Experiment, "id" | "tenantId">): Promise<DailyRow[]> {
  const { results } = await db
    .prepare("SELECT day, variant, exposures, measured, successes, rate, interval_low, interval_high, probability_best, p_value, guardrails FROM experiment_daily WHERE experiment_id = ? AND tenant_id = ? ORDER BY day, variant")
    .bind(e.id, e.tenantId)
    .all<Omit<DailyRow, "guardrails"> & { guardrails: string }>();
  return results.map((r) => ({ ...r, guardrails: JSON.parse(r.guardrails) as Record<string, number> }));
}

/** The last day the history has, or null. */
export async function lastDailyDay(db: D1Database, id: string): Promise<string | null> {
  return (await db.prepare("SELECT MAX(day) AS day FROM experiment_daily WHERE experiment_id = ?").bind(id).first<{ day: string | null }>())?.day ?? null;
}

/**
 * A tenant-level event (`experiment.stopped`, `experiment.completed`): one outcome_events row with
 * a deterministic id (the same stop twice is one event) and its merchant webhook deliveries,
 * fanned out in the same batch and enqueued after it.
 */
export async function emitTenantEvent(env: Env, tenantId: string, type: string, key: string, data: Record<string, unknown>, at: number): Promise<void> {
  const id = `evt_${key}`;
  const db = env.DB;
  await db.batch([
    db.prepare("INSERT OR IGNORE INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, '', NULL, ?, ?, ?)").bind(id, tenantId, type, at, JSON.stringify(data)),
    ...fanOutStatements(db, { id, type, tenantId, debtorId: "", invoiceId: null, occurredAt: at, data }),
  ]);
  await enqueuePending(env, tenantId, [id]).catch((err) => console.error("webhook enqueue failed; the cron retries", err));
}
