/** /v1/policy: the tenant's reminder policy (versioned JSON) and its social-collection scorecard. */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { ApiError } from "../errors";
import { DEFAULT_POLICY } from "../policy/default-policy";
import { parsePolicy, TenantPolicySchema, type TenantPolicy } from "../policy/policy-schema";
import { scorePolicy } from "../policy/scorecard";
import { ProblemSchema } from "./schemas";

export const policy = createApp();
policy.use("*", requireApiKey);

const PolicyEnvelope = z
  .object({
    version: z.number().int().openapi({ description: "0 while the tenant runs on Kindly's default policy." }),
    is_default: z.boolean(),
    updated_at: z.string().nullable(),
    policy: z.record(z.string(), z.unknown()).openapi({ description: "The policy document (see PUT)." }),
  })
  .openapi("PolicyEnvelope");

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

/** The tenant's live policy, or the default. */
async function livePolicy(db: D1Database, tenantId: string): Promise<{ version: number; policy: TenantPolicy; createdAt: number | null }> {
  const row = await db.prepare("SELECT version, body, created_at FROM policies WHERE tenant_id = ? ORDER BY version DESC LIMIT 1").bind(tenantId).first<{ version: number; body: string; created_at: number }>();
  if (!row) return { version: 0, policy: DEFAULT_POLICY, createdAt: null };
  const parsed = TenantPolicySchema.safeParse(JSON.parse(row.body));
  return parsed.success ? { version: row.version, policy: parsed.data, createdAt: row.created_at } : { version: row.version, policy: DEFAULT_POLICY, createdAt: row.created_at };
}

policy.openapi(
  createRoute({ method: "get", path: "/", summary: "Read the live policy", responses: { 200: { content: { "application/json": { schema: PolicyEnvelope } }, description: "The live policy" }, 401: problem("Missing or invalid API key") } }),
  async (c) => {
    const live = await livePolicy(c.env.DB, c.get("tenant").id);
    return c.json({ version: live.version, is_default: live.version === 0, updated_at: live.createdAt ? new Date(live.createdAt).toISOString() : null, policy: live.policy as unknown as Record<string, unknown> }, 200);
  },
);

policy.openapi(
  createRoute({
    method: "put",
    path: "/",
    summary: "Replace the policy",
    description:
      "Validates the whole policy and stores it as a new version; every problem is named at its path. `version` in the body must be the live version + 1 (optimistic concurrency: a stale editor gets 409).",
    request: { body: { content: { "application/json": { schema: z.record(z.string(), z.unknown()).openapi({ description: "A TenantPolicy document; start from GET /v1/policy." }) } }, required: true } },
    responses: { 200: { content: { "application/json": { schema: PolicyEnvelope } }, description: "Stored" }, 401: problem("Missing or invalid API key"), 409: problem("Version conflict"), 422: problem("Invalid policy") },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const parsed = parsePolicy(c.req.valid("json"));
    if (!parsed.ok) throw new ApiError("validation_failed", "The policy is not valid; see errors for every problem.", parsed.problems);
    const live = await livePolicy(c.env.DB, tenantId);
    if (parsed.policy.version !== live.version + 1) {
      throw new ApiError("conflict", `The live policy is version ${live.version}; send version ${live.version + 1}.`, [{ field: "version", message: `Must be ${live.version + 1}.` }]);
    }
    const now = Date.now();
    const res = await c.env.DB.prepare("INSERT OR IGNORE INTO policies (tenant_id, version, body, created_at) VALUES (?, ?, ?, ?)")
      .bind(tenantId, parsed.policy.version, JSON.stringify(parsed.policy), now)
      .run();
    if (res.meta.changes === 0) throw new ApiError("conflict", "Another change stored this version first; read the policy again.");
    return c.json({ version: parsed.policy.version, is_default: false, updated_at: new Date(now).toISOString(), policy: parsed.policy as unknown as Record<string, unknown> }, 200);
  },
);

const Level = z.enum(["laggard", "on_the_way", "frontrunner"]);
const ScorecardSchema = z
  .object({
    version: z.number().int(),
    overall: Level,
    themes: z.array(
      z.object({
        theme: z.enum(["vision_and_policy", "execution", "communication", "conditions"]),
        criteria: z.array(z.object({ key: z.string(), title: z.string(), level: Level, influenced_by_kindly: z.boolean(), why: z.string(), to_improve: z.string().nullable() })),
      }),
    ),
  })
  .openapi("Scorecard");

policy.openapi(
  createRoute({
    method: "get",
    path: "/score",
    summary: "Score the live policy against social-collection criteria",
    description: "Four themes (vision and policy, execution, communication, conditions); each criterion at laggard, on the way or frontrunner, with the change that would move it up.",
    responses: { 200: { content: { "application/json": { schema: ScorecardSchema } }, description: "The scorecard" }, 401: problem("Missing or invalid API key") },
  }),
  async (c) => {
    const live = await livePolicy(c.env.DB, c.get("tenant").id);
    return c.json({ version: live.version, ...scorePolicy(live.policy) }, 200);
  },
);
