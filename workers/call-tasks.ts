/**
 * Call tasks: the "call" channel's delivery. A task is a row for the shop's call centre (who to
 * call, the kind script, what came of it), listed and closed through /v1/call-tasks and announced
 * by the `call_task.created` webhook. It holds personal data, so it has its own store and
 * retention instead of the sandbox outbox: an open task expires after 30 days, and a closed or
 * expired one is deleted 90 days later (and at once when the debtor is erased).
 *
 * `createCallTask` is the single hook the call channel's adapter calls.
 */

/** Days an open task waits for the call centre before it expires (the ladder has moved on by then). */
export const CALL_TASK_OPEN_DAYS = 30;
/** Days a closed or expired task is kept for the call centre's own follow-up. */
export const CALL_TASK_KEEP_DAYS = 90;
const DAY_MS = 24 * 3600_000;

/** One task for the call centre, as the call channel hands it over. */
export interface CallTaskInput {
  tenantId: string;
  debtorId: string;
  outboxId: string;
  /** The send's idempotency key: the same row handed over twice is one task. */
  idempotencyKey: string;
  name: string;
  phone: string | null;
  locale: string;
  subject: string;
  script: string;
}

/** Creates the task once per idempotency key; answers like a provider that accepted a message. */
export async function createCallTask(db: D1Database, t: CallTaskInput, now: number): Promise<{ ok: true; providerId: string; sandbox: false }> {
  const id = `ct_${t.idempotencyKey.slice(0, 24)}`;
  await db
    .prepare(
      `INSERT OR IGNORE INTO call_tasks (id, tenant_id, debtor_id, outbox_id, status, name, phone, locale, subject, script, created_at)
       VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
    )
    .bind(id, t.tenantId, t.debtorId, t.outboxId, t.name, t.phone, t.locale, t.subject, t.script, now)
    .run();
  return { ok: true, providerId: id, sandbox: false };
}

/** Retention: expires old open tasks and deletes old closed ones (statements for the cron's batch). */
export function callTaskRetention(db: D1Database, now: number): D1PreparedStatement[] {
  return [
    db.prepare("UPDATE call_tasks SET status = 'expired', closed_at = ?1 WHERE status = 'open' AND created_at < ?2").bind(now, now - CALL_TASK_OPEN_DAYS * DAY_MS),
    db.prepare("DELETE FROM call_tasks WHERE status != 'open' AND closed_at < ?").bind(now - CALL_TASK_KEEP_DAYS * DAY_MS),
  ];
}
