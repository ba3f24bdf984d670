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
import { and, asc, count, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { dashboardSessions, dashboardUsers } from "../../schema/d1";
import { randomToken } from "../crypto";
import { db } from "../db";
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

/** A dashboard user as the app and the API see it (who created it stays in the table). */
export type DashboardUser = Omit<typeof dashboardUsers.$inferSelect, "createdBy">;
const u = dashboardUsers;
const USER_COLUMNS = { id: u.id, tenantId: u.tenantId, email: u.email, name: u.name, role: u.role, locale: u.locale, createdAt: u.createdAt, disabledAt: u.disabledAt };

/** What creating a user takes (API body and app form alike). */
export const NewUserSchema = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  locale: z.enum(LOCALES).default("nl"),
});
export type NewUser = z.infer<typeof NewUserSchema>;

/** Creates a user; a second user with the same address in this tenant is a conflict. */
export async function createUser(d1: D1Database, tenantId: string, input: NewUser, createdBy: string | null, now: number): Promise<DashboardUser> {
  const id = `usr_${randomToken(20)}`;
  const res = await db(d1)
    .insert(u)
    .values({ id, tenantId, email: input.email, name: input.name, role: input.role, locale: input.locale, createdAt: now, createdBy })
    .onConflictDoNothing()
    .run();
  if (res.meta.changes === 0) throw new ApiError("conflict", `There is already a user with the address ${input.email}.`, [{ field: "email", message: "Already a user." }]);
  return { id, tenantId, email: input.email, name: input.name, role: input.role, locale: input.locale, createdAt: now, disabledAt: null };
}

/** One user of this tenant (null: none, or another tenant's). */
export async function userById(d1: D1Database, tenantId: string, id: string): Promise<DashboardUser | null> {
  const row = await db(d1)
    .select(USER_COLUMNS)
    .from(u)
    .where(and(eq(u.tenantId, tenantId), eq(u.id, id)))
    .get();
  return row ?? null;
}

/** Active users with this address, in every tenant (sign-in sends one link per tenant). */
export async function activeUsersByEmail(d1: D1Database, email: string): Promise<DashboardUser[]> {
  return db(d1)
    .select(USER_COLUMNS)
    .from(u)
    .where(and(eq(u.email, email.toLowerCase()), isNull(u.disabledAt)))
    .all();
}

/** The tenant's users, newest first. */
export async function listUsers(d1: D1Database, tenantId: string): Promise<DashboardUser[]> {
  return db(d1)
    .select(USER_COLUMNS)
    .from(u)
    .where(eq(u.tenantId, tenantId))
    .orderBy(desc(u.createdAt), asc(u.id))
    .all();
}

/**
 * Changes a user's role or disables them (their sessions end). The last active owner cannot be
 * demoted or disabled: a tenant must always have someone who can manage users.
 */
export async function updateUser(d1: D1Database, tenantId: string, id: string, change: { role?: Role; disabled?: boolean; locale?: DashboardLocale }, now: number): Promise<DashboardUser> {
  const d = db(d1);
  const user = await userById(d1, tenantId, id);
  if (!user) throw new ApiError("not_found", "No such user.");
  const losesOwner = user.role === "owner" && user.disabledAt === null && ((change.role !== undefined && change.role !== "owner") || change.disabled === true);
  if (losesOwner) {
    const owners = await d
      .select({ n: count() })
      .from(u)
      .where(and(eq(u.tenantId, tenantId), eq(u.role, "owner"), isNull(u.disabledAt)))
      .get();
    if ((owners?.n ?? 0) <= 1) throw new ApiError("invalid_state", "This is the last owner: make someone else owner first.", [{ field: "role", message: "The last owner stays owner." }]);
  }
  const disabledAt = change.disabled === undefined ? user.disabledAt : change.disabled ? (user.disabledAt ?? now) : null;
  const next = { ...user, role: change.role ?? user.role, locale: change.locale ?? user.locale, disabledAt };
  const s = dashboardSessions;
  await d.batch([
    d
      .update(u)
      .set({ role: next.role, locale: next.locale, disabledAt: next.disabledAt })
      .where(and(eq(u.tenantId, tenantId), eq(u.id, id))),
    // A changed role or a disabled user starts over: no session keeps rights it no longer has.
    ...(next.role !== user.role || (next.disabledAt !== null && user.disabledAt === null)
      ? [d.update(s).set({ revokedAt: now }).where(and(eq(s.userId, id), isNull(s.revokedAt)))]
      : []),
  ]);
  return next;
}
