/**
 * Dashboard sessions and CSRF protection.
 *
 * - The session cookie `__Host-kindly_app` (not the debtor pages' `__Host-kindly_session`: a staff
 *   member who opens a debtor's link in the same browser keeps both) is HttpOnly, Secure, SameSite=Lax, Path=/ and has
 *   no Domain (the `__Host-` prefix makes browsers enforce the last three). It holds 32 random
 *   characters; D1 keeps only their SHA-256, so a leaked table opens no session. Lax, not Strict:
 *   a link to the dashboard from an email must arrive signed in; CSRF tokens guard every form.
 * - Secure cookies over http:// in development: browsers treat http://localhost and 127.0.0.1 as
 *   secure contexts and accept Secure and `__Host-` cookies there (Chromium and Firefox do), so
 *   `npm start` and the browser tests work unchanged. Any other http:// origin cannot sign in.
 * - A session lasts at most 7 days and ends after 12 hours without use; signing out, a role
 *   change and disabling the user end it at once.
 * - CSRF: every form carries `_csrf`. Signed in, it is the session's own random token
 *   (synchronizer token); before sign-in, it must equal the `__Host-kindly_app_pre` cookie (double
 *   submit). A POST whose Origin is another site is refused before that.
 * Times are real time (never the development clock, which tests move by weeks).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { dashboardSessions, dashboardUsers, tenants } from "../../schema/d1";
import { randomToken, sha256Hex } from "../crypto";
import { db } from "../db";
import type { DashboardUser, Role, DashboardLocale } from "./users";

export const SESSION_COOKIE = "kindly_app";
export const PRE_SESSION_COOKIE = "kindly_app_pre";
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
export const SESSION_IDLE_MS = 12 * 3600_000;
/** last_seen_at is written at most this often per session. */
const TOUCH_MS = 5 * 60_000;

export interface Session {
  idHash: string;
  csrf: string;
  user: DashboardUser;
  /** The tenant's display name and stored profile JSON (sender identity, delivery mode). */
  shop: { name: string; profile: string };
}

const COOKIE = { prefix: "host", httpOnly: true, secure: true, sameSite: "Lax", path: "/" } as const;

/** Starts a session for `user` and sets its cookie. */
export async function startSession(c: Context, d1: D1Database, user: DashboardUser, now: number): Promise<Session> {
  const id = randomToken(32);
  const idHash = await sha256Hex(id);
  const csrf = randomToken(32);
  const d = db(d1);
  await d
    .insert(dashboardSessions)
    .values({ idHash, userId: user.id, tenantId: user.tenantId, csrfToken: csrf, createdAt: now, expiresAt: now + SESSION_MAX_MS, lastSeenAt: now })
    .run();
  setCookie(c, SESSION_COOKIE, id, { ...COOKIE, maxAge: SESSION_MAX_MS / 1000 });
  const shop = await d.select({ displayName: tenants.displayName, profile: tenants.profile }).from(tenants).where(eq(tenants.id, user.tenantId)).get();
  return { idHash, csrf, user, shop: { name: shop?.displayName ?? user.tenantId, profile: shop?.profile ?? "{}" } };
}


/** The session of this request, or null (no cookie, unknown, expired, idle, revoked, or the user disabled). */
export async function currentSession(c: Context, d1: D1Database, now: number): Promise<Session | null> {
  const id = getCookie(c, SESSION_COOKIE, "host");
  if (!id || !/^[A-Za-z0-9]{32}$/.test(id)) return null;
  const idHash = await sha256Hex(id);
  const d = db(d1);
  const [s, u, t] = [dashboardSessions, dashboardUsers, tenants];
  const row = await d
    .select({
      csrfToken: s.csrfToken,
      expiresAt: s.expiresAt,
      lastSeenAt: s.lastSeenAt,
      revokedAt: s.revokedAt,
      user: { id: u.id, tenantId: u.tenantId, email: u.email, name: u.name, role: u.role, locale: u.locale, createdAt: u.createdAt, disabledAt: u.disabledAt },
      shop: { name: t.displayName, profile: t.profile },
    })
    .from(s)
    .innerJoin(u, and(eq(u.id, s.userId), eq(u.tenantId, s.tenantId)))
    .innerJoin(t, eq(t.id, s.tenantId))
    .where(eq(s.idHash, idHash))
    .get();
  if (!row || row.revokedAt !== null || row.user.disabledAt !== null || row.expiresAt <= now || row.lastSeenAt + SESSION_IDLE_MS <= now) return null;
  if (now - row.lastSeenAt > TOUCH_MS) await d.update(s).set({ lastSeenAt: now }).where(eq(s.idHash, idHash)).run();
  return { idHash, csrf: row.csrfToken, user: row.user, shop: row.shop };
}

/** Ends the session and clears its cookie. */
export async function endSession(c: Context, d1: D1Database, session: Session, now: number): Promise<void> {
  await db(d1)
    .update(dashboardSessions)
    .set({ revokedAt: now })
    .where(and(eq(dashboardSessions.idHash, session.idHash), isNull(dashboardSessions.revokedAt)))
    .run();
  deleteCookie(c, SESSION_COOKIE, { ...COOKIE });
}

/** The pre-session CSRF value for the sign-in forms: the cookie's, set now when missing. */
export function preSessionToken(c: Context): string {
  const existing = getCookie(c, PRE_SESSION_COOKIE, "host");
  if (existing && /^[A-Za-z0-9]{32}$/.test(existing)) return existing;
  const token = randomToken(32);
  setCookie(c, PRE_SESSION_COOKIE, token, { ...COOKIE, maxAge: 3600 });
  return token;
}

/** Constant-time string comparison (lengths are public: both are fixed-length tokens). */
function same(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Whether a POST comes from this site: no Origin (an old browser, a test client) or the same origin. */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  return origin === new URL(c.req.url).origin;
}

/** Whether the form's `_csrf` is right: the session's token, or before sign-in the pre-session cookie's. */
export function csrfValid(c: Context, sent: unknown, session: Session | null): boolean {
  if (typeof sent !== "string" || sent.length !== 32) return false;
  if (session) return same(sent, session.csrf);
  const cookie = getCookie(c, PRE_SESSION_COOKIE, "host");
  return typeof cookie === "string" && same(sent, cookie);
}
