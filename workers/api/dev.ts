/**
 * /dev: development-only helpers (KINDLY_ENV=development): seed a tenant and move the clock.
 * In production every /dev route answers 404.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { count, eq, inArray, isNotNull, and, lte } from "drizzle-orm";
import { apiKeys, debtorIndex, outcomeEvents, sandboxMessages } from "../../schema/d1";
import { createApp } from "../app";
import { newApiKey, provisionTenant } from "../auth";
import { advanceClock, isDevelopment, loadClock } from "../clock";
import { sha256Hex } from "../crypto";
import { db } from "../db";
import { ApiError } from "../errors";
import { ProblemSchema } from "./schemas";
import { sweepOverdue } from "../sweep";
import { watchExperiments } from "../experiments/watch";
import { isPublicHoliday, weekday } from "../policy/calendar";
import { addDays, localParts, zonedTimeToEpoch } from "../zoned-time";

export const dev = createApp();
dev.use("*", async (c, next) => {
  if (!isDevelopment(c.env)) throw new ApiError("not_found", "Not found.");
  await next();
});

const SeedInput = z.strictObject({
  api_key: z.string().regex(/^kind_test_[A-Za-z0-9]{32}$/).optional(),
  tenant_id: z.string().regex(/^[a-z0-9_-]{1,40}$/).default("dev"),
  display_name: z.string().min(1).max(100).default("Demo Webshop"),
  contact_email: z.email().default("klantenservice@demo-webshop.example"),
  country: z.enum(["NL", "BE"]).default("NL"),
});

dev.openapi(
  createRoute({
    method: "post",
    path: "/seed",
    summary: "Create a development tenant and API key (development only)",
    request: { body: { content: { "application/json": { schema: SeedInput } }, required: false } },
    responses: {
      200: {
        content: { "application/json": { schema: z.object({ tenant_id: z.string(), environment_id: z.string().openapi({ description: "Where the key's data lives: the test environment for a kind_test_ key." }), api_key: z.string() }) } },
        description: "Seeded",
      },
      409: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "The tenant exists with another key" },
      422: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Invalid request" },
    },
  }),
  async (c) => {
    // A missing body skips validation: parse {} so the defaults apply.
    const input = SeedInput.parse(c.req.valid("json") ?? {});
    const apiKey = input.api_key ?? newApiKey("test");
    const hashOf = await sha256Hex(apiKey);
    // Seeding never hands out a key to an existing tenant that does not already hold it.
    const keys = await db(c.env.DB)
      .select({ hash: apiKeys.hash })
      .from(apiKeys)
      .where(inArray(apiKeys.tenantId, [input.tenant_id, `${input.tenant_id}.test`]))
      .all();
    if (keys.length > 0 && !keys.some((k) => k.hash === hashOf)) {
      throw new ApiError("conflict", `Tenant ${input.tenant_id} exists; seed it with its own key or pick another tenant_id.`);
    }
    const environmentId = await provisionTenant(
      c.env.DB,
      { id: input.tenant_id, name: input.tenant_id, displayName: input.display_name, contactEmail: input.contact_email, country: input.country },
      apiKey,
      Date.now(),
    );
    return c.json({ tenant_id: input.tenant_id, environment_id: environmentId, api_key: apiKey }, 200);
  },
);

const ClockView = z.object({ now: z.string(), offset_ms: z.number().int() });
const ClockAdvance = z
  .strictObject({
    days: z.number().int().min(0).max(3650).default(0),
    hours: z.number().int().min(0).max(10_000).default(0),
    minutes: z.number().int().min(0).max(100_000).default(0),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "Use HH:MM." })
      .optional()
      .openapi({ description: "Land at this wall-clock time (Europe/Amsterdam) on the target day, e.g. 13:00, so steps are not held back by quiet hours; a Sunday or public holiday moves to the next day." }),
    sweep: z.boolean().default(true).openapi({ description: "Run every step that became due before answering (default). false: only move the clock; the cron sweep (every 5 minutes, or /cdn-cgi/local/scheduled under wrangler dev) runs them." }),
  })
  .refine((a) => a.days + a.hours + a.minutes > 0 || a.at !== undefined, { message: "Move the clock forward by at least one minute.", path: ["days"] });

/** How far to move: plain duration, or to `at` on the day `days` ahead (always forward). */
function advanceBy(a: z.infer<typeof ClockAdvance>, now: number): number {
  const ms = ((a.days * 24 + a.hours) * 60 + a.minutes) * 60_000;
  if (a.at === undefined) return ms;
  const [h, m] = a.at.split(":").map(Number) as [number, number];
  const tz = "Europe/Amsterdam";
  // Land on a day reminders may go out (not a Sunday or public holiday), so a demo always shows them.
  let day = addDays(localParts(now, tz).date, a.days);
  const sendable = (d: string) => weekday(d) !== 0 && !isPublicHoliday(d, "NL");
  while (!sendable(day) || zonedTimeToEpoch(day, h, m, tz) <= now) day = addDays(day, 1);
  return zonedTimeToEpoch(day, h, m, tz) - now;
}

dev.openapi(
  createRoute({ method: "get", path: "/clock", summary: "Read the development clock", responses: { 200: { content: { "application/json": { schema: ClockView } }, description: "Clock" } } }),
  async (c) => {
    const clock = await loadClock(c.env);
    return c.json({ now: new Date(clock.now()).toISOString(), offset_ms: clock.offsetMs }, 200);
  },
);

dev.openapi(
  createRoute({
    method: "post",
    path: "/clock/advance",
    summary: "Move the development clock forward and run every step that became due",
    request: { body: { content: { "application/json": { schema: ClockAdvance } }, required: true } },
    responses: {
      200: { content: { "application/json": { schema: ClockView.extend({ debtors: z.number().int(), steps: z.number().int() }) } }, description: "Moved" },
    },
  }),
  async (c) => {
    const a = c.req.valid("json");
    const before = await loadClock(c.env);
    const offset = await advanceClock(c.env, advanceBy(a, before.now()));
    // Sweep until nothing due is left, so a big demo plays out fully; `sweep: false` only moves the
    // clock (a benchmark then drives the cron sweep itself, without one request held for minutes).
    const swept = a.sweep ? await sweepOverdue(c.env, 0) : { debtors: 0, steps: 0 };
    // Experiments look at the new time too: guardrails, the end of enrolment, completion, the daily history.
    await watchExperiments(c.env, Date.now() + offset);
    return c.json({ now: new Date(Date.now() + offset).toISOString(), offset_ms: offset, debtors: swept.debtors, steps: swept.steps }, 200);
  },
);

dev.openapi(
  createRoute({
    method: "get",
    path: "/stats",
    summary: "Counts for demos and benchmarks (development only)",
    responses: { 200: { content: { "application/json": { schema: z.object({ sandbox_messages: z.number().int(), reminders_sent: z.number().int(), debtors_due: z.number().int() }) } }, description: "Counts" } },
  }),
  async (c) => {
    const clock = await loadClock(c.env);
    const q = db(c.env.DB);
    const n = { n: count() };
    const [[m], [s], [d]] = await q.batch([
      q.select(n).from(sandboxMessages),
      q.select(n).from(outcomeEvents).where(eq(outcomeEvents.type, "reminder.sent")),
      q.select(n).from(debtorIndex).where(and(isNotNull(debtorIndex.nextStepAt), lte(debtorIndex.nextStepAt, clock.now()))),
    ]);
    return c.json({ sandbox_messages: m?.n ?? 0, reminders_sent: s?.n ?? 0, debtors_due: d?.n ?? 0 }, 200);
  },
);
