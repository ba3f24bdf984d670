/**
 * Fault injection: many debtors due at once while the provider answers 5xx, 429 and times out
 * (sometimes after accepting the email), queue messages are duplicated and Durable Objects are
 * evicted mid-step. Afterwards every due reminder was accepted by the provider exactly once
 * (counted at the fake by idempotency key) and none was lost.
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sweepOverdue } from "../workers/sweep";
import { fakeResend } from "./fake-resend";
import { resendAdapter } from "../workers/channels/resend";
import { advanceTo, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, stubOf, useAdapters } from "./helpers";

const BASE = "https://resend.fault.test";
const mutableEnv = env as unknown as Record<string, string | undefined>;
let restore = () => {};

afterEach(() => {
  vi.restoreAllMocks();
  restore();
  delete mutableEnv.DISPATCH_RETRY_BASE_MS;
});

/** A seeded generator, so a failing run can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

describe("fault injection", { timeout: 120_000 }, () => {
  it("every due reminder is accepted by the provider exactly once, none lost", async () => {
    const random = rng(20261123);
    const fake = fakeResend(BASE);
    let accepted = 0;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new Request(input, init).url;
      if (!url.startsWith(BASE)) throw new Error(`unexpected fetch ${url}`);
      const roll = random();
      if (roll < 0.15) return new Response(JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "boom" }), { status: 500 });
      if (roll < 0.25) return new Response(JSON.stringify({ statusCode: 429, name: "rate_limit_exceeded", message: "slow down" }), { status: 429, headers: { "retry-after": "1" } });
      if (roll < 0.32) throw new TypeError("network timeout");
      const res = await fake.fetch(input, init);
      // Emails in the accepted request (a batch carries several).
      const sent = JSON.parse(String(init?.body ?? "{}")) as unknown;
      if (res.ok) accepted += Array.isArray(sent) ? sent.length : 1;
      // Accepted, but the answer is lost on the way back: the retry must not send it again.
      if (roll < 0.4) throw new TypeError("connection reset after the provider accepted");
      return res;
    });
    restore = useAdapters(resendAdapter({ apiKey: "re_fault_injection", baseUrl: BASE, platformFrom: env.EMAIL_FROM }));
    mutableEnv.DISPATCH_RETRY_BASE_MS = "200";

    const t = await newTenant();
    await goLive(t.key);
    const debtors = Array.from({ length: 12 }, () => newDebtorId());
    for (const d of debtors) await register(t.key, await invoiceBody(d, -1));
    await advanceTo(3);

    // All due at once; objects evicted at random while their steps run; duplicate queue messages.
    await Promise.all(
      debtors.map(async (d) => {
        const stub = stubOf(t.id, d);
        const run = runDurableObjectAlarm(stub);
        if (random() < 0.3) await evictDurableObject(stub).catch(() => undefined);
        await run.catch(() => undefined);
      }),
    );
    for (const d of debtors.filter(() => random() < 0.3)) {
      await env.DISPATCH_QUEUE.send({ tenantId: t.id, debtorId: d, outboxId: "ob_c1_s0_email", channel: "email" });
    }

    // Drive to completion: alarms and the sweep pick up whatever backed off or was interrupted.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await sweepOverdue(env, 0);
      await Promise.all(debtors.map((d) => settleDispatch(t.id, d, 30_000)));
      const statuses = await Promise.all(debtors.map((d) => stubOf(t.id, d).getDebtor(t.id)));
      const sent = statuses.filter((s) => s.ok && s.value.timeline.some((e) => e.type === "reminder.sent")).length;
      if (sent === debtors.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 300));
    }

    expect(fake.accepted.size).toBe(debtors.length);
    // Every email was accepted at least once, some of them again under the same key after a lost answer.
    expect(accepted).toBeGreaterThanOrEqual(debtors.length);
    // Counted per email (a batch member is its batch's key and its place in it): each debtor's
    // reminder was accepted once, under one key, however often it was retried.
    const perRecipient = new Map<string, number>();
    for (const e of fake.emails) perRecipient.set(`${e.debtor}/${e.outbox}`, (perRecipient.get(`${e.debtor}/${e.outbox}`) ?? 0) + 1);
    expect(perRecipient.size).toBe(debtors.length);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    for (const d of debtors) {
      const view = await stubOf(t.id, d).getDebtor(t.id);
      expect(view.ok && view.value.timeline.filter((e) => e.type === "reminder.sent")).toHaveLength(1);
    }
  });
});
