/** Helpers for the experiment tests: save a variant, start an experiment, read what the debtor's object kept. */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call, stubOf } from "./helpers";

/** Saves `copy` as the next version of `template` in `locale` and returns its number (the lint must pass). */
export async function saveVariant(key: string, template: string, locale: string, copy: Record<string, unknown>): Promise<number> {
  const res = await call(key, "POST", `/v1/templates/${template}/${locale}/versions`, { copy });
  expect(res.status).toBe(201);
  const v = (await res.json()) as { version: number; lint: { ok: boolean; problems: unknown[] } };
  expect(v.lint.problems).toEqual([]);
  return v.version;
}

/** Starts an experiment; `body` fields override a two-variant email test of reminder-friendly in nl-NL. */
export async function startExperiment(key: string, body: Record<string, unknown>): Promise<{ id: string; status: string }> {
  const res = await call(key, "POST", "/v1/experiments", {
    name: "test", template: "reminder-friendly", channel: "email", locales: ["nl-NL"], primary_metric: { kind: "paid_or_arrangement", window_days: 7 }, duration_days: 60, ...body,
  });
  if (res.status !== 201) throw new Error(`experiment not started: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; status: string };
}

/** What the debtor's object kept: its assignments, and the experiment and variant on each outbox row. */
export async function keptByObject(tenantId: string, debtorId: string) {
  return runInDurableObject(stubOf(tenantId, debtorId), (_i, state) => {
    const sql = state.storage.sql;
    return {
      assignments: sql.exec<{ experiment_id: string; variant: string; exposed_at: number }>("SELECT experiment_id, variant, exposed_at FROM experiment_assignments").toArray(),
      rows: sql.exec<{ id: string; status: string; experiment_id: string | null; variant: string | null }>("SELECT id, status, experiment_id, variant FROM outbox ORDER BY created_at, id").toArray(),
    };
  });
}

/** The experiment's unit rows in D1. */
export async function units(experimentId: string) {
  const { results } = await env.DB.prepare("SELECT * FROM experiment_units WHERE experiment_id = ? ORDER BY exposed_at").bind(experimentId).all<Record<string, number | string | null>>();
  return results;
}

/** Moves the development clock `days` forward to 13:00 and runs everything that became due. */
export const advanceDays = async (days: number) => expect((await call(null, "POST", "/dev/clock/advance", { days, at: "13:00" })).status).toBe(200);

/** Makes the second reminder use the first one's template (reminder-friendly), so a debtor gets two messages of an experiment on it. */
export async function sameTemplateTwice(key: string): Promise<void> {
  const policy = (await (await call(key, "GET", "/v1/policy")).json()) as { policy: { ladders: Record<string, { steps: { key: string; template: string }[] }> } };
  for (const ladder of Object.values(policy.policy.ladders)) for (const s of ladder.steps) if (s.key === "reminder_2") s.template = "reminder-friendly";
  expect((await call(key, "PUT", "/v1/policy", { ...policy.policy, version: 1 })).status).toBe(200);
}
