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
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { randomToken, sha256Hex } from "../crypto";
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
export async function startSession(c: Context, db: D1Database, user: DashboardUser, now: number): Promise<Session> {
  const id = randomToken(32);
  const idHash = await sha256Hex(id);
  const csrf = randomToken(32);
  await db
    .prepare("INSERT INTO dashboard_sessions (id_hash, user_id, tenant_id, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(idHash, user.id, user.tenantId, csrf, now, now + SESSION_MAX_MS, now)
    .run();
  setCookie(c, SESSION_COOKIE, id, { ...COOKIE, maxAge: SESSION_MAX_MS / 1000 });
  const shop = await db.prepare("SELECT display_name, profile FROM tenants WHERE id = ?").bind(user.tenantId).first<{ display_name: string; profile: string }>();
  return { idHash, csrf, user, shop: { name: shop?.display_name ?? user.tenantId, profile: shop?.profile ?? "{}" } };
}

type Row = {
  id_hash: string; csrf_token: string; expires_at: number; last_seen_at: number; revoked_at: number | null;
  id: string; tenant_id: string; email: string; name: string; role: Role; locale: DashboardLocale; created_at: number; disabled_at: number | null;
  display_name: string; profile: string;
};

/** The session of this request, or null (no cookie, unknown, expired, idle, revoked, or the user disabled). */
export async function currentSession(c: Context, db: D1Database, now: number): Promise<Session | null> {
  const id = getCookie(c, SESSION_COOKIE, "host");
  if (!id || !/^[A-Za-z0-9]{32}$/.test(id)) return null;
  const idHash = await sha256Hex(id);
  const row = await db
    .prepare(
      `SELECT s.id_hash, s.csrf_token, s.expires_at, s.last_seen_at, s.revoked_at, u.id, u.tenant_id, u.email, u.name, u.role, u.locale, u.created_at, u.disabled_at,
         t.display_name, t.profile
       FROM dashboard_sessions s JOIN dashboard_users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id JOIN tenants t ON t.id = s.tenant_id WHERE s.id_hash = ?`,
    )
    .bind(idHash)
    .first<Row>();
  if (!row || row.revoked_at !== null || row.disabled_at !== null || row.expires_at <= now || row.last_seen_at + SESSION_IDLE_MS <= now) return null;
  if (now - row.last_seen_at > TOUCH_MS) await db.prepare("UPDATE dashboard_sessions SET last_seen_at = ? WHERE id_hash = ?").bind(now, idHash).run();
  const user: DashboardUser = { id: row.id, tenantId: row.tenant_id, email: row.email, name: row.name, role: row.role, locale: row.locale, createdAt: row.created_at, disabledAt: row.disabled_at };
  return { idHash, csrf: row.csrf_token, user, shop: { name: row.display_name, profile: row.profile } };
}

/** Ends the session and clears its cookie. */
export async function endSession(c: Context, db: D1Database, session: Session, now: number): Promise<void> {
  await db.prepare("UPDATE dashboard_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL").bind(now, session.idHash).run();
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
