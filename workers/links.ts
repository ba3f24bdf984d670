/**
 * Signed, single-debtor links for the self-service page (`/d/:token`), short codes for paper and
 * SMS (`/l/:code`), and the short session both are exchanged for.
 *
 * A token is `base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, first part))`.
 * It names exactly one (tenant, debtor), when it was issued and an expiry; whoever holds it may
 * see that debtor's open invoices and say "I already paid", pick a date, etc. So it is a bearer
 * secret: it lives only in the reminder, anything unverifiable fails closed, and it is revocable:
 * the debtor's object refuses a link issued before the debtor's links were revoked, before the
 * reminder cycle it belonged to ended, or after the debtor was erased (privacy-rpc.ts).
 *
 * Through the Worker, a valid link or code is exchanged at once for a one-hour session cookie and
 * a redirect to `/d` (debtor-session.ts): the token is in the request log of that first hop only
 * (a link must be a URL), and never in the address bar, history, a Referer, a form post or a
 * redirect's Location.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { linkCodes } from "../schema/d1";
import { hmacKey, readCompact, signCompact, verifyCompact } from "./compact-token";
import { sha256Hex } from "./crypto";
import { db } from "./db";

/** What a debtor link proves: who it is for, when it was issued and until when (clock epoch ms). */
export interface DebtorLinkClaims {
  tenantId: string;
  debtorId: string;
  exp: number;
  /** When the link was issued (clock ms), for revocation; links from before revocation existed lack it. */
  iat?: number;
}

/** The links a reminder carries; every one opens the same page, at its own section. */
export interface SelfServiceUrls {
  page: string;
  alreadyPaid: string;
  paymentDate: string;
  arrangement: string;
  help: string;
  dispute: string;
}

// Only for `KINDLY_ENV=development` (npm start, tests): links work on a fresh machine without
// secrets. Never used in production, where a missing secret turns every link off instead.
const DEVELOPMENT_SECRET = "kindly-development-link-secret-do-not-use-in-production";


// Tenant ids never contain "/" (the Durable Object name is `${tenant}/${debtor}`).
const ClaimsSchema = z.strictObject({
  tenantId: z.string().min(1).max(128).regex(/^[^/]+$/),
  debtorId: z.string().min(1).max(128),
  exp: z.number().int().positive(),
  iat: z.number().int().nonnegative().optional(),
});

/** Signs a link token for one debtor of one tenant. Throws without a secret (never signs with ""). */
export async function signDebtorLink(secret: string, claims: DebtorLinkClaims): Promise<string> {
  if (!secret) throw new Error("signDebtorLink: no link signing secret");
  const checked = ClaimsSchema.parse({ tenantId: claims.tenantId, debtorId: claims.debtorId, exp: claims.exp, ...(claims.iat === undefined ? {} : { iat: claims.iat }) });
  return signCompact(await hmacKey(secret), checked);
}

/**
 * The claims of a valid, unexpired token, or null for anything else: no secret, malformed,
 * tampered, signed with another secret, or `exp <= now`. The MAC is checked (constant time)
 * before the claims are used.
 */
export async function verifyDebtorLink(secret: string, token: string, now: number): Promise<DebtorLinkClaims | null> {
  const parts = secret ? readCompact(token) : null;
  if (!parts || !(await verifyCompact(await hmacKey(secret), parts))) return null;
  const claims = ClaimsSchema.safeParse(parts.json);
  if (!claims.success || claims.data.exp <= now) return null;
  return claims.data;
}

/**
 * The secret that signs debtor links: `LINK_SIGNING_SECRET`, or a fixed development secret only
 * when `KINDLY_ENV` is "development". Null means links are off (fail closed).
 */
export function debtorLinkSecret(env: { KINDLY_ENV: string; LINK_SIGNING_SECRET?: string }): string | null {
  if (env.LINK_SIGNING_SECRET) return env.LINK_SIGNING_SECRET;
  return env.KINDLY_ENV === "development" ? DEVELOPMENT_SECRET : null;
}

/**
 * The self-service links for a reminder. All open `${base}/d/${token}`; the actions add a
 * fragment naming the page's section (`#already-paid`, `#payment-date`, `#arrangement`,
 * `#help`, `#dispute`), so they work without JavaScript and the fragment never reaches a log.
 */
export function selfServiceUrls(baseUrl: string, token: string): SelfServiceUrls {
  const page = `${baseUrl.replace(/\/+$/, "")}/d/${token}`;
  return {
    page,
    alreadyPaid: `${page}#already-paid`,
    paymentDate: `${page}#payment-date`,
    arrangement: `${page}#arrangement`,
    help: `${page}#help`,
    dispute: `${page}#dispute`,
  };
}

