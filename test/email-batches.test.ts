/**
 * Emails go to Resend in batches of up to 100 (`POST /emails/batch`), safely: a batch's members
 * and bytes are stored before the call under a key derived from the batch, each member is checked
 * when it is frozen, and a payment after freezing is handled like one racing a single send.
 * The dispatch queue is replaced by a recorder here, so each test hands the consumer exactly the
 * messages it means to (the real queue's timing would decide the batches otherwise).
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resendAdapter } from "../workers/channels/resend";
import { batchStub } from "../workers/dispatch/batch-stub";
import { handleDispatchBatch, type DispatchMessage } from "../workers/dispatch/consumer";
import { pacerStub } from "../workers/dispatch/pacer-do";
import { fakeResend, type FakeResend } from "./fake-resend";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, stubOf, useAdapters } from "./helpers";

const BASE = "https://resend.batch.test";
const mutableEnv = env as unknown as Record<string, unknown>;
const realQueue = env.DISPATCH_QUEUE;
let queued: DispatchMessage[] = [];
let restore = () => {};
let fake: FakeResend;

beforeEach(() => {
  queued = [];
  mutableEnv.DISPATCH_QUEUE = { send: async (m: DispatchMessage) => void queued.push(m), sendBatch: async () => undefined };
  fake = fakeResend(BASE);
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => fake.fetch(input, init));
  restore = useAdapters(resendAdapter({ apiKey: "re_batch_test", baseUrl: BASE, platformFrom: env.EMAIL_FROM }));
});

afterEach(() => {
  mutableEnv.DISPATCH_QUEUE = realQueue;
  vi.restoreAllMocks();
  restore();
});

/** A queue batch of these messages, recording what the consumer acked and retried. */
function messageBatch(bodies: DispatchMessage[]) {
  const acked: string[] = [];
  const retried: string[] = [];
  const messages = bodies.map((body, i) => ({
    id: `m${i}`, timestamp: new Date(), body, attempts: 1,
    ack: () => void acked.push(body.debtorId), retry: () => void retried.push(body.debtorId),
  }));
  return { batch: { queue: "kindly-dispatch", messages, ackAll: () => {}, retryAll: () => {} } as unknown as MessageBatch<unknown>, acked, retried };
}

/** `n` debtors of one live tenant with a reminder due now; their first step decided (rows on the recorded queue). */
async function dueDebtors(n: number) {
  const t = await newTenant();
  await goLive(t.key);
  const debtors = Array.from({ length: n }, () => newDebtorId());
  const invoices = await Promise.all(debtors.map(async (d) => register(t.key, await invoiceBody(d, -1))));
  await advanceTo(3);
  await Promise.all(debtors.map((d) => runDurableObjectAlarm(stubOf(t.id, d))));
  return { t, debtors, invoices };
}

const rowOf = (tenantId: string, debtorId: string) =>
  runInDurableObject(stubOf(tenantId, debtorId), (_i, state) => state.storage.sql.exec<{ status: string; last_error: string | null }>("SELECT status, last_error FROM outbox").one());

const sentCount = async (key: string, debtor: string) =>
  ((await (await call(key, "GET", `/v1/debtors/${debtor}`)).json()) as { timeline: { type: string }[] }).timeline.filter((e) => e.type === "reminder.sent").length;

const batchRequests = () => fake.requests.filter((r) => r.url.endsWith("/emails/batch"));

