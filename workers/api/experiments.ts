/**
 * /v1/experiments: A/B/n tests of one template's copy on one channel. Create one (every check
 * named at its field, the sample estimated from your own history), read its results any day
 * (looking is always safe), export them as CSV, stop it, or promote a variant to your published copy.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createApp, type AppEnv } from "../app";
import { requireApiKey } from "../auth";
import { loadClock } from "../clock";
import { ApiError } from "../errors";
import { buildExperiment, isRefusal } from "../experiments/create";
import type { Experiment } from "../experiments/model";
import { countsAsOf, emitTenantEvent, getExperiment, insertExperiment, listExperiments, loadDaily, updateExperiment } from "../experiments/store";
import { dailyCsv, experimentView, variantsCsv } from "../experiments/view";
import { watchExperiment } from "../experiments/watch";
import type { CopyKey, CopyLocale } from "../templates/copy";
import { publishVersion, unpublish } from "../templates/versions";
import { CsvQuery, ExperimentListSchema, ExperimentParams, ExperimentSchema, HistorySchema, NewExperimentSchema, PromoteBody, StopBody } from "./experiment-schemas";
import { livePolicy } from "./live-policy";
import { ProblemSchema } from "./schemas";
import { copyContext } from "./templates";

export const experiments = createApp();
experiments.use("*", requireApiKey);

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const ok = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const notFound = problem("No such experiment in your account");
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The experiment after a look now (a running one is looked at first, so its verdicts and stops are current). */
async function looked(c: Context<AppEnv>, id: string): Promise<{ e: Experiment; now: number }> {
  const tenantId = c.get("tenant").id;
  const now = (await loadClock(c.env)).now();
  const e = await watchExperiment(c.env, tenantId, id, now);
  if (!e) throw new ApiError("not_found", `No experiment ${id} in your account.`);
  return { e, now };
}

async function view(c: Context<AppEnv>, e: Experiment, now: number) {
  return experimentView(e, await countsAsOf(c.env.DB, e, now), now);
}

experiments.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Start an experiment",
    description:
      "2-5 variants of one template's copy on one channel, one of them the control (the copy published now). Each other variant names a saved version per locale that passes the lint; a help-first experiment's variants may only add help and take pressure away. " +
      "Debtors are assigned at their first message of this template on this channel, and keep their variant. Protected debtors (vulnerable, hardship, debt counselling) take part only in a help-first experiment. " +
      "The answer carries the sample estimate from your own volume and base rate.",
    request: { body: json(NewExperimentSchema) },
    responses: { 201: ok(ExperimentSchema, "Started"), 401: problem("Missing or invalid API key"), 409: problem("Another experiment runs on this template, channel and locale"), 422: problem("Not valid; errors names every problem") },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const tenant = c.get("tenant");
    const [ctx, policy, clock] = await Promise.all([copyContext(c), livePolicy(c.env.DB, tenant.id), loadClock(c.env)]);
    const built = await buildExperiment(c.env.DB, input, { tenantId: tenant.id, actor: `api_key:${tenant.keyId}`, ...ctx, segments: policy.policy.segments.map((s) => s.key), now: clock.now() });
    if (isRefusal(built)) throw new ApiError(built.code, built.message, built.errors);
    await insertExperiment(c.env.DB, built);
    return c.json(await view(c, built, clock.now()), 201);
  },
);

experiments.openapi(
  createRoute({ method: "get", path: "/", summary: "List experiments", responses: { 200: ok(ExperimentListSchema, "Newest first"), 401: problem("Missing or invalid API key") } }),
  async (c) => {
    const list = await listExperiments(c.env.DB, c.get("tenant").id);
    return c.json({
      data: list.map((e) => ({ id: e.id, name: e.name, template: e.template, channel: e.channel, locales: e.locales, status: e.status, variants: e.variants.map((v) => v.key), created_at: iso(e.createdAt) ?? "", ended_at: iso(e.endedAt) })),
    }, 200);
  },
);

experiments.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    summary: "Read an experiment's results",
    description:
      "Per variant: debtors exposed, measured (window closed) and waiting, the primary rate with its 95% interval, probability to be best, expected loss, the always-valid verdict against the control, " +
      "secondary metrics (days to pay, already-paid share, clicks; opens shown but never decisive; help requests reported, never counted against a variant) and guardrail rates; the status and a plain-language recommendation. Safe to read every day.",
    request: { params: ExperimentParams },
    responses: { 200: ok(ExperimentSchema, "The results"), 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const { e, now } = await looked(c, c.req.valid("param").id);
    return c.json(await view(c, e, now), 200);
  },
);

