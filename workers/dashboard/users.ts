/**
 * Dashboard users and their roles. A user belongs to one tenant with one role; the owner creates
 * users (in the app, or through the API with the tenant's key). What a role may do is one table
 * (`PERMISSIONS`): every page and form checks it, and the browser tests walk it.
 *
 * - owner: everything, plus users, API keys, the sender identity and the audit log;
 * - credit_manager: the policy, the scorecard and the debtors (personal data, audited);
 * - marketer: templates and experiments;
 * - viewer: the aggregate pages only (no personal data, no changes).
 */
import { z } from "zod";
import { randomToken } from "../crypto";
import { ApiError } from "../errors";

export const ROLES = ["owner", "credit_manager", "marketer", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const LOCALES = ["nl", "en"] as const;
export type DashboardLocale = (typeof LOCALES)[number];

export type Permission =
  | "kpi.read"
  | "policy.read"
  | "policy.write"
  | "debtors.read"
  | "debtors.write"
  | "templates.read"
  | "templates.write"
  | "experiments.read"
  | "experiments.write"
  | "users.manage"
  | "account.write"
  | "audit.read"
  | "nps.comments";

const ALL: Role[] = [...ROLES];
/** Who may do what. A permission not listed for a role is refused (403), and its links are not shown. */
export const PERMISSIONS: Record<Permission, readonly Role[]> = {
  "kpi.read": ALL,
  "policy.read": ALL,
  "policy.write": ["owner", "credit_manager"],
  "debtors.read": ["owner", "credit_manager"],
  "debtors.write": ["owner", "credit_manager"],
  "templates.read": ALL,
  "templates.write": ["owner", "marketer"],
  "experiments.read": ALL,
  "experiments.write": ["owner", "marketer"],
  "users.manage": ["owner"],
  "account.write": ["owner"],
  "audit.read": ["owner"],
  // Comments are the debtor's own words: personal data, like the debtor pages.
  "nps.comments": ["owner", "credit_manager"],
};

/** Whether `role` may do `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(role);
}

export interface DashboardUser {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  locale: DashboardLocale;
  createdAt: number;
  disabledAt: number | null;
}

type UserRow = { id: string; tenant_id: string; email: string; name: string; role: Role; locale: DashboardLocale; created_at: number; disabled_at: number | null };
const fromRow = (r: UserRow): DashboardUser => ({ id: r.id, tenantId: r.tenant_id, email: r.email, name: r.name, role: r.role, locale: r.locale, createdAt: r.created_at, disabledAt: r.disabled_at });

/** What creating a user takes (API body and app form alike). */
export const NewUserSchema = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  locale: z.enum(LOCALES).default("nl"),
});
export type NewUser = z.infer<typeof NewUserSchema>;

/** Creates a user; a second user with the same address in this tenant is a conflict. */
export async function createUser(db: D1Database, tenantId: string, input: NewUser, createdBy: string | null, now: number): Promise<DashboardUser> {
  const id = `usr_${randomToken(20)}`;
  const res = await db
    .prepare("INSERT OR IGNORE INTO dashboard_users (id, tenant_id, email, name, role, locale, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(id, tenantId, input.email, input.name, input.role, input.locale, now, createdBy)
    .run();
  if (res.meta.changes === 0) throw new ApiError("conflict", `There is already a user with the address ${input.email}.`, [{ field: "email", message: "Already a user." }]);
  return { id, tenantId, email: input.email, name: input.name, role: input.role, locale: input.locale, createdAt: now, disabledAt: null };
}

/** One user of this tenant (null: none, or another tenant's). */
export async function userById(db: D1Database, tenantId: string, id: string): Promise<DashboardUser | null> {
  const row = await db.prepare("SELECT * FROM dashboard_users WHERE tenant_id = ? AND id = ?").bind(tenantId, id).first<UserRow>();
  return row ? fromRow(row) : null;
}

/** Active users with this address, in every tenant (sign-in sends one link per tenant). */
export async function activeUsersByEmail(db: D1Database, email: string): Promise<DashboardUser[]> {
  const { results } = await db.prepare("SELECT * FROM dashboard_users WHERE email = ? AND disabled_at IS NULL").bind(email.toLowerCase()).all<UserRow>();
  return results.map(fromRow);
}

/** The tenant's users, newest first. */
export async function listUsers(db: D1Database, tenantId: string): Promise<DashboardUser[]> {
  const { results } = await db.prepare("SELECT * FROM dashboard_users WHERE tenant_id = ? ORDER BY created_at DESC, id").bind(tenantId).all<UserRow>();
  return results.map(fromRow);
}

/**
 * Changes a user's role or disables them (their sessions end). The last active owner cannot be
 * demoted or disabled: a tenant must always have someone who can manage users.
 */
export async function updateUser(db: D1Database, tenantId: string, id: string, change: { role?: Role; disabled?: boolean; locale?: DashboardLocale }, now: number): Promise<DashboardUser> {
  const user = await userById(db, tenantId, id);
  if (!user) throw new ApiError("not_found", "No such user.");
  const losesOwner = user.role === "owner" && user.disabledAt === null && ((change.role !== undefined && change.role !== "owner") || change.disabled === true);
  if (losesOwner) {
    const owners = await db.prepare("SELECT COUNT(*) AS n FROM dashboard_users WHERE tenant_id = ? AND role = 'owner' AND disabled_at IS NULL").bind(tenantId).first<{ n: number }>();
    if ((owners?.n ?? 0) <= 1) throw new ApiError("invalid_state", "This is the last owner: make someone else owner first.", [{ field: "role", message: "The last owner stays owner." }]);
  }
  const disabledAt = change.disabled === undefined ? user.disabledAt : change.disabled ? (user.disabledAt ?? now) : null;
  const next = { ...user, role: change.role ?? user.role, locale: change.locale ?? user.locale, disabledAt };
  await db.batch([
    db.prepare("UPDATE dashboard_users SET role = ?, locale = ?, disabled_at = ? WHERE tenant_id = ? AND id = ?").bind(next.role, next.locale, next.disabledAt, tenantId, id),
    // A changed role or a disabled user starts over: no session keeps rights it no longer has.
    ...(next.role !== user.role || (next.disabledAt !== null && user.disabledAt === null)
      ? [db.prepare("UPDATE dashboard_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL").bind(now, id)]
      : []),
  ]);
  return next;
}
