/**
 * The chain KPIs and the dashboard's rollups, end to end through the API and the debtor's object:
 * rollups follow invoices, payments and cancellations and never count an event twice; a cycle's
 * end is recorded once with its segment; later orders and NPS answers are stored once and counted
 * for the right cycle, segment and variant.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { daysBetween, weekOfDate } from "../workers/dashboard/weeks";
import { debtorLinkSecret, signDebtorLink } from "../workers/links";
import { addDays } from "../workers/zoned-time";
import { advanceTo, call, DAY, debtorSessionCookie, invoiceBody, newDebtorId, newTenant, openDebtorPage, register, sandboxFor, stubOf, today } from "./helpers";

const one = <T>(sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args).first<T>();

/** Marks every event of the debtor unflushed and lets the object flush again (a crash before its mark). */
async function reflush(tenantId: string, debtorId: string): Promise<void> {
  const stub = stubOf(tenantId, debtorId);
  await runInDurableObject(stub, (_i, s) => void s.storage.sql.exec("UPDATE events SET flushed = 0"));
  await stub.tick();
}

/** Pays an invoice in full. */
const pay = (key: string, id: string, cents: number) => call(key, "POST", `/v1/invoices/${id}/payments`, { amount_cents: cents });

describe("rollups as events land", () => {
  it("follow registrations, payments and cancellations, and a repeated flush counts nothing twice", async () => {
    const t = await newTenant();
    const [a, b] = [newDebtorId(), newDebtorId()];
    const due = addDays(await today(), -1);
    const inv1 = await register(t.key, await invoiceBody(a, -1, { amount_cents: 10_000 }));
    await register(t.key, await invoiceBody(a, -1, { amount_cents: 5_000 }));
    const inv3 = await register(t.key, await invoiceBody(b, -1, { amount_cents: 2_000 }));
    expect((await pay(t.key, inv1.id, 10_000)).status).toBe(200);
    expect((await call(t.key, "POST", `/v1/invoices/${inv3.id}/cancel`, { reason: "returned" })).status).toBe(200);

    const check = async () => {
      // Worked out by hand: 3 invoices (170.00), one paid (100.00), one cancelled (20.00): 50.00 open in one invoice.
      expect(await one("SELECT open_cents, open_invoices FROM rollup_tenant WHERE tenant_id = ?", t.id)).toEqual({ open_cents: 5_000, open_invoices: 1 });
      const week = await one<Record<string, number>>("SELECT SUM(invoices_registered) AS r, SUM(registered_cents) AS rc, SUM(invoices_paid) AS p, SUM(paid_cents) AS pc, SUM(invoices_cancelled) AS c FROM rollup_week WHERE tenant_id = ?", t.id);
      expect(week).toEqual({ r: 3, rc: 17_000, p: 1, pc: 10_000, c: 1 });
      expect(await one("SELECT invoices, paid, cancelled FROM rollup_cohort WHERE tenant_id = ? AND due_week = ?", t.id, weekOfDate(due))).toEqual({ invoices: 3, paid: 1, cancelled: 1 });
      // Paid one day after its due date.
      expect(await one("SELECT days, n FROM rollup_cohort_days WHERE tenant_id = ?", t.id)).toEqual({ days: 1, n: 1 });
    };
    await check();
    await reflush(t.id, a);
    await reflush(t.id, b);
    await check();
  });

  it("count each message in the funnel of its step and channel, and a payment after it by the days since", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const inv = await register(t.key, await invoiceBody(d, -4));
    await advanceTo(1);
    await stubOf(t.id, d).tick();
    const sentOn = await today();
    const sent = await one<{ n: number }>("SELECT COUNT(*) AS n FROM outcome_events WHERE tenant_id = ? AND type = 'reminder.sent'", t.id);
    expect(sent?.n).toBe(1);
    const funnel = await env.DB.prepare("SELECT step, channel, sent FROM rollup_funnel WHERE tenant_id = ?").bind(t.id).all();
    expect(funnel.results).toEqual([{ step: "reminder_1", channel: "email", sent: 1 }]);
    await advanceTo(2);
    expect((await pay(t.key, inv.id, 4995)).status).toBe(200);
    // Two days or more later (the helper skips Sundays and holidays): counted by the days in between.
    const days = daysBetween(sentOn, await today());
    expect(days).toBeGreaterThanOrEqual(2);
    expect(await one("SELECT step, channel, days, n FROM rollup_paid_after WHERE tenant_id = ?", t.id)).toEqual({ step: "reminder_1", channel: "email", days, n: 1 });
    await reflush(t.id, d);
    expect(await one("SELECT SUM(sent) AS sent FROM rollup_funnel WHERE tenant_id = ?", t.id)).toEqual({ sent: 1 });
    expect(await one("SELECT SUM(n) AS n FROM rollup_paid_after WHERE tenant_id = ?", t.id)).toEqual({ n: 1 });
  });
});

