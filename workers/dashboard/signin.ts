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
import { and, count, eq, gt, isNull } from "drizzle-orm";
import { signinLinks, tenants } from "../../schema/d1";
import { isDevelopment } from "../clock";
import { keepInSandbox } from "../channels/sandbox";
import { addressOf } from "../channels/resend";
import { channelRegistry } from "../channels/registry";
import { randomToken, sha256Hex } from "../crypto";
import { db } from "../db";
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
  const d = db(env.DB);
  const l = signinLinks;
  let sent = 0;
  for (const user of users) {
    const recent = await d
      .select({ n: count() })
      .from(l)
      .where(and(eq(l.userId, user.id), gt(l.createdAt, now - LINK_WINDOW_MS)))
      .get();
    if ((recent?.n ?? 0) >= MAX_LINKS) continue;
    const token = randomToken(32);
    const tokenHash = await sha256Hex(token);
    await d.insert(l).values({ tokenHash, userId: user.id, tenantId: user.tenantId, createdAt: now, expiresAt: now + LINK_TTL_MS }).run();
    const shop = await d.select({ displayName: tenants.displayName }).from(tenants).where(eq(tenants.id, user.tenantId)).get();
    await deliver(env, user, shop?.displayName ?? user.tenantId, `${baseUrl(env, requestOrigin)}/app/signin/verify?token=${token}`, tokenHash, now);
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
export async function redeemSigninLink(d1: D1Database, token: string, now: number): Promise<{ userId: string; tenantId: string } | null> {
  if (!/^[A-Za-z0-9]{32}$/.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  // One statement decides: two clicks racing each other cannot both succeed.
  const l = signinLinks;
  const row = await db(d1)
    .update(l)
    .set({ usedAt: now })
    .where(and(eq(l.tokenHash, tokenHash), isNull(l.usedAt), gt(l.expiresAt, now)))
    .returning({ userId: l.userId, tenantId: l.tenantId })
    .get();
  return row ?? null;
}

/** Whether a link is still usable (for the page that shows the button; using it is `redeemSigninLink`). */
export async function signinLinkUsable(d1: D1Database, token: string, now: number): Promise<boolean> {
  if (!/^[A-Za-z0-9]{32}$/.test(token)) return false;
  const l = signinLinks;
  const row = await db(d1)
    .select({ tokenHash: l.tokenHash })
    .from(l)
    .where(and(eq(l.tokenHash, await sha256Hex(token)), isNull(l.usedAt), gt(l.expiresAt, now)))
    .get();
  return row !== undefined;
}
