/**
 * Pay-later advice: one worked example per rule (the expected advice worked out by hand from the
 * rule table in workers/pay-later.ts), and through the API: off until enabled, and a help request
 * alone never turns a "yes" into a "no".
 */
import { describe, expect, it } from "vitest";
import { type PayLaterFacts, payLaterAdvice } from "../workers/pay-later";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

const clean: PayLaterFacts = {
  locale: "nl-NL", today: "2027-03-10", remindersLast12Months: 0, handoversLast12Months: 0, missedInstalmentsLast12Months: 0, arrangementRunning: false,
  debtCounsellingActive: false, breathingSpaceActive: false, oldestOpenDueDate: null, paidOnTimeLast12Months: 0, invoicesLast12Months: 0,
};

describe("pay-later rules, worked examples", () => {
  it.each<[string, Partial<PayLaterFacts>, "yes" | "lower_limit" | "no", string[]]>([
    ["no history at all: yes, nothing to hold against anyone", {}, "yes", ["no_history"]],
    ["three invoices paid on time: yes", { paidOnTimeLast12Months: 3, invoicesLast12Months: 3 }, "yes", ["paid_on_time"]],
    ["one reminder in 12 months (a single slip): still yes", { remindersLast12Months: 1, paidOnTimeLast12Months: 2 }, "yes", ["paid_on_time"]],
    ["two reminders in 12 months: a lower limit", { remindersLast12Months: 2 }, "lower_limit", ["reminders"]],
    ["an arrangement running: a lower limit (no debt stacking)", { arrangementRunning: true }, "lower_limit", ["arrangement_running"]],
    // Due 2027-03-01, today 2027-03-10: 9 days overdue, under 30.
    ["an invoice 9 days overdue: a lower limit", { oldestOpenDueDate: "2027-03-01" }, "lower_limit", ["overdue"]],
    // Due 2027-02-08, today 2027-03-10: 20 days in February + 10 in March = 30 days.
    ["an invoice 30 days overdue: no", { oldestOpenDueDate: "2027-02-08" }, "no", ["long_overdue"]],
    ["an invoice handed over for collection this year: no", { handoversLast12Months: 1, paidOnTimeLast12Months: 4 }, "no", ["handed_over"]],
    ["an arrangement not kept this year: no", { missedInstalmentsLast12Months: 1 }, "no", ["missed_instalment"]],
    ["in debt counselling: no, to protect them", { debtCounsellingActive: true, paidOnTimeLast12Months: 5 }, "no", ["debt_counselling"]],
    ["a court breathing space: no, to protect them", { breathingSpaceActive: true }, "no", ["breathing_space"]],
    ["no wins over a lower limit, and every reason is given", { handoversLast12Months: 1, remindersLast12Months: 4, arrangementRunning: true }, "no", ["handed_over", "arrangement_running", "reminders"]],
  ])("%s", (_name, facts, advice, codes) => {
    const result = payLaterAdvice({ ...clean, ...facts });
    expect(result.advice).toBe(advice);
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
    for (const r of result.reasons) expect(r.message.length).toBeGreaterThan(10);
  });

  it("gives the reasons in the customer's language", () => {
    expect(payLaterAdvice({ ...clean, remindersLast12Months: 2 }).reasons[0]?.message).toBe("2 herinneringen in de laatste 12 maanden.");
    expect(payLaterAdvice({ ...clean, locale: "fr-BE", remindersLast12Months: 2 }).reasons[0]?.message).toBe("2 rappels au cours des 12 derniers mois.");
    expect(payLaterAdvice({ ...clean, locale: "en", arrangementRunning: true }).reasons[0]?.message).toBe("A payment arrangement is running.");
  });
});

describe("GET /v1/debtors/{id}/pay-later", () => {
  it("is off until the tenant enables it; a help request alone never turns yes into no; debt counselling protects", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, 10));
    expect((await call(t.key, "GET", `/v1/debtors/${d}/pay-later`)).status).toBe(409);
    await call(t.key, "PATCH", "/v1/settings", { pay_later_enabled: true });

    const advice = async () => ((await (await call(t.key, "GET", `/v1/debtors/${d}/pay-later`)).json()) as { advice: string; reasons: { code: string }[] });
    expect((await advice()).advice).toBe("yes");
    expect((await call(t.key, "POST", `/v1/debtors/${d}/actions`, { action: "help" })).status).toBe(200);
    const afterHelp = await advice();
    expect(afterHelp.advice).toBe("yes");
    expect(JSON.stringify(afterHelp)).not.toMatch(/help/i);

    await call(t.key, "POST", `/v1/debtors/${d}/stops`, { kind: "debt_counselling" });
    expect(await advice()).toMatchObject({ advice: "no", reasons: [{ code: "debt_counselling" }] });
    // Someone the shop never registered: nothing to weigh.
    expect(((await (await call(t.key, "GET", `/v1/debtors/${newDebtorId()}/pay-later`)).json()) as { advice: string }).advice).toBe("yes");
  });
});
