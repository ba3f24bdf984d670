/**
 * Signature checks for the providers' webhooks, with WebCrypto only. Every check recomputes the
 * MAC over the raw bytes that arrived and compares bytes in constant time; a malformed header is
 * simply "not verified", never an exception.
 */

/** How far a signed timestamp may be from our clock, either way (Svix and Lob advise 5 minutes). */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/** Why a webhook was not accepted; `missing_secret` is logged, never told to the caller. */
export type VerifyFailure = "missing_secret" | "missing_headers" | "stale" | "invalid";
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

const encoder = new TextEncoder();
const fail = (reason: VerifyFailure): VerifyResult => ({ ok: false, reason });

/** Compares two byte strings in time that depends only on their lengths (which are not secret). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** HMAC of `data` under `key`. */
export async function hmac(hash: "SHA-1" | "SHA-256", key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
}

/** Standard base64 to bytes; null when it is not base64. */
export function base64ToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Hex (either case) to bytes; null when it is not hex. */
export function hexToBytes(text: string): Uint8Array | null {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const withinTolerance = (signedAtMs: number, nowMs: number) => Math.abs(nowMs - signedAtMs) <= SIGNATURE_TOLERANCE_MS;

/** The HMAC key of a Svix / Standard Webhooks secret: base64 after the `whsec_` prefix. */
export function svixKey(secret: string): Uint8Array | null {
  const key = base64ToBytes(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
  return key && key.length > 0 ? key : null;
}

export interface SvixInput {
  secret: string | undefined;
  id: string | undefined;
  timestamp: string | undefined;
  /** `v1,<base64>` entries separated by spaces (several during a secret rotation). */
  signature: string | undefined;
  body: Uint8Array;
  /** Real time in ms (never the development clock: the provider signs with real time). */
  nowMs: number;
}

/** Svix (Resend) signature: HMAC-SHA256 over `${id}.${timestamp}.${raw body}`, base64, any v1 entry. */
export async function verifySvix(input: SvixInput): Promise<VerifyResult> {
  const key = input.secret ? svixKey(input.secret) : null;
  if (!key) return fail("missing_secret");
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) return fail("missing_headers");
  if (!/^\d{1,12}$/.test(timestamp)) return fail("invalid");
  if (!withinTolerance(Number(timestamp) * 1000, input.nowMs)) return fail("stale");
  const expected = await hmac("SHA-256", key, concat(encoder.encode(`${id}.${timestamp}.`), input.body));
  // Check every entry (no early exit), so the time taken does not tell which one matched.
  let matched = false;
  for (const entry of signature.split(" ").slice(0, 16)) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = base64ToBytes(value);
    if (given && timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? { ok: true } : fail("invalid");
}

export interface TwilioInput {
  authToken: string | undefined;
  /** The URLs Twilio may have signed (as configured, with and without the default port). */
  urls: string[];
  /** The POST parameters in arrival order; repeated names are allowed. */
  params: [string, string][];
  signature: string | undefined;
}

/**
 * The string Twilio signs: the URL, then each parameter name followed by its value, sorted by
 * name (case-sensitive code-unit order); a repeated name contributes its distinct values sorted,
 * as twilio-node's `getExpectedTwilioSignature` does.
 */
export function twilioSignedPayload(url: string, params: [string, string][]): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    const values = byName.get(name) ?? new Set<string>();
    values.add(value);
    byName.set(name, values);
  }
  let out = url;
  for (const name of [...byName.keys()].sort()) {
    for (const value of [...(byName.get(name) ?? [])].sort()) out += name + value;
  }
  return out;
}

/** X-Twilio-Signature: base64 HMAC-SHA1 with the auth token over `twilioSignedPayload`. */
export async function verifyTwilio(input: TwilioInput): Promise<VerifyResult> {
  if (!input.authToken) return fail("missing_secret");
  if (!input.signature || input.urls.length === 0) return fail("missing_headers");
  const given = base64ToBytes(input.signature);
  if (!given) return fail("invalid");
  const key = encoder.encode(input.authToken);
  let matched = false;
  for (const url of input.urls) {
    const expected = await hmac("SHA-1", key, encoder.encode(twilioSignedPayload(url, input.params)));
    if (timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? { ok: true } : fail("invalid");
}

/**
 * Lob-Signature-Timestamp as epoch ms. Lob's documentation does not pin the unit down, so digits
 * below 10^11 are read as seconds and longer ones as milliseconds; an ISO 8601 date also parses.
 */
export function lobTimestampMs(value: string): number | null {
  if (/^\d{1,15}$/.test(value)) {
    const n = Number(value);
    return n < 1e11 ? n * 1000 : n;
  }
  if (value.length > 40) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export interface LobInput {
  secret: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
  nowMs: number;
}

/** Lob-Signature: hex HMAC-SHA256 with the webhook secret over `${timestamp}.${raw body}`. */
export async function verifyLob(input: LobInput): Promise<VerifyResult> {
  if (!input.secret) return fail("missing_secret");
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return fail("missing_headers");
  const signedAt = lobTimestampMs(timestamp);
  if (signedAt === null) return fail("invalid");
  if (!withinTolerance(signedAt, input.nowMs)) return fail("stale");
  const given = hexToBytes(signature.trim());
  if (!given) return fail("invalid");
  const expected = await hmac("SHA-256", encoder.encode(input.secret), concat(encoder.encode(`${timestamp}.`), input.body));
  return timingSafeEqual(given, expected) ? { ok: true } : fail("invalid");
}
