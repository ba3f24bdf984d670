/**
 * SMS channel: Twilio's Messages REST API called with fetch (the `twilio` package bundles to
 * ~8 MB, too heavy for the Worker). POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
 * form-encoded, Basic auth AccountSid:AuthToken; 201 answers JSON with `sid` and `status`, errors
 * answer JSON `{ code, message, more_info, status }`.
 *
 * Twilio's Messages API takes no idempotency key, so exactly-once is the caller's job: the outbox
 * row is saved as "sending" with its rendered bytes before this is called, and only the outbox
 * state decides whether to call again. A 5xx or a network error after the request left may still
 * have created the message; such results carry `maybeSent` so the caller can choose.
 */
import { z } from "zod";
import { smsSenderFor } from "../policy/channel-rules";
import { classifyTwilio, EMPTY_TWIML, formParams, pathAndQuery, twilioSignedUrls } from "../webhooks/twilio";
import { verifyTwilio } from "../webhooks/verify";
import type { ChannelAdapter, SendResult } from "./adapter";

export type SmsSendResult = SendResult;

export interface OutgoingSms {
  /** E.164, e.g. +31612345678. */
  to: string;
  /** The sender: an alphanumeric ID or an E.164 number; absent: the platform's (number or Messaging Service). */
  from?: string;
  body: string;
  /** Where Twilio posts queued/sent/delivered/undelivered/failed for this message. */
  statusCallbackUrl: string;
  /** How long Twilio may hold it in its queue before giving up (1..36000 s). */
  validitySeconds?: number;
}

/** Twilio's settings: account, platform sender, API base and the public URL its callbacks are signed for. */
export interface TwilioConfig {
  accountSid?: string;
  authToken?: string;
  /** The platform's own number (TWILIO_FROM). */
  from?: string;
  /** A Messaging Service that picks a number from its pool and handles STOP per service. */
  messagingServiceSid?: string;
  baseUrl?: string;
  /** Kindly's public origin: status callbacks go to {publicBaseUrl}/webhooks/twilio, and Twilio signs that URL. */
  publicBaseUrl?: string;
  /** Segments per second (a long code sends 1). */
  rate?: number;
}

const DEFAULT_BASE_URL = "https://api.twilio.com";
/** A reminder that waited 4 h in a sender's queue is stale (it may land after a payment or at night). */
export const DEFAULT_VALIDITY_SECONDS = 14_400;
/** Twilio accepts ValidityPeriod from 1 to 36,000 s (errors 21624 / 90007). */
const MAX_VALIDITY_SECONDS = 36_000;

/** 21610: the recipient replied STOP (or another stop word) to this sender. */
const OPTED_OUT = new Set([21610]);
/** 21211 invalid 'To' number, 21614 not a mobile number, 21635 'To' is a landline. */
const INVALID_TO = new Set([21211, 21614, 21635]);
/** 20429 too many concurrent requests (never processed, safe to retry); 14107 the 30-per-30-s loop guard between two numbers. */
const RATE_LIMITED = new Set([20429, 14107]);

/** The From is not a number or sender ID this account may use (21212, 21606), not allowed for the destination (21657), or generic (30042). */
const SENDER_REFUSED = new Set([21212, 21606, 21657, 30042]);

const nonEmpty = (v: string | undefined): v is string => typeof v === "string" && v.length > 0;

/** Whether Twilio can be called at all: account SID and auth token. */
export function smsIsLive(c: TwilioConfig): boolean {
  return nonEmpty(c.accountSid) && nonEmpty(c.authToken);
}

const created = z.object({ sid: z.string().min(1), status: z.string().optional() });
const failure = z.object({ code: z.number().optional(), message: z.string().optional(), status: z.number().optional() });

