/**
 * Letter channel: Pingen, a print-and-mail service that takes an A4 PDF, reads the recipient
 * from the window's address area and posts the letter within Europe, so a Dutch or Belgian letter
 * travels as domestic post. Its API v2 (JSON:API, as its official SDKs call it):
 *
 * 1. OAuth 2 client credentials: POST {api}/auth/access-tokens (form: grant_type, client_id,
 *    client_secret, scope "letter") gives a bearer token for `expires_in` seconds (kept per isolate).
 * 2. GET {api}/file-upload gives a signed upload URL and its `url_signature`; the PDF is PUT there.
 * 3. POST {api}/organisations/{organisation}/deliveries/letters with the file's URL and signature,
 *    `address_position: left`, and `auto_send: true` with the delivery product, simplex, grayscale:
 *    Pingen validates the letter and, when it is valid, prints and posts it without a second call
 *    (a separate "send" would have to wait for validation, which takes a while).
 *
 * Exactly once. Pingen's SDKs send an `Idempotency-Key` with every POST and retry with the same
 * key, and so does this adapter. But a retried send uploads the PDF again under a new signed URL, so
 * the create request is not the same request, and Pingen documents no window for its keys. This
 * adapter therefore says `idempotent: false` and guards letters as Twilio's SMS are guarded: a
 * create that may have reached Pingen (a timeout, a lost answer, a 5xx) counts as sent,
 * unconfirmed, and is never repeated; failures before the create (token, upload) or answers that
 * say nothing was made (401, 422, 429) are retried or given up safely.
 *
 * Sandbox: Pingen's staging environment (api-staging.pingen.com, its own identity and webhooks)
 * validates letters but never prints or posts them, so with PINGEN_BASE_URL pointed there the
 * channel is not live, as a Lob test key is not.
 */
import { z } from "zod";
import { mapPingenEvent, verifyPingen } from "../webhooks/pingen";
import type { ChannelAdapter, SendResult } from "./adapter";
import { letterSender } from "./lob";
import { parseJson } from "./resend";

/** Pingen's settings (deployment secrets and vars). */
export interface PingenConfig {
  clientId?: string;
  clientSecret?: string;
  organisationId?: string;
  /** https://api.pingen.com (default) or https://api-staging.pingen.com; a fake's URL in tests. */
  baseUrl?: string;
  webhookSecret?: string;
  /** Pingen's delivery product: "fast" (priority post, default), "cheap", "bulk", "premium". */
  deliveryProduct?: string;
  /** Letters per second (each is three requests to Pingen). */
  rate?: number;
}

const DEFAULT_BASE_URL = "https://api.pingen.com";
const STAGING_HOST = "api-staging.pingen.com";
const JSON_API = "application/vnd.api+json";
/** Each request's own limit; the whole send stays under the adapter's timeout. */
const REQUEST_TIMEOUT_MS = 8_000;
/** A token is renewed this long before Pingen says it expires. */
const TOKEN_MARGIN_MS = 60_000;

const TokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const UploadSchema = z.object({ data: z.object({ attributes: z.object({ url: z.url(), url_signature: z.string().min(1) }) }) });
const LetterSchema = z.object({
  data: z.object({ id: z.string().min(1).max(200), attributes: z.object({ price_currency: z.string().nullish(), price_value: z.number().nullish() }).loose() }),
});
const ErrorsSchema = z.object({ errors: z.array(z.object({ code: z.string().optional(), title: z.string().optional(), detail: z.string().optional() }).loose()) });

const tokens = new Map<string, { token: string; expiresAt: number }>();

const base = (c: PingenConfig) => (c.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, "");

/** Whether the configured API is Pingen's staging environment (nothing is printed there). */
export function pingenIsStaging(c: PingenConfig): boolean {
  try {
    return new URL(base(c)).hostname === STAGING_HOST;
  } catch {
    return false;
  }
}

/** Pingen's error in words: "422 validation_failed: ..." from its JSON:API errors. */
async function describe(res: Response): Promise<string> {
  const parsed = ErrorsSchema.safeParse(await res.json().catch(() => null));
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  const words = [first?.code, first?.detail ?? first?.title].filter(Boolean).join(": ");
  return `pingen ${res.status}${words ? ` ${words}` : ""}`;
}

