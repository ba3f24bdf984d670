/** /v1/policy: the tenant's reminder policy (versioned JSON), its social-collection scorecard and the tenant's self-assessment. */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { ApiError } from "../errors";
import { parsePolicy, type TenantPolicy } from "../policy/policy-schema";
import { parseAccountProfile } from "../account-profile";
import { CRITERIA, LEVELS, type Level as ScoreLevel, type SelfAssessment, scorecard, THEMES } from "../policy/scorecard";
import { livePolicy } from "./live-policy";
import { policySimulate } from "./policy-simulate";
import { ProblemSchema } from "./schemas";

export const policy = createApp();
policy.use("*", requireApiKey);
policy.route("/simulate", policySimulate);

const PolicyEnvelope = z
  .object({
    version: z.number().int().openapi({ description: "0 while the tenant runs on Kindly's default policy." }),
    is_default: z.boolean(),
    updated_at: z.string().nullable(),
    policy: z.record(z.string(), z.unknown()).openapi({ description: "The policy document (see PUT)." }),
  })
  .openapi("PolicyEnvelope");

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

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
    const { policy: stored, createdAt } = await savePolicy(c.env.DB, c.get("tenant").id, c.req.valid("json"), Date.now());
    return c.json({ version: stored.version, is_default: false, updated_at: new Date(createdAt).toISOString(), policy: stored as unknown as Record<string, unknown> }, 200);
  },
);

/** Validates and stores a policy as the next version (the API's PUT and the dashboard's editor). */
export async function savePolicy(db: D1Database, tenantId: string, body: unknown, now: number): Promise<{ policy: TenantPolicy; createdAt: number }> {
  const parsed = parsePolicy(body);
  if (!parsed.ok) throw new ApiError("validation_failed", "The policy is not valid; see errors for every problem.", parsed.problems);
  const live = await livePolicy(db, tenantId);
  if (parsed.policy.version !== live.version + 1) {
    throw new ApiError("conflict", `The live policy is version ${live.version}; send version ${live.version + 1}.`, [{ field: "version", message: `Must be ${live.version + 1}.` }]);
  }
  const res = await db.prepare("INSERT OR IGNORE INTO policies (tenant_id, version, body, created_at) VALUES (?, ?, ?, ?)")
    .bind(tenantId, parsed.policy.version, JSON.stringify(parsed.policy), now)
    .run();
  if (res.meta.changes === 0) throw new ApiError("conflict", "Another change stored this version first; read the policy again.");
  return { policy: parsed.policy, createdAt: now };
}

const Level = z.enum(LEVELS);
const Hint = z.enum(["low", "medium", "high"]);
const SelfAssessmentView = z.object({ position: Level.nullable(), ambitions: z.record(z.string(), Level), note: z.string().nullable(), updated_at: z.string() });
const ScorecardSchema = z
  .object({
    version: z.number().int().openapi({ description: "The live policy version that was scored (0: Kindly's default)." }),
    overall: Level.openapi({ description: "Over the graded criteria (setting and built_in) only." }),
    graded_count: z.number().int(),
    self_assessed_count: z.number().int(),
    themes: z.array(
      z.object({
        theme: z.enum(THEMES),
        criteria: z.array(
          z.object({
            key: z.string(),
            title: z.string(),
            basis: z.enum(["setting", "built_in", "self_assessed"]).openapi({
              description: "setting: graded from the policy or account settings in `reads`; built_in: what Kindly's code does (named in `reads`); self_assessed: Kindly cannot observe it, your own statement.",
            }),
            influenced_by_kindly: z.boolean(),
            level: Level.nullable().openapi({ description: "laggard = hekkensluiter, on_the_way = goed op weg, frontrunner = koploper; null for a self-assessed criterion you have not placed." }),
            positions: z.object({ laggard: z.string(), on_the_way: z.string(), frontrunner: z.string() }),
            why: z.string(),
            to_improve: z.string().nullable(),
            reads: z.array(z.string()),
            action: z.object({ feasibility: Hint, social_impact: Hint }).openapi({ description: "For the action that moves this criterion up: how feasible, how much social impact (for an action plan)." }),
            self_assessment: SelfAssessmentView.nullable(),
          }),
        ),
      }),
    ),
  })
  .openapi("Scorecard");

type AssessmentRow = { criterion: string; position: ScoreLevel | null; ambitions: string; note: string | null; updated_at: number };

