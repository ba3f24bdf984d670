/**
 * A fake provider adapter for tests: records every send (with the clock time the send stage
 * handed it) and answers as told. Registered with `useAdapters`, it replaces a channel's
 * configured provider, or adds a provider of its own.
 */
import type { CallbackAdapter, ChannelAdapter, SendInput, SendResult, TenantIdentity, WireSender } from "../workers/channels/adapter";
import type { Channel } from "../workers/policy/policy-schema";

export interface FakeChannel extends ChannelAdapter {
  sent: SendInput[];
  /** Results to give to the next sends, in order, before accepting. */
  failNext: SendResult[];
}

export function fakeChannel(channel: Channel, provider: string, options: { sender?: (t: TenantIdentity) => WireSender | null; callbacks?: CallbackAdapter; timeoutMs?: number; hang?: boolean } = {}): FakeChannel {
  const fake: FakeChannel = {
    channel,
    provider,
    format: channel === "email" ? "email" : channel === "letter" ? "letter" : channel === "sms" ? "sms" : "call_task",
    rate: 1000,
    idempotent: true,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    sent: [],
    failNext: [],
    live: () => ({ ok: true }),
    sender(tenant) {
      const s = options.sender ? options.sender(tenant) : { from: tenant.displayName, replies: true };
      return s ? { ok: true, sender: s } : { ok: false, reason: `${provider}: no sender` };
    },
    async send(input) {
      if (options.hang) return new Promise<SendResult>(() => {});
      const next = fake.failNext.shift();
      if (next) return next;
      fake.sent.push(input);
      return { ok: true, providerId: `${provider}_${input.idempotencyKey.slice(0, 12)}` };
    },
    ...(options.callbacks ? { callbacks: options.callbacks } : {}),
  };
  return fake;
}