experiments.openapi(
  createRoute({
    method: "get",
    path: "/{id}/history",
    summary: "The daily results history, for charts",
    description: "One row per variant and day since the start: exposures, measured, rate with its interval, probability to be best, the always-valid p-value (running minimum) and guardrail counts, each as of the end of that day.",
    request: { params: ExperimentParams },
    responses: { 200: ok(HistorySchema, "Oldest day first"), 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const { e } = await looked(c, c.req.valid("param").id);
    return c.json({ experiment_id: e.id, days: await loadDaily(c.env.DB, e) }, 200);
  },
);

experiments.openapi(
  createRoute({
    method: "get",
    path: "/{id}/results.csv",
    summary: "Export the results as CSV",
    request: { params: ExperimentParams, query: CsvQuery },
    responses: { 200: { content: { "text/csv": { schema: z.string() } }, description: "RFC 4180 CSV, one row per variant (or per variant and day)" }, 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const { e, now } = await looked(c, c.req.valid("param").id);
    const daily = c.req.valid("query").view === "daily";
    const body = daily ? dailyCsv(e, await loadDaily(c.env.DB, e)) : variantsCsv(e, (await view(c, e, now)).variants);
    return c.body(body, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${e.id}${daily ? "-daily" : ""}.csv"` });
  },
);

experiments.openapi(
  createRoute({
    method: "post",
    path: "/{id}/stop",
    summary: "Stop an experiment",
    description: "Every debtor gets the published copy from their next message; the results stay readable and a variant can still be promoted. Sends experiment.stopped.",
    request: { params: ExperimentParams, body: { content: { "application/json": { schema: StopBody } }, required: false } },
    responses: { 200: ok(ExperimentSchema, "Stopped"), 401: problem("Missing or invalid API key"), 404: notFound, 409: problem("Already completed or stopped") },
  }),
  async (c) => {
    const { e, now } = await looked(c, c.req.valid("param").id);
    const after = await stopExperiment(c.env, e, c.req.valid("json")?.reason, now);
    return c.json(await view(c, after, now), 200);
  },
);

experiments.openapi(
  createRoute({
    method: "post",
    path: "/{id}/promote",
    summary: "Promote a variant: publish its copy as the new live copy",
    description:
      "Publishes the variant's version in each locale (promoting the control keeps the published copy) and completes the experiment; every debtor gets the new copy from their next message. " +
      "A variant a guardrail stopped cannot be promoted. Sends experiment.completed.",
    request: { params: ExperimentParams, body: json(PromoteBody) },
    responses: { 200: ok(ExperimentSchema, "Promoted"), 401: problem("Missing or invalid API key"), 404: notFound, 409: problem("Already promoted, or the variant was stopped by a guardrail") },
  }),
  async (c) => {
    const { e, now } = await looked(c, c.req.valid("param").id);
    const after = await promoteVariant(c.env, e, c.req.valid("json").variant, `api_key:${c.get("tenant").keyId}`, now);
    return c.json(await view(c, after, now), 200);
  },
);

/** Stops a running or measuring experiment: everyone gets the published copy again; sends experiment.stopped. */
export async function stopExperiment(env: Env, e: Experiment, reason: string | undefined, now: number): Promise<Experiment> {
  if (e.status !== "running" && e.status !== "measuring") throw new ApiError("conflict", `The experiment is ${e.status}.`);
  if (!(await updateExperiment(env.DB, e, { status: "stopped", endedAt: now, endedReason: reason ? `manual: ${reason}` : "manual" }, now))) throw new ApiError("conflict", "The experiment changed meanwhile; read it again.");
  await emitTenantEvent(env, e.tenantId, "experiment.stopped", `exp_${e.id}_stopped`, { experiment_id: e.id, name: e.name, reason: "manual", status: "stopped" }, now);
  return (await getExperiment(env.DB, e.tenantId, e.id)) as Experiment;
}

/**
 * Promotes a variant: publishes its versions in every locale of the test (the control keeps the
 * published copy), completes the experiment and sends experiment.completed with the recommendation.
 */
export async function promoteVariant(env: Env, e: Experiment, name: string, actor: string, now: number): Promise<Experiment> {
  const v = e.variants.find((x) => x.key === name);
  if (!v) throw new ApiError("validation_failed", `No variant "${name}"; the variants are ${e.variants.map((x) => x.key).join(", ")}.`, [{ field: "variant", message: "No such variant." }]);
  if (e.promotedVariant) throw new ApiError("conflict", `Variant "${e.promotedVariant}" was already promoted.`);
  if (v.status === "stopped") throw new ApiError("conflict", `Variant "${v.key}" was stopped (${v.stopped_reason ?? "stopped"}); it cannot become your copy.`);
  const ended = e.status === "completed" || e.status === "stopped";
  if (!(await updateExperiment(env.DB, e, { status: ended ? e.status : "completed", endedAt: now, endedReason: "promoted", promotedVariant: v.key }, now))) {
    throw new ApiError("conflict", "The experiment changed meanwhile; read it again.");
  }
  if (!v.control) {
    for (const [locale, version] of Object.entries(v.versions)) {
      if (version === 0) await unpublish(env.DB, e.tenantId, e.template as CopyKey, locale as CopyLocale);
      else await publishVersion(env.DB, e.tenantId, e.template as CopyKey, locale as CopyLocale, version, actor, Date.now());
    }
  }
  const after = (await getExperiment(env.DB, e.tenantId, e.id)) as Experiment;
  const result = experimentView(after, await countsAsOf(env.DB, after, now), now);
  await emitTenantEvent(env, e.tenantId, "experiment.completed", `exp_${e.id}_completed`, {
    experiment_id: e.id, name: e.name, reason: "promoted", promoted_variant: v.key, recommendation: result.recommendation.slice(0, 1000),
    variants: result.variants.map((x) => ({ key: x.key, control: x.control, status: x.status, exposures: x.exposures, measured: x.measured, successes: x.successes, rate: x.rate })),
  }, now);
  return after;
}
