/**
 * Sign-in by a one-time link sent to the user's email address. The link carries 32 random
 * characters; D1 keeps their SHA-256. It works once, for 15 minutes. Opening it shows a button
 * (a POST) instead of signing in at once, because mail scanners open links on their own: a GET
 * never uses up the link. An address in several tenants gets one link per tenant.
 *
 * Delivery: in development (and a deployment with DELIVERY_MODE=sandbox) the email is kept in the
 * tenant's sandbox outbox (`/sandbox`, `GET /v1/sandbox/messages`); otherwise it goes through the
 * email adapter (Resend) from the platform address in EMAIL_FROM.
 */
import { isDevelopment } from "../clock";
import { keepInSandbox } from "../channels/sandbox";
import { addressOf } from "../channels/resend";
import { channelRegistry } from "../channels/registry";
import { randomToken, sha256Hex } from "../crypto";
import { activeUsersByEmail, type DashboardUser } from "./users";
import { signinEmail } from "./copy";

export const LINK_TTL_MS = 15 * 60_000;
/** At most this many links per user in `LINK_WINDOW_MS`: a form cannot be used to flood an inbox. */
export const MAX_LINKS = 5;
export const LINK_WINDOW_MS = 15 * 60_000;

/** Where the dashboard lives for links in emails. */
function baseUrl(env: Env, requestOrigin: string): string {
  return (env.PUBLIC_BASE_URL || requestOrigin).replace(/\/+$/, "");
}

/** Sends a sign-in link to every active user with this address (none: nothing happens, and the answer is the same). */
export async function requestSigninLinks(env: Env, email: string, requestOrigin: string, now: number): Promise<number> {
  const users = await activeUsersByEmail(env.DB, email);
  let sent = 0;
  for (const user of users) {
    const recent = await env.DB.prepare("SELECT COUNT(*) AS n FROM signin_links WHERE user_id = ? AND created_at > ?").bind(user.id, now - LINK_WINDOW_MS).first<{ n: number }>();
    if ((recent?.n ?? 0) >= MAX_LINKS) continue;
    const token = randomToken(32);
    const tokenHash = await sha256Hex(token);
    await env.DB.prepare("INSERT INTO signin_links (token_hash, user_id, tenant_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
      .bind(tokenHash, user.id, user.tenantId, now, now + LINK_TTL_MS)
      .run();
    const shop = await env.DB.prepare("SELECT display_name FROM tenants WHERE id = ?").bind(user.tenantId).first<{ display_name: string }>();
    await deliver(env, user, shop?.display_name ?? user.tenantId, `${baseUrl(env, requestOrigin)}/app/signin/verify?token=${token}`, tokenHash, now);
    sent++;
  }
  return sent;
}

async function deliver(env: Env, user: DashboardUser, shop: string, url: string, tokenHash: string, now: number): Promise<void> {
  const message = signinEmail(user.locale, { name: user.name, shop, url, minutes: LINK_TTL_MS / 60_000, email: user.email });
  const key = `signin_${tokenHash.slice(0, 40)}`;
  const from = `"Kindly" <${addressOf(env.EMAIL_FROM) ?? "reminders@example.com"}>`;
  if (isDevelopment(env) || env.DELIVERY_MODE === "sandbox") {
    await keepInSandbox(env.DB, { idempotencyKey: key, tenantId: user.tenantId, debtorId: `dashboard:${user.id}`, channel: "email", recipient: user.email, ...message, sender: { from, replies: false } }, now);
    return;
  }
  const registry = channelRegistry(env);
  const adapter = registry.forChannel("email");
  if (!adapter || !adapter.live().ok) throw new Error("email is not configured (RESEND_API_KEY): sign-in links cannot be sent");
  const result = await registry.send(adapter, {
    idempotencyKey: key, tenantId: user.tenantId, debtorId: `dashboard:${user.id}`, outboxId: key, message: { recipient: user.email, ...message },
    sender: { from, replies: false }, recipient: { name: user.name, email: user.email }, expiresAt: now + LINK_TTL_MS, now,
  });
  if (!result.ok) throw new Error(`sign-in email not sent: ${result.error}`);
}

/** Uses a link once: the user it signs in, or null when it is unknown, expired or used. */
export async function redeemSigninLink(db: D1Database, token: string, now: number): Promise<{ userId: string; tenantId: string } | null> {
  if (!/^[A-Za-z0-9]{32}$/.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  // One statement decides: two clicks racing each other cannot both succeed.
  const row = await db
    .prepare("UPDATE signin_links SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1 RETURNING user_id, tenant_id")
    .bind(now, tokenHash)
    .first<{ user_id: string; tenant_id: string }>();
  return row ? { userId: row.user_id, tenantId: row.tenant_id } : null;
}

/** Whether a link is still usable (for the page that shows the button; using it is `redeemSigninLink`). */
export async function signinLinkUsable(db: D1Database, token: string, now: number): Promise<boolean> {
  if (!/^[A-Za-z0-9]{32}$/.test(token)) return false;
  const row = await db.prepare("SELECT 1 AS ok FROM signin_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?").bind(await sha256Hex(token), now).first();
  return row !== null;
}
