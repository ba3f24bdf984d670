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
import type { SendResult } from "./email";

export type SmsSendResult = SendResult & {
  /** The recipient can no longer get SMS from us: block the channel for this debtor. */
  permanentAddressProblem?: "opted_out" | "invalid";
  /** The request may have reached Twilio and created the message (5xx, network error). */
  maybeSent?: true;
};

export interface OutgoingSms {
  /** E.164, e.g. +31612345678. */
  to: string;
  body: string;
  /** Where Twilio posts queued/sent/delivered/undelivered/failed for this message. */
  statusCallbackUrl: string;
  /** How long Twilio may hold it in its queue before giving up (1..36000 s). */
  validitySeconds?: number;
}

type TwilioEnv = Pick<Env, "TWILIO_ACCOUNT_SID" | "TWILIO_AUTH_TOKEN" | "TWILIO_FROM" | "TWILIO_MESSAGING_SERVICE_SID" | "TWILIO_BASE_URL">;

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

const nonEmpty = (v: string | undefined): v is string => typeof v === "string" && v.length > 0;

/** Whether SMS goes to Twilio (false: the caller keeps it in the sandbox outbox). */
export function smsIsLive(env: TwilioEnv): boolean {
  return nonEmpty(env.TWILIO_ACCOUNT_SID) && nonEmpty(env.TWILIO_AUTH_TOKEN) && (nonEmpty(env.TWILIO_FROM) || nonEmpty(env.TWILIO_MESSAGING_SERVICE_SID));
}

const created = z.object({ sid: z.string().min(1), status: z.string().optional() });
const failure = z.object({ code: z.number().optional(), message: z.string().optional(), status: z.number().optional() });

/** Sends one SMS through Twilio and classifies the answer for the outbox. */
export async function sendSms(env: TwilioEnv, msg: OutgoingSms, now: number): Promise<SmsSendResult> {
  if (!smsIsLive(env)) return { ok: false, retryable: false, error: "twilio: not configured" };
  const sid = env.TWILIO_ACCOUNT_SID as string;
  const url = `${(env.TWILIO_BASE_URL || DEFAULT_BASE_URL).replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`;
  const form = new URLSearchParams({ To: msg.to, Body: msg.body, StatusCallback: msg.statusCallbackUrl, ValidityPeriod: String(validity(msg.validitySeconds)) });
  // A Messaging Service picks the sender from its pool (and handles STOP per service); else one number.
  if (nonEmpty(env.TWILIO_MESSAGING_SERVICE_SID)) form.set("MessagingServiceSid", env.TWILIO_MESSAGING_SERVICE_SID);
  else form.set("From", env.TWILIO_FROM as string);

  let res: Response;
  try {
    res = await fetch(url, {
      // A provider that hangs must not hold the debtor's object (its exclusive section) for long.
      signal: AbortSignal.timeout(10_000),
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${sid}:${env.TWILIO_AUTH_TOKEN}`)}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
    });
  } catch (err) {
    return { ok: false, retryable: true, maybeSent: true, error: `twilio network: ${err instanceof Error ? err.message : String(err)}` };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const body = created.safeParse(json);
    if (body.success) return { ok: true, providerId: body.data.sid, sandbox: false };
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
