/**
 * /v1/admin: the platform's own API, with its own credential (the `ADMIN_API_KEY` secret, sent as
 * `Authorization: Bearer <admin key>`): onboard an account (its live and test environments and
 * a first test key), issue keys (a live key is what lets a shop send for real), list accounts,
 * and offboard one. Without the secret every admin route refuses (fail closed).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { ACCOUNT_ID_PATTERN, closeAccount, ensureAccount, environmentsOf } from "../accounts";
import { createApp, type AppEnv } from "../app";
import { sha256Hex } from "../crypto";
import { ApiError, ConfigurationError } from "../errors";
import { ApiKeyWithSecretSchema, issueKey, NewKeyInput } from "./api-keys";
import { ProblemSchema } from "./schemas";

/** An admin key shorter than this is refused as a configuration error: it could be guessed. */
const MIN_ADMIN_KEY_LENGTH = 32;

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const ok = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Requires the platform admin key; a missing or short secret is a configuration error (503). */
const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.env.ADMIN_API_KEY;
  if (!secret || secret.length < MIN_ADMIN_KEY_LENGTH) throw new ConfigurationError("ADMIN_API_KEY", `the platform admin API is off until an admin key of at least ${MIN_ADMIN_KEY_LENGTH} characters is set.`);
  const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  // Compare digests in constant time, so the answer's timing says nothing about the key.
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(secret)]);
  const same = crypto.subtle.timingSafeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b));
  if (!given || !same) throw new ApiError("unauthorized", "Send the platform admin key as 'Authorization: Bearer <ADMIN_API_KEY>'.");
  const { success } = await c.env.API_RATE_LIMITER.limit({ key: "admin" });
  if (!success) {
    c.header("Retry-After", "10");
    throw new ApiError("rate_limited", "Too many admin requests; retry in 10 seconds.");
  }
  await next();
});

export const admin = createApp();
admin.use("*", requireAdmin);

const AccountInput = z
  .strictObject({
    id: z.string().regex(ACCOUNT_ID_PATTERN, { message: "2-40 lowercase letters, digits, '-' or '_', starting with a letter or digit." }).openapi({ example: "fietsen-de-spaak" }),
    display_name: z.string().min(1).max(100).openapi({ description: "The name debtors see as the sender.", example: "Fietsenwinkel De Spaak" }),
    contact_email: z.email().max(254).optional(),
    country: z.enum(["NL", "BE"]),
    address_lines: z.array(z.string().min(1).max(100)).max(4).optional(),
  })
  .openapi("AccountInput");

const AccountSchema = z
  .object({
    id: z.string(),
    display_name: z.string(),
    contact_email: z.string().nullable(),
    country: z.enum(["NL", "BE"]),
    created_at: z.string(),
    closed_at: z.string().nullable(),
    environments: z.array(z.object({ id: z.string(), mode: z.enum(["live", "test"]), active_keys: z.number().int() })),
  })
  .openapi("PlatformAccount");

type AccountRow = { id: string; display_name: string; contact_email: string | null; country: "NL" | "BE"; created_at: number; closed_at: number | null };

async function accountView(db: D1Database, row: AccountRow): Promise<z.infer<typeof AccountSchema>> {
  const [live, test] = environmentsOf(row.id);
  const { results } = await db
    .prepare("SELECT tenant_id, COUNT(*) AS n FROM api_keys WHERE tenant_id IN (?, ?) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) GROUP BY tenant_id")
    .bind(live, test, Date.now())
    .all<{ tenant_id: string; n: number }>();
  const active = (id: string) => results.find((r) => r.tenant_id === id)?.n ?? 0;
  return {
    id: row.id, display_name: row.display_name, contact_email: row.contact_email, country: row.country, created_at: iso(row.created_at) ?? "", closed_at: iso(row.closed_at),
    environments: [{ id: live, mode: "live", active_keys: active(live) }, { id: test, mode: "test", active_keys: active(test) }],
  };
}

