/**
 * What the event flush writes to D1 for experiments: an `experiment.exposed` event becomes a row of
 * `experiment_units` (INSERT OR IGNORE: one per experiment and debtor), an `experiment.outcome`
 * sets its outcome's first-time column (COALESCE: the first time stays). Both are idempotent, so
 * a flush repeated after a crash changes nothing. These statements change `changes()`: the flush
 * puts them last among an event's statements.
 */
import { z } from "zod";
import { OUTCOME_COLUMNS } from "./ledger";

const Exposed = z.object({ experiment_id: z.string().max(64), variant: z.string().max(64), locale: z.string().max(8).optional(), segment: z.string().max(64).optional() });
const Outcome = z.object({ experiment_id: z.string().max(64), outcome: z.enum(Object.keys(OUTCOME_COLUMNS) as [keyof typeof OUTCOME_COLUMNS, ...(keyof typeof OUTCOME_COLUMNS)[]]) });

/** The statements for one flushed event (none for events that are not about experiments). */
export function experimentUnitStatements(db: D1Database, tenantId: string, debtorId: string, e: { type: string; at: number; data: string }): D1PreparedStatement[] {
  if (e.type !== "experiment.exposed" && e.type !== "experiment.outcome") return [];
  const data = JSON.parse(e.data) as unknown;
  if (e.type === "experiment.exposed") {
    const d = Exposed.safeParse(data);
    if (!d.success) return [];
    return [
      db
        .prepare(
          `INSERT OR IGNORE INTO experiment_units (experiment_id, tenant_id, debtor_id, variant, exposed_at, locale, segment)
           SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM experiments WHERE id = ?1 AND tenant_id = ?2)`,
        )
        .bind(d.data.experiment_id, tenantId, debtorId, d.data.variant, e.at, d.data.locale ?? null, d.data.segment ?? null),
    ];
  }
  const d = Outcome.safeParse(data);
  if (!d.success) return [];
  const column = OUTCOME_COLUMNS[d.data.outcome];
  return [db.prepare(`UPDATE experiment_units SET ${column} = COALESCE(${column}, ?1) WHERE experiment_id = ?2 AND debtor_id = ?3 AND tenant_id = ?4`).bind(e.at, d.data.experiment_id, debtorId, tenantId)];
}
