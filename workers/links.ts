/**
 * Signed, single-debtor links for the self-service page (`/d/:token`).
 *
 * A token is `base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, first part))`.
 * It names exactly one (tenant, debtor) and an expiry; whoever holds it may see that debtor's
 * open invoices and say "I already paid", pick a date, etc. So it is a bearer secret: it lives
 * only in the reminder, the page sends no Referer, and anything unverifiable fails closed.
 */
import { z } from "zod";
import { hmacKey, readCompact, signCompact, verifyCompact } from "./compact-token";

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


// Tenant ids never contain "/" (the Durable Object name is `${tenant}/${debtor}`).
const ClaimsSchema = z.strictObject({
  tenantId: z.string().min(1).max(128).regex(/^[^/]+$/),
  debtorId: z.string().min(1).max(128),
  exp: z.number().int().positive(),
});

/** Signs a link token for one debtor of one tenant. Throws without a secret (never signs with ""). */
export async function signDebtorLink(secret: string, claims: DebtorLinkClaims): Promise<string> {
  if (!secret) throw new Error("signDebtorLink: no link signing secret");
  const checked = ClaimsSchema.parse({ tenantId: claims.tenantId, debtorId: claims.debtorId, exp: claims.exp });
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

/** Letters that cannot be confused on paper or read aloud (no 0/O, 1/I/L). */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/**
 * A short link (`${base}/l/ABCD-EFGH`) to the same signed page, for letters and SMS. 40 bits of
 * randomness: guessing one is impractical, and a guessed code only opens a page that the signed
 * token behind it would open anyway (no amounts beyond what that debtor's reminder shows).
 */
export async function shortLink(db: D1Database, baseUrl: string, tenantId: string, token: string, now: number): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const code = Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
  await db.prepare("INSERT INTO short_links (code, tenant_id, token, created_at) VALUES (?, ?, ?, ?)").bind(code, tenantId, token, now).run();
  return `${baseUrl.replace(/\/+$/, "")}/l/${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The signed token behind a short code (dashes and case ignored), or null. */
export async function resolveShortLink(db: D1Database, code: string): Promise<string | null> {
  const clean = code.replace(/-/g, "").toUpperCase();
  if (!/^[2-9A-Z]{8}$/.test(clean)) return null;
  const row = await db.prepare("SELECT token FROM short_links WHERE code = ?").bind(clean).first<{ token: string }>();
  return row?.token ?? null;
}
