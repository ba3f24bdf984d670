/**
 * Email through Resend (`POST /emails`, and `POST /emails/batch` for up to 100 under one
 * Idempotency-Key, kept 24 h), and Resend's Svix-signed
 * webhooks. The shop's own voice: From is the shop's verified address with its name; without
 * one, the platform address (EMAIL_FROM, on a domain Kindly controls) with the shop's name,
 * never "Kindly". Reply-To is the shop's service address, so "just reply" reaches the shop.
 */
import { Resend } from "resend";
import { mapResendEvent } from "../webhooks/resend";
import { verifySvix } from "../webhooks/verify";
import type { BatchResult, ChannelAdapter, SendInput, SendResult, TenantIdentity, WireSender } from "./adapter";

export interface ResendConfig {
  apiKey?: string;
  baseUrl?: string;
  /** The platform sender (EMAIL_FROM): only its address is used, with the shop's name. */
  platformFrom?: string;
  webhookSecret?: string;
  /** Requests per second (Resend's default team limit is 2). */
  rate?: number;
}

/** Resend tag values allow ASCII letters, digits, '_' and '-' only. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);
}

/** The address inside `Name <address>` or a bare address; null when there is none. */
export function addressOf(from: string | undefined): string | null {
  if (!from) return null;
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(from);
  return m?.[1] ?? null;
}

/** A display name safe inside the quotes of a From header. */
const quoted = (name: string) => `"${name.replace(/["\\\r\n<>]/g, "").trim()}"`;

/**
 * The shop's email identity: its own From and Reply-To, or the platform address with the shop's
 * name and the shop's contact email as Reply-To. Null reason: there is nothing to send from.
 */
export function emailSender(tenant: TenantIdentity, platformFrom: string | undefined): { ok: true; sender: WireSender } | { ok: false; reason: string } {
  const replyTo = tenant.email?.reply_to ?? tenant.contactEmail ?? undefined;
  if (tenant.email) {
    return { ok: true, sender: { from: `${quoted(tenant.email.from_name)} <${tenant.email.from_address}>`, ...(replyTo ? { replyTo } : {}), replies: true } };
  }
  const platform = addressOf(platformFrom);
  const name = tenant.displayName.trim();
  if (!platform || !name) return { ok: false, reason: "no email sender: set email.from_name and email.from_address with PATCH /v1/account" };
  return {
    ok: true,
    sender: {
      from: `${quoted(name)} <${platform}>`,
      ...(replyTo ? { replyTo } : {}),
      replies: true,
      note: "sent from the platform address with your name; set email.from_address on your own verified domain",
    },
  };
}