/** The live policy, the account details the scorecard reads, and the tenant's own statements, scored. */
export async function liveScorecard(db: D1Database, tenantId: string) {
  const live = await livePolicy(db, tenantId);
  const [tenantRes, assessedRes] = await db.batch<Record<string, unknown>>([
    db.prepare("SELECT contact_email, profile FROM tenants WHERE id = ?").bind(tenantId),
    db.prepare("SELECT criterion, position, ambitions, note, updated_at FROM score_self_assessments WHERE tenant_id = ?").bind(tenantId),
  ]);
  const tenant = tenantRes?.results[0] as { contact_email: string | null; profile: string } | undefined;
  const assessed: Record<string, SelfAssessment> = {};
  for (const r of (assessedRes?.results ?? []) as AssessmentRow[]) {
    const ambitions = z.record(z.string(), Level).safeParse(JSON.parse(r.ambitions));
    assessed[r.criterion] = { position: r.position, ambitions: ambitions.success ? ambitions.data : {}, note: r.note, updated_at: new Date(r.updated_at).toISOString() };
  }
  const card = scorecard({ policy: live.policy, profile: parseAccountProfile(tenant?.profile), contactEmail: tenant?.contact_email ?? null }, assessed);
  return { version: live.version, ...card };
}

policy.openapi(
  createRoute({
    method: "get",
    path: "/score",
    summary: "Score your policy and account against the social-collection meetlat",
    description:
      "Criteria in four themes (vision, policy, execution, preconditions), each with its three positions in words. Criteria graded from settings name the settings they read; " +
      "criteria Kindly cannot observe are self-assessed: state your position and ambitions with PUT /v1/policy/score/self-assessment.",
    responses: { 200: { content: { "application/json": { schema: ScorecardSchema } }, description: "The scorecard" }, 401: problem("Missing or invalid API key") },
  }),
  async (c) => c.json(await liveScorecard(c.env.DB, c.get("tenant").id), 200),
);

const Year = z.string().regex(/^20\d{2}$/, { message: "Use a year such as 2027." });
const AssessmentInput = z.strictObject({
  position: Level.nullable().optional().openapi({ description: "Your own position; only for self-assessed criteria (the others are graded by Kindly)." }),
  ambitions: z
    .record(Year, Level)
    .refine((a) => Object.keys(a).length <= 10, { message: "At most 10 years." })
    .optional()
    .openapi({ description: 'Where you want to stand, per year, e.g. {"2027": "on_the_way", "2028": "frontrunner"}.' }),
  note: z.string().max(1000).nullable().optional(),
});
export const SelfAssessmentBody = z
  .strictObject({ criteria: z.record(z.string(), AssessmentInput).refine((c) => Object.keys(c).length >= 1, { message: "Name at least one criterion." }) })
  .openapi("ScoreSelfAssessment");

policy.openapi(
  createRoute({
    method: "put",
    path: "/score/self-assessment",
    summary: "State your own position and ambitions per criterion",
    description:
      "For each criterion named, replaces what you said before: your position (self-assessed criteria only) and your ambition per year (any criterion). " +
      "Criteria not named stay as they are. Answers the updated scorecard.",
    request: { body: { content: { "application/json": { schema: SelfAssessmentBody } }, required: true } },
    responses: { 200: { content: { "application/json": { schema: ScorecardSchema } }, description: "Stored" }, 401: problem("Missing or invalid API key"), 422: problem("Invalid statement") },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    await saveSelfAssessment(c.env.DB, tenantId, c.req.valid("json"), Date.now());
    return c.json(await liveScorecard(c.env.DB, tenantId), 200);
  },
);

/** Stores the tenant's own positions and ambitions for the criteria named (all or none). */
export async function saveSelfAssessment(db: D1Database, tenantId: string, body: z.infer<typeof SelfAssessmentBody>, now: number): Promise<void> {
  const problems: { field: string; message: string }[] = [];
  for (const [key, input] of Object.entries(body.criteria)) {
    const def = CRITERIA.find((d) => d.key === key);
    if (!def) problems.push({ field: `criteria.${key}`, message: "No criterion with this key; see GET /v1/policy/score." });
    else if (def.basis !== "self_assessed" && input.position != null) {
      problems.push({ field: `criteria.${key}.position`, message: "Kindly grades this criterion from your settings; state only your ambitions." });
    }
  }
  if (problems.length > 0) throw new ApiError("validation_failed", "The self-assessment is not valid; see errors for every problem.", problems);
  // One batch: every criterion is stored, or none.
  await db.batch(
    Object.entries(body.criteria).map(([key, input]) =>
      db.prepare(
        `INSERT INTO score_self_assessments (tenant_id, criterion, position, ambitions, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, criterion) DO UPDATE SET position = excluded.position, ambitions = excluded.ambitions, note = excluded.note, updated_at = excluded.updated_at`,
      ).bind(tenantId, key, input.position ?? null, JSON.stringify(input.ambitions ?? {}), input.note ?? null, now),
    ),
  );
}