/** Sends one SMS through Twilio and classifies the answer for the outbox. */
export async function sendSms(c: TwilioConfig, msg: OutgoingSms, now: number): Promise<SmsSendResult> {
  const from = msg.from ?? c.from;
  if (!smsIsLive(c) || (!nonEmpty(from) && !nonEmpty(c.messagingServiceSid))) return { ok: false, retryable: false, error: "twilio: not configured" };
  const sid = c.accountSid as string;
  const url = `${(c.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`;
  const form = new URLSearchParams({ To: msg.to, Body: msg.body, StatusCallback: msg.statusCallbackUrl, ValidityPeriod: String(validity(msg.validitySeconds)) });
  // The shop's sender when it has one; else a Messaging Service picks from its pool (and handles
  // STOP per service), else the platform's number.
  if (nonEmpty(msg.from)) form.set("From", msg.from);
  else if (nonEmpty(c.messagingServiceSid)) form.set("MessagingServiceSid", c.messagingServiceSid);
  else form.set("From", from as string);

  let res: Response;
  try {
    res = await fetch(url, {
      // A provider that hangs must not hold the debtor's object (its exclusive section) for long.
      signal: AbortSignal.timeout(10_000),
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${sid}:${c.authToken}`)}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
    });
  } catch (err) {
    return { ok: false, retryable: true, maybeSent: true, error: `twilio network: ${err instanceof Error ? err.message : String(err)}` };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const body = created.safeParse(json);
    if (body.success) return { ok: true, providerId: body.data.sid };
    // Accepted but unreadable: the message probably exists; do not send it again blindly.
    return { ok: false, retryable: true, maybeSent: true, error: `twilio ${res.status}: unreadable success body` };
  }
  const parsed = failure.safeParse(json);
  const code = parsed.success ? parsed.data.code : undefined;
  const error = `twilio ${res.status}${code ? `/${code}` : ""}: ${(parsed.success && parsed.data.message) || res.statusText || "error"}`;
  if (res.status === 429 || (code !== undefined && RATE_LIMITED.has(code))) {
    // 14107 holds further messages between the two numbers for 30 s; 20429 asks for a short wait.
    return { ok: false, retryable: true, error, retryAfterMs: retryAfterMs(res.headers.get("retry-after"), now, code === 14107 ? 30_000 : 1000) };
  }
  if (code !== undefined && OPTED_OUT.has(code)) return { ok: false, retryable: false, error, permanentAddressProblem: "opted_out" };
  if (code !== undefined && INVALID_TO.has(code)) return { ok: false, retryable: false, error, permanentAddressProblem: "invalid" };
  if (res.status >= 500) return { ok: false, retryable: true, maybeSent: true, error };
  // 20003: the credentials are refused; 21212/21606/21657/30042: Twilio will not send from this
  // sender (not on the account, not allowed there, generic). The channel, not the message, is broken.
  if (res.status === 401 || code === 20003) return { ok: false, retryable: false, error, unavailable: "Twilio refused the account credentials" };
  if (code !== undefined && SENDER_REFUSED.has(code)) return { ok: false, retryable: false, error, unavailable: `Twilio will not send from ${from ?? "the platform sender"}` };
  // 401 (20003 bad credentials), 400 validation, 404: retrying sends the same bad request again.
  return { ok: false, retryable: false, error };
}

function validity(seconds: number | undefined): number {
  if (seconds === undefined || !Number.isFinite(seconds)) return DEFAULT_VALIDITY_SECONDS;
  return Math.min(MAX_VALIDITY_SECONDS, Math.max(1, Math.round(seconds)));
}

/** Retry-After as seconds or an HTTP date (RFC 9110), else the fallback. */
function retryAfterMs(header: string | null, now: number, fallbackMs: number): number {
  if (!header) return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds > 0 ? Math.ceil(seconds * 1000) : fallbackMs;
  const at = Date.parse(header);
  return Number.isFinite(at) && at > now ? at - now : fallbackMs;
}

const MESSAGING_SERVICE = /^MG[0-9a-fA-F]{32}$/;

/** The Twilio adapter built from its configuration. */
export function twilioAdapter(c: TwilioConfig): ChannelAdapter {
  const base = (c.publicBaseUrl ?? "").replace(/\/+$/, "");
  const platform = nonEmpty(c.messagingServiceSid) ? c.messagingServiceSid : nonEmpty(c.from) ? c.from : null;
  return {
    channel: "sms",
    provider: "twilio",
    format: "sms",
    rate: c.rate ?? 1,
    // Twilio's Messages API takes no idempotency key: an ambiguous failure may have sent the SMS.
    idempotent: false,
    live: () => (smsIsLive(c) ? { ok: true } : { ok: false, reason: "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set" }),
    sender(tenant, recipient) {
      const s = smsSenderFor(tenant.sms, platform, recipient.phone ?? "");
      if (!s) return { ok: false, reason: "no SMS sender: set sms.sender_id or sms.from_number, or the platform's TWILIO_FROM" };
      const note =
        s.kind === "alphanumeric"
          ? "alphanumeric sender: the person cannot reply, so STOP by SMS is impossible (they opt out through you or their page)"
          : s.kind === "platform"
            ? "sent from the platform number; set sms.sender_id or sms.from_number for your own"
            : undefined;
      return { ok: true, sender: { from: s.from, replies: s.replies, ...(note ? { note } : {}) } };
    },
    async send(input) {
      // An SMS still queued at Twilio when quiet hours begin must expire, not arrive at night.
      const validitySeconds = Math.max(60, Math.min(DEFAULT_VALIDITY_SECONDS, Math.floor((input.expiresAt - input.now) / 1000)));
      const from = MESSAGING_SERVICE.test(input.sender.from) ? undefined : input.sender.from;
      return sendSms(c, { to: input.recipient.phone ?? input.message.recipient, ...(from ? { from } : {}), body: input.message.text, statusCallbackUrl: `${base}/webhooks/twilio`, validitySeconds }, input.now);
    },
    callbacks: {
      answer: { body: EMPTY_TWIML, contentType: "text/xml; charset=utf-8" },
      verify: async (req) =>
        verifyTwilio({
          authToken: c.authToken,
          // Twilio signs the public URL it called; behind a proxy or custom domain the Worker's own
          // URL differs, so the configured public origin (never the Host header) is trusted.
          urls: base ? twilioSignedUrls(base, pathAndQuery(req.url)) : [],
          params: formParams(new TextDecoder().decode(req.body)),
          signature: req.headers.get("x-twilio-signature") ?? undefined,
        }),
      map(req) {
        const cb = classifyTwilio(formParams(new TextDecoder().decode(req.body)));
        if (cb.kind === "status") {
          // queued, sent, ...: nothing the debtor's state needs.
          if (!cb.type) return { kind: "ignored", reason: `status ${cb.status}` };
          return { kind: "status", providerMessageId: cb.messageSid, eventId: `${cb.messageSid}:${cb.status}`, type: cb.type, permanent: cb.permanent, occurredAt: null, ...(cb.errorCode ? { detail: `error ${cb.errorCode}` } : {}) };
        }
        if (cb.kind === "inbound") return { kind: "inbound", eventId: cb.messageSid, from: cb.from, intent: cb.intent, body: cb.body };
        return cb;
      },
    },
  };
}
