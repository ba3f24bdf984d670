/**
 * POST /v1/payments: a bank transfer reported with the reference printed on a reminder finds its
 * debtor (tenant-scoped, by index) and is spread over the open invoices, once per transaction.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { advanceTo, call, invoiceBody, newDebtorId, newTenant, register, sandboxFor, stubOf } from "./helpers";

interface BankPayment {
  debtor_id: string;
  allocated: { merchant_invoice_id: string; amount_cents: number; outstanding_cents: number; status: string }[];
  unallocated_cents: number;
  replayed: boolean;
}

/** A Belgian debtor with two open invoices who got a first reminder (which carries the structured communication). */
async function remindedDebtor() {
  const t = await newTenant("BE");
  const account = await call(t.key, "PATCH", "/v1/account", { bank: { iban: "BE68 5390 0754 7034", account_holder: "Shop BV" }, links: { domain: "betalen.shop.example" } });
  if (account.status !== 200) throw new Error(`account: ${account.status} ${await account.text()}`);
  // The tenant option: a short thank-you once everything is paid.
  const current = (await (await call(t.key, "GET", "/v1/policy")).json()) as { version: number; policy: Record<string, unknown> };
  const put = await call(t.key, "PUT", "/v1/policy", { ...current.policy, version: current.version + 1, thank_you_after_payment: true });
  if (put.status !== 200) throw new Error(`policy: ${put.status} ${await put.text()}`);
  const debtor = newDebtorId();
  const address = { line1: "Stationsstraat 4", postal_code: "2800", city: "Mechelen", country: "BE" };
  const first = await invoiceBody(debtor, -2, { merchant_invoice_id: `A-${debtor}`, amount_cents: 4995, description: "Fietshelm met verlichting" });
  await register(t.key, { ...first, debtor: { ...first.debtor, locale: "nl-BE", time_zone: "Europe/Brussels", address } });
  const second = await invoiceBody(debtor, -1, { merchant_invoice_id: `B-${debtor}`, amount_cents: 8950 });
  await register(t.key, { ...second, debtor: { ...second.debtor, locale: "nl-BE", time_zone: "Europe/Brussels", address } });
  await advanceTo(3);
  await runDurableObjectAlarm(stubOf(t.id, debtor));
  const [mail] = await sandboxFor(t.id, debtor);
  const reference = /\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+/.exec(mail?.text ?? "")?.[0];
  if (!reference) throw new Error("the reminder shows no structured communication");
  return { t, debtor, reference, text: mail?.text ?? "" };
}

const pay = (key: string, body: Record<string, unknown>) => call(key, "POST", "/v1/payments", body);

describe("paying by bank transfer", () => {
  // The first reminder that carries the reference is a Belgian Book XIX first reminder by email.
  it("matches the structured communication to its debtor and pays the oldest invoice first; a repeat counts once", async () => {
    const { t, debtor, reference, text } = await remindedDebtor();
    // The reminder's links use the shop's own link domain, and it names the account to pay to.
    expect(text).toMatch(/https:\/\/betalen\.shop\.example\/d\/\S+/);
    expect(text).not.toContain("localhost");
    expect(text).toContain("BE68 5390 0754 7034");
    // Book XIX: the first reminder names the product, as the shop registered it with the invoice.
    expect(text).toContain("Fietshelm met verlichting");
    expect(text).toContain("Dit is een eerste herinnering. Deze herinnering is gratis.");
    const res = await pay(t.key, { reference, amount_cents: 6000, transaction_id: "TX-1" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as BankPayment;
    expect(body.debtor_id).toBe(debtor);
    expect(body.allocated).toEqual([
      { invoice_id: expect.any(String), merchant_invoice_id: `A-${debtor}`, amount_cents: 4995, outstanding_cents: 0, status: "paid" },
      { invoice_id: expect.any(String), merchant_invoice_id: `B-${debtor}`, amount_cents: 1005, outstanding_cents: 7945, status: "open" },
    ]);
    const again = (await (await pay(t.key, { reference, amount_cents: 6000, transaction_id: "TX-1" })).json()) as BankPayment;
    expect(again.replayed).toBe(true);
    expect(again.allocated.map((a) => a.amount_cents)).toEqual([4995, 1005]);
    const view = (await (await call(t.key, "GET", `/v1/debtors/${debtor}`)).json()) as { outstanding_cents: number };
    expect(view.outstanding_cents).toBe(7945);
  });

  it("reads the reference as people type it, reports an overpayment as unallocated, and thanks once everything is paid", async () => {
    const { t, debtor, reference } = await remindedDebtor();
    const typed = reference.replace(/\+/g, "").replace(/\//g, " ");
    const body = (await (await pay(t.key, { reference: typed, amount_cents: 15000, transaction_id: "TX-2" })).json()) as BankPayment;
    expect(body.allocated.map((a) => a.status)).toEqual(["paid", "paid"]);
    expect(body.unallocated_cents).toBe(15000 - 4995 - 8950);
    await vi.waitFor(async () => {
      await runDurableObjectAlarm(stubOf(t.id, debtor));
      expect((await sandboxFor(t.id, debtor)).at(-1)?.subject).toContain("bedankt voor uw betaling");
    }, { timeout: 30_000 });
  }, 60_000);

  it("matches an invoice number to that invoice first", async () => {
    const { t, debtor } = await remindedDebtor();
    const body = (await (await pay(t.key, { reference: `B-${debtor}`, amount_cents: 8950, transaction_id: "TX-3" })).json()) as BankPayment;
    expect(body.allocated).toEqual([expect.objectContaining({ merchant_invoice_id: `B-${debtor}`, amount_cents: 8950, status: "paid" })]);
  });

  it("never finds another tenant's debtor, and names an unknown or mistyped reference", async () => {
    const { reference } = await remindedDebtor();
    const other = await newTenant("BE");
    const res = await pay(other.key, { reference, amount_cents: 100, transaction_id: "TX-4" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("reference");
    const bad = await pay(other.key, { reference: "+++123/4567/89003+++", amount_cents: 100, transaction_id: "TX-5" });
    expect(bad.status).toBe(404);
    const invalid = await pay(other.key, { reference: reference, amount_cents: -1 });
    expect(invalid.status).toBe(422);
  });
});
