import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { advanceTo, call, invoiceBody, newDebtorId, newTenant, register, sandboxFor, stubOf } from "./helpers";

interface DebtorJson {
  next_step: { key: string; channel: string; at: string } | null;
  outstanding_cents: number;
  open_invoices: { id: string }[];
  timeline: { type: string; data: Record<string, unknown> }[];
}
const debtorOf = async (key: string, id: string) => (await (await call(key, "GET", `/v1/debtors/${id}`)).json()) as DebtorJson;

describe("the reminder ladder", () => {
  it("sends a friendly email, then a second one, then ends, each step fired by the alarm", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -1));
    const stub = stubOf(t.id, debtor);

    let view = await debtorOf(t.key, debtor);
    expect(view.next_step?.key).toBe("reminder_1");
    expect(view.next_step?.channel).toBe("email");

    // Not yet due: an early alarm run sends nothing.
    await runDurableObjectAlarm(stub);
    expect(await sandboxFor(t.id, debtor)).toHaveLength(0);

    await advanceTo(3);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    let sent = await sandboxFor(t.id, debtor);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.recipient).toBe("sanne@example.nl");
    view = await debtorOf(t.key, debtor);
    expect(view.timeline.map((e) => e.type)).toContain("reminder.sent");
    expect(view.next_step?.key).toBe("reminder_2");

    await advanceTo(7);
    await runDurableObjectAlarm(stub);
    sent = await sandboxFor(t.id, debtor);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.subject).not.toBe(sent[0]?.subject);

    await advanceTo(14);
    await runDurableObjectAlarm(stub);
    view = await debtorOf(t.key, debtor);
    expect(view.timeline.map((e) => e.type)).toContain("ladder.completed");
    expect(view.next_step).toBeNull();
    expect(await sandboxFor(t.id, debtor)).toHaveLength(2);
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
    expect(await sandboxFor(t.id, debtor)).toHaveLength(2);
    expect((await debtorOf(t.key, debtor)).timeline.map((e) => e.type)).toContain("ladder.completed");
  });
});
