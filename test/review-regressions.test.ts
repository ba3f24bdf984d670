/**
 * Regressions for defects found in review: each test failed before its fix. They cover what a
 * debtor or merchant would notice: messages that must not go out, pauses that must end, costs
 * that must not be charged, invoices that must stay payable.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { advanceClock, loadClock } from "../workers/clock";
import { debtorLinkSecret, signDebtorLink } from "../workers/links";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { fakeResend } from "./fake-resend";
import { fakeTwilio } from "./fake-twilio";
import { resendAdapter } from "../workers/channels/resend";
import { twilioAdapter } from "../workers/channels/twilio";
import { advanceTo, call, DAY, goLive, invoiceBody, newDebtorId, newTenant, openDebtorPage, register, settleDispatch, stubOf, useAdapters } from "./helpers";

const PHONE = "+31612345678";
let restore = () => {};
afterEach(() => {
  vi.restoreAllMocks();
  restore();
});
const clockNow = async () => (await loadClock(env)).now();
const link = async (t: string, d: string) => signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t, debtorId: d, exp: (await clockNow()) + 400 * DAY });
async function sandbox(t: string, d: string) {
  await settleDispatch(t, d);
  return (await env.DB.prepare("SELECT channel FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ? ORDER BY created_at, rowid").bind(t, d).all<{ channel: string }>()).results.map((r) => r.channel);
}
async function withPhone(d: string, due: number) {
  const b = await invoiceBody(d, due);
  return { ...b, debtor: { ...b.debtor, phone: PHONE } };
}
const fire = async (s: ReturnType<typeof stubOf>) => {
  await runDurableObjectAlarm(s);
  await s.tick();
};

describe("messages that must not go out", () => {
  it("a repeated arrangement request is refused: one confirmation SMS and one email, not five", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await withPhone(d, -1));
    await advanceTo(1);
    const token = await link(t.id, d);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(null, "POST", `/d/${token}/actions`, { action: "arrangement", instalments: 2 })).status);
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    await fire(stubOf(t.id, d));
    const sent = await sandbox(t.id, d);
    expect(sent.filter((c) => c === "sms")).toHaveLength(1);
    expect(sent.filter((c) => c === "email")).toHaveLength(1);
  });

  it("an arrangement is never confirmed by SMS to a number that opted out", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await withPhone(d, -1));
    await advanceTo(1);
    await call(t.key, "PUT", `/v1/debtors/${d}/channels/sms`, { blocked: true, reason: "opted_out" });
    expect((await call(null, "POST", `/d/${await link(t.id, d)}/actions`, { action: "arrangement", instalments: 2 })).status).toBe(200);
    await fire(stubOf(t.id, d));
    expect(await sandbox(t.id, d)).toEqual(["email"]);
  });

  it("a send retrying after a provider error is suppressed once a debt counsellor's notice arrives", async () => {
    const fake = fakeResend("https://resend.regress.test");
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    restore = useAdapters(resendAdapter({ apiKey: "re_regress", baseUrl: "https://resend.regress.test", platformFrom: env.EMAIL_FROM }));
    const t = await newTenant();
    await goLive(t.key);
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const stub = stubOf(t.id, d);
    await advanceTo(3);
    fake.failNext.push(500);
    await fire(stub);
    await settleDispatch(t.id, d);
    expect(fake.requests).toHaveLength(1);
    expect(fake.accepted.size).toBe(0);
    expect((await call(t.key, "POST", `/v1/debtors/${d}/stops`, { kind: "debt_counselling" })).status).toBe(200);
    await advanceClock(env, 10 * 60_000);
    await fire(stub);
    await settleDispatch(t.id, d);
    expect(fake.accepted.size).toBe(0);
  });

  it("a bounce reported after the debtor disputed does not send the step again on another channel", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await withPhone(d, -1));
    const stub = stubOf(t.id, d);
    await advanceTo(3);
    await fire(stub);
    expect(await sandbox(t.id, d)).toEqual(["email"]);
    const outboxId = await runInDurableObject(stub, (_i, s) => s.storage.sql.exec<{ id: string }>("SELECT id FROM outbox WHERE channel = 'email'").one().id);
    expect((await call(null, "POST", `/d/${await link(t.id, d)}/actions`, { action: "dispute", reason: "Never received the goods" })).status).toBe(200);
    await advanceClock(env, 60 * 60_000);
    await stub.channelEvent(t.id, { provider: "resend", providerEventId: "evt_late_bounce", outboxId, channel: "email", type: "bounced", permanent: true, occurredAt: await clockNow() });
    await fire(stub);
    expect(await sandbox(t.id, d)).toEqual(["email"]);
  });

  it("an SMS that may have gone out before a crash is not sent a second time (Twilio has no idempotency key)", async () => {
    const fake = fakeTwilio("https://twilio.regress.test", "ACregress", "tok");
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    restore = useAdapters(twilioAdapter({ accountSid: "ACregress", authToken: "tok", from: "+3197010000000", baseUrl: "https://twilio.regress.test", publicBaseUrl: "https://kindly.example" }));
    const t = await newTenant();
    await goLive(t.key);
    const d = newDebtorId();
    await register(t.key, await withPhone(d, -1));
    const stub = stubOf(t.id, d);
    await advanceTo(1);
    expect((await call(null, "POST", `/d/${await link(t.id, d)}/actions`, { action: "arrangement", instalments: 2 })).status).toBe(200);
    await fire(stub);
    await settleDispatch(t.id, d);
    expect(fake.messages).toHaveLength(1);
    // The crash: the row is back in "sending" with its in-flight marker, and due again.
    await runInDurableObject(stub, (_i, s) => {
      s.storage.sql.exec("UPDATE outbox SET status = 'sending', last_error = 'in_flight' WHERE channel = 'sms'");
      s.storage.sql.exec("INSERT OR REPLACE INTO schedules (id, kind, due_at, payload) SELECT 'dispatch:' || id, 'dispatch', 0, '{}' FROM outbox WHERE channel = 'sms'");
    });
    await fire(stub);
    await settleDispatch(t.id, d);
    expect(fake.messages).toHaveLength(1);
  });
});

describe("pauses that must end", () => {
  it("a paid-off arrangement does not keep the next invoice's reminders paused", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const inv = await register(t.key, await withPhone(d, -1));
    const stub = stubOf(t.id, d);
    await advanceTo(1);
    expect((await call(null, "POST", `/d/${await link(t.id, d)}/actions`, { action: "arrangement", instalments: 2 })).status).toBe(200);
    expect((await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 })).status).toBe(200);
    await advanceTo(90);
    await fire(stub);
    await register(t.key, await withPhone(d, -1));
    const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { paused: { kind: string } | null; next_step: { key: string } | null };
    expect(view.paused).toBeNull();
    expect(view.next_step?.key).toBe("reminder_1");
  });
});

describe("costs", () => {
  it("costs a letter did not announce are never charged, even when the tenant turns BIK on later", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const address = { line1: "Dorpsstraat 1", postal_code: "1234 AB", city: "Utrecht", country: "NL" };
    for (let i = 0; i < 2; i++) {
      const b = await invoiceBody(d, -1);
      await register(t.key, { ...b, debtor: { ...b.debtor, phone: PHONE, address } });
    }
    const stub = stubOf(t.id, d);
    for (const days of [3, 7, 7]) {
      await advanceTo(days);
      await runDurableObjectAlarm(stub);
      await settleDispatch(t.id, d);
    }
    expect((await sandbox(t.id, d)).at(-1)).toBe("letter");
    expect((await call(t.key, "PUT", "/v1/policy", { ...DEFAULT_POLICY, version: 1, costs: { ...DEFAULT_POLICY.costs, nl_bik_enabled: true } })).status).toBe(200);
    for (const days of [6, 5, 10]) {
      await advanceTo(days);
      await runDurableObjectAlarm(stub);
      await settleDispatch(t.id, d);
    }
    const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { timeline: { type: string; data: Record<string, unknown> }[] };
    const handovers = view.timeline.filter((e) => e.type === "invoice.handover_ready");
    expect(handovers).toHaveLength(2);
    expect(handovers.map((h) => h.data.costs_cents)).toEqual([0, 0]);
  });
});

describe("registration", () => {
  it("when the answer from the debtor's object is lost, the retry returns an invoice that can be paid", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    const real = env.DEBTOR;
    let failOnce = true;
    const wrapped = {
      idFromName: (n: string) => real.idFromName(n),
      get: (id: DurableObjectId) =>
        new Proxy(real.get(id), {
          get(target, prop) {
            if (prop === "registerInvoice" && failOnce) {
              return async (...a: Parameters<typeof target.registerInvoice>) => {
                await target.registerInvoice(...a);
                failOnce = false;
                throw new Error("Network connection lost.");
              };
            }
            const v = Reflect.get(target, prop) as unknown;
            return typeof v === "function" ? (v as (...x: unknown[]) => unknown).bind(target) : v;
          },
        }),
    };
    Object.defineProperty(env, "DEBTOR", { value: wrapped, configurable: true, writable: true });
    try {
      expect((await call(t.key, "POST", "/v1/invoices", body, { "idempotency-key": "k1" })).status).toBe(500);
    } finally {
      Object.defineProperty(env, "DEBTOR", { value: real, configurable: true, writable: true });
    }
    const inv = (await (await call(t.key, "POST", "/v1/invoices", body, { "idempotency-key": "k1" })).json()) as { id: string };
    expect((await call(t.key, "GET", `/v1/invoices/${inv.id}`)).status).toBe(200);
    expect((await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 })).status).toBe(200);
  });
});

describe("choices that must not postpone reminders for ever", () => {
  it("'I already paid' pauses once a month; saying it again does not start a new pause", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const token = await link(t.id, d);
    const first = (await (await call(null, "POST", `/d/${token}/actions`, { action: "already_paid" })).json()) as { until: string };
    await advanceClock(env, 6 * DAY);
    const again = (await (await call(null, "POST", `/d/${token}/actions`, { action: "already_paid" })).json()) as { until: string };
    expect(again.until).toBe(first.until);
    const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { pauses: { kind: string }[] };
    expect(view.pauses.filter((p) => p.kind === "already_paid")).toHaveLength(1);
  });

  it("the latest payment date counts from the due date, not from today", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -20)); // due 20 days ago; the default limit is 30 days after it
    const token = await link(t.id, d);
    const { today } = await import("./helpers");
    const { addDays } = await import("../workers/zoned-time");
    const tooLate = await call(null, "POST", `/d/${token}/actions`, { action: "payment_date", date: addDays(await today(), 15) });
    expect(tooLate.status).toBe(422);
    const fine = await call(null, "POST", `/d/${token}/actions`, { action: "payment_date", date: addDays(await today(), 8) });
    expect(fine.status).toBe(200);
  });
});

describe("payments", () => {
  it("a reused Idempotency-Key with another amount is a new payment; the same amount is the same payment", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const inv = await register(t.key, await invoiceBody(d, 10, { amount_cents: 10_000 }));
    const stub = stubOf(t.id, d);
    await stub.recordPayment(t.id, inv.id, { amount_cents: 1_000 }, "pay-key");
    await stub.recordPayment(t.id, inv.id, { amount_cents: 1_000 }, "pay-key");
    const after = await stub.recordPayment(t.id, inv.id, { amount_cents: 2_500 }, "pay-key");
    expect(after.ok && after.value.paid_cents).toBe(3_500);
  });
});

describe("links people can type", () => {
  it("an SMS carries a short link that opens the debtor's own page", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await withPhone(d, -1));
    await advanceTo(1);
    expect((await call(null, "POST", `/d/${await link(t.id, d)}/actions`, { action: "arrangement", instalments: 2 })).status).toBe(200);
    await fire(stubOf(t.id, d));
    await settleDispatch(t.id, d);
    const sms = await env.DB.prepare("SELECT text FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ? AND channel = 'sms'").bind(t.id, d).first<{ text: string }>();
    const short = /\/l\/[2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5}/.exec(sms?.text ?? "")?.[0];
    expect(short).toBeDefined();
    // The code becomes a session cookie and a redirect to /d, as a phone's browser would follow.
    const page = await openDebtorPage(short ?? "/l/none");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("49,95");
    expect((await call(null, "GET", "/l/ZZZZ-ZZZZ")).status).toBe(404);
  });
});
