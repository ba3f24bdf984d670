/**
 * API-key authentication. Keys are shown once and stored only as SHA-256 hashes; a key belongs
 * to exactly one environment of one account (live, or its test twin: workers/accounts.ts), and
 * that environment's id scopes every query that follows. A key may carry scopes
 * (workers/scopes.ts), may be revoked (stops at once) or rolled (stops when its grace period ends).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Tenant } from "./app";
import { randomToken, sha256Hex } from "./crypto";
import { ApiError } from "./errors";
import { parseScopes, permissionFor, scopesAllow, type Scope } from "./scopes";
import { ensureAccount, testEnvironmentId } from "./accounts";

/** Every Kindly API key: `kind_live_` or `kind_test_`, then 32 letters and digits. */
export const KEY_PATTERN = /^kind_(live|test)_[A-Za-z0-9]{32}$/;
/** Last use is written at most this often per key, so a busy key costs no D1 write per request. */
export const LAST_USED_GRANULARITY_MS = 60_000;

export type KeyMode = "live" | "test";

/** Makes a new secret API key (shown once to the merchant). */
export function newApiKey(mode: KeyMode = "test"): string {
  return `kind_${mode}_${randomToken(32)}`;
}

/** The first characters of a key, stored so a merchant can recognise it in a list. */
export const keyPrefix = (key: string) => key.slice(0, 14);

interface KeyRow {
  key_id: string;
  key_mode: KeyMode;
  scopes: string | null;
  expires_at: number | null;
  last_used_at: number | null;
  tenant_id: string;
  name: string;
  tenant_mode: KeyMode;
  account_id: string | null;
  closed_at: number | null;
}

/** The key in `Authorization: Bearer <key>`: 401 when absent, "not a Kindly API key" when malformed. */
function bearerKey(c: Context): string {
  const header = c.req.header("authorization");
  if (!header) throw new ApiError("unauthorized", "Send your API key as 'Authorization: Bearer kind_live_...' (or kind_test_...).");
  const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!key || !KEY_PATTERN.test(key)) {
    throw new ApiError("unauthorized", "This is not a Kindly API key. Keys look like kind_live_ or kind_test_ followed by 32 letters and digits.");
  }
  return key;
}

/** Records the key's use, at most once a minute, after the answer (never delays the request). */
function touch(c: Context<AppEnv>, row: KeyRow, now: number): void {
  if (row.last_used_at !== null && now - row.last_used_at < LAST_USED_GRANULARITY_MS) return;
  const write = c.env.DB.prepare("UPDATE api_keys SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)")
    .bind(now, row.key_id, now - LAST_USED_GRANULARITY_MS)
    .run()
    .catch((err: unknown) => console.error("api key last use not recorded", err));
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (a unit test calling app.request): the write still runs.
  }
}

/**
 * Requires a valid, unexpired, unrevoked API key whose scopes allow this route, and puts the
 * key's environment on the context as the tenant.
 */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  // Two sub-apps mounted on one prefix both run this: the first one decides.
  if (c.get("tenant")) return next();
  const key = bearerKey(c);
  const hash = await sha256Hex(key);
  const row = await c.env.DB.prepare(
    `SELECT k.id AS key_id, k.mode AS key_mode, k.scopes, k.expires_at, k.last_used_at, t.id AS tenant_id, t.name, t.mode AS tenant_mode, t.account_id, t.closed_at
     FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.hash = ? AND k.revoked_at IS NULL`,
  )
    .bind(hash)
    .first<KeyRow>();
  const now = Date.now();
  // A key whose mode differs from its environment's is refused: a test key never acts on live data.
  if (!row || (row.expires_at !== null && row.expires_at <= now) || row.closed_at !== null || row.key_mode !== row.tenant_mode) {
    throw new ApiError("unauthorized", "The API key is not valid: it was revoked, it expired after a roll, or the account is closed.");
  }
  // Per key, so one runaway client cannot spend a merchant's budget or starve its other keys.
  const { success } = await c.env.API_RATE_LIMITER.limit({ key: hash });
  // The benchmark drives one key far past a merchant's limit: it pays for the check, not the verdict.
  if (!success && c.env.KINDLY_BENCH !== "on") {
    c.header("Retry-After", "10");
    throw new ApiError("rate_limited", "Too many requests for this API key; retry in 10 seconds.");
  }
  const scopes = parseScopes(row.scopes);
  const needed = permissionFor(c.req.method, c.req.path);
  if (!scopesAllow(scopes, needed)) {
    throw new ApiError("forbidden", `This API key has the scopes ${scopes?.join(", ")}; ${c.req.method} ${c.req.path} needs ${needed === "full" ? "a key with full access" : `the ${needed} scope`}.`);
  }
  const tenant: Tenant = { id: row.tenant_id, name: row.name, mode: row.tenant_mode, accountId: row.account_id ?? row.tenant_id, keyId: row.key_id, scopes };
  c.set("tenant", tenant);
  touch(c, row, now);
  await next();
});

/** What a stored key says about itself (never the key). */
export interface StoredKey {
  id: string;
  environmentId: string;
  mode: KeyMode;
  prefix: string;
  name: string | null;
  scopes: Scope[] | null;
}

/** Stores the hash of `apiKey` for the environment of its mode, with optional name and scopes. */
export async function storeApiKey(db: D1Database, accountId: string, apiKey: string, now: number, opts: { name?: string | null; scopes?: Scope[] | null } = {}): Promise<StoredKey> {
  const mode: KeyMode = apiKey.startsWith("kind_live_") ? "live" : "test";
  const environmentId = mode === "live" ? accountId : testEnvironmentId(accountId);
  const id = `key_${randomToken(16)}`;
  const scopes = opts.scopes && opts.scopes.length > 0 ? opts.scopes : null;
  await db
    .prepare("INSERT INTO api_keys (id, tenant_id, prefix, hash, created_at, mode, name, scopes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(id, environmentId, keyPrefix(apiKey), await sha256Hex(apiKey), now, mode, opts.name ?? null, scopes ? JSON.stringify(scopes) : null)
    .run();
  return { id, environmentId, mode, prefix: keyPrefix(apiKey), name: opts.name ?? null, scopes };
}

/**
 * Creates an account (if new: its live and test environments) and stores the hash of `apiKey`
 * for it (if new). Returns the id of the key's environment: `id` for a live key, `id.test` for a
 * test key. Used by `/dev/seed` and the tests; the platform uses the admin API.
 */
export async function provisionTenant(
  db: D1Database,
  t: { id: string; name: string; displayName: string; contactEmail?: string; country: "NL" | "BE" },
  apiKey: string,
  now: number,
): Promise<string> {
  await ensureAccount(db, { id: t.id, name: t.name, displayName: t.displayName, contactEmail: t.contactEmail ?? null, country: t.country }, now);
  const known = await db.prepare("SELECT tenant_id FROM api_keys WHERE hash = ?").bind(await sha256Hex(apiKey)).first<{ tenant_id: string }>();
  if (known) return known.tenant_id;
  return (await storeApiKey(db, t.id, apiKey, now)).environmentId;
}
