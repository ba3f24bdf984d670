/**
 * The audit log: every view of a debtor's personal data in the dashboard, and every change to
 * users, the policy and the sender identity, with who did it and when. Only owners read it.
 * A page that shows personal data writes its row before it answers: no row, no page.
 */
import { and, desc, eq, lt } from "drizzle-orm";
import { auditLog, dashboardUsers } from "../../schema/d1";
import { randomToken } from "../crypto";
import { db } from "../db";

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
export async function audit(d1: D1Database, e: { tenantId: string; userId: string; action: string; subject?: string | null; detail?: Record<string, unknown> }, now: number): Promise<void> {
  await db(d1)
    .insert(auditLog)
    .values({ id: `aud_${randomToken(20)}`, tenantId: e.tenantId, userId: e.userId, action: e.action, subject: e.subject ?? null, at: now, detail: JSON.stringify(e.detail ?? {}) })
    .run();
}

/** A page of the tenant's audit log, newest first, older than `before` (ms) when given. */
export async function auditPage(d1: D1Database, tenantId: string, before: number | null, limit = 50): Promise<AuditEntry[]> {
  const [a, u] = [auditLog, dashboardUsers];
  const results = await db(d1)
    .select({ id: a.id, userId: a.userId, userName: u.name, action: a.action, subject: a.subject, at: a.at, detail: a.detail })
    .from(a)
    .leftJoin(u, and(eq(u.id, a.userId), eq(u.tenantId, a.tenantId)))
    .where(and(eq(a.tenantId, tenantId), lt(a.at, before ?? Number.MAX_SAFE_INTEGER)))
    .orderBy(desc(a.at), desc(a.id))
    .limit(limit)
    .all();
  return results.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
