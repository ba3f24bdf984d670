/**
 * Twilio's form-encoded callbacks: status callbacks of messages we sent, and inbound messages
 * (replies, STOP, START). Pure: no bindings, no clock.
 */
import type { ChannelEventType } from "../debtor/channel-events";

/** Empty TwiML: Twilio sends nothing back itself beyond its own opt-out confirmations. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio's default opt-out words (reliability.md; Twilio's "support for opt-out keywords"). */
export const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "REVOKE", "OPTOUT", "CANCEL"]);
/** Twilio's default opt-in words. */
export const START_WORDS = new Set(["START", "UNSTOP", "YES"]);
/** Twilio answers these itself; they are neither an opt-out nor a reply to record. */
export const HELP_WORDS = new Set(["HELP", "INFO"]);

/**
 * Error codes that say the number itself cannot take SMS: 21211 invalid 'To' number, 21217 number
 * not valid, 21612 'To' not reachable via SMS, 21614 not a mobile number, 21610 the recipient
 * replied STOP, 30005 unknown or inactive handset, 30006 landline or unreachable carrier.
 * 30003 (handset off or out of coverage) and 30007/30008 (filtering, unknown) are not the
 * number's fault and stay retryable.
 */
export const PERMANENT_ERROR_CODES = new Set(["21211", "21217", "21610", "21612", "21614", "30005", "30006"]);

/** Longest reply body passed on (Twilio concatenates at most 1600 characters). */
export const MAX_REPLY_CHARS = 1600;

/** The POST parameters of a form body, in order; repeated names stay repeated. */
export function formParams(body: string): [string, string][] {
  return [...new URLSearchParams(body)];
}

/**
 * The URLs Twilio may have signed. Twilio signs the URL it called, and behind a proxy or a custom
 * domain the Worker sees another host, so the public base (PUBLIC_BASE_URL) is the trusted part,
 * never the Host header. twilio-node also tries the URL with and without the default port.
 */
export function twilioSignedUrls(publicBaseUrl: string, pathAndQuery: string): string[] {
  const url = publicBaseUrl.replace(/\/+$/, "") + pathAndQuery;
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [];
  const [, scheme = "", authority = "", rest = ""] = match;
  const defaultPort = scheme.toLowerCase() === "https" ? "443" : "80";
  const host = authority.replace(new RegExp(`:${defaultPort}$`), "");
  return [...new Set([url, `${scheme}://${host}${rest}`, `${scheme}://${host}:${defaultPort}${rest}`])];
}

/** The path and query of the request exactly as they arrived (Twilio signs them verbatim). */
export function pathAndQuery(url: string): string {
  const afterScheme = url.indexOf("//") + 2;
  const start = url.indexOf("/", afterScheme);
  if (start === -1) return "/";
  const hash = url.indexOf("#", start);
  return url.slice(start, hash === -1 ? undefined : hash);
}

export type TwilioCallback =
  | { kind: "status"; messageSid: string; status: string; type: ChannelEventType | null; permanent: boolean; errorCode?: string }
  | { kind: "inbound"; messageSid: string; from: string; intent: "stop" | "start" | "help" | "reply"; body: string }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; message: string };

const SID = /^[A-Z]{2}[0-9a-f]{32}$/;
const E164 = /^\+[1-9]\d{4,14}$/;

/** What a message's words ask for: Twilio's OptOutType (Advanced Opt-Out) wins over our own matching. */
export function inboundIntent(body: string, optOutType: string | undefined): "stop" | "start" | "help" | "reply" {
  const declared = optOutType?.toUpperCase();
  if (declared === "STOP") return "stop";
  if (declared === "START") return "start";
  if (declared === "HELP") return "help";
  const word = body.trim().toUpperCase();
  if (STOP_WORDS.has(word)) return "stop";
  if (START_WORDS.has(word)) return "start";
  if (HELP_WORDS.has(word)) return "help";
  return "reply";
}

const STATUS_TYPES: Record<string, ChannelEventType> = { delivered: "delivered", undelivered: "undelivered", failed: "failed", read: "opened" };

/** Classifies verified Twilio parameters: a status callback of a message we sent (MessageStatus) or an inbound message. */
export function classifyTwilio(params: [string, string][]): TwilioCallback {
  const get = (name: string) => params.find(([n]) => n === name)?.[1];
  const messageSid = get("MessageSid") ?? get("SmsSid");
  if (!messageSid || !SID.test(messageSid)) return { kind: "malformed", message: "MessageSid is missing or not a Twilio sid." };
  const status = get("MessageStatus");
  // Inbound messages carry SmsStatus=received and no MessageStatus; "received" is accepted as inbound too.
  if (status !== undefined && status !== "received" && status !== "receiving") {
    const type = STATUS_TYPES[status] ?? null;
    const errorCode = get("ErrorCode")?.slice(0, 10) || undefined;
    const permanent = (type === "undelivered" || type === "failed") && errorCode !== undefined && PERMANENT_ERROR_CODES.has(errorCode);
    return { kind: "status", messageSid, status: status.slice(0, 40), type, permanent, ...(errorCode ? { errorCode } : {}) };
  }
  const from = get("From")?.trim();
  // WhatsApp ("whatsapp:+31..."), short codes and alphanumeric senders are not debtors' phones.
  if (!from || !E164.test(from)) return { kind: "ignored", reason: "sender is not an E.164 number" };
  const body = (get("Body") ?? "").slice(0, MAX_REPLY_CHARS);
  return { kind: "inbound", messageSid, from, intent: inboundIntent(body, get("OptOutType")), body };
}
