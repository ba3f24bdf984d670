/**
 * POST /v1/policy/simulate: try a policy before using it. Runs the simulator (the same engine,
 * in the Worker) on a population, by default one fitted from the shop's own outcome history,
 * and answers with the headline table for the live policy and the candidate. Bounded: at most
 * MAX_DEBTORS debtors and a cap on engine decisions, so one call stays within a Worker's CPU.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, countDistinct, eq, gte, sql } from "drizzle-orm";
import { channelStats, outcomeEvents } from "../../schema/d1";
import { createApp } from "../app";
import { loadClock } from "../clock";
import { db } from "../db";
import { ApiError } from "../errors";
import { parsePolicy, type TenantPolicy } from "../policy/policy-schema";
import { fitPopulation, type SegmentChannelStats, type SegmentDebtors } from "../../sim/fit";
import { simulate, SimulationTooLarge } from "../../sim/index";
import type { OutcomeRow, Summary } from "../../sim/metrics";
import { parsePopulation, type Population } from "../../sim/population";
import example from "../../sim/populations/example.json";
import { headline } from "../../sim/report";
import { livePolicy } from "./live-policy";
import { ProblemSchema } from "./schemas";

export const policySimulate = createApp();

/** Debtors per simulated policy; three policies each, for the live and the candidate policy. */
export const MAX_DEBTORS = 2_000;
const DEFAULT_DEBTORS = 500;
/** Engine decisions per run and debtor before the call gives up (a year is about 12 per debtor). */
const PLANS_PER_DEBTOR = 60;
const YEAR_MS = 365 * 24 * 3600_000;

const Body = z
  .object({
    policy: z.record(z.string(), z.unknown()).openapi({ description: "The candidate TenantPolicy document (as for PUT /v1/policy; its version is not checked)." }),
    population: z.record(z.string(), z.unknown()).optional().openapi({ description: "A population file (see sim/populations/example.json). Default: fitted from your own outcome history, or the example population while you have too little." }),
    debtors: z.number().int().min(50).max(MAX_DEBTORS).default(DEFAULT_DEBTORS),
    seed: z.string().min(1).max(64).default("kindly"),
  })
  .openapi("PolicySimulationRequest");

const Row = z.object({
  invoices: z.number().int(),
  paid_30d: z.number(),
  paid_60d: z.number(),
  paid: z.number(),
  median_days_to_pay: z.number().nullable(),
  cost_per_paid_eur: z.number().nullable(),
  contacts_per_debtor: z.number(),
  letters_per_1000: z.number(),
  sms_per_1000: z.number(),
  handover_rate: z.number(),
  complaints_per_1000: z.number(),
});
const Headline = z.object({
  gap_closed: z.object({ cost_per_paid: z.number().nullable(), paid: z.number().nullable() }).openapi({ description: "Share of the fixed-ladder-to-oracle gap the policy closes (null: no gap beyond noise)." }),
  policies: z.object({ fixed: Row, kindly: Row, oracle: Row }),
  hard_limit_violations: z.number().int(),
  markdown: z.string(),
});
const Result = z
  .object({
    population: z.object({ name: z.string(), source: z.enum(["request", "history", "example"]), personas: z.array(z.object({ key: z.string(), share: z.number() })) }),
    debtors: z.number().int(),
    seed: z.string(),
    current: Headline.extend({ version: z.number().int() }),
    candidate: Headline,
  })
  .openapi("PolicySimulation");

const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toFixed(digits)));

function row(r: OutcomeRow): z.infer<typeof Row> {
  return {
    invoices: r.invoices,
    paid_30d: round(r.paid30) ?? 0,
    paid_60d: round(r.paid60) ?? 0,
    paid: round(r.paid) ?? 0,
    median_days_to_pay: round(r.medianDaysToPay, 1),
    cost_per_paid_eur: round(r.costPerPaid, 2),
    contacts_per_debtor: round(r.contactsPerDebtor, 2) ?? 0,
    letters_per_1000: Math.round(r.lettersPer1000),
    sms_per_1000: Math.round(r.smsPer1000),
    handover_rate: round(r.handoverRate) ?? 0,
    complaints_per_1000: round(r.complaintsPer1000, 1) ?? 0,
  };
}

