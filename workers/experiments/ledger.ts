/**
 * The debtor's side of experiments, in its own SQLite: the variant it was assigned at its first
 * exposure (kept for good, so it is stable over the whole ladder and every replay), the experiment
 * and variant on each outbox row, and the outcomes that followed, each counted once for the
 * variant seen first. A payment before any exposure counts for nothing.
 *
 * Outcomes are derived from the object's own events as they are emitted (store.onEmit), in the
 * same transaction: `experiment.outcome` events with deterministic keys, which the flush turns
 * into the first-time columns of `experiment_units` in D1.
 */
import type { ExperimentTag } from "./choose";
import type { DebtorStore } from "../debtor/store";

/** What a debtor did after an exposure, by outcome kind; the column of `experiment_units` it sets. */
export const OUTCOME_COLUMNS = {
  paid: "paid_at",
  arrangement: "arrangement_at",
  already_paid: "already_paid_at",
  clicked: "clicked_at",
  opened: "opened_at",
  help: "help_at",
  complaint: "complained_at",
  sms_stop: "sms_stop_at",
  unsubscribe: "unsubscribed_at",
  dispute: "disputed_at",
} as const;
export type OutcomeKind = keyof typeof OUTCOME_COLUMNS;

/** Outcomes that are guardrails: the variant's rate is watched against the control's. */
export const GUARDRAIL_OUTCOMES: readonly OutcomeKind[] = ["complaint", "sms_stop", "unsubscribe", "dispute"];

/** Meta key: experiments with a guardrail outcome not yet looked at by the watcher. */
export const GUARDRAIL_PENDING = "experiment_guardrail_pending";

/** Versioned, idempotent DDL; run in blockConcurrencyWhile with the other migrations. */
export function migrateExperimentTables(sql: SqlStorage): void {
  const version = Number(sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'experiment_schema'").toArray()[0]?.value ?? 0);
  if (version < 1) {
    sql.exec("CREATE TABLE IF NOT EXISTS experiment_assignments (experiment_id TEXT PRIMARY KEY, variant TEXT NOT NULL, exposed_at INTEGER NOT NULL)");
    sql.exec("ALTER TABLE outbox ADD COLUMN experiment_id TEXT");
    sql.exec("ALTER TABLE outbox ADD COLUMN variant TEXT");
  }
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('experiment_schema', '1')");
}

/** The variant this debtor was assigned in an experiment, or null before its first exposure. */
export function keptAssignment(sql: SqlStorage, experimentId: string): string | null {
  return sql.exec<{ variant: string }>("SELECT variant FROM experiment_assignments WHERE experiment_id = ?", experimentId).toArray()[0]?.variant ?? null;
}

/**
 * A message of an experiment went out (or was kept in the sandbox): the first one assigns the
 * debtor for good and records the exposure; every one marks its outbox row.
 */
export function recordExposure(sql: SqlStorage, store: DebtorStore, tag: ExperimentTag, m: { outboxId: string; at: number; locale: string; segment: string; template: string; channel: string }): void {
  sql.exec("UPDATE outbox SET experiment_id = ?, variant = ? WHERE id = ?", tag.id, tag.variant, m.outboxId);
  const kept = sql.exec("INSERT OR IGNORE INTO experiment_assignments (experiment_id, variant, exposed_at) VALUES (?, ?, ?)", tag.id, tag.assigned, m.at);
  if (kept.rowsWritten === 0) return;
  store.emit(
    "experiment.exposed",
    m.at,
    { experiment_id: tag.id, variant: tag.assigned, locale: m.locale, segment: m.segment, template: m.template, channel: m.channel, outbox_id: m.outboxId },
    null,
    `exp_exposed_${tag.id}`,
  );
}

/** The outcome an event of the debtor's object means for experiments, if any. */
export function outcomeOf(type: string, data: Record<string, unknown>, nothingOpen: () => boolean): OutcomeKind | null {
  switch (type) {
    case "invoice.closed":
      // Paid in full: the last open invoice closed by a payment.
      return data.reason === "paid" && nothingOpen() ? "paid" : null;
    case "arrangement.created":
      return "arrangement";
    case "debtor.already_paid":
      return "already_paid";
    case "channel.clicked":
      return "clicked";
    case "channel.opened":
      return "opened";
    case "debtor.help_requested":
      return "help";
    case "channel.complained":
      return "complaint";
    case "channel.blocked":
      if (data.reason !== "opted_out") return null;
      return data.channel === "sms" ? "sms_stop" : "unsubscribe";
    case "debtor.disputed":
    case "debtor.dispute":
      return "dispute";
    default:
      return null;
  }
}

/**
 * Called for every event the object emits: an outcome after an exposure is recorded once per
 * experiment, for the variant assigned at the first exposure. Synchronous, in the caller's transaction.
 */
export function observeForExperiments(sql: SqlStorage, store: DebtorStore, type: string, at: number, data: Record<string, unknown>): void {
  if (type.startsWith("experiment.")) return;
  const assignments = sql.exec<{ experiment_id: string; variant: string; exposed_at: number }>("SELECT experiment_id, variant, exposed_at FROM experiment_assignments").toArray();
  if (assignments.length === 0) return;
  const outcome = outcomeOf(type, data, () => store.openInvoices().length === 0);
  if (!outcome) return;
  const pending = new Set<string>(JSON.parse(store.meta(GUARDRAIL_PENDING) ?? "[]") as string[]);
  for (const a of assignments) {
    // Before the first exposure nothing counts: the message cannot have caused it.
    if (a.exposed_at > at) continue;
    const key = `exp_${a.experiment_id}_${outcome}`;
    if (store.hasEvent(key)) continue;
    store.emit("experiment.outcome", at, { experiment_id: a.experiment_id, variant: a.variant, outcome, exposed_at: a.exposed_at }, null, key);
    if (GUARDRAIL_OUTCOMES.includes(outcome)) pending.add(a.experiment_id);
  }
  if (pending.size > 0) store.setMeta(GUARDRAIL_PENDING, JSON.stringify([...pending]));
}