describe("cycles and later orders", () => {
  it("record a cycle once when nothing is open any more, with its segment, principal and lead time", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const due = addDays(await today(), -3);
    const inv = await register(t.key, await invoiceBody(d, -3, { amount_cents: 8_000 }));
    await advanceTo(1);
    await stubOf(t.id, d).tick();
    const decided = await one<{ data: string }>("SELECT data FROM outcome_events WHERE tenant_id = ? AND type = 'reminder.decided'", t.id);
    const segment = (JSON.parse(decided?.data ?? "{}") as { segment: string }).segment;
    expect(segment).toBeTruthy();
    await pay(t.key, inv.id, 3_000);
    await pay(t.key, inv.id, 5_000);
    const end = await today();
    const row = await one("SELECT cycle, outcome, segment, principal_cents, recovered_cents, lead_days, variant, end_date FROM debtor_cycles WHERE tenant_id = ? AND debtor_id = ?", t.id, d);
    // Due three days before the first day, ended a day (or, over a Sunday, two) later.
    expect(daysBetween(due, end)).toBeGreaterThanOrEqual(4);
    expect(row).toEqual({ cycle: 1, outcome: "paid", segment, principal_cents: 8_000, recovered_cents: 8_000, lead_days: daysBetween(due, end), variant: "none", end_date: end });
    await reflush(t.id, d);
    expect(await one("SELECT cycles, ended_well, principal_cents FROM rollup_cycles WHERE tenant_id = ? AND dim = 'segment' AND key = ?", t.id, segment)).toEqual({ cycles: 1, ended_well: 1, principal_cents: 8_000 });
  });

  it("store an order once by its id, refuse the same id with another amount, and count it for the cycle before it", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const inv = await register(t.key, await invoiceBody(d, -1, { amount_cents: 4_000 }));
    expect((await pay(t.key, inv.id, 4_000)).status).toBe(200);
    const end = await today();
    // An order before the cycle ended does not count; one 10 days after does (90 and 180); one 100 days after only for 180.
    expect((await call(t.key, "POST", `/v1/debtors/${d}/orders`, { order_id: "O-0", date: addDays(end, -2), amount_cents: 999 })).status).toBe(201);
    const first = await call(t.key, "POST", `/v1/debtors/${d}/orders`, { order_id: "O-1", date: addDays(end, 10), amount_cents: 3_000 });
    expect(first.status).toBe(201);
    expect((await call(t.key, "POST", `/v1/debtors/${d}/orders`, { order_id: "O-1", date: addDays(end, 10), amount_cents: 3_000 })).status).toBe(200);
    const clash = await call(t.key, "POST", `/v1/debtors/${d}/orders`, { order_id: "O-1", date: addDays(end, 10), amount_cents: 3_100 });
    expect(clash.status).toBe(409);
    const batch = await call(t.key, "POST", "/v1/orders", {
      orders: [
        { debtor_id: d, order_id: "O-2", date: addDays(end, 100), amount_cents: 2_000 },
        { debtor_id: d, order_id: "O-2", date: addDays(end, 100), amount_cents: 2_000 },
        { debtor_id: "nobody-here", order_id: "O-3", date: end, amount_cents: 1 },
      ],
    });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(["recorded", "duplicate", "unknown_debtor"]);
    const kept = { reordered_90: 1, reordered_180: 1, revenue_90_cents: 3_000, revenue_180_cents: 5_000 };
    const read = () => one("SELECT reordered_90, reordered_180, revenue_90_cents, revenue_180_cents FROM rollup_cycles WHERE tenant_id = ? AND dim = 'all'", t.id);
    expect(await read()).toEqual(kept);
    expect(await one("SELECT COUNT(*) AS n FROM debtor_orders WHERE tenant_id = ?", t.id)).toEqual({ n: 3 });
    await reflush(t.id, d);
    expect(await read()).toEqual(kept);
  });

  it("count orders reported before the cycle ended once it ends", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const inv = await register(t.key, await invoiceBody(d, -1, { amount_cents: 4_000 }));
    const end = await today();
    expect((await call(t.key, "POST", `/v1/debtors/${d}/orders`, { order_id: "EARLY", date: addDays(end, 30), amount_cents: 1_500 })).status).toBe(201);
    await pay(t.key, inv.id, 4_000);
    expect(await one("SELECT cycles, reordered_90, revenue_90_cents FROM rollup_cycles WHERE tenant_id = ? AND dim = 'all'", t.id)).toEqual({ cycles: 1, reordered_90: 1, revenue_90_cents: 1_500 });
  });
});

