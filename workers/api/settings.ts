/**
 * /v1/settings: how this environment handles personal data and optional features: how long a
 * debtor's personal data is kept after their last invoice closed (the retention the cron applies),
 * and whether the pay-later advice answers.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
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

type Row = { mode: "live" | "test"; retention_months: number; pay_later_enabled: number };
const view = (r: Row) => ({ mode: r.mode, retention_months: r.retention_months, pay_later_enabled: r.pay_later_enabled === 1 });
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

async function load(db: D1Database, id: string): Promise<Row> {
  const row = await db.prepare("SELECT mode, retention_months, pay_later_enabled FROM tenants WHERE id = ?").bind(id).first<Row>();
  return row ?? { mode: "live", retention_months: 24, pay_later_enabled: 0 };
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
    const next: Row = { ...cur, retention_months: p.retention_months ?? cur.retention_months, pay_later_enabled: p.pay_later_enabled === undefined ? cur.pay_later_enabled : p.pay_later_enabled ? 1 : 0 };
    await c.env.DB.prepare("UPDATE tenants SET retention_months = ?, pay_later_enabled = ? WHERE id = ?").bind(next.retention_months, next.pay_later_enabled, id).run();
    return c.json(view(next), 200);
  },
);
