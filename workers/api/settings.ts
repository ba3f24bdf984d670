/**
 * /v1/settings: how this environment handles personal data and optional features: how long a
 * debtor's personal data is kept after their last invoice closed (the retention the cron applies),
 * and whether the pay-later advice answers.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { tenants } from "../../schema/d1";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { db } from "../db";
import { ProblemSchema } from "./schemas";

export const settings = createApp();
settings.use("*", requireApiKey);

const SettingsSchema = z
  .object({
    mode: z.enum(["live", "test"]).openapi({ description: "The environment of the key: test data is always sandboxed and kept apart from live data." }),
    retention_months: z.number().int().openapi({ description: "Months after a debtor's last invoice closed before Kindly erases their personal data (the shop's amounts and dates stay, pseudonymised)." }),
    pay_later_enabled: z.boolean().openapi({ description: "Whether GET /v1/debtors/{id}/pay-later answers." }),
  })
  .openapi("Settings");

const SettingsPatch = z
  .strictObject({
    retention_months: z.number().int().min(1).max(84).optional(),
    pay_later_enabled: z.boolean().optional(),
  })
  .openapi("SettingsPatch");

type Row = Pick<typeof tenants.$inferSelect, "mode" | "retentionMonths" | "payLaterEnabled">;
const view = (r: Row) => ({ mode: r.mode, retention_months: r.retentionMonths, pay_later_enabled: r.payLaterEnabled === 1 });
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

async function load(d1: D1Database, id: string): Promise<Row> {
  const row = await db(d1)
    .select({ mode: tenants.mode, retentionMonths: tenants.retentionMonths, payLaterEnabled: tenants.payLaterEnabled })
    .from(tenants)
    .where(eq(tenants.id, id))
    .get();
  return row ?? { mode: "live", retentionMonths: 24, payLaterEnabled: 0 };
}

settings.openapi(
  createRoute({ method: "get", path: "/", summary: "Read your settings", responses: { 200: { content: { "application/json": { schema: SettingsSchema } }, description: "Settings" }, 401: problem("Missing or invalid API key") } }),
  async (c) => c.json(view(await load(c.env.DB, c.get("tenant").id)), 200),
);

settings.openapi(
  createRoute({
    method: "patch",
    path: "/",
    summary: "Change your settings",
    request: { body: { content: { "application/json": { schema: SettingsPatch } }, required: true } },
    responses: { 200: { content: { "application/json": { schema: SettingsSchema } }, description: "Updated" }, 401: problem("Missing or invalid API key"), 403: problem("The key lacks the policy_admin scope"), 422: problem("Invalid request") },
  }),
  async (c) => {
    const id = c.get("tenant").id;
    const p = c.req.valid("json");
    const cur = await load(c.env.DB, id);
    const next: Row = { ...cur, retentionMonths: p.retention_months ?? cur.retentionMonths, payLaterEnabled: p.pay_later_enabled === undefined ? cur.payLaterEnabled : p.pay_later_enabled ? 1 : 0 };
    await db(c.env.DB).update(tenants).set({ retentionMonths: next.retentionMonths, payLaterEnabled: next.payLaterEnabled }).where(eq(tenants.id, id)).run();
    return c.json(view(next), 200);
  },
);