/** Retry-After in ms (seconds or an HTTP date), else a second. */
function retryAfterMs(res: Response, now: number): number {
  const raw = res.headers.get("retry-after");
  const seconds = Number(raw);
  if (raw && Number.isFinite(seconds) && seconds > 0) return Math.ceil(seconds * 1000);
  const at = raw ? Date.parse(raw) : NaN;
  return Number.isFinite(at) && at > now ? at - now : 1000;
}

type Step<T> = { ok: true; value: T } | { ok: false; result: Extract<SendResult, { ok: false }> };

/** A failure before the create request: nothing can have been printed, so a retry is safe. */
async function beforeCreate(res: Response, what: "token" | "file-upload", c: PingenConfig): Promise<Extract<SendResult, { ok: false }>> {
  const error = `${await describe(res)} (${what})`;
  if (res.status === 429) return { ok: false, retryable: true, error, retryAfterMs: retryAfterMs(res, Date.now()) };
  // The token endpoint refusing the client, or the API refusing the organisation: no letter can go.
  if ((what === "token" && res.status >= 400 && res.status < 500) || res.status === 403) return { ok: false, retryable: false, error, unavailable: "Pingen refused the client credentials" };
  // An expired or revoked token: the next attempt asks for a new one.
  if (res.status === 401) {
    tokens.delete(tokenKey(c));
    return { ok: false, retryable: true, error };
  }
  return { ok: false, retryable: res.status >= 500 || res.status === 408, error };
}

const tokenKey = (c: PingenConfig) => `${base(c)}|${c.clientId}`;

async function request(url: string, init: RequestInit): Promise<Response | Error> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** A bearer token, from the isolate's cache while it is valid. */
async function accessToken(c: PingenConfig): Promise<Step<string>> {
  // Real time, never the development clock: Pingen's tokens expire in real time.
  const now = Date.now();
  const key = tokenKey(c);
  const cached = tokens.get(key);
  if (cached && cached.expiresAt > now) return { ok: true, value: cached.token };
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: c.clientId ?? "", client_secret: c.clientSecret ?? "", scope: "letter" });
  const res = await request(`${base(c)}/auth/access-tokens`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body });
  if (res instanceof Error) return { ok: false, result: { ok: false, retryable: true, error: `pingen token: ${res.message}` } };
  if (!res.ok) return { ok: false, result: await beforeCreate(res, "token", c) };
  const token = TokenSchema.safeParse(await res.json().catch(() => null));
  if (!token.success) return { ok: false, result: { ok: false, retryable: true, error: "pingen token: unreadable answer" } };
  tokens.set(key, { token: token.data.access_token, expiresAt: now + token.data.expires_in * 1000 - TOKEN_MARGIN_MS });
  return { ok: true, value: token.data.access_token };
}

