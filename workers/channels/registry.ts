/**
 * The channel registry: which adapter sends each channel, built from this deployment's
 * configuration. Every channel list, provider map and pacing rate the send path uses comes from
 * here. A new provider is its module plus one line in `registryFromEnv`.
 *
 * Tests (and local tools) replace the whole registry with `useChannelRegistry`: the Durable
 * Objects, the dispatch consumer and the webhook routes resolve it per call, so a test injects
 * adapters (a fake provider, a hanging one) instead of patching `env`.
 */
import { CHANNELS, type Channel } from "../policy/policy-schema";
import { isContact, reachable, type DeliveryMode } from "../policy/channel-rules";
import type { BatchResult, ChannelAdapter, Recipient, SendInput, SendResult, TenantIdentity, WireSender } from "./adapter";
import { callCentreAdapter } from "./call-centre";
import { lobAdapter } from "./lob";
import { pingenAdapter } from "./pingen";
import { resendAdapter } from "./resend";
import { twilioAdapter } from "./twilio";

/** The longest a provider call may hold the debtor's object (adapters abort their own fetch at 10 s). */
export const SEND_TIMEOUT_MS = 15_000;

/** The adapters of one deployment, by channel and by provider. */
export class ChannelRegistry {
  constructor(readonly adapters: readonly ChannelAdapter[]) {}

  /** The adapter that sends `channel` (the first registered), if any. */
  forChannel(channel: string): ChannelAdapter | undefined {
    return this.adapters.find((a) => a.channel === channel);
  }

  /** The adapter of a provider (callback routes, message routes). */
  byProvider(provider: string): ChannelAdapter | undefined {
    return this.adapters.find((a) => a.provider === provider);
  }

  /** Every channel some adapter sends. */
  channels(): Channel[] {
    return [...new Set(this.adapters.map((a) => a.channel))];
  }

  /**
   * Requests per second for each channel when live: the slowest of its providers (the dispatch
   * queue paces by channel, and each shop may send its letters through another provider).
   */
  rates(): Record<string, number> {
    return Object.fromEntries(this.channels().map((c) => [c, Math.min(...this.adapters.filter((a) => a.channel === c).map((a) => a.rate))]));
  }

  /**
   * This registry as one shop sees it: for each channel the provider the shop chose (account
   * `letters.provider`), else the first one with working credentials, else the first registered.
   * The other providers stay registered, so their callbacks still arrive.
   */
  forTenant(choice: Partial<Record<Channel, string>>): ChannelRegistry {
    const first = this.channels().map((channel) => {
      const all = this.adapters.filter((a) => a.channel === channel);
      return all.find((a) => a.provider === choice[channel]) ?? all.find((a) => a.live().ok) ?? (all[0] as ChannelAdapter);
    });
    return new ChannelRegistry([...first, ...this.adapters.filter((a) => !first.includes(a))]);
  }

  /**
   * Why each channel cannot send for this shop and this person right now (credentials, sender),
   * in words the shop can act on. In sandbox mode credentials do not matter; a missing sender is
   * still reported by the sandbox row, but does not stop the channel.
   */
  unavailable(mode: DeliveryMode, tenant: TenantIdentity, recipient: Recipient): Partial<Record<Channel, string>> {
    const out: Partial<Record<Channel, string>> = {};
    for (const channel of CHANNELS) {
      if (!isContact(channel) || !reachable(channel, recipient)) continue;
      const a = this.forChannel(channel);
      if (!a) {
        out[channel] = `no provider is registered for ${channel}`;
        continue;
      }
      if (mode === "sandbox") continue;
      const live = a.live();
      if (!live.ok) {
        out[channel] = live.reason;
        continue;
      }
      const s = a.sender(tenant, recipient);
      if (!s.ok) out[channel] = s.reason;
    }
    return out;
  }