/** Letters that cannot be confused on paper or read aloud (no 0/O, 1/I/L): 31 of them. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** Characters in a short code, printed as three groups of five. */
export const CODE_LENGTH = 15;
/** Randomness in one code: 15 x log2(31) = 74.3 bits. */
export const CODE_ENTROPY_BITS = CODE_LENGTH * Math.log2(CODE_ALPHABET.length);
/** How long a short code opens the page (a letter's term and its follow-ups fit well inside). */
export const CODE_TTL_MS = 90 * 24 * 3600_000;

/** A random short code (rejection sampling: every letter equally likely), e.g. "K7QM4RTX9PWDHN3". */
export function newShortCode(): string {
  let out = "";
  // 248 = 8 x 31: bytes from 248 up would favour the first letters, so they are drawn again.
  while (out.length < CODE_LENGTH) {
    for (const b of crypto.getRandomValues(new Uint8Array(32))) if (b < 248 && out.length < CODE_LENGTH) out += CODE_ALPHABET[b % 31];
  }
  return out;
}

/** A code as printed: "K7QM4-RTX9P-WDHN3". */
export const formatShortCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5, 10)}-${code.slice(10)}`;

/** The canonical code a person typed (dashes, spaces and case ignored), or null when it cannot be one. */
export function normalizeShortCode(typed: string): string | null {
  const clean = typed.replace(/[\s-]/g, "").toUpperCase();
  return clean.length === CODE_LENGTH && [...clean].every((ch) => CODE_ALPHABET.includes(ch)) ? clean : null;
}

/**
 * A short link (`${base}/l/ABCDE-FGHJK-MNPQR`) to the debtor the signed token names, for letters
 * and SMS. Only the code's SHA-256 is stored, with the debtor it opens and its expiry; the code
 * grants a short session for that debtor, never the token (see the module comment).
 */
export async function shortLink(d1: D1Database, baseUrl: string, tenantId: string, token: string, now: number): Promise<string> {
  const claims = ClaimsSchema.safeParse(readCompact(token)?.json);
  if (!claims.success || claims.data.tenantId !== tenantId) throw new Error("shortLink: the token does not name a debtor of this tenant");
  const code = newShortCode();
  await db(d1)
    .insert(linkCodes)
    .values({ codeHash: await sha256Hex(code), tenantId, debtorId: claims.data.debtorId, createdAt: now, expiresAt: now + CODE_TTL_MS })
    .run();
  return `${baseUrl.replace(/\/+$/, "")}/l/${formatShortCode(code)}`;
}

/** Who a typed short code opens the page for, and when it was issued; null when unknown or expired. */
export async function resolveShortCode(d1: D1Database, typed: string, now: number): Promise<{ tenantId: string; debtorId: string; issuedAt: number } | null> {
  const code = normalizeShortCode(typed);
  if (!code) return null;
  const row = await db(d1)
    .select({ tenantId: linkCodes.tenantId, debtorId: linkCodes.debtorId, issuedAt: linkCodes.createdAt, expiresAt: linkCodes.expiresAt })
    .from(linkCodes)
    .where(eq(linkCodes.codeHash, await sha256Hex(code)))
    .get();
  if (!row || row.expiresAt <= now) return null;
  return { tenantId: row.tenantId, debtorId: row.debtorId, issuedAt: row.issuedAt };
}

/** How long a page session lasts after a link or code was opened. */
export const SESSION_TTL_MS = 3600_000;
const SessionSchema = z.strictObject({ aud: z.literal("session"), tenantId: z.string().min(1).max(128), debtorId: z.string().min(1).max(128), iat: z.number().int().nonnegative(), exp: z.number().int().positive() });
/** A page session: the debtor, when their link was issued (for revocation), and its end (clock ms). */
export type DebtorSession = z.infer<typeof SessionSchema>;

// Sessions are signed with a key derived from the link secret: a session is never a link, nor the reverse.
const sessionKey = (secret: string) => hmacKey(`kindly-session-v1:${secret}`);

/** Signs a page session. */
export async function signSession(secret: string, s: Omit<DebtorSession, "aud">): Promise<string> {
  return signCompact(await sessionKey(secret), SessionSchema.parse({ aud: "session", ...s }));
}

/** The session a cookie carries, or null (no secret, malformed, tampered, expired). */
export async function verifySession(secret: string, token: string, now: number): Promise<DebtorSession | null> {
  const parts = secret ? readCompact(token) : null;
  if (!parts || !(await verifyCompact(await sessionKey(secret), parts))) return null;
  const s = SessionSchema.safeParse(parts.json);
  return s.success && s.data.exp > now ? s.data : null;
}
