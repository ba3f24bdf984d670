/**
 * /v1/api-keys: an account manages its own keys: create, list, roll and revoke. A revoked key
 * stops at once; a rolled key keeps working until its grace period ends (so a deploy can switch
 * over), then stops. Keys are shown once. A test key manages test keys only; managing keys needs
 * full access (no scopes).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { type KeyMode, newApiKey, requireApiKey, storeApiKey } from "../auth";
import { environmentsOf } from "../accounts";
import { ApiError } from "../errors";
import { SCOPES, parseScopes } from "../scopes";
import { ProblemSchema } from "./schemas";

/** Longest grace period of a rolled key. */
const MAX_GRACE_SECONDS = 7 * 24 * 3600;
const DEFAULT_GRACE_SECONDS = 24 * 3600;
const MAX_KEYS = 50;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const ok = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_3kTz8FqS0v1Jx2Lm" }),
    name: z.string().nullable(),
    mode: z.enum(["live", "test"]),
    prefix: z.string().openapi({ description: "The key's first characters, to recognise it.", example: "kind_live_3kTz" }),
    scopes: z.array(z.enum(SCOPES)).nullable().openapi({ description: "null: full access." }),
    status: z.enum(["active", "expiring", "expired", "revoked"]).openapi({ description: "expiring: rolled, still working until expires_at." }),
    created_at: z.string(),
    last_used_at: z.string().nullable().openapi({ description: "The last request made with the key, to the minute." }),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi("ApiKey");

export const ApiKeyWithSecretSchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret key. Shown only now; Kindly keeps only its hash.", example: "kind_test_3kTz8FqS0v1Jx2Lm4Np6Qr8TuVwXyZa1" }),
}).openapi("ApiKeyWithSecret");

export const NewKeyInput = z
  .strictObject({
    mode: z.enum(["live", "test"]).optional().openapi({ description: "Defaults to the mode of the key making the request." }),
    name: z.string().min(1).max(100).optional(),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length).optional().openapi({ description: "Leave out for full access." }),
  })
  .openapi("ApiKeyInput");

export interface KeyRow {
  id: string;
  name: string | null;
  mode: KeyMode;
  prefix: string;
  scopes: string | null;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}
export const KEY_COLUMNS = "id, name, mode, prefix, scopes, created_at, last_used_at, expires_at, revoked_at";

/** The public view of a stored key. */
export function keyView(r: KeyRow, now: number): z.infer<typeof ApiKeySchema> {
  const status = r.revoked_at !== null ? "revoked" : r.expires_at === null ? "active" : r.expires_at > now ? "expiring" : "expired";
  return {
    id: r.id, name: r.name, mode: r.mode, prefix: r.prefix, scopes: parseScopes(r.scopes), status,
    created_at: iso(r.created_at) ?? "", last_used_at: iso(r.last_used_at), expires_at: iso(r.expires_at), revoked_at: iso(r.revoked_at),
  };
}

/** Issues a new key for an account and answers its view with the secret. */
export async function issueKey(db: D1Database, accountId: string, input: { mode: KeyMode; name?: string | null; scopes?: z.infer<typeof NewKeyInput>["scopes"] }, now: number) {
  const secret = newApiKey(input.mode);
  const stored = await storeApiKey(db, accountId, secret, now, { name: input.name ?? null, scopes: input.scopes ?? null });
  const row: KeyRow = { id: stored.id, name: stored.name, mode: stored.mode, prefix: stored.prefix, scopes: stored.scopes ? JSON.stringify(stored.scopes) : null, created_at: now, last_used_at: null, expires_at: null, revoked_at: null };
  return { ...keyView(row, now), key: secret };
}

export const apiKeys = createApp();
apiKeys.use("*", requireApiKey);

const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
const errors = { 401: problem("Missing or invalid API key"), 403: problem("The key may not manage keys, or not keys of this mode"), 404: problem("No such key in your account") };

/** The environments whose keys the calling key may see and change: a test key only the test one. */
function manageable(tenant: { accountId: string; mode: KeyMode }): string[] {
  const [live, test] = environmentsOf(tenant.accountId);
  return tenant.mode === "live" ? [live, test] : [test];
}