  /** Sends through `adapter`, never waiting longer than its timeout; a thrown error is a retryable failure. */
  async send(adapter: ChannelAdapter, input: SendInput): Promise<SendResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ms = adapter.timeoutMs ?? SEND_TIMEOUT_MS;
    const timeout = new Promise<SendResult>((resolve) => {
      // The request may have reached the provider: an adapter without idempotency counts it as maybe sent.
      timer = setTimeout(() => resolve({ ok: false, retryable: true, maybeSent: true, error: `${adapter.provider}: no answer within ${ms} ms` }), ms);
    });
    try {
      return await Promise.race([adapter.send(input), timeout]);
    } catch (err) {
      return { ok: false, retryable: true, maybeSent: true, error: `${adapter.provider}: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Sends one batch request through `adapter`, never waiting longer than its timeout; a thrown error or a timeout is retryable (same bytes, same key). */
export async function sendBatchBounded(adapter: ChannelAdapter, inputs: SendInput[], key: string): Promise<BatchResult> {
  if (!adapter.sendBatch) return { ok: false, retryable: false, refused: true, error: `${adapter.provider} sends no batches` };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ms = adapter.timeoutMs ?? SEND_TIMEOUT_MS;
  const timeout = new Promise<BatchResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, retryable: true, error: `${adapter.provider}: no answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([adapter.sendBatch(inputs, key), timeout]);
  } catch (err) {
    return { ok: false, retryable: true, error: `${adapter.provider}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The sender an adapter would use, or null with the reason (the sandbox shows both). */
export function senderOf(adapter: ChannelAdapter, tenant: TenantIdentity, recipient: Recipient): { sender: WireSender | null; problem?: string } {
  const s = adapter.sender(tenant, recipient);
  return s.ok ? { sender: s.sender } : { sender: null, problem: s.reason };
}

/** "email=2,sms=1,letter=10": provider rates per channel (DISPATCH_RATES). */
function parseRates(raw: string | undefined): Partial<Record<string, number>> {
  return Object.fromEntries(
    (raw ?? "")
      .split(",")
      .map((pair) => pair.split("="))
      .filter((kv): kv is [string, string] => kv.length === 2 && Number(kv[1]) > 0)
      .map(([k, v]) => [k.trim(), Number(v)]),
  );
}

/** The registry this deployment's secrets and vars describe. */
export function registryFromEnv(env: Env): ChannelRegistry {
  const rates = parseRates(env.DISPATCH_RATES);
  return new ChannelRegistry([
    resendAdapter({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL, platformFrom: env.EMAIL_FROM, webhookSecret: env.RESEND_WEBHOOK_SECRET, rate: rates.email }),
    lobAdapter({ apiKey: env.LOB_API_KEY, baseUrl: env.LOB_BASE_URL, letterCostCents: env.LETTER_COST_CENTS, webhookSecret: env.LOB_WEBHOOK_SECRET, rate: rates.letter }),
    pingenAdapter({
      clientId: env.PINGEN_CLIENT_ID,
      clientSecret: env.PINGEN_CLIENT_SECRET,
      organisationId: env.PINGEN_ORGANISATION_ID,
      baseUrl: env.PINGEN_BASE_URL,
      webhookSecret: env.PINGEN_WEBHOOK_SECRET,
      deliveryProduct: env.PINGEN_DELIVERY_PRODUCT,
      rate: rates.letter,
    }),
    twilioAdapter({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      from: env.TWILIO_FROM,
      messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
      baseUrl: env.TWILIO_BASE_URL,
      publicBaseUrl: env.PUBLIC_BASE_URL,
      rate: rates.sms,
    }),
    callCentreAdapter(env.DB),
  ]);
}

let override: ((env: Env) => ChannelRegistry) | null = null;

/** The registry for this request, alarm or queue batch. */
export function channelRegistry(env: Env): ChannelRegistry {
  return override ? override(env) : registryFromEnv(env);
}

/**
 * Replaces the registry everywhere in this isolate (tests and local tools; null restores the
 * configured one). Workerd tests run the Worker, its Durable Objects and the test in one isolate.
 */
export function useChannelRegistry(factory: ((env: Env) => ChannelRegistry) | null): void {
  override = factory;
}
