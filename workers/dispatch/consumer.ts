/**
 * The dispatch queue's consumer. Each message names one outbox row. Rows for a provider that
 * takes batches (Resend) are frozen by their DebtorDOs in parallel and sent up to 100 per
 * request through a DispatchBatchDO (batch-do.ts); any other row's DebtorDO renders and sends it
 * with the row's idempotency key, inside its own exclusive section, so a
 * redelivered message, a retry or a duplicate enqueue never sends twice, and nothing goes out
 * after a payment was acknowledged. The consumer paces live providers to their rate limits
 * (slots from the deployment's DispatchPacerDO, shared by concurrent invocations), backs off
 * with jitter, and after the last
 * retry the dead-letter consumer tells the DebtorDO, which falls back to another channel.
 */
import { z } from "zod";
import { channelRegistry } from "../channels/registry";
import { debtorStub } from "../debtor/stub";
import type { BatchMember } from "./batch-do";
import { batchStub } from "./batch-stub";
import { pacerStub } from "./pacer-do";

export const DispatchMessageSchema = z.object({
  tenantId: z.string().min(1),
  debtorId: z.string().min(1),
  outboxId: z.string().min(1),
  channel: z.string().min(1).max(40),
  /** The tenant's delivery mode when the row was enqueued: only live rows reach a provider. Older messages lack it. */
  live: z.boolean().optional(),
});
export type DispatchMessage = z.infer<typeof DispatchMessageSchema>;

/** Requests per second per channel when live: each adapter's own rate (DISPATCH_RATES overrides). */
export function providerRates(env: Env): Record<string, number> {
  return channelRegistry(env).rates();
}

/** Spaces calls per channel at no more than `rate` per second (`next`: slots shared between invocations). */
export class Pacer {
  constructor(
    private readonly rates: Record<string, number>,
    private readonly next = new Map<string, number>(),
  ) {}
  async wait(channel: string): Promise<void> {
    const ms = this.reserve(channel, Date.now());
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }
  /** Takes the next slot for `channel`: how many ms from `now` until it. */
  reserve(channel: string, now: number): number {
    const rate = this.rates[channel] ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(rate)) return 0;
    const at = Math.max(now, this.next.get(channel) ?? 0);
    this.next.set(channel, at + 1000 / rate);
    return at - now;
  }
}

/** Retry delay for the n-th delivery of a message that threw: 2, 4, 8 ... s (max 10 min), ±20 % jitter. */
export function backoffSeconds(attempts: number, random = Math.random()): number {
  const base = Math.min(2 ** Math.max(1, attempts), 600);
  return Math.max(1, Math.round(base * (0.8 + 0.4 * random)));
}

/** Unpaced messages (sandbox channels) handed to their objects at once, this many at a time. */
const UNPACED_PARALLEL = 16;
/** Rows frozen into a batch at once (each is its own DebtorDO, so they run in parallel). */
const FREEZE_PARALLEL = 16;
/** Provider slots survive across consumer invocations in this isolate: the rate holds between batches too. */
const slots = new Map<string, number>();

type Item = { msg: Message<unknown>; m: DispatchMessage };

/**
 * Provider slots from the deployment's DispatchPacerDO, so concurrent consumer invocations share
 * one rate; if it cannot be reached, this isolate's own pacer keeps the rate for this invocation.
 */
function globalPacer(env: Env, local: Pacer): Pick<Pacer, "wait"> {
  return {
    async wait(channel: string) {
      try {
        const ms = await pacerStub(env).reserve(channel);
        if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      } catch {
        await local.wait(channel);
      }
    },
  };
}

