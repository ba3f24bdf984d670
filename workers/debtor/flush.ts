/**
 * Moves the DebtorDO's appended events to D1 and keeps the debtor index in step.
 * Event ids are made in the DO, so a flush repeated after a D1 failure inserts nothing twice.
 */
import { rollupStatements } from "../dashboard/rollups";
import { enqueuePending, fanOutStatements } from "../webhooks-out";
import type { DebtorStore } from "./store";

const BATCH = 40;

export interface IndexState {
  openInvoices: number;
  nextStepAt: number | null;
}

/** Event types that feed the tenant-wide channel priors: a trial, or a success. */
const STAT_COLUMN: Record<string, "trials" | "successes"> = { "reminder.sent": "trials", "call_task.created": "trials", "channel.success": "successes" };

/**
 * Flushes pending events and the index row; throws when D1 is unavailable (the caller retries
 * later). `index` is read after the events are written, so it reflects the latest state.
 */
export async function flushToD1(env: Env, store: DebtorStore, tenantId: string, debtorId: string, index: () => IndexState, now: number): Promise<void> {
  const db = env.DB;
  const webhookEvents: string[] = [];
  for (;;) {
    const events = store.unflushedEvents(BATCH);
    const statements = events.flatMap((e) => {
      const insert = db
        .prepare("INSERT OR IGNORE INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(e.id, tenantId, debtorId, e.invoice_id, e.type, e.at, e.data);
      // The dashboard's rollups, right after the insert: they move only when the event row is new.
      const rollups = rollupStatements(db, tenantId, debtorId, e);
      const column = STAT_COLUMN[e.type];
      const data = JSON.parse(e.data) as { segment?: string; channel?: string; sandbox?: boolean };
      // Merchant webhooks: one delivery per subscribed endpoint, only when the event row is new.
      // They come last for the event: they may insert several rows and so change changes().
      const fanOut = fanOutStatements(db, { id: e.id, type: e.type, tenantId, debtorId, invoiceId: e.invoice_id, occurredAt: e.at, data: JSON.parse(e.data) as Record<string, unknown> });
      if (fanOut.length > 0) webhookEvents.push(e.id);
      // A message kept in the sandbox teaches the tenant's priors nothing about real people.
      if (!column || !data.segment || !data.channel || data.sandbox === true) return [insert, ...rollups, ...fanOut];
      // Counted only when the event row is new (changes() of the insert, carried by the rollups),
      // so a flush repeated after a crash never counts an outcome twice.
      const stat = db
        .prepare(
          `INSERT INTO channel_stats (tenant_id, segment, channel, successes, trials) SELECT ?1, ?2, ?3, ?4, ?5 WHERE changes() = 1
           ON CONFLICT (tenant_id, segment, channel) DO UPDATE SET successes = successes + excluded.successes, trials = trials + excluded.trials`,
        )
        .bind(tenantId, data.segment, data.channel, column === "successes" ? 1 : 0, column === "trials" ? 1 : 0);
      return [insert, ...rollups, stat, ...fanOut];
    });
    const last = events.at(-1);
    if (!last) break;
    await db.batch(statements);
    store.markFlushed(last.seq);
    if (webhookEvents.length > 0) {
      // A lost enqueue is picked up by the cron (requeueStuckDeliveries).
      await enqueuePending(env, tenantId, webhookEvents.splice(0)).catch((err) => console.error("webhook enqueue failed; the cron retries", err));
    }
    if (events.length < BATCH) break;
  }
  // The index only changes when the open count or the next step moves: skip the write otherwise.
  const current = index();
  const state = JSON.stringify(current);
  if (store.meta("index_state") === state) return;
  await db
    .prepare(
      `INSERT INTO debtor_index (tenant_id, debtor_id, open_invoices, next_step_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, debtor_id) DO UPDATE SET open_invoices = excluded.open_invoices, next_step_at = excluded.next_step_at, updated_at = excluded.updated_at`,
    )
    .bind(tenantId, debtorId, current.openInvoices, current.nextStepAt, now)
    .run();
  store.setMeta("index_state", state);
}