describe("NPS after a cycle that ended well", () => {
  /** A tenant that asks for feedback. */
  async function askingTenant() {
    const t = await newTenant();
    const res = await call(t.key, "PUT", "/v1/policy", { ...DEFAULT_POLICY, version: 1, nps_after_cycle: true });
    expect(res.status).toBe(200);
    return t;
  }
  /** A debtor who got one reminder and then paid. */
  async function paidAfterReminder(t: { id: string; key: string }, flags?: { vulnerable: boolean }) {
    const d = newDebtorId();
    const inv = await register(t.key, await invoiceBody(d, -3));
    if (flags) await call(t.key, "PUT", `/v1/debtors/${d}/flags`, flags);
    await advanceTo(1);
    await stubOf(t.id, d).tick();
    expect((await pay(t.key, inv.id, 4995)).status).toBe(200);
    const token = await signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t.id, debtorId: d, exp: Date.now() + 60 * DAY });
    return { d, token };
  }
  const answer = (token: string, body: unknown) => call(null, "POST", `/d/${token}/nps`, body);

  it("is asked on the page, stored once for the cycle with its segment and variant, and counted", async () => {
    const t = await askingTenant();
    const { d, token } = await paidAfterReminder(t);
    // A thank-you email (sent for the question even without thank_you_after_payment: the cycle's
    // old links end with it) links to the question; sandbox messages go out when the alarm runs.
    await stubOf(t.id, d).tick();
    const thanks = (await sandboxFor(t.id, d)).find((m) => m.html.includes("#nps"));
    const link = /href="[^"]*(\/d\/[^"#]+)#nps"/.exec(thanks?.html ?? "")?.[1];
    expect(link).toBeDefined();
    // The page behind that link (a session cookie, as a browser gets it) asks, and its form answers.
    const page = await (await openDebtorPage(link ?? "")).text();
    expect(page).toContain('<form method="post" action="/d/nps">');
    const form = await call(null, "POST", "/d/nps", "score=9&comment=Fijn+geholpen", { "content-type": "application/x-www-form-urlencoded", cookie: debtorSessionCookie() });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain("Bedankt voor uw antwoord");
    // A second answer for the same cycle changes nothing.
    expect((await answer(token, { score: 2 })).status).toBe(200);
    const cycle = await one<{ segment: string }>("SELECT segment FROM debtor_cycles WHERE tenant_id = ? AND debtor_id = ?", t.id, d);
    expect(await one("SELECT cycle, score, comment, segment, variant FROM nps_responses WHERE tenant_id = ? AND debtor_id = ?", t.id, d)).toEqual({ cycle: 1, score: 9, comment: "Fijn geholpen", segment: cycle?.segment, variant: "none" });
    expect(await one("SELECT SUM(nps_promoters) AS p, SUM(nps_detractors) AS x FROM rollup_week WHERE tenant_id = ?", t.id)).toEqual({ p: 1, x: 0 });
    expect(await one("SELECT nps_promoters FROM rollup_cycles WHERE tenant_id = ? AND dim = 'segment' AND key = ?", t.id, cycle?.segment)).toEqual({ nps_promoters: 1 });
    // The page no longer asks.
    expect(await (await openDebtorPage(link ?? "")).text()).not.toContain("/nps");
  });

  it("is erased with the debtor: the comment goes, the score and the cycle's figures stay under the pseudonym", async () => {
    const t = await askingTenant();
    const { d, token } = await paidAfterReminder(t);
    expect((await answer(token, { score: 6, comment: "Mijn naam is Sanne en ik woon in Delft" })).status).toBe(200);
    expect((await call(t.key, "POST", `/v1/debtors/${d}/orders`, { order_id: "ERASE-1", date: await today(), amount_cents: 100 })).status).toBe(201);
    const exported = (await (await call(t.key, "GET", `/v1/debtors/${d}/export`)).json()) as { nps_answers: { comment: string }[]; later_orders: { order_id: string }[] };
    expect(exported.nps_answers.map((a) => a.comment)).toEqual(["Mijn naam is Sanne en ik woon in Delft"]);
    expect(exported.later_orders.map((o) => o.order_id)).toEqual(["ERASE-1"]);
    expect((await call(t.key, "DELETE", `/v1/debtors/${d}`)).status).toBe(200);
    for (const table of ["nps_responses", "debtor_cycles", "debtor_orders"]) {
      expect({ table, n: (await one<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ? AND debtor_id = ?`, t.id, d))?.n }).toEqual({ table, n: 0 });
    }
    expect(await one("SELECT score, comment FROM nps_responses WHERE tenant_id = ?", t.id)).toEqual({ score: 6, comment: null });
  });

  it("is never asked of a protected debtor, nor twice within half a year, nor when the tenant does not ask", async () => {
    const t = await askingTenant();
    const vulnerable = await paidAfterReminder(t, { vulnerable: true });
    expect((await answer(vulnerable.token, { score: 10 })).status).toBe(409);
    const again = await paidAfterReminder(t);
    expect((await answer(again.token, { score: 8 })).status).toBe(200);
    // A second cycle of the same debtor, ended well within half a year: no new question.
    const inv = await register(t.key, await invoiceBody(again.d, -3));
    await advanceTo(1);
    await stubOf(t.id, again.d).tick();
    await pay(t.key, inv.id, 4995);
    expect(await one("SELECT COUNT(*) AS n FROM outcome_events WHERE tenant_id = ? AND debtor_id = ? AND type = 'nps.offered'", t.id, again.d)).toEqual({ n: 1 });
    const quiet = await newTenant();
    const other = await paidAfterReminder(quiet);
    expect((await answer(other.token, { score: 9 })).status).toBe(409);
    expect(await one("SELECT COUNT(*) AS n FROM nps_responses WHERE tenant_id IN (?, ?)", quiet.id, t.id)).toEqual({ n: 1 });
  });
});