function headlineOf(s: Summary): z.infer<typeof Headline> {
  const violations = Object.values(s.limits).reduce((n, l) => n + l.quietHours + l.budget + l.costsBeforeTerm + l.protectedEscalated + l.afterPaymentKnown, 0);
  return {
    gap_closed: { cost_per_paid: round(s.gap.costPerPaid), paid: round(s.gap.paid) },
    policies: { fixed: row(s.overall.fixed), kindly: row(s.overall.kindly), oracle: row(s.overall.oracle) },
    hard_limit_violations: violations,
    markdown: headline(s),
  };
}

/** The population to simulate: the request's, else fitted from history, else the example. */
async function populationFor(d1: D1Database, tenantId: string, policy: TenantPolicy, given: unknown, now: number): Promise<{ population: Population; source: "request" | "history" | "example" }> {
  const parse = (input: unknown, prefix: string) => {
    const parsed = parsePopulation(input);
    if (!parsed.ok) throw new ApiError("validation_failed", "The population is not valid; see errors for every problem.", parsed.problems.map((p) => ({ field: `${prefix}${p.field}`, message: p.message })));
    return parsed.population;
  };
  if (given !== undefined) return { population: parse(given, "population."), source: "request" };
  const d = db(d1);
  const [s, e] = [channelStats, outcomeEvents];
  const segment = sql<string | null>`json_extract(${e.data}, '$.segment')`;
  const [stats, debtors] = await d.batch([
    d.select({ segment: s.segment, channel: s.channel, successes: s.successes, trials: s.trials }).from(s).where(eq(s.tenantId, tenantId)),
    d
      .select({ segment, debtors: countDistinct(e.debtorId) })
      .from(e)
      .where(and(eq(e.tenantId, tenantId), eq(e.type, "reminder.decided"), gte(e.occurredAt, now - YEAR_MS)))
      .groupBy(sql`1`),
  ]);
  const year = Math.min(2040, Math.max(2024, new Date(now).getUTCFullYear()));
  // channel_stats.channel is written by the event flush from a Channel; a segment missing from an event matches no segment.
  const fitted = fitPopulation(policy, stats as SegmentChannelStats[], debtors.map((r): SegmentDebtors => ({ segment: r.segment ?? "", debtors: r.debtors })), year);
  if (fitted) return { population: parse(fitted, "fitted."), source: "history" };
  return { population: parse(example, "example."), source: "example" };
}

policySimulate.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Simulate a candidate policy against the live one",
    description:
      "Runs the fixed bol.com ladder, the policy with Kindly's adaptive channel mix, and the oracle on the same simulated debtors, for the live policy and the candidate. The population is the request's, or one fitted from your own outcome history (one persona per segment), or the example population while your history is too short. At most 2,000 debtors per policy.",
    request: { body: { content: { "application/json": { schema: Body } }, required: true } },
    responses: {
      200: { content: { "application/json": { schema: Result } }, description: "The headline tables" },
      401: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Missing or invalid API key" },
      422: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Invalid policy or population, or too large to simulate in one call" },
    },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const body = c.req.valid("json");
    const candidate = parsePolicy(body.policy);
    if (!candidate.ok) throw new ApiError("validation_failed", "The policy is not valid; see errors for every problem.", candidate.problems.map((p) => ({ field: `policy.${p.field}`, message: p.message })));
    const now = (await loadClock(c.env)).now();
    const live = await livePolicy(c.env.DB, tenantId);
    const { population, source } = await populationFor(c.env.DB, tenantId, live.policy, body.population, now);
    const run = (policy: TenantPolicy) => simulate({ population, policy, debtors: body.debtors, seed: body.seed, maxPlans: body.debtors * PLANS_PER_DEBTOR }).summary;
    let current: Summary;
    let next: Summary;
    try {
      current = run(live.policy);
      next = run(candidate.policy);
    } catch (err) {
      if (err instanceof SimulationTooLarge) throw new ApiError("validation_failed", "This simulation needs more steps than one call may take; use fewer debtors or a shorter ladder.", [{ field: "debtors", message: err.message }]);
      throw err;
    }
    const personas = population.personas.map((p) => ({ key: p.key, share: p.share }));
    return c.json({ population: { name: population.name, source, personas }, debtors: body.debtors, seed: body.seed, current: { version: live.version, ...headlineOf(current) }, candidate: headlineOf(next) }, 200);
  },
);