/** Consumer of "kindly-dispatch". */
export async function handleDispatchBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const registry = channelRegistry(env);
  const rates = registry.rates();
  const pacer = globalPacer(env, new Pacer(rates, slots));
  // Tell the pacer how far the queue has got: a row's safety net asks it before enqueueing a copy.
  const newest = Math.max(0, ...batch.messages.map((m) => m.timestamp.getTime()));
  await pacerStub(env).consumed(newest).catch((err: unknown) => console.error("dispatch: queue progress not recorded", err));
  const paced: Item[] = [];
  const unpaced: Item[] = [];
  const batchable = new Map<string, Item[]>();
  for (const msg of batch.messages) {
    const parsed = DispatchMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      console.error("dispatch: malformed message dropped", msg.id);
      msg.ack();
      continue;
    }
    // Sandbox rows only write to D1: no provider to protect, no pacing.
    const live = parsed.data.live ?? true;
    const item = { msg, m: parsed.data };
    if (!live || !Number.isFinite(rates[parsed.data.channel] ?? Number.POSITIVE_INFINITY)) unpaced.push(item);
    else if (registry.forChannel(parsed.data.channel)?.sendBatch) batchable.set(parsed.data.channel, [...(batchable.get(parsed.data.channel) ?? []), item]);
    else paced.push(item);
  }
  // A provider that takes batches gets one paced request per batch; a lone message goes on its own.
  const batches: { channel: string; items: Item[] }[] = [];
  for (const [channel, items] of batchable) {
    const max = registry.forChannel(channel)?.maxBatch ?? 1;
    if (items.length < 2) paced.push(...items);
    else for (let i = 0; i < items.length; i += max) batches.push({ channel, items: items.slice(i, i + max) });
  }
  // Live providers one request after the other at their rate; sandbox channels in parallel.
  const runPaced = async () => {
    for (const b of batches) await sendBatch(env, pacer, b.channel, b.items);
    for (const x of paced) {
      await pacer.wait(x.m.channel);
      await handOver(env, x.msg, x.m);
    }
  };
  let next = 0;
  const runUnpaced = async () => {
    while (next < unpaced.length) {
      const x = unpaced[next++];
      if (x) await handOver(env, x.msg, x.m);
    }
  };
  await Promise.all([runPaced(), ...Array.from({ length: UNPACED_PARALLEL }, runUnpaced)]);
}

/**
 * One provider batch: each row is frozen by its own DebtorDO (checked, rendered, bytes stored,
 * marked as this batch's), the members are stored in the batch's object, and the batch sends
 * them in one paced request. A row that cannot be batched is sent on its own by its object.
 */
async function sendBatch(env: Env, pacer: Pick<Pacer, "wait">, channel: string, items: Item[]): Promise<void> {
  const batchId = crypto.randomUUID();
  const members: BatchMember[] = [];
  const alone: Item[] = [];
  let next = 0;
  const freeze = async () => {
    while (next < items.length) {
      const x = items[next++];
      if (!x) continue;
      try {
        const answer = await debtorStub(env, x.m.tenantId, x.m.debtorId).freezeForBatch(x.m.tenantId, x.m.outboxId, batchId);
        if (answer.kind === "alone") {
          alone.push(x);
          continue;
        }
        if (answer.kind === "member") members.push({ tenantId: x.m.tenantId, debtorId: x.m.debtorId, outboxId: x.m.outboxId, input: answer.input });
        // "in_batch": a duplicate message for a row another batch owns; that batch (and the row's safety net) see it through.
        x.msg.ack();
      } catch (err) {
        console.error("dispatch: freezing a row into a batch failed; retrying", x.m.outboxId, err);
        x.msg.retry({ delaySeconds: backoffSeconds(x.msg.attempts) });
      }
    }
  };
  await Promise.all(Array.from({ length: FREEZE_PARALLEL }, freeze));
  for (const x of alone) {
    await pacer.wait(channel);
    await handOver(env, x.msg, x.m);
  }
  if (members.length === 0) return;
  try {
    const stub = batchStub(env, batchId);
    await stub.freeze(batchId, channel, members);
    await pacer.wait(channel);
    await stub.run();
  } catch (err) {
    // The rows are frozen in their objects: the batch's own alarm, or each row's safety net, carries on.
    console.error("dispatch: batch did not complete in this invocation; its alarm and the rows' safety nets carry on", batchId, err);
  }
}

/** Gives one row to its DebtorDO; acks, or retries with backoff when the object is unreachable. */
async function handOver(env: Env, msg: Message<unknown>, m: DispatchMessage): Promise<void> {
  try {
    await debtorStub(env, m.tenantId, m.debtorId).dispatchNow(m.tenantId, m.outboxId);
    msg.ack();
  } catch (err) {
    console.error("dispatch: delivery to the debtor's object failed; retrying", m.outboxId, err);
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
  }
}

/** Consumer of "kindly-dispatch-dlq": the message exhausted its retries. */
export async function handleDispatchDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = DispatchMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      msg.ack();
      continue;
    }
    const m = parsed.data;
    try {
      await debtorStub(env, m.tenantId, m.debtorId).dispatchFailed(m.tenantId, m.outboxId, `gave up after ${msg.attempts} deliveries`);
      msg.ack();
    } catch (err) {
      console.error("dispatch DLQ: could not reach the debtor's object", m.outboxId, err);
      msg.retry({ delaySeconds: 60 });
    }
  }
}
