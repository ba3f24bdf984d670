/**
 * The dispatch queue's consumer. Each message names one outbox row; the DebtorDO that owns it
 * renders and sends it with the row's idempotency key, inside its own exclusive section, so a
 * redelivered message, a retry or a duplicate enqueue never sends twice, and nothing goes out
 * after a payment was acknowledged. The consumer paces live providers to their rate limits
 * (one consumer at a time: `max_concurrency = 1`), backs off with jitter, and after the last
 * retry the dead-letter consumer tells the DebtorDO, which falls back to another channel.
 */
import { z } from "zod";
import { channelRegistry } from "../channels/registry";
import { debtorStub } from "../debtor/stub";

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

/** Spaces calls per channel at no more than `rate` per second within this invocation. */
export class Pacer {
  private readonly next = new Map<string, number>();
  constructor(private readonly rates: Record<string, number>) {}
  async wait(channel: string): Promise<void> {
    const rate = this.rates[channel] ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(rate)) return;
    const now = Date.now();
    const at = Math.max(now, this.next.get(channel) ?? 0);
    this.next.set(channel, at + 1000 / rate);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/** Retry delay for the n-th delivery of a message that threw: 2, 4, 8 ... s (max 10 min), ±20 % jitter. */
export function backoffSeconds(attempts: number, random = Math.random()): number {
  const base = Math.min(2 ** Math.max(1, attempts), 600);
  return Math.max(1, Math.round(base * (0.8 + 0.4 * random)));
}

/** Unpaced messages (sandbox channels) handed to their objects at once, this many at a time. */
const UNPACED_PARALLEL = 8;

/** Consumer of "kindly-dispatch". */
export async function handleDispatchBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const rates = providerRates(env);
  const pacer = new Pacer(rates);
  const paced: { msg: Message<unknown>; m: DispatchMessage }[] = [];
  const unpaced: { msg: Message<unknown>; m: DispatchMessage }[] = [];
  for (const msg of batch.messages) {
    const parsed = DispatchMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      console.error("dispatch: malformed message dropped", msg.id);
      msg.ack();
      continue;
    }
    // Sandbox rows only write to D1: no provider to protect, no pacing.
    const live = parsed.data.live ?? true;
    (live && Number.isFinite(rates[parsed.data.channel] ?? Number.POSITIVE_INFINITY) ? paced : unpaced).push({ msg, m: parsed.data });
  }
  // Live providers one after the other at their rate; sandbox channels in parallel.
  const runPaced = async () => {
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