describe("Resend batches", { timeout: 60_000 }, () => {
  it("sends many due emails in one /emails/batch request, each once, under a key derived from the batch", async () => {
    const { t, debtors } = await dueDebtors(5);
    expect(queued).toHaveLength(5);
    const { batch, acked } = messageBatch(queued);
    await handleDispatchBatch(batch, env);
    expect(acked).toHaveLength(5);
    const requests = batchRequests();
    expect(requests).toHaveLength(1);
    expect((requests[0]?.body.emails as unknown[]).length).toBe(5);
    expect(requests[0]?.headers.get("idempotency-key")).toMatch(/^[0-9a-f]{64}$/);
    expect(requests[0]?.headers.get("x-batch-validation")).toBe("strict");
    for (const d of debtors) expect(await sentCount(t.key, d)).toBe(1);
    // Each member carries its own tags, so delivery callbacks find their debtor and row.
    expect(new Set(fake.emails.map((e) => e.debtor))).toEqual(new Set(debtors));

    // A duplicate delivery of every message afterwards sends nothing more.
    await handleDispatchBatch(messageBatch(queued).batch, env);
    expect(fake.emails).toHaveLength(5);
    for (const d of debtors) expect(await sentCount(t.key, d)).toBe(1);
  });

  it("a retried batch carries the same bytes under the same key, and the provider accepts it once", async () => {
    const { t, debtors } = await dueDebtors(3);
    fake.failNext.push(500);
    await handleDispatchBatch(messageBatch(queued).batch, env);
    expect(batchRequests()).toHaveLength(1);
    expect(fake.emails).toHaveLength(0);
    // The rows stay frozen in their batch; its alarm retries.
    for (const d of debtors) expect((await rowOf(t.id, d)).last_error).toMatch(/^batch:/);
    const batchId = (await rowOf(t.id, debtors[0] as string)).last_error?.slice("batch:".length) as string;
    await runDurableObjectAlarm(batchStub(env, batchId));
    const [first, second] = batchRequests();
    expect(second?.headers.get("idempotency-key")).toBe(first?.headers.get("idempotency-key"));
    expect(JSON.stringify(second?.body)).toBe(JSON.stringify(first?.body));
    expect(fake.emails).toHaveLength(3);
    for (const d of debtors) expect(await sentCount(t.key, d)).toBe(1);
  });

  it("a payment after freezing, before the batch calls Resend: that member is withdrawn and suppressed; the others go", async () => {
    const { t, debtors, invoices } = await dueDebtors(3);
    const batchId = crypto.randomUUID();
    const members = [];
    for (const m of queued) {
      const answer = await stubOf(m.tenantId, m.debtorId).freezeForBatch(m.tenantId, m.outboxId, batchId);
      expect(answer.kind).toBe("member");
      if (answer.kind === "member") members.push({ tenantId: m.tenantId, debtorId: m.debtorId, outboxId: m.outboxId, input: answer.input });
    }
    await batchStub(env, batchId).freeze(batchId, "email", members);
    // The first debtor pays now: frozen, not yet sent.
    const paid = await call(t.key, "POST", `/v1/invoices/${invoices[0]?.id}/payments`, { amount_cents: 4995 });
    expect(paid.status).toBe(200);
    // Answered only after its row left the batch.
    expect(await rowOf(t.id, debtors[0] as string)).toMatchObject({ status: "suppressed" });
    await batchStub(env, batchId).run();
    expect(batchRequests()).toHaveLength(1);
    expect((batchRequests()[0]?.body.emails as unknown[]).length).toBe(2);
    expect(await sentCount(t.key, debtors[0] as string)).toBe(0);
    for (const d of debtors.slice(1)) expect(await sentCount(t.key, d)).toBe(1);
  });

  it("a payment while the batch is at Resend is answered only once the outcome is recorded: the email counts as sent", async () => {
    const { t, debtors, invoices } = await dueDebtors(2);
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let arrived = () => {};
    const atProvider = new Promise<void>((r) => (arrived = r));
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      arrived();
      await held;
      return fake.fetch(input, init);
    });
    const consumer = handleDispatchBatch(messageBatch(queued).batch, env);
    await atProvider;
    let answeredAt = 0;
    const payment = call(t.key, "POST", `/v1/invoices/${invoices[0]?.id}/payments`, { amount_cents: 4995 }).then((r) => {
      answeredAt = Date.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 200));
    // The provider call is still held: the payment is not answered yet.
    expect(answeredAt).toBe(0);
    const releasedAt = Date.now();
    release();
    expect((await payment).status).toBe(200);
    await consumer;
    expect(answeredAt).toBeGreaterThanOrEqual(releasedAt);
    // The email was at Resend before the payment arrived: it is recorded as sent (the two crossed),
    // and the payment was answered only after that was known.
    expect(await sentCount(t.key, debtors[0] as string)).toBe(1);
    expect(await rowOf(t.id, debtors[0] as string)).toMatchObject({ status: "sent" });
    expect(fake.emails).toHaveLength(2);
  });

  it("a batch Resend refuses as a whole (one invalid address) sends nothing; its members then go one by one", async () => {
    const t = await newTenant();
    await goLive(t.key);
    const good = [newDebtorId(), newDebtorId()];
    const bad = newDebtorId();
    for (const d of good) await register(t.key, await invoiceBody(d, -1));
    await register(t.key, await invoiceBody(bad, -1, { debtor: { id: bad, name: "Bram Peeters", email: "bram@bounce.example", locale: "nl-NL", time_zone: "Europe/Amsterdam" } }));
    await advanceTo(3);
    await Promise.all([...good, bad].map((d) => runDurableObjectAlarm(stubOf(t.id, d))));
    fake.refusedRecipients.add("bram@bounce.example");
    const first = queued.splice(0);
    await handleDispatchBatch(messageBatch(first).batch, env);
    expect(batchRequests()).toHaveLength(1);
    expect(fake.emails).toHaveLength(0);
    // The refused rows went back on their own: each is dispatched again, singly.
    for (const d of [...good, bad]) await runDurableObjectAlarm(stubOf(t.id, d));
    await handleDispatchBatch(messageBatch(queued).batch, env);
    await Promise.all([...good, bad].map((d) => runDurableObjectAlarm(stubOf(t.id, d))));
    for (const d of good) expect(await sentCount(t.key, d)).toBe(1);
    expect(fake.emails.filter((e) => good.includes(e.debtor ?? ""))).toHaveLength(2);
  });

  it("a row frozen into a batch that never received it (the consumer died) goes out within a minute, once", async () => {
    const { t, debtors } = await dueDebtors(2);
    const lost = crypto.randomUUID();
    for (const m of queued) await stubOf(m.tenantId, m.debtorId).freezeForBatch(m.tenantId, m.outboxId, lost);
    queued = [];
    // Nothing was handed to batch `lost`. A minute later the rows' safety net asks it.
    await advanceTo(3, 13 + 2 / 60);
    await Promise.all(debtors.map((d) => stubOf(t.id, d).tick()));
    expect(queued).toHaveLength(2);
    for (const d of debtors) expect(await rowOf(t.id, d)).toMatchObject({ status: "pending" });
    await handleDispatchBatch(messageBatch(queued).batch, env);
    for (const d of debtors) expect(await sentCount(t.key, d)).toBe(1);
    expect(fake.emails).toHaveLength(2);
    // A late hand-over to the sealed batch adds nothing.
    expect((await batchStub(env, lost).freeze(lost, "email", [])).accepted).toEqual([]);
  });

  it("the safety net sends no second copy of a row still waiting behind others in the queue, and re-enqueues a lost one", async () => {
    const { t, debtors } = await dueDebtors(1);
    const d = debtors[0] as string;
    expect(queued).toHaveLength(1);
    const fireSafetyNet = async () => {
      await runInDurableObject(stubOf(t.id, d), (_i, state) => void state.storage.sql.exec("UPDATE schedules SET due_at = 0 WHERE kind = 'dispatch'"));
      await stubOf(t.id, d).tick();
    };
    // The queue is busy with older messages (handled just now, all enqueued before this row's).
    await pacerStub(env).consumed(Date.now() - 60_000);
    await fireSafetyNet();
    expect(queued).toHaveLength(1);
    // The queue has handled a message enqueued after this row's: this one was lost.
    await pacerStub(env).consumed(Date.now() + 10_000);
    await fireSafetyNet();
    expect(queued).toHaveLength(2);
    await handleDispatchBatch(messageBatch(queued).batch, env);
    expect(await sentCount(t.key, d)).toBe(1);
    expect(fake.emails).toHaveLength(1);
  });
});
