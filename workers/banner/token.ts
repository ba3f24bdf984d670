/**
 * Short-lived banner tokens: what a merchant's app holds to read one customer's open-invoice
 * banner. The app never sees the merchant's API key; the token names exactly one (tenant,
 * debtor), the audience "banner", and lives 15 minutes by default (24 hours at most).
 *
 * Format (mirrors workers/links.ts, so a merchant backend can mint tokens itself):
 *
 *   token  = base64url(claims JSON) + "." + base64url(HMAC-SHA256(tenantKey, first part))
 *   claims = {"aud":"banner","tenantId":"<tenant>","debtorId":"<your debtor id>","iat":<ms>,"exp":<ms>}
 *   tenantKey = HMAC-SHA256(BANNER_SIGNING_SECRET, "kindly-banner-v1:" + tenantId)   (32 raw bytes)
 *
 * base64url is unpadded (RFC 4648 §5); iat and exp are epoch milliseconds of real (wall-clock)
 * time. Each tenant gets its own derived key, so a key handed to one merchant can mint tokens
 * for that merchant's debtors only; a token claiming another tenant fails its MAC.
 *
 * Verification fails closed: no secret, malformed, tampered, another audience, issued in the
 * future, expired, or a lifetime over 24 hours (also for self-minted tokens) all answer null.
 * Lifetimes are wall-clock on purpose: a bearer credential's exposure is real time, and the
 * movable development clock (workers/clock.ts) must not keep a stolen token alive.
 */
import { z } from "zod";
import { hmacKey, readCompact, signCompact, toBase64Url, verifyCompact } from "../compact-token";

export const BANNER_AUDIENCE = "banner";
/** Default token lifetime: long enough for one app session, short enough to be harmless if leaked. */
export const DEFAULT_TTL_SECONDS = 15 * 60;
/** Longest lifetime Kindly mints or accepts. */
export const MAX_TTL_SECONDS = 24 * 3600;
/** Shortest lifetime Kindly mints. */
export const MIN_TTL_SECONDS = 60;
/** Clock skew tolerated between a self-minting merchant backend and Kindly. */
const SKEW_MS = 60_000;
// Real tokens are ~200 characters; the bound caps the work a forged header can cause.
const KEY_CONTEXT = "kindly-banner-v1:";

// Only for `KINDLY_ENV=development` (npm start, tests). Never used in production, where a missing
// secret means tokens can be neither minted nor verified. Distinct from the link secret.
const DEVELOPMENT_SECRET = "kindly-development-banner-secret-do-not-use-in-production";

/** What a banner token proves: for whom (tenant, debtor), for what (banner) and when (epoch ms). */
export interface BannerTokenClaims {
  aud: typeof BANNER_AUDIENCE;
  tenantId: string;
  debtorId: string;
  iat: number;
  exp: number;
}

// Tenant ids never contain "/" or ":" (DO names and KV keys rely on it); debtor ids are the
// merchant's ExternalId (workers/api/schemas.ts).
const ClaimsSchema = z.strictObject({
  aud: z.literal(BANNER_AUDIENCE),
  tenantId: z.string().min(1).max(128).regex(/^[^/:]+$/),
  debtorId: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/),
  iat: z.number().int().positive(),
  exp: z.number().int().positive(),
});

const encoder = new TextEncoder();

async function tenantKeyBytes(secret: string, tenantId: string): Promise<Uint8Array> {
  const master = await hmacKey(secret);
  return new Uint8Array(await crypto.subtle.sign("HMAC", master, encoder.encode(KEY_CONTEXT + tenantId)));
}

/**
 * The tenant's own banner signing key (base64url of 32 bytes), derived from the deployment secret.
 * This, never BANNER_SIGNING_SECRET itself, is what a merchant backend would need to mint tokens.
 */
export async function tenantBannerKey(secret: string, tenantId: string): Promise<string> {
  if (!secret) throw new Error("tenantBannerKey: no banner signing secret");
  return toBase64Url(await tenantKeyBytes(secret, tenantId));
}

/**
 * The deployment secret for banner tokens: `BANNER_SIGNING_SECRET`, or a fixed development secret
 * only when `KINDLY_ENV` is "development". Null means banner tokens are off (fail closed).
 */
export function bannerSigningSecret(env: { KINDLY_ENV: string; BANNER_SIGNING_SECRET?: string }): string | null {
  if (env.BANNER_SIGNING_SECRET) return env.BANNER_SIGNING_SECRET;
  return env.KINDLY_ENV === "development" ? DEVELOPMENT_SECRET : null;
}

/** Signs a banner token for one debtor of one tenant. Throws without a secret or on invalid claims. */
export async function signBannerToken(secret: string, claims: Omit<BannerTokenClaims, "aud">): Promise<string> {
  if (!secret) throw new Error("signBannerToken: no banner signing secret");
  const checked = ClaimsSchema.parse({ aud: BANNER_AUDIENCE, tenantId: claims.tenantId, debtorId: claims.debtorId, iat: claims.iat, exp: claims.exp });
  return signCompact(await hmacKey(await tenantKeyBytes(secret, checked.tenantId)), checked);
}

/**
 * The claims of a valid token at `now` (epoch ms), or null. The tenant id is read from the
 * (bounded, not yet trusted) body only to derive that tenant's key; nothing else in the claims is
 * used before crypto.subtle.verify (constant time) has accepted the MAC.
 */
export async function verifyBannerToken(secret: string, token: string, now: number): Promise<BannerTokenClaims | null> {
  const parts = secret ? readCompact(token) : null;
  if (!parts) return null;
  const json = parts.json;
  const tenantId = typeof json === "object" && json !== null ? (json as Record<string, unknown>).tenantId : undefined;
  if (typeof tenantId !== "string" || tenantId.length === 0 || tenantId.length > 128) return null;
  if (!(await verifyCompact(await hmacKey(await tenantKeyBytes(secret, tenantId)), parts))) return null;
  const parsed = ClaimsSchema.safeParse(json);
  if (!parsed.success) return null;
  const c = parsed.data;
  const lifetimeOk = c.exp > c.iat && c.exp - c.iat <= MAX_TTL_SECONDS * 1000;
  const timeOk = c.iat <= now + SKEW_MS && c.exp > now && c.exp <= now + MAX_TTL_SECONDS * 1000 + SKEW_MS;
  return lifetimeOk && timeOk ? c : null;
}
