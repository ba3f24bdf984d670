import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweepOverdue } from "../workers/sweep";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, sandboxFor, settleDispatch, stubOf, useAdapters, takeD1Down } from "./helpers";

const timelineTypes = async (key: string, debtor: string) =>
  ((await (await call(key, "GET", `/v1/debtors/${debtor}`)).json()) as { timeline: { type: string }[] }).timeline.map((e) => e.type).reverse();

describe("nothing lost, nothing sent twice", () => {
  it("a crash after the provider accepted but before the outbox was updated sends nothing twice", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -1));
    await advanceTo(3);
    const stub = stubOf(t.id, debtor);
    await stub.tick();
    const [first] = await sandboxFor(t.id, debtor);
    expect(first).toBeDefined();
    // Simulate the crash: the row is back in "sending" and its dispatch is due again.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE outbox SET status = 'sending'");
      state.storage.sql.exec("INSERT INTO schedules (id, kind, due_at, payload) SELECT 'dispatch:' || id, 'dispatch', 0, '{}' FROM outbox");
    });
    await runDurableObjectAlarm(stub);
    await stub.tick();
    expect(await sandboxFor(t.id, debtor)).toHaveLength(1);
  });

  it("an evicted Durable Object picks up its ladder from storage", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -1));
    const stub = stubOf(t.id, debtor);
    await evictDurableObject(stub).catch(() => undefined); // not running is fine too
    await advanceTo(3);
    await runDurableObjectAlarm(stub);
    expect(await sandboxFor(t.id, debtor)).toHaveLength(1);
  });

  it("when the alarm is lost (retries exhausted), the sweep still sends the reminder", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -1));
    const stub = stubOf(t.id, debtor);
    await runInDurableObject(stub, async (_i, state) => state.storage.deleteAlarm());
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    await advanceTo(3);
    const swept = await sweepOverdue(env, 0);
    expect(swept.debtors).toBeGreaterThanOrEqual(1);
    expect(await sandboxFor(t.id, debtor)).toHaveLength(1);
    // ...and the debtor has an alarm again for the next step.
    expect(await runInDurableObject(stub, async (_i, state) => state.storage.getAlarm())).not.toBeNull();
  });

  // Twelve debtors racing at once: on a loaded two-core machine this takes several seconds.
  it("a payment racing the reminder: nothing is sent after the payment was acknowledged", { timeout: 30_000 }, async () => {
    const t = await newTenant();
    const debtors = Array.from({ length: 12 }, () => newDebtorId());
    const invoices = await Promise.all(debtors.map(async (d) => register(t.key, await invoiceBody(d, -1))));
    await advanceTo(3);
    await Promise.all(
      debtors.map(async (d, i) => {
        const pay = async () => {
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5)));
          const res = await call(t.key, "POST", `/v1/invoices/${invoices[i]?.id}/payments`, { amount_cents: 4995 });
          expect(res.status).toBe(200);
        };
        await Promise.all([runDurableObjectAlarm(stubOf(t.id, d)), pay()]);
      }),
    );
    for (const d of debtors) {
      const types = await timelineTypes(t.key, d);
      const paidAt = types.indexOf("payment.received");
      const sentAt = types.indexOf("reminder.sent");
      expect(paidAt).toBeGreaterThanOrEqual(0);
      if (sentAt >= 0) expect(sentAt).toBeLessThan(paidAt);
      expect((await sandboxFor(t.id, d)).length).toBe(sentAt >= 0 ? 1 : 0);
    }
  });

  it("outcome events reach D1 once each", async () => {
    const t = await newTenant();
    const debtor = newDebtorId();
    const inv = await register(t.key, await invoiceBody(debtor, -1));
    await advanceTo(3);
    await stubOf(t.id, debtor).tick();
    await settleDispatch(t.id, debtor);
    await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 });
    const { results } = await env.DB.prepare("SELECT type FROM outcome_events WHERE tenant_id = ? AND debtor_id = ? ORDER BY occurred_at, rowid")
      .bind(t.id, debtor)
      .all<{ type: string }>();
    const types = results.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(["invoice.registered", "reminder.scheduled", "reminder.sent", "payment.received", "invoice.closed"]));
    expect(types.filter((x) => x === "reminder.sent")).toHaveLength(1);
  });
});

describe("D1 briefly unavailable", () => {
  it("the due reminder still goes out, and its outcome events land in D1 later, once", async () => {
    const { fakeResend } = await import("./fake-resend");
    const { vi } = await import("vitest");
    const { resendAdapter } = await import("../workers/channels/resend");
    const fake = fakeResend("https://resend.d1down.test");
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const restore = useAdapters(resendAdapter({ apiKey: "re_d1_down", baseUrl: "https://resend.d1down.test", platformFrom: env.EMAIL_FROM }));
    let bringD1Back = () => {};
    try {
      const t = await newTenant();
      await goLive(t.key);
      const debtor = newDebtorId();
      await register(t.key, await invoiceBody(debtor, -1));
      const stub = stubOf(t.id, debtor);
      await advanceTo(3);
      // The object remembers its run context on every load; in tests the dev clock's offset is
      // part of it (it lives in D1 too), so let it load once at the new time.
      await stub.selfServiceView(t.id);
      // D1 goes away: every statement fails.
      bringD1Back = takeD1Down();
      await runDurableObjectAlarm(stub);
      await settleDispatch(t.id, debtor);
      expect(fake.accepted.size).toBe(1);
      // D1 is back: the next run flushes what waited, once.
      bringD1Back();
      await advanceTo(1);
      await stub.tick();
      await stub.tick();
      const { results } = await env.DB.prepare("SELECT type FROM outcome_events WHERE tenant_id = ? AND debtor_id = ? AND type = 'reminder.sent'").bind(t.id, debtor).all();
      expect(results).toHaveLength(1);
      expect(fake.accepted.size).toBe(1);
    } finally {
      bringD1Back();
      vi.restoreAllMocks();
      restore();
    }
  });
});
