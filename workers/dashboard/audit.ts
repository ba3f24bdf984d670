/**
 * The audit log: every view of a debtor's personal data in the dashboard, and every change to
 * users, the policy and the sender identity, with who did it and when. Only owners read it.
 * A page that shows personal data writes its row before it answers: no row, no page.
 */
import { randomToken } from "../crypto";

export interface AuditEntry {
  id: string;
  userId: string;
  userName: string | null;
  action: string;
  subject: string | null;
  at: number;
  detail: Record<string, unknown>;
}

/** Writes one audit row (real time). */
export async function audit(db: D1Database, e: { tenantId: string; userId: string; action: string; subject?: string | null; detail?: Record<string, unknown> }, now: number): Promise<void> {
  await db
    .prepare("INSERT INTO audit_log (id, tenant_id, user_id, action, subject, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(`aud_${randomToken(20)}`, e.tenantId, e.userId, e.action, e.subject ?? null, now, JSON.stringify(e.detail ?? {}))
    .run();
}

/** A page of the tenant's audit log, newest first, older than `before` (ms) when given. */
export async function auditPage(db: D1Database, tenantId: string, before: number | null, limit = 50): Promise<AuditEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT a.id, a.user_id, u.name AS user_name, a.action, a.subject, a.at, a.detail FROM audit_log a
       LEFT JOIN dashboard_users u ON u.id = a.user_id AND u.tenant_id = a.tenant_id
       WHERE a.tenant_id = ? AND a.at < ? ORDER BY a.at DESC, a.id DESC LIMIT ?`,
    )
    .bind(tenantId, before ?? Number.MAX_SAFE_INTEGER, limit)
    .all<{ id: string; user_id: string; user_name: string | null; action: string; subject: string | null; at: number; detail: string }>();
  return results.map((r) => ({ id: r.id, userId: r.user_id, userName: r.user_name, action: r.action, subject: r.subject, at: r.at, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