const ACCOUNT_COLUMNS = "id, display_name, contact_email, country, created_at, closed_at";
async function loadAccount(db: D1Database, id: string): Promise<AccountRow> {
  const row = await db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM tenants WHERE id = ? AND mode = 'live'`).bind(id).first<AccountRow>();
  if (!row) throw new ApiError("not_found", `No account ${id}.`);
  return row;
}
const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
const adminErrors = { 401: problem("Missing or wrong admin key"), 404: problem("No such account"), 503: problem("ADMIN_API_KEY is not set") };
const security = [{ adminKey: [] }];

admin.openapi(
  createRoute({
    method: "post",
    path: "/tenants",
    summary: "Onboard an account",
    description: "Creates the account's live and test environments and a first test key (shown only now). Issue a live key when the shop may send for real.",
    security,
    tags: ["Platform admin"],
    request: { body: { content: { "application/json": { schema: AccountInput } }, required: true } },
    responses: { 201: ok(AccountSchema.extend({ test_key: ApiKeyWithSecretSchema }).openapi("PlatformAccountCreated"), "Created"), ...adminErrors, 409: problem("The account exists"), 422: problem("Invalid request") },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const now = Date.now();
    const created = await ensureAccount(c.env.DB, { id: input.id, name: input.id, displayName: input.display_name, contactEmail: input.contact_email ?? null, country: input.country, addressLines: input.address_lines }, now);
    if (!created) throw new ApiError("conflict", `Account ${input.id} exists already.`, [{ field: "id", message: "Taken." }]);
    const testKey = await issueKey(c.env.DB, input.id, { mode: "test", name: "first test key" }, now);
    return c.json({ ...(await accountView(c.env.DB, await loadAccount(c.env.DB, input.id))), test_key: testKey }, 201);
  },
);

admin.openapi(
  createRoute({ method: "get", path: "/tenants", summary: "List accounts", security, tags: ["Platform admin"], responses: { 200: ok(z.object({ data: z.array(AccountSchema) }), "Accounts, newest first"), 401: adminErrors[401], 503: adminErrors[503] } }),
  async (c) => {
    const { results } = await c.env.DB.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM tenants WHERE mode = 'live' ORDER BY created_at DESC, id LIMIT 500`).all<AccountRow>();
    return c.json({ data: await Promise.all(results.map((r) => accountView(c.env.DB, r))) }, 200);
  },
);

admin.openapi(
  createRoute({ method: "get", path: "/tenants/{id}", summary: "Get an account", security, tags: ["Platform admin"], request: { params: IdParam }, responses: { 200: ok(AccountSchema, "The account"), ...adminErrors } }),
  async (c) => c.json(await accountView(c.env.DB, await loadAccount(c.env.DB, c.req.valid("param").id)), 200),
);

admin.openapi(
  createRoute({
    method: "post",
    path: "/tenants/{id}/api-keys",
    summary: "Issue an API key for an account",
    description: "mode live lets the shop's reminders reach the real providers; the secret is shown only now.",
    security,
    tags: ["Platform admin"],
    request: { params: IdParam, body: { content: { "application/json": { schema: NewKeyInput.required({ mode: true }) } }, required: true } },
    responses: { 201: ok(ApiKeyWithSecretSchema, "Issued"), ...adminErrors, 409: problem("The account is closed"), 422: problem("Invalid request") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const account = await loadAccount(c.env.DB, id);
    if (account.closed_at !== null) throw new ApiError("invalid_state", "This account is closed.");
    const input = c.req.valid("json");
    return c.json(await issueKey(c.env.DB, id, { mode: input.mode, name: input.name, scopes: input.scopes }, Date.now()), 201);
  },
);

admin.openapi(
  createRoute({
    method: "delete",
    path: "/tenants/{id}",
    summary: "Offboard an account",
    description:
      "Every key stops at once, webhook endpoints are deleted and their secrets wiped, and the retention job then erases the personal data of every debtor of both environments (the amounts and dates of the shop's books stay, pseudonymised). Export what the shop needs first.",
    security,
    tags: ["Platform admin"],
    request: { params: IdParam },
    responses: { 200: ok(AccountSchema, "Closed"), ...adminErrors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    await loadAccount(c.env.DB, id);
    await closeAccount(c.env.DB, id, Date.now());
    return c.json(await accountView(c.env.DB, await loadAccount(c.env.DB, id)), 200);
  },
);
