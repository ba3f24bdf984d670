/**
 * Letter channel: Lob's print-and-mail API, POST {base}/letters with a JSON body, Basic auth with
 * the API key as username and an empty password, and an `Idempotency-Key` (at most 256 chars;
 * Lob keeps it 24 h per mode and per resource type and answers a repeated key with the letter it
 * already made). Exactly-once therefore holds while the caller's retries of one outbox row stay
 * within 24 h of the first attempt; after that a retry would print a second letter.
 *
 * What Lob documents about NL/BE (help.lob.com "International mail", API reference "Letters"):
 * - mail originates in the US and goes abroad by USPS First Class Mail International; expect
 *   5-7 business days on top of domestic delivery, so use `expectedDeliveryDate` for legal terms;
 * - `from` must be a US address unless the account uses a custom envelope (else 422
 *   FOREIGN_RETURN_ADDRESS); a Dutch or Belgian merchant's return address needs that set-up;
 * - international letters hold at most 6 pages single-sided; registered/certified mail is not
 *   available abroad; pages are 8.5" x 11", not A4.
 * Our letters are A4 with a DIN 5008 window block that does not line up with Lob's US envelope,
 * so Lob adds its own address page (`insert_blank_page`, one extra page charged).
 * Lob's response carries no price: `costCents` comes from LETTER_COST_CENTS when set, else the
 * caller uses the tenant policy's channel cost.
 */
import { z } from "zod";
import { mapLobEvent } from "../webhooks/lob";
import { verifyLob } from "../webhooks/verify";
import type { ChannelAdapter, PostalAddress, SendResult, TenantIdentity, WireSender } from "./adapter";
import { parseJson } from "./resend";

export type LetterSendResult = SendResult;
export type { PostalAddress } from "./adapter";

export interface OutgoingLetter {
  /** Stable per outbox row; the same key must always carry the same letter. */
  idempotencyKey: string;
  /** Complete HTML document (Lob renders it; inline HTML must stay under 10,000 characters). */
  html: string;
  /** Internal description shown in Lob's dashboard. */
  description: string;
  to: PostalAddress;
  from: PostalAddress;
  /** Up to 20 string pairs (key < 40, value < 500 chars) that come back in Lob's webhooks. */
  metadata: Record<string, string>;
}

/** Lob's settings. */
export interface LobConfig {
  apiKey?: string;
  baseUrl?: string;
  /** What one posted letter costs, in cents (Lob's answer has no price). */
  letterCostCents?: string;
  webhookSecret?: string;
  /** Requests per second (Lob allows 150 per 5 s; 10/s leaves room). */
  rate?: number;
}

/** Lob's documented server URL; LOB_BASE_URL replaces all of it (contract tests, proxies). */
const DEFAULT_BASE_URL = "https://api.lob.com/v1";
/** Lob's limits on inline HTML, metadata and idempotency keys (API reference). */
const MAX_HTML_CHARS = 10_000;
const MAX_METADATA_KEYS = 20;
const MAX_IDEMPOTENCY_KEY = 256;
const MAX_DESCRIPTION = 255;
/** Lob's 429 body says "Please wait 5 seconds": the rate limit window is 150 requests per 5 s. */
const RATE_LIMIT_WINDOW_MS = 5000;

/** Lob error codes that mean the recipient's address cannot be mailed as given. */
const ADDRESS_CODES = new Set(["address_length_exceeds_limit", "failed_deliverability_strictness"]);

/** Whether a Lob key is configured at all. */
export function lettersAreLive(c: LobConfig): boolean {
  return typeof c.apiKey === "string" && c.apiKey.length > 0;
}

/** Lob's environment from the key prefix: test keys validate but never print or mail. */
export function lobMode(c: LobConfig): "test" | "live" | null {
  const key = c.apiKey ?? "";
  if (key.startsWith("test_")) return "test";
  if (key.startsWith("live_")) return "live";
  return null;
}

const letter = z.object({ id: z.string().regex(/^ltr_/), expected_delivery_date: z.string().nullish(), send_date: z.string().nullish() });
const failure = z.object({ error: z.object({ message: z.string().optional(), code: z.string().optional(), status_code: z.number().optional() }) });