async function loadKey(db: D1Database, envs: string[], id: string): Promise<KeyRow & { tenant_id: string }> {
  const row = await db
    .prepare(`SELECT ${KEY_COLUMNS}, tenant_id FROM api_keys WHERE id = ? AND tenant_id IN (SELECT value FROM json_each(?))`)
    .bind(id, JSON.stringify(envs))
    .first<KeyRow & { tenant_id: string }>();
  if (!row) throw new ApiError("not_found", `No API key ${id} in your account.`);
  return row;
}

apiKeys.openapi(
  createRoute({ method: "get", path: "/", summary: "List API keys", description: "Every key of your account (a test key sees test keys only), newest first. Secrets are never shown again.", responses: { 200: ok(z.object({ data: z.array(ApiKeySchema) }), "Keys"), 401: errors[401], 403: errors[403] } }),
  async (c) => {
    const { results } = await c.env.DB.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE tenant_id IN (SELECT value FROM json_each(?)) ORDER BY created_at DESC, id`)
      .bind(JSON.stringify(manageable(c.get("tenant"))))
      .all<KeyRow>();
    const now = Date.now();
    return c.json({ data: results.map((r) => keyView(r, now)) }, 200);
  },
);

apiKeys.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Create an API key",
    description: "A new key, shown only in this answer. Scopes narrow what it may do; leave them out for full access. A test key can create test keys only.",
    request: { body: { content: { "application/json": { schema: NewKeyInput } }, required: true } },
    responses: { 201: ok(ApiKeyWithSecretSchema, "Created"), 401: errors[401], 403: errors[403], 409: problem("Too many keys"), 422: problem("Invalid request") },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const input = c.req.valid("json");
    const mode = input.mode ?? tenant.mode;
    if (mode === "live" && tenant.mode === "test") throw new ApiError("forbidden", "A test key cannot create live keys.");
    const count = await c.env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE tenant_id IN (SELECT value FROM json_each(?)) AND revoked_at IS NULL")
      .bind(JSON.stringify(environmentsOf(tenant.accountId)))
      .first<{ n: number }>();
    if ((count?.n ?? 0) >= MAX_KEYS) throw new ApiError("invalid_state", `An account can have at most ${MAX_KEYS} keys; revoke one first.`);
    return c.json(await issueKey(c.env.DB, tenant.accountId, { mode, name: input.name, scopes: input.scopes }, Date.now()), 201);
  },
);

apiKeys.openapi(
  createRoute({
    method: "post",
    path: "/{id}/roll",
    summary: "Roll an API key",
    description: `A new key with the same mode, name and scopes. The old one keeps working for grace_seconds (default ${DEFAULT_GRACE_SECONDS}, at most ${MAX_GRACE_SECONDS}; 0 stops it at once), so you can deploy the new one first.`,
    request: {
      params: IdParam,
      body: { content: { "application/json": { schema: z.strictObject({ grace_seconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).optional() }).openapi("ApiKeyRoll") } }, required: false },
    },
    responses: { 201: ok(ApiKeyWithSecretSchema.extend({ rolled: ApiKeySchema }).openapi("ApiKeyRolled"), "The new key, and the old one with its end"), ...errors, 409: problem("The key is revoked or expired"), 422: problem("Invalid request") },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const { id } = c.req.valid("param");
    const grace = (c.req.valid("json") ?? {}).grace_seconds ?? DEFAULT_GRACE_SECONDS;
    const old = await loadKey(c.env.DB, manageable(tenant), id);
    const now = Date.now();
    if (old.revoked_at !== null || (old.expires_at !== null && old.expires_at <= now)) throw new ApiError("invalid_state", "This key no longer works; create a new one instead.");
    const ends = Math.min(now + grace * 1000, old.expires_at ?? Number.MAX_SAFE_INTEGER);
    const fresh = await issueKey(c.env.DB, tenant.accountId, { mode: old.mode, name: old.name, scopes: parseScopes(old.scopes) ?? undefined }, now);
    await c.env.DB.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?").bind(ends, id).run();
    return c.json({ ...fresh, rolled: keyView({ ...old, expires_at: ends }, now) }, 201);
  },
);

apiKeys.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    summary: "Revoke an API key",
    description: "The key stops working at once, everywhere. Revoking is final.",
    request: { params: IdParam },
    responses: { 200: ok(ApiKeySchema, "Revoked"), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const row = await loadKey(c.env.DB, manageable(c.get("tenant")), id);
    const now = Date.now();
    if (row.revoked_at === null) await c.env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").bind(now, id).run();
    return c.json(keyView({ ...row, revoked_at: row.revoked_at ?? now }, now), 200);
  },
);
