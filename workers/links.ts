/**
 * Signed, single-debtor links for the self-service page (`/d/:token`).
 *
 * A token is `base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, first part))`.
 * It names exactly one (tenant, debtor) and an expiry; whoever holds it may see that debtor's
 * open invoices and say "I already paid", pick a date, etc. So it is a bearer secret: it lives
 * only in the reminder, the page sends no Referer, and anything unverifiable fails closed.
 */
import { z } from "zod";

/** What a debtor link proves: who it is for and until when (epoch ms). */
export interface DebtorLinkClaims {
  tenantId: string;
  debtorId: string;
  exp: number;
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

// Longest token accepted; real ones are ~150 characters. Bounds the work an attacker can cause.
const MAX_TOKEN_LENGTH = 1024;
const B64URL = /^[A-Za-z0-9_-]+$/;

// Tenant ids never contain "/" (the Durable Object name is `${tenant}/${debtor}`).
const ClaimsSchema = z.strictObject({
  tenantId: z.string().min(1).max(128).regex(/^[^/]+$/),
  debtorId: z.string().min(1).max(128),
  exp: z.number().int().positive(),
});

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Strict decode: only canonical base64url, so no two token strings carry the same bytes. */
function fromBase64Url(text: string): Uint8Array | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null;
  let bin: string;
  try {
    bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  return toBase64Url(bytes) === text ? bytes : null;
}

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** Signs a link token for one debtor of one tenant. Throws without a secret (never signs with ""). */
export async function signDebtorLink(secret: string, claims: DebtorLinkClaims): Promise<string> {
  if (!secret) throw new Error("signDebtorLink: no link signing secret");
  const checked = ClaimsSchema.parse({ tenantId: claims.tenantId, debtorId: claims.debtorId, exp: claims.exp });
  const body = toBase64Url(encoder.encode(JSON.stringify(checked)));
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(signature))}`;
}

/**
 * The claims of a valid, unexpired token, or null for anything else: no secret, malformed,
 * tampered, signed with another secret, or `exp <= now`. The MAC is checked by
 * crypto.subtle.verify (constant time) before the claims are even parsed.
 */
export async function verifyDebtorLink(secret: string, token: string, now: number): Promise<DebtorLinkClaims | null> {
  if (!secret || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [body, sig] = parts as [string, string];
  const signature = fromBase64Url(sig);
  const bodyBytes = fromBase64Url(body);
  if (!signature || !bodyBytes) return null;
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, encoder.encode(body));
  if (!valid) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bodyBytes));
  } catch {
    return null;
  }
  const claims = ClaimsSchema.safeParse(json);
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
