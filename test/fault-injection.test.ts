/**
 * Fault injection: many debtors due at once, live, while the provider answers 5xx and 429, times
 * out, and loses answers after accepting the email; queue messages are duplicated and lost;
 * Durable Objects are evicted mid-step; D1 is down for a while. Afterwards every due reminder was
 * accepted by the provider exactly once (counted at the fake per debtor and outbox, replays
 * under the same key excluded), none was lost, and each is accounted for in the debtor's
 * timeline and, once D1 is back, in D1's outcome events.
 *
 * `npm test` runs a small version (12 debtors); `npm run proof:faults` the same proof over
 * 10,000 debtors, in waves whose objects are evicted in between (local workerd's file limit).
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { resendAdapter } from "../workers/channels/resend";
import { advanceClock } from "../workers/clock";
import type { DispatchMessage } from "../workers/dispatch/consumer";
import { sweepOverdue } from "../workers/sweep";
import { fakeResend } from "./fake-resend";
import { advanceTo, goLive, invoiceBody, newDebtorId, newTenant, register, stubOf, useAdapters } from "./helpers";

const BASE = "https://resend.fault.test";
const DEBTORS: number = inject("faultDebtors");
const WAVE = 1000;
const mutableEnv = env as unknown as Record<string, unknown>;
const realQueue = env.DISPATCH_QUEUE;
const d1 = Object.getPrototypeOf(env.DB) as { prepare: (q: string) => unknown; batch: (s: unknown[]) => unknown };
const { prepare, batch } = d1;
let restore = () => {};

afterEach(() => {
  vi.restoreAllMocks();
  restore();
  d1.prepare = prepare;
  d1.batch = batch;
  mutableEnv.DISPATCH_QUEUE = realQueue;
  delete mutableEnv.DISPATCH_RETRY_BASE_MS;
});

/** A seeded generator, so a failing run can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

/** Runs `task` over `items`, `parallel` at a time. */
async function each<T>(items: T[], parallel: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) await task(items[next++] as T);
  }));
}

function d1Down(down: boolean): void {
  d1.prepare = down ? () => { throw new Error("D1_ERROR: network connection lost"); } : prepare;
  d1.batch = down ? async () => { throw new Error("D1_ERROR: network connection lost"); } : batch;
}

