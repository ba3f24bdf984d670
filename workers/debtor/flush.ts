/**
 * Moves the DebtorDO's appended events to D1 and keeps the debtor index in step.
 * Event ids are made in the DO, so a flush repeated after a D1 failure inserts nothing twice.
 */
import type { DebtorStore } from "./store";

const BATCH = 40;

export interface IndexState {
  openInvoices: number;
  nextStepAt: number | null;
}

/** Flushes pending events and the index row; throws when D1 is unavailable (the caller retries later). */
export async function flushToD1(db: D1Database, store: DebtorStore, tenantId: string, debtorId: string, index: IndexState, now: number): Promise<void> {
  for (;;) {
    const events = store.unflushedEvents(BATCH);
    const statements = events.map((e) =>
      db
        .prepare("INSERT OR IGNORE INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(e.id, tenantId, debtorId, e.invoice_id, e.type, e.at, e.data),
    );
    const last = events.at(-1);
    if (!last) break;
    await db.batch(statements);
    store.markFlushed(last.seq);
    if (events.length < BATCH) break;
  }
  // The index only changes when the open count or the next step moves: skip the write otherwise.
  const state = JSON.stringify(index);
  if (store.meta("index_state") === state) return;
  await db
    .prepare(
      `INSERT INTO debtor_index (tenant_id, debtor_id, open_invoices, next_step_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, debtor_id) DO UPDATE SET open_invoices = excluded.open_invoices, next_step_at = excluded.next_step_at, updated_at = excluded.updated_at`,
    )
    .bind(tenantId, debtorId, index.openInvoices, index.nextStepAt, now)
    .run();
  store.setMeta("index_state", state);
}
