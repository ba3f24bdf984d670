/**
 * Call tasks: the "call" channel's delivery. A task is a row for the shop's call centre (who to
 * call, the kind script, what came of it), listed and closed through /v1/call-tasks and announced
 * by the `call_task.created` webhook. It holds personal data, so it has its own store and
 * retention instead of the sandbox outbox: an open task expires after 30 days, and a closed or
 * expired one is deleted 90 days later (and at once when the debtor is erased).
 *
 * `createCallTask` is the single hook the call channel's adapter calls.
 */
import { and, eq, lt, ne } from "drizzle-orm";
import { callTasks } from "../schema/d1";
import { db, type Db, type Statement } from "./db";

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
export async function createCallTask(d1: D1Database, t: CallTaskInput, now: number): Promise<{ ok: true; providerId: string; sandbox: false }> {
  const id = `ct_${t.idempotencyKey.slice(0, 24)}`;
  await db(d1)
    .insert(callTasks)
    .values({ id, tenantId: t.tenantId, debtorId: t.debtorId, outboxId: t.outboxId, status: "open", name: t.name, phone: t.phone, locale: t.locale, subject: t.subject, script: t.script, createdAt: now })
    .onConflictDoNothing()
    .run();
  return { ok: true, providerId: id, sandbox: false };
}

/** Retention: expires old open tasks and deletes old closed ones (statements for the cron's batch). */
export function callTaskRetention(d: Db, now: number): Statement[] {
  return [
    d
      .update(callTasks)
      .set({ status: "expired", closedAt: now })
      .where(and(eq(callTasks.status, "open"), lt(callTasks.createdAt, now - CALL_TASK_OPEN_DAYS * DAY_MS))),
    d.delete(callTasks).where(and(ne(callTasks.status, "open"), lt(callTasks.closedAt, now - CALL_TASK_KEEP_DAYS * DAY_MS))),
  ];
}
