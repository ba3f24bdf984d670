/**
 * How a debtor's link or short code becomes their page without the bearer token travelling on:
 *
 * - `GET /l/:code` (letters, SMS): rate-limited per client address; a known, unexpired, unrevoked
 *   code starts a session. Anything else shows the "link gone" page; over the limit, a 429 page.
 * - `GET /d/:token` (emails): a valid, unrevoked signed link starts a session too.
 *
 * A session is a one-hour signed cookie (`__Host-kindly_session`: HttpOnly, Secure, SameSite=Lax,
 * Path=/) and a 303 to `/d`, so the address bar, history, Referer, reloads and form posts carry no
 * token, and no redirect's Location ever holds one. The page at `/d` and its forms
 * (`POST /d/actions`) read the session (self-service.ts). Lax keeps a cross-site form from posting
 * with the cookie.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { loadClock } from "../clock";
import { debtorStub } from "../debtor/stub";
import { type DebtorSession, SESSION_TTL_MS, debtorLinkSecret, resolveShortCode, signSession, verifyDebtorLink, verifySession } from "../links";
import { linkGonePage } from "./self-service-pages";

/** The session cookie, sent as `__Host-kindly_session` (the prefix makes browsers insist on Secure, Path=/ and no Domain). */
export const SESSION_COOKIE = "kindly_session";
/** Seconds a client over the short-link limit waits (the limiter's period). */
const LINK_RETRY_AFTER_SECONDS = 60;

type Ctx = Context<AppEnv>;

const NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow" };

/** Whether the debtor's object still honours a link issued at `issuedAt` (legacy links without it: yes). */
async function stillValid(env: Env, tenantId: string, debtorId: string, issuedAt: number | undefined): Promise<boolean> {
  if (issuedAt === undefined) return true;
  return debtorStub(env, tenantId, debtorId).linkIsValid(tenantId, issuedAt);
}

/** Sets the session cookie and sends the browser to the clean page URL. */
async function startSession(c: Ctx, secret: string, s: Omit<DebtorSession, "aud" | "exp">, now: number): Promise<Response> {
  const token = await signSession(secret, { ...s, exp: now + SESSION_TTL_MS });
  setCookie(c, SESSION_COOKIE, token, { path: "/", httpOnly: true, secure: true, sameSite: "Lax", maxAge: SESSION_TTL_MS / 1000, prefix: "host" });
  for (const [k, v] of Object.entries(NO_STORE)) c.header(k, v);
  // The fragment of the link (#already-paid ...) is kept by the browser across the redirect; the
  // page's language choice (?lang=) goes along. Nothing else of the link does.
  const lang = c.req.query("lang");
  return c.redirect(lang && /^[a-z]{2}(-[A-Z]{2})?$/.test(lang) ? `/d?lang=${lang}` : "/d", 303);
}

/** `GET /l/:code`: a typed or tapped short code, rate-limited, exchanged for a session. */
export async function openShortLink(c: Ctx): Promise<Response> {
  const client = c.req.header("cf-connecting-ip") ?? "unknown";
  const { success } = await c.env.LINK_RATE_LIMITER.limit({ key: clientKey(client) });
  if (!success) {
    c.header("Retry-After", String(LINK_RETRY_AFTER_SECONDS));
    for (const [k, v] of Object.entries(NO_STORE)) c.header(k, v);
    return c.html(TOO_MANY, 429);
  }
  const secret = debtorLinkSecret(c.env);
  const now = (await loadClock(c.env)).now();
  const code = secret ? await resolveShortCode(c.env.DB, c.req.param("code") ?? "", now) : null;
  if (!secret || !code || !(await stillValid(c.env, code.tenantId, code.debtorId, code.issuedAt))) {
    for (const [k, v] of Object.entries(NO_STORE)) c.header(k, v);
    return linkGonePage(c);
  }
  return startSession(c, secret, { tenantId: code.tenantId, debtorId: code.debtorId, iat: code.issuedAt }, now);
}

/** Before the page at `/d/:token`: a valid link becomes a session and a clean URL; anything else goes on to the page (which shows "link gone"). */
export const exchangeLinkForSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "GET") return next();
  const secret = debtorLinkSecret(c.env);
  const now = (await loadClock(c.env)).now();
  const claims = secret ? await verifyDebtorLink(secret, c.req.param("token") ?? "", now) : null;
  if (!secret || !claims || !(await stillValid(c.env, claims.tenantId, claims.debtorId, claims.iat))) return next();
  // A legacy link (no issue time) is treated as issued now; the object still refuses an erased debtor.
  return startSession(c, secret, { tenantId: claims.tenantId, debtorId: claims.debtorId, iat: claims.iat ?? now }, now);
});

/** The session of this request, verified (null: none, expired or forged). */
export async function sessionOf(c: Ctx, now: number): Promise<DebtorSession | null> {
  const secret = debtorLinkSecret(c.env);
  const token = getCookie(c, SESSION_COOKIE, "host");
  return secret && token ? verifySession(secret, token, now) : null;
}

/** IPv6 clients are limited per /64 (one subscriber's whole range), IPv4 per address. */
export function clientKey(address: string): string {
  if (!address.includes(":")) return address;
  const groups = address.split("::")[0]?.split(":") ?? [];
  return `${groups.slice(0, 4).join(":")}::/64`;
}

const TOO_MANY = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Even wachten</title></head>
<body style="font:17px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1f2937">
<h1>Even wachten</h1><p>U heeft de code vaak geprobeerd. Wacht een minuut en probeer het dan opnieuw. Kijk goed naar de letters en cijfers op uw brief of in uw sms.</p>
<h1 lang="fr">Un instant</h1><p lang="fr">Vous avez essayé le code plusieurs fois. Attendez une minute, puis réessayez.</p>
<h1 lang="en">Please wait</h1><p lang="en">You tried the code many times. Wait a minute and try again.</p></body></html>`;
