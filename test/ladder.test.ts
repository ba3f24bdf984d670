import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { advanceTo, call, invoiceBody, newDebtorId, newTenant, register, sandboxFor, settleDispatch, stubOf } from "./helpers";

const sandboxChannels = async (tenantId: string, debtorId: string) =>
  (await settleDispatch(tenantId, debtorId), await env.DB.prepare("SELECT channel FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ? ORDER BY created_at").bind(tenantId, debtorId).all<{ channel: string }>()).results.map((r) => r.channel);

interface DebtorJson {
  next_step: { key: string; channel: string; at: string } | null;
  outstanding_cents: number;
  open_invoices: { id: string }[];
  timeline: { type: string; data: Record<string, unknown> }[];
}
const debtorOf = async (key: string, id: string) => (await (await call(key, "GET", `/v1/debtors/${id}`)).json()) as DebtorJson;

describe("the reminder ladder", () => {
  it("plays the default ladder by alarms: an email, a second reminder by SMS after the ignored email, the 14-day letter, an SMS, a call task, then handover-ready", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    const body = await invoiceBody(debtor, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, phone: "+31612345678", address: { line1: "Dorpsstraat 1", postal_code: "1234 AB", city: "Utrecht", country: "NL" } } });
    const stub = stubOf(t.id, debtor);

    let view = await debtorOf(t.key, debtor);
    expect(view.next_step?.key).toBe("reminder_1");
    expect(view.next_step?.channel).toBe("email");

    // Not yet due: an early alarm run sends nothing.
    await runDurableObjectAlarm(stub);
    expect(await sandboxFor(t.id, debtor)).toHaveLength(0);

    const expected = [
      { days: 3, channel: "email", next: "reminder_2" },
      // reminder_2 is "auto": the email went unanswered, so the channel mix tries the phone.
      { days: 7, channel: "sms", next: "fourteen_day_letter" },
      { days: 7, channel: "letter", next: "reminder_sms" },
      { days: 6, channel: "sms", next: "call" },
      { days: 5, channel: "call", next: "handover_ready" },
    ];
    for (const [n, step] of expected.entries()) {
      await advanceTo(step.days);
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      const sent = await sandboxChannels(t.id, debtor);
      expect(sent).toHaveLength(n + 1);
      expect(sent[n]).toBe(step.channel);
      view = await debtorOf(t.key, debtor);
      expect(view.next_step?.key).toBe(step.next);
    }
    await advanceTo(10);
    await runDurableObjectAlarm(stub);
    view = await debtorOf(t.key, debtor);
    expect(view.timeline.map((e) => e.type)).toContain("invoice.handover_ready");
    expect(view.next_step).toBeNull();
    expect(await sandboxFor(t.id, debtor)).toHaveLength(5);
  });

  it("a repeated alarm run sends nothing twice", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -5));
    const stub = stubOf(t.id, debtor);
    await advanceTo(3);
    await runDurableObjectAlarm(stub);
    await stub.tick();
    await stub.tick();
    await runDurableObjectAlarm(stub);
    expect(await sandboxFor(t.id, debtor)).toHaveLength(1);
  });

  it("a full payment stops the ladder: nothing is sent afterwards", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    const inv = await register(t.key, await invoiceBody(debtor, -1));
    const paid = await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 });
    expect(paid.status).toBe(200);
    expect(((await paid.json()) as { status: string }).status).toBe("paid");
    await advanceTo(30);
    await runDurableObjectAlarm(stubOf(t.id, debtor));
    expect(await sandboxFor(t.id, debtor)).toHaveLength(0);
    expect((await debtorOf(t.key, debtor)).next_step).toBeNull();
  });

  it("a payment reported after the step became due but before the send suppresses it", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    const inv = await register(t.key, await invoiceBody(debtor, -1));
    await advanceTo(3); // the step is due now; the alarm has not run yet
    await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 });
    await runDurableObjectAlarm(stubOf(t.id, debtor));
    expect(await sandboxFor(t.id, debtor)).toHaveLength(0);
  });

  it("a partial payment keeps the ladder going with the amount still owed", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    const inv = await register(t.key, await invoiceBody(debtor, -1, { amount_cents: 10_000 }));
    const res = await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 2_500 });
    expect(((await res.json()) as { outstanding_cents: number }).outstanding_cents).toBe(7_500);
    await advanceTo(3);
    await runDurableObjectAlarm(stubOf(t.id, debtor));
    const [mail] = await sandboxFor(t.id, debtor);
    expect(mail?.text).toContain("75,00");
    expect(mail?.text).not.toContain("100,00 ");
  });

  it("several open invoices of one debtor are reminded together in one message", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    const a = await invoiceBody(debtor, -2, { amount_cents: 1_000, merchant_invoice_id: "INV-A-1" });
    const b = await invoiceBody(debtor, -1, { amount_cents: 2_345, merchant_invoice_id: "INV-B-2" });
    await register(t.key, a);
    await register(t.key, b);
    expect((await debtorOf(t.key, debtor)).outstanding_cents).toBe(3_345);
    await advanceTo(3);
    await runDurableObjectAlarm(stubOf(t.id, debtor));
    const sent = await sandboxFor(t.id, debtor);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain("INV-A-1");
    expect(sent[0]?.text).toContain("INV-B-2");
    expect(sent[0]?.text).toContain("33,45");
  });

  it("a cancelled invoice is not reminded", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    const inv = await register(t.key, await invoiceBody(debtor, -1));
    const res = await call(t.key, "POST", `/v1/invoices/${inv.id}/cancel`, { reason: "credit_note" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("cancelled");
    await advanceTo(5);
    await runDurableObjectAlarm(stubOf(t.id, debtor));
    expect(await sandboxFor(t.id, debtor)).toHaveLength(0);
  });

  it("moving the development clock plays out the ladder through the API", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -1));
    for (const days of [3, 7, 14]) {
      const res = await call(null, "POST", "/dev/clock/advance", { days, at: "10:30" });
      expect(res.status).toBe(200);
    }
    // The debtor has only an email address: every step reaches them by email.
    expect((await sandboxFor(t.id, debtor)).length).toBeGreaterThanOrEqual(2);
    expect((await debtorOf(t.key, debtor)).timeline.map((e) => e.type)).toContain("reminder.sent");
  });
});
