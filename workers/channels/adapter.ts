/**
 * What a provider adapter gives the rest of Kindly, and nothing more. The send stage, the
 * dispatch consumer and the webhook routes only ever talk to this contract (through the
 * registry), so a new provider is one module plus one line in `registry.ts`.
 *
 * An adapter does not render: it names the rendered form it takes (`format`) and sends the bytes
 * it is handed. It does not decide when or whether to send: the send stage does, under the
 * debtor's exclusive section.
 */
import type { ChannelEventType } from "../debtor/channel-events";
import type { Channel } from "../policy/policy-schema";

/** The rendered form an adapter sends; the template registry renders it ("letter_pdf": the A4 letter as a PDF too). */
export type MessageFormat = "email" | "letter" | "letter_pdf" | "sms" | "call_task";

/** A rendered message: who it goes to (as shown), its subject, HTML and plain text, and a letter's PDF (base64) for adapters that take one. */
export interface WireMessage {
  recipient: string;
  subject: string;
  html: string;
  text: string;
  pdf?: string;
}

/** A postal address as print APIs take it. */
export interface PostalAddress {
  name: string;
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  country: "NL" | "BE";
}

/** Who a message is from, exactly as it goes on the wire (and as the sandbox shows it). */
export interface WireSender {
  /** Email: `"Shop" <shop@example.nl>`; SMS: an alphanumeric ID or E.164 number; letter: the return address on one line; call: the shop. */
  from: string;
  /** Email only: where replies go. */
  replyTo?: string;
  /** Whether the person can answer this sender (an alphanumeric SMS sender cannot receive STOP). */
  replies: boolean;
  /** A letter's return address, structured. */
  postal?: PostalAddress;
  /** What the shop should know about this sender (shown in the sandbox, never to the debtor). */
  note?: string;
}

/** The shop as every adapter sees it: its names, service address, country, letterhead and profile. */
export interface TenantIdentity {
  displayName: string;
  legalName?: string;
  contactEmail: string | null;
  country: "NL" | "BE";
  addressLines: string[];
  email?: { from_name: string; from_address: string; reply_to?: string };
  sms?: { sender_id?: string; from_number?: string };
}

/** The debtor's contact data an adapter may need (the letter's structured address). */
export interface Recipient {
  name: string;
  email?: string;
  phone?: string;
  address?: { line1: string; line2?: string; postal_code: string; city: string; country: "NL" | "BE" } | null;
}

/** One send: the bytes, the sender, the row it belongs to and the key that makes it idempotent. */
export interface SendInput {
  /** Derived from the outbox row: a retry carries the same key. */
  idempotencyKey: string;
  tenantId: string;
  debtorId: string;
  outboxId: string;
  message: WireMessage;
  sender: WireSender;
  recipient: Recipient;
  /** Clock ms after which the message must not arrive (quiet hours begin): providers that can expire a queued message use it. */
  expiresAt: number;
  now: number;
}

/** What happened to one send. */
export type SendResult =
  | {
      ok: true;
      providerId: string;
      /** The provider's own estimate of arrival (YYYY-MM-DD), when later than the law presumes. */
      expectedDeliveryDate?: string;
      /** What this message cost, when the provider says. */
      costCents?: number;
    }
  | {
      ok: false;
      retryable: boolean;
      error: string;
      retryAfterMs?: number;
      /** The request may have reached the provider and created the message (no idempotency key to rely on). */
      maybeSent?: boolean;
      /** The person's address does not work on this channel: block it for this debtor. */
      permanentAddressProblem?: "opted_out" | "invalid";
      /** The channel cannot send for this shop at all (credentials refused, sender not verified): unavailable, not this message's fault. */
      unavailable?: string;
    };

/** What happened to one request that carried several messages under one key (all or nothing). */
export type BatchResult =
  | { ok: true; providerIds: string[] }
  | {
      ok: false;
      retryable: boolean;
      error: string;
      retryAfterMs?: number;
      /** The provider refused the request as a whole before sending anything (a member is invalid): send each on its own. */
      refused?: boolean;
      /** The channel cannot send for this shop at all. */
      unavailable?: string;
    };

/** Whether an adapter can send for this shop, and if not, why (in words a shop can act on). */
export type Readiness = { ok: true } | { ok: false; reason: string };

/** A provider callback after its signature was checked, normalized. */
export type CallbackEvent =
  | { kind: "status"; providerMessageId: string; eventId: string; type: ChannelEventType; permanent: boolean; occurredAt: number | null; detail?: string }
  | { kind: "inbound"; eventId: string; from: string; intent: "stop" | "start" | "help" | "reply"; body: string }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; message: string };

/** A provider callback as it arrived. */
export interface CallbackRequest {
  url: string;
  headers: Headers;
  body: Uint8Array;
  /** Real time (providers sign with real time, never the development clock). */
  nowMs: number;
}

/** Signature checks and event mapping for a provider's webhooks, at `/webhooks/{provider}`. */
export interface CallbackAdapter {
  /** Checks the signature over the raw body; `missing_secret` fails closed. */
  verify(req: CallbackRequest): Promise<{ ok: true } | { ok: false; reason: "missing_secret" | "missing_headers" | "stale" | "invalid" }>;
  /** Maps a verified body to what happened. */
  map(req: CallbackRequest): CallbackEvent;
  /** The answer the provider expects (Twilio wants TwiML). */
  answer?: { body: string; contentType: string };
}

/** One provider for one channel. */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** The provider's name: route key for callbacks (`/webhooks/{provider}`) and message routes. */
  readonly provider: string;
  readonly format: MessageFormat;
  /** Requests per second the provider allows; Infinity: no provider to protect. */
  readonly rate: number;
  /**
   * false: the provider cannot deduplicate a retried request, so a send that may have reached it
   * (see `maybeSent`) counts as sent, unconfirmed, rather than risking a second message.
   */
  readonly idempotent: boolean;
  /** The event recorded when the message went out (a call task is "created", not "sent"). */
  readonly sentEvent?: string;
  /**
   * When a posted letter counts as posted for a legal term (the NL 14-day letter, the BE first
   * reminder): "at_send" (default), the day the provider accepted it (with its expected delivery
   * date when later); "provider_event", the day the provider reports handing it to the post
   * (a `mailed` callback), so the term never starts before the letter is in the post.
   */
  readonly postingDate?: "at_send" | "provider_event";
  /** The longest a send may take before it counts as a (maybe sent) failure; default SEND_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Working credentials for real sending (a test key does not post a letter). */
  live(): Readiness;
  /** The shop's identity on this channel for this recipient, or why there is none. */
  sender(tenant: TenantIdentity, recipient: Recipient): { ok: true; sender: WireSender } | { ok: false; reason: string };
  /** Sends once; the registry bounds it with a timeout. */
  send(input: SendInput): Promise<SendResult>;
  /** The most messages one batch request takes; with `sendBatch`, the dispatch consumer batches live sends. */
  readonly maxBatch?: number;
  /** Sends several messages in one request under one idempotency key: a retry must carry the same messages in the same order. */
  sendBatch?(inputs: SendInput[], idempotencyKey: string): Promise<BatchResult>;
  readonly callbacks?: CallbackAdapter;
}
