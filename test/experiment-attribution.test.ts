/**
 * Attribution: what a debtor does after the first exposure counts once, for the variant they saw
 * first, even after a guardrail moved them to the control's words; what happened before any
 * exposure counts for nothing. Checked in the debtor's own outcome events and in D1's unit rows,
 * which the results are computed from.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Variant } from "../workers/experiments/model";
import { advanceDays, keptByObject, sameTemplateTwice, saveVariant, startExperiment, units } from "./experiments";
import { call, invoiceBody, newDebtorId, newTenant, register, stubOf } from "./helpers";

async function setup() {
  const t = await newTenant();
  // The second reminder uses the same template, so a debtor gets a second message of the experiment.
  await sameTemplateTwice(t.key);
  const v = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: variant b" });
  const e = await startExperiment(t.key, { variants: [{ key: "control", control: true }, { key: "b", versions: { "nl-NL": v } }] });
  return { t, e };
}

const outcomeEvents = async (tenantId: string, debtorId: string) => {
  const { results } = await env.DB.prepare("SELECT data FROM outcome_events WHERE tenant_id = ? AND debtor_id = ? AND type = 'experiment.outcome'").bind(tenantId, debtorId).all<{ data: string }>();
  return results.map((r) => JSON.parse(r.data) as { variant: string; outcome: string });
};

describe("attribution", () => {
  it("a payment, or an 'already paid', before any exposure counts for nothing", { timeout: 60_000 }, async () => {
    const { t, e } = await setup();
    // Paid before the first reminder: never exposed, never a unit.
    const early = newDebtorId();
    const inv = await register(t.key, await invoiceBody(early, -1));
    expect((await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 })).status).toBe(200);
    // Said "already paid" before the first reminder, then did not pay: after the pause comes the
    // "already paid" follow-up, then the second reminder (this experiment's template) exposes them;
    // the word said before it does not count.
    const said = newDebtorId();
    await register(t.key, await invoiceBody(said, -1));
    expect((await call(t.key, "POST", `/v1/debtors/${said}/actions`, { action: "already_paid" })).status).toBe(200);
    for (let i = 0; i < 6; i++) await advanceDays(4);
    const rows = await units(e.id);
    expect(rows.map((r) => r.debtor_id)).toEqual([said]);
    expect(rows[0]).toMatchObject({ already_paid_at: null, paid_at: null });
    expect(await outcomeEvents(t.id, early)).toEqual([]);
    expect(await outcomeEvents(t.id, said)).toEqual([]);
  });

  it("outcomes count once, for the variant seen first, even after a guardrail moved the debtor to the control", { timeout: 60_000 }, async () => {
    const { t, e } = await setup();
    const debtors = Array.from({ length: 8 }, () => newDebtorId());
    const invoices = new Map<string, string>();
    for (const d of debtors) invoices.set(d, (await register(t.key, await invoiceBody(d, -1))).id);
    await advanceDays(3);
    let inB: string | undefined;
    for (const d of debtors) if ((await keptByObject(t.id, d)).assignments[0]?.variant === "b") inB = d;
    expect(inB).toBeDefined();
    const d = inB as string;
    // A guardrail stops variant b (as the watcher does): its debtors get the control's words from now on.
    const row = await env.DB.prepare("SELECT variants FROM experiments WHERE id = ?").bind(e.id).first<{ variants: string }>();
    const stopped = (JSON.parse(row?.variants ?? "[]") as Variant[]).map((v) => (v.key === "b" ? { ...v, status: "stopped", stopped_at: Date.now(), stopped_reason: "guardrail: complaints" } : v));
    await env.DB.prepare("UPDATE experiments SET variants = ? WHERE id = ?").bind(JSON.stringify(stopped), e.id).run();
    await advanceDays(7);
    const kept = await keptByObject(t.id, d);
    expect(kept.rows.filter((r) => r.status === "sent").map((r) => r.variant)).toEqual(["b", "control"]);
    const second = await env.DB.prepare("SELECT data FROM outcome_events WHERE tenant_id = ? AND debtor_id = ? AND type = 'reminder.sent' ORDER BY occurred_at DESC").bind(t.id, d).first<{ data: string }>();
    expect(JSON.parse(second?.data ?? "{}")).toMatchObject({ experiment_id: e.id, variant: "control", assigned_variant: "b" });

    // Pays after the control's words: the payment counts for b, the variant seen first.
    expect((await call(t.key, "POST", `/v1/invoices/${invoices.get(d)}/payments`, { amount_cents: 4995 })).status).toBe(200);
    // A later invoice, paid again: the first time stays, and the outcome is not counted twice.
    const later = await register(t.key, await invoiceBody(d, 5));
    await advanceDays(9);
    expect((await call(t.key, "POST", `/v1/invoices/${later.id}/payments`, { amount_cents: 4995 })).status).toBe(200);
    const unit = (await units(e.id)).find((u) => u.debtor_id === d);
    const paidEvents = (await outcomeEvents(t.id, d)).filter((o) => o.outcome === "paid");
    expect(paidEvents).toEqual([expect.objectContaining({ variant: "b", outcome: "paid" })]);
    expect(unit).toMatchObject({ variant: "b" });
    expect(Number(unit?.paid_at)).toBeGreaterThan(Number(unit?.exposed_at));
    expect(Number(unit?.paid_at)).toBeLessThan(Date.parse(new Date(Number(unit?.exposed_at) + 10 * 24 * 3600_000).toISOString()));
  });

  it("secondary outcomes and guardrails reach the unit once each: already paid, a click, help, a dispute, a paid-in-full bank transfer", { timeout: 60_000 }, async () => {
    const { t, e } = await setup();
    const [a, b, c, d] = [newDebtorId(), newDebtorId(), newDebtorId(), newDebtorId()];
    for (const x of [a, b, c, d]) await register(t.key, await invoiceBody(x, -1));
    await advanceDays(3);
    expect((await call(t.key, "POST", `/v1/debtors/${a}/actions`, { action: "already_paid" })).status).toBe(200);
    expect((await call(t.key, "POST", `/v1/debtors/${a}/actions`, { action: "already_paid" })).status).toBe(200);
    const sent = (await keptByObject(t.id, b)).rows.find((r) => r.status === "sent");
    const event = { provider: "resend", providerEventId: "evt_click_1", outboxId: sent?.id ?? "", channel: "email" as const, type: "clicked" as const, permanent: false, occurredAt: Date.now() };
    expect((await stubOf(t.id, b).channelEvent(t.id, event)).ok).toBe(true);
    expect((await call(t.key, "POST", `/v1/debtors/${c}/actions`, { action: "help" })).status).toBe(200);
    expect((await call(t.key, "POST", `/v1/debtors/${c}/actions`, { action: "dispute", reason: "Niet besteld" })).status).toBe(200);
    // A bank transfer with the debtor's reference pays everything: paid in full.
    const digits = await env.DB.prepare("SELECT reference FROM payment_references WHERE tenant_id = ? AND debtor_id = ?").bind(t.id, d).first<{ reference: string }>();
    expect((await call(t.key, "POST", "/v1/payments", { reference: digits?.reference, amount_cents: 4995, transaction_id: "tx-attr-1" })).status).toBe(200);
    const rows = new Map((await units(e.id)).map((u) => [u.debtor_id, u]));
    expect(rows.get(a)?.already_paid_at).not.toBeNull();
    expect(rows.get(b)?.clicked_at).not.toBeNull();
    expect(rows.get(c)).toMatchObject({ help_at: expect.any(Number), disputed_at: expect.any(Number), paid_at: null });
    expect(rows.get(d)?.paid_at).not.toBeNull();
    expect((await outcomeEvents(t.id, a)).map((o) => o.outcome)).toEqual(["already_paid"]);
    // The results report them per variant; the dispute is a guardrail count.
    const result = (await (await call(t.key, "GET", `/v1/experiments/${e.id}`)).json()) as { variants: { exposures: number; secondary: { already_paid_share: number | null; help_request_share: number | null }; guardrails: { disputes: { count: number } } }[] };
    expect(result.variants.reduce((s, v) => s + v.guardrails.disputes.count, 0)).toBe(1);
    expect(result.variants.reduce((s, v) => s + v.exposures, 0)).toBe(4);
  });
});