/** Prints and posts one letter through Lob and classifies the answer for the outbox. */
export async function sendLetter(c: LobConfig, msg: OutgoingLetter, now: number): Promise<LetterSendResult> {
  if (!lettersAreLive(c)) return { ok: false, retryable: false, error: "lob: not configured" };
  const invalid = checkLimits(msg);
  if (invalid) return { ok: false, retryable: false, error: `lob: ${invalid}` };

  let res: Response;
  try {
    res = await fetch(`${(c.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, "")}/letters`, {
      // A provider that hangs must not hold the debtor's object (its exclusive section) for long.
      signal: AbortSignal.timeout(10_000),
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${c.apiKey}:`)}`,
        "content-type": "application/json",
        accept: "application/json",
        "idempotency-key": msg.idempotencyKey,
      },
      body: JSON.stringify(letterBody(msg)),
    });
  } catch (err) {
    // The key makes the retry safe even if this request did reach Lob.
    return { ok: false, retryable: true, error: `lob network: ${err instanceof Error ? err.message : String(err)}` };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const body = letter.safeParse(json);
    // Retrying with the same key returns the letter if it exists, so an unreadable body is retryable.
    if (!body.success) return { ok: false, retryable: true, error: `lob ${res.status}: unreadable success body` };
    return {
      ok: true,
      providerId: body.data.id,
      ...(body.data.expected_delivery_date ? { expectedDeliveryDate: body.data.expected_delivery_date } : {}),
      ...costOf(c),
    };
  }
  const parsed = failure.safeParse(json);
  const code = parsed.success ? parsed.data.error.code?.toLowerCase() : undefined;
  const message = (parsed.success && parsed.data.error.message) || res.statusText || "error";
  const error = `lob ${res.status}${code ? `/${code}` : ""}: ${message}`;
  if (res.status === 429) return { ok: false, retryable: true, error, retryAfterMs: rateLimitWaitMs(res.headers, now) };
  // 408 request timeout, 409 conflict (same key in flight), 5xx: the same key retries safely.
  if (res.status === 408 || res.status === 409 || res.status >= 500) return { ok: false, retryable: true, error };
  if (code === "foreign_return_address") {
    const why = "Lob needs a US return address unless the account mails with a custom envelope";
    return { ok: false, retryable: false, error: `${error} (${why})`, unavailable: why };
  }
  if (res.status === 401 || res.status === 403) return { ok: false, retryable: false, error, unavailable: "Lob refused the API key" };
  if (res.status === 422 && ((code !== undefined && ADDRESS_CODES.has(code)) || /\bto\.(name|address_\w+)/.test(message))) {
    return { ok: false, retryable: false, error, permanentAddressProblem: "invalid" };
  }
  // 401/403 key or account problems, other 4xx validation: the same request would fail again.
  return { ok: false, retryable: false, error };
}

function letterBody(msg: OutgoingLetter) {
  return {
    description: msg.description.slice(0, MAX_DESCRIPTION),
    to: address(msg.to),
    from: address(msg.from),
    file: msg.html,
    color: false,
    double_sided: false,
    // Lob prints its own address page for its envelope window (see the file comment).
    address_placement: "insert_blank_page",
    // Payment reminders are transactional mail; First Class is the only class that goes abroad.
    use_type: "operational",
    mail_type: "usps_first_class",
    metadata: msg.metadata,
  };
}

function address(a: PostalAddress) {
  return {
    name: a.name,
    address_line1: a.line1,
    ...(a.line2 ? { address_line2: a.line2 } : {}),
    address_city: a.city,
    address_zip: a.postalCode,
    address_country: a.country,
  };
}

/** Requests Lob would refuse with a 422 anyway are refused here, without a network call. */
function checkLimits(msg: OutgoingLetter): string | null {
  if (msg.html.length >= MAX_HTML_CHARS) return `inline HTML must be under ${MAX_HTML_CHARS} characters (got ${msg.html.length})`;
  if (msg.idempotencyKey.length === 0 || msg.idempotencyKey.length > MAX_IDEMPOTENCY_KEY) return "idempotency key must be 1-256 characters";
  const entries = Object.entries(msg.metadata);
  if (entries.length > MAX_METADATA_KEYS) return `at most ${MAX_METADATA_KEYS} metadata keys`;
  const bad = entries.find(([k, v]) => k.length >= 40 || v.length >= 500);
  return bad ? `metadata "${bad[0].slice(0, 40)}" too long (keys < 40, values < 500 characters)` : null;
}

