/**
 * API-key authentication. Keys are shown once and stored only as SHA-256 hashes; a key belongs
 * to exactly one tenant, and the tenant it resolves to scopes every query that follows.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv, Tenant } from "./app";
import { randomToken, sha256Hex } from "./crypto";
import { ApiError } from "./errors";

const KEY_PATTERN = /^kind_(live|test)_[A-Za-z0-9]{32}$/;

/** Makes a new secret API key (shown once to the merchant). */
export function newApiKey(mode: "live" | "test" = "test"): string {
  return `kind_${mode}_${randomToken(32)}`;
}

/** Requires `Authorization: Bearer <key>` and puts the key's tenant on the context. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!key || !KEY_PATTERN.test(key)) throw new ApiError("unauthorized", "Send your API key as 'Authorization: Bearer kind_...'.");
  const hash = await sha256Hex(key);
  const tenant = await c.env.DB.prepare(
    "SELECT t.id, t.name FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.hash = ? AND k.revoked_at IS NULL",
  )
    .bind(hash)
    .first<Tenant>();
  if (!tenant) throw new ApiError("unauthorized", "The API key is not valid or has been revoked.");
  // Per key, so one runaway client cannot spend a merchant's budget or starve its other keys.
  const { success } = await c.env.API_RATE_LIMITER.limit({ key: hash });
  // The benchmark drives one key far past a merchant's limit: it pays for the check, not the verdict.
  if (!success && c.env.KINDLY_BENCH !== "on") {
    c.header("Retry-After", "10");
    throw new ApiError("rate_limited", "Too many requests for this API key; retry in 10 seconds.");
  }
  c.set("tenant", tenant);
  await next();
});

/** Creates a tenant (if new) and stores the hash of `apiKey` for it. */
export async function provisionTenant(
  db: D1Database,
  t: { id: string; name: string; displayName: string; contactEmail?: string; country: "NL" | "BE" },
  apiKey: string,
  now: number,
): Promise<void> {
  const hash = await sha256Hex(apiKey);
  await db.batch([
    db
      .prepare("INSERT OR IGNORE INTO tenants (id, name, display_name, contact_email, country, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(t.id, t.name, t.displayName, t.contactEmail ?? null, t.country, now),
    db
      .prepare("INSERT OR IGNORE INTO api_keys (id, tenant_id, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(`key_${randomToken(16)}`, t.id, apiKey.slice(0, 14), hash, now),
  ]);
}