describe("fault injection", () => {
  it(`every due reminder is accepted by the provider exactly once, none lost (${DEBTORS} debtors)`, { timeout: DEBTORS > 100 ? 6 * 3600_000 : 180_000 }, async () => {
    const random = rng(20261123);
    const fake = fakeResend(BASE);
    const faults = { "5xx": 0, "429": 0, timeout: 0, lost_answer: 0, duplicate_message: 0, lost_message: 0, eviction: 0, d1_outage_s: 0 };
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new Request(input, init).url;
      if (!url.startsWith(BASE)) throw new Error(`unexpected fetch ${url}`);
      const roll = random();
      if (roll < 0.15) return faults["5xx"]++, new Response(JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "boom" }), { status: 500 });
      if (roll < 0.25) return faults["429"]++, new Response(JSON.stringify({ statusCode: 429, name: "rate_limit_exceeded", message: "slow down" }), { status: 429, headers: { "retry-after": "1" } });
      if (roll < 0.3) {
        faults.timeout++;
        throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      }
      const res = await fake.fetch(input, init);
      // Accepted, but the answer is lost on the way back: the retry must not send it again.
      if (roll < 0.38 && res.ok) {
        faults.lost_answer++;
        throw new TypeError("connection reset after the provider accepted");
      }
      return res;
    });
    restore = useAdapters(resendAdapter({ apiKey: "re_fault_injection", baseUrl: BASE, platformFrom: env.EMAIL_FROM }));
    mutableEnv.DISPATCH_RETRY_BASE_MS = "200";
    // The queue duplicates some messages and loses others (a crash of the local queue).
    mutableEnv.DISPATCH_QUEUE = {
      send: async (m: DispatchMessage, o?: QueueSendOptions) => {
        const roll = random();
        if (roll < 0.05) return void faults.lost_message++;
        await realQueue.send(m, o);
        if (roll < 0.15) faults.duplicate_message++, await realQueue.send(m, o);
      },
      sendBatch: (m: Iterable<MessageSendRequest<DispatchMessage>>, o?: QueueSendBatchOptions) => realQueue.sendBatch(m, o),
    };

    const t = await newTenant();
    await goLive(t.key);
    const all: string[] = [];
    for (let wave = 0; all.length < DEBTORS; wave++) {
      const debtors = Array.from({ length: Math.min(WAVE, DEBTORS - all.length) }, () => newDebtorId());
      all.push(...debtors);
      await each(debtors, 16, async (d) => register(t.key, await invoiceBody(d, -1)));
      await advanceTo(3);

      // All due at once; objects evicted at random while their steps run.
      await each(debtors, 16, async (d) => {
        const stub = stubOf(t.id, d);
        const run = runDurableObjectAlarm(stub);
        if (random() < 0.3) faults.eviction++, await evictDurableObject(stub).catch(() => undefined);
        await run.catch(() => undefined);
      });
      // D1 goes down while the queue is sending: objects plan with the run context they keep,
      // outcome events wait in the objects, and nothing may be sent twice for it.
      d1Down(true);
      const downSince = Date.now();
      await new Promise((r) => setTimeout(r, Math.min(10_000, 2000 + debtors.length * 5)));
      d1Down(false);
      faults.d1_outage_s += Math.round((Date.now() - downSince) / 1000);

      // Drive to completion: every round the clock moves two minutes (safety nets fire after one),
      // the sweep ticks whatever is overdue, and alarms and batches retry on their own.
      const waveSet = new Set(debtors);
      const sentInWave = () => new Set(fake.emails.filter((e) => waveSet.has(e.debtor ?? "")).map((e) => e.debtor)).size;
      const deadline = Date.now() + Math.max(120_000, debtors.length * 600);
      while (sentInWave() < debtors.length && Date.now() < deadline) {
        await advanceClock(env, 2 * 60_000);
        await sweepOverdue(env, 0).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 500));
      }
      // Let late retries and flushes finish, then check this wave.
      await advanceClock(env, 2 * 60_000);
      await sweepOverdue(env, 0);
      await new Promise((r) => setTimeout(r, 1000));
      console.log(`fault proof, wave ${wave + 1}: ${sentInWave()} of ${debtors.length} accepted; ${fake.emails.length} emails, ${fake.requests.length} provider requests so far; faults ${JSON.stringify(faults)}`);
      expect(sentInWave()).toBe(debtors.length);
      // Free this wave's objects before the next one opens a thousand more.
      if (DEBTORS > WAVE) await each(debtors, 16, (d) => evictDurableObject(stubOf(t.id, d)).catch(() => undefined));
    }
    await sweepOverdue(env, 0);

    // 0 duplicates: each debtor's first reminder was accepted once, under one key, however often it was retried.
    const perMessage = new Map<string, number>();
    for (const e of fake.emails) perMessage.set(`${e.debtor}/${e.outbox}`, (perMessage.get(`${e.debtor}/${e.outbox}`) ?? 0) + 1);
    const duplicates = [...perMessage.values()].reduce((s, n) => s + n - 1, 0);
    expect(duplicates).toBe(0);
    // 0 losses: every debtor's reminder reached the provider.
    expect(new Set(fake.emails.map((e) => e.debtor))).toEqual(new Set(all));
    // Every reminder accounted for: once in the debtor's timeline, and once in D1 after the outage.
    let timelineOnce = 0;
    await each(all, 16, async (d) => {
      const view = await stubOf(t.id, d).getDebtor(t.id);
      if (view.ok && view.value.timeline.filter((e) => e.type === "reminder.sent").length === 1) timelineOnce++;
    });
    expect(timelineOnce).toBe(all.length);
    const { results } = await env.DB.prepare("SELECT debtor_id, COUNT(*) AS n FROM outcome_events WHERE tenant_id = ? AND type = 'reminder.sent' GROUP BY debtor_id").bind(t.id).all<{ debtor_id: string; n: number }>();
    expect(results.length).toBe(all.length);
    expect(results.every((r) => r.n === 1)).toBe(true);
    // The faults really happened.
    expect(faults["5xx"] + faults["429"] + faults.timeout + faults.lost_answer).toBeGreaterThan(0);
    expect(faults.eviction).toBeGreaterThan(0);
    console.log(`fault proof: ${all.length} debtors, ${perMessage.size} reminders accepted once, ${duplicates} duplicates, 0 lost; faults ${JSON.stringify(faults)}; provider requests ${fake.requests.length}`);
  });
});