/** Retry-After if sent, else X-Rate-Limit-Reset (epoch seconds), else Lob's 5-second window. */
function rateLimitWaitMs(headers: Headers, now: number): number {
  const retryAfter = Number(headers.get("retry-after") ?? NaN);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.ceil(retryAfter * 1000);
  const reset = Number(headers.get("x-rate-limit-reset") ?? NaN);
  if (Number.isFinite(reset) && reset * 1000 > now) return Math.max(1000, Math.min(reset * 1000 - now, 60_000));
  return RATE_LIMIT_WINDOW_MS;
}

function costOf(c: LobConfig): { costCents?: number } {
  const raw = c.letterCostCents?.trim();
  return raw && /^\d+$/.test(raw) ? { costCents: Number(raw) } : {};
}

/** The sender's postal address from the account's address lines ("Street 1", "1234 AB Town"); null when it does not parse. */
export function senderAddress(lines: string[], name: string, country: "NL" | "BE"): PostalAddress | null {
  const last = lines.at(-1) ?? "";
  const m = /^(\d{4}\s?[A-Z]{0,2})\s+(.+)$/.exec(last.trim());
  if (!m || lines.length < 2) return null;
  return { name, line1: lines[0] ?? "", ...(lines.length > 2 ? { line2: lines.slice(1, -1).join(", ") } : {}), postalCode: m[1] ?? "", city: m[2] ?? "", country };
}

/** The letter's sender: the shop's legal name at its postal address (Lob prints it as the return address). */
export function letterSender(tenant: TenantIdentity): { ok: true; sender: WireSender } | { ok: false; reason: string } {
  const postal = senderAddress(tenant.addressLines, tenant.legalName ?? tenant.displayName, tenant.country);
  if (!postal) return { ok: false, reason: 'the account\'s postal address does not parse: send address_lines like ["Street 1", "1234 AB Town"] with PATCH /v1/account' };
  const line = [postal.name, postal.line1, postal.line2, `${postal.postalCode} ${postal.city}`].filter(Boolean).join(", ");
  return { ok: true, sender: { from: line, replies: true, postal } };
}

/** The Lob adapter built from its configuration. */
export function lobAdapter(c: LobConfig): ChannelAdapter {
  return {
    channel: "letter",
    provider: "lob",
    format: "letter",
    rate: c.rate ?? 10,
    idempotent: true,
    live() {
      if (!lettersAreLive(c)) return { ok: false, reason: "LOB_API_KEY is not set" };
      // A test key validates and renders but never prints or posts: nothing would reach the person.
      if (lobMode(c) !== "live") return { ok: false, reason: "LOB_API_KEY is not a live_ key: Lob does not post letters in test mode" };
      return { ok: true };
    },
    sender: (tenant) => letterSender(tenant),
    async send(input) {
      const a = input.recipient.address;
      const from = input.sender.postal;
      if (!a || !from) return { ok: false, retryable: false, error: "lob: no postal address" };
      return sendLetter(c, {
        idempotencyKey: input.idempotencyKey,
        html: input.message.html,
        description: `Kindly ${input.outboxId}`,
        to: { name: input.recipient.name, line1: a.line1, ...(a.line2 ? { line2: a.line2 } : {}), postalCode: a.postal_code, city: a.city, country: a.country },
        from,
        metadata: { outbox: input.outboxId },
      }, input.now);
    },
    callbacks: {
      verify: (req) =>
        verifyLob({
          secret: c.webhookSecret,
          timestamp: req.headers.get("lob-signature-timestamp") ?? undefined,
          signature: req.headers.get("lob-signature") ?? undefined,
          body: req.body,
          nowMs: req.nowMs,
        }),
      map(req) {
        const m = mapLobEvent(parseJson(req.body));
        if (m.kind !== "event") return m;
        return { kind: "status", providerMessageId: m.letterId, eventId: m.eventId, type: m.type, permanent: m.permanent, occurredAt: m.occurredAt, detail: m.detail };
      },
    },
  };
}