/** The Resend adapter built from its configuration. */
export function resendAdapter(config: ResendConfig): ChannelAdapter {
  const apiKey = config.apiKey ?? "";
  return {
    channel: "email",
    provider: "resend",
    format: "email",
    rate: config.rate ?? 2,
    idempotent: true,
    live: () => (apiKey ? { ok: true } : { ok: false, reason: "RESEND_API_KEY is not set" }),
    sender: (tenant) => emailSender(tenant, config.platformFrom),
    maxBatch: RESEND_BATCH_MAX,
    async send(input): Promise<SendResult> {
      const resend = new Resend(apiKey, config.baseUrl ? { baseUrl: config.baseUrl } : undefined);
      const { data, error, headers } = await resend.emails.send(
        emailPayload(input),
        // The SDK passes the signal to fetch: a hung call must not hold the debtor's object.
        { idempotencyKey: input.idempotencyKey, signal: AbortSignal.timeout(10_000) } as { idempotencyKey: string },
      );
      if (data) return { ok: true, providerId: data.id };
      return failureOf(error, headers, input.sender.from);
    },
    async sendBatch(inputs, idempotencyKey): Promise<BatchResult> {
      const resend = new Resend(apiKey, config.baseUrl ? { baseUrl: config.baseUrl } : undefined);
      // Strict validation (Resend's default): one invalid member refuses the whole request, so a
      // batch is all or nothing and the key covers exactly these emails in this order.
      const { data, error, headers } = await resend.batch.send(inputs.map(emailPayload), {
        idempotencyKey,
        batchValidation: "strict",
        signal: AbortSignal.timeout(10_000),
      } as { idempotencyKey: string; batchValidation: "strict" });
      const ids = data?.data?.map((d) => d.id) ?? [];
      if (data && ids.length === inputs.length) return { ok: true, providerIds: ids };
      if (data) return { ok: false, retryable: true, error: `resend: ${ids.length} ids for ${inputs.length} emails` };
      const f = failureOf(error, headers, inputs[0]?.sender.from);
      if (f.ok) return { ok: false, retryable: true, error: "unreachable" };
      // 400/422: Resend validated the request and sent nothing; each member then goes on its own.
      const refused = !f.retryable && !f.unavailable;
      return { ok: false, retryable: f.retryable, error: f.error, ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}), ...(f.unavailable ? { unavailable: f.unavailable } : {}), ...(refused ? { refused } : {}) };
    },
    callbacks: {
      verify: (req) =>
        verifySvix({
          secret: config.webhookSecret,
          id: req.headers.get("svix-id") ?? undefined,
          timestamp: req.headers.get("svix-timestamp") ?? undefined,
          signature: req.headers.get("svix-signature") ?? undefined,
          body: req.body,
          nowMs: req.nowMs,
        }),
      map(req) {
        const m = mapResendEvent(parseJson(req.body));
        if (m.kind !== "event") return m;
        // The Svix message id is the event's id: a redelivery carries the same one.
        const eventId = req.headers.get("svix-id") ?? "";
        return { kind: "status", providerMessageId: m.emailId, eventId, type: m.type, permanent: m.permanent, occurredAt: m.occurredAt, ...(m.detail ? { detail: m.detail } : {}) };
      },
    },
  };
}

/** Emails per `/emails/batch` request (Resend's documented maximum). */
export const RESEND_BATCH_MAX = 100;

/** One email as Resend's API takes it, on `/emails` and as a member of `/emails/batch`. */
function emailPayload(input: SendInput) {
  return {
    from: input.sender.from,
    to: [input.recipient.email ?? input.message.recipient],
    ...(input.sender.replyTo ? { replyTo: input.sender.replyTo } : {}),
    subject: input.message.subject,
    html: input.message.html,
    text: input.message.text,
    // Tags let delivery webhooks find their way back to the debtor and the outbox row.
    tags: [
      { name: "tenant", value: tagValue(input.tenantId) },
      { name: "debtor", value: tagValue(input.debtorId) },
      { name: "outbox", value: tagValue(input.outboxId) },
    ],
  };
}

/** What a Resend error means for Kindly: retry, give up, or the channel is unavailable for the shop. */
function failureOf(error: { message?: string } | null, headers: Record<string, string> | null, from: string | undefined): SendResult {
  const status = error && "statusCode" in error ? (error.statusCode as number | null) : null;
  const message = error?.message ?? "unknown error";
  const text = `${status ?? "network"}: ${message}`;
  // 401: the key is refused; 403: the From domain is not verified at Resend (or the key may not
  // send from it). Neither is this message's fault: the channel is unavailable for the shop.
  if (status === 401) return { ok: false, retryable: false, error: text, unavailable: "Resend refused the API key" };
  if (status === 403) return { ok: false, retryable: false, error: text, unavailable: `Resend will not send from ${addressOf(from) ?? "this address"}: verify its domain at Resend` };
  // No status (network, timeout), 409 (same key still in flight at Resend), 429 and 5xx are worth retrying.
  const retryable = status === null || status === 409 || status === 429 || status >= 500;
  if (status !== 429) return { ok: false, retryable, error: text };
  // A rate limit is not the message's fault: wait as long as Resend asks (default 1 s).
  const retryAfter = Number(headers?.["retry-after"] ?? 1);
  return { ok: false, retryable, error: text, retryAfterMs: Math.max(1, Number.isFinite(retryAfter) ? retryAfter : 1) * 1000 };
}

/** JSON of a body, or undefined (the mapper then answers "malformed"). */
export function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}