/** Uploads, creates and auto-sends one letter; classifies the answer for the outbox. */
export async function sendPingenLetter(c: PingenConfig, letter: { idempotencyKey: string; pdf: Uint8Array; fileName: string }): Promise<SendResult> {
  if (!c.clientId || !c.clientSecret || !c.organisationId) return { ok: false, retryable: false, error: "pingen: not configured" };
  const token = await accessToken(c);
  if (!token.ok) return token.result;
  const auth = { authorization: `Bearer ${token.value}`, accept: JSON_API };

  const upload = await request(`${base(c)}/file-upload`, { headers: auth });
  if (upload instanceof Error) return { ok: false, retryable: true, error: `pingen file-upload: ${upload.message}` };
  if (!upload.ok) return beforeCreate(upload, "file-upload", c);
  const signed = UploadSchema.safeParse(await upload.json().catch(() => null));
  if (!signed.success) return { ok: false, retryable: true, error: "pingen file-upload: unreadable answer" };
  const { url, url_signature } = signed.data.data.attributes;
  const put = await request(url, { method: "PUT", body: letter.pdf });
  if (put instanceof Error) return { ok: false, retryable: true, error: `pingen upload: ${put.message}` };
  if (!put.ok) return { ok: false, retryable: true, error: `pingen upload: ${put.status}` };

  const created = await request(`${base(c)}/organisations/${encodeURIComponent(c.organisationId)}/deliveries/letters`, {
    method: "POST",
    headers: { ...auth, "content-type": JSON_API, "idempotency-key": letter.idempotencyKey },
    body: JSON.stringify({
      data: {
        type: "letters",
        attributes: {
          file_original_name: letter.fileName,
          file_url: url,
          file_url_signature: url_signature,
          address_position: "left",
          auto_send: true,
          delivery_product: c.deliveryProduct || "fast",
          print_mode: "simplex",
          print_spectrum: "grayscale",
        },
      },
    }),
  });
  // From here on the letter may exist at Pingen even when the answer says otherwise or never comes.
  if (created instanceof Error) return { ok: false, retryable: true, maybeSent: true, error: `pingen create: ${created.message}` };
  if (created.ok) {
    const body = LetterSchema.safeParse(await created.json().catch(() => null));
    if (!body.success) return { ok: false, retryable: true, maybeSent: true, error: `pingen ${created.status}: unreadable letter` };
    const { price_currency, price_value } = body.data.data.attributes;
    return { ok: true, providerId: body.data.data.id, ...(price_currency === "EUR" && typeof price_value === "number" ? { costCents: Math.round(price_value * 100) } : {}) };
  }
  const error = await describe(created);
  // Refused before anything was made: a rate limit, an expired token, a forbidden organisation.
  if (created.status === 429) return { ok: false, retryable: true, error, retryAfterMs: retryAfterMs(created, Date.now()) };
  if (created.status === 401) {
    tokens.delete(tokenKey(c));
    return { ok: false, retryable: true, error };
  }
  if (created.status === 403) return { ok: false, retryable: false, error, unavailable: "Pingen refused the client credentials" };
  // 409 (the same key still in flight) and 5xx: the letter may have been made.
  if (created.status === 409 || created.status >= 500) return { ok: false, retryable: true, maybeSent: true, error };
  // 4xx validation: Pingen made nothing, and the same request would fail again.
  return { ok: false, retryable: false, error };
}

/** Forgets cached tokens (tests). */
export function forgetPingenTokens(): void {
  tokens.clear();
}

/** The Pingen adapter built from its configuration. */
export function pingenAdapter(c: PingenConfig): ChannelAdapter {
  return {
    channel: "letter",
    provider: "pingen",
    format: "letter_pdf",
    rate: c.rate ?? 2,
    idempotent: false,
    // The legal term starts when Pingen hands the letter to the post (its "sent" webhook).
    postingDate: "provider_event",
    // Token, upload and create, each bounded by REQUEST_TIMEOUT_MS.
    timeoutMs: 25_000,
    live() {
      if (!c.clientId || !c.clientSecret || !c.organisationId) return { ok: false, reason: "PINGEN_CLIENT_ID, PINGEN_CLIENT_SECRET and PINGEN_ORGANISATION_ID are not all set" };
      if (pingenIsStaging(c)) return { ok: false, reason: "PINGEN_BASE_URL is Pingen's staging environment: letters are validated there but never printed or posted" };
      return { ok: true };
    },
    sender: (tenant) => letterSender(tenant),
    async send(input) {
      if (!input.message.pdf) return { ok: false, retryable: false, error: "pingen: the letter was rendered without its PDF" };
      const pdf = Uint8Array.from(atob(input.message.pdf), (ch) => ch.charCodeAt(0));
      return sendPingenLetter(c, { idempotencyKey: input.idempotencyKey, pdf, fileName: `kindly-${input.idempotencyKey.slice(0, 24)}.pdf` });
    },
    callbacks: {
      verify: (req) => verifyPingen({ secret: c.webhookSecret, signature: req.headers.get("signature") ?? undefined, body: req.body, nowMs: req.nowMs }),
      map(req) {
        const m = mapPingenEvent(parseJson(req.body));
        if (m.kind !== "event") return m;
        return { kind: "status", providerMessageId: m.letterId, eventId: m.eventId, type: m.type, permanent: m.permanent, occurredAt: m.occurredAt, detail: m.detail };
      },
    },
  };
}
