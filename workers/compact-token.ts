/**
 * Compact signed tokens: `base64url(JSON claims) + "." + base64url(HMAC-SHA256(key, first part))`.
 * Shared by the debtors' self-service links and the in-app banner tokens. Decoding is strict
 * (canonical base64url only, bounded length), so no two strings carry the same token.
 */
const encoder = new TextEncoder();
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Longest token accepted; real ones are ~150-250 characters. Bounds an attacker's work. */
const MAX_TOKEN_LENGTH = 1024;

/** Unpadded base64url of `bytes`. */
export function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Strict decode: only canonical base64url, so no two token strings carry the same bytes. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null;
  let bin: string;
  try {
    bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  return toBase64Url(bytes) === text ? bytes : null;
}

/** An HMAC-SHA256 key from raw bytes or a UTF-8 secret. */
export function hmacKey(raw: Uint8Array | string): Promise<CryptoKey> {
  const bytes = typeof raw === "string" ? encoder.encode(raw) : raw;
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** Signs already validated claims. */
export async function signCompact(key: CryptoKey, claims: object): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The split, decoded parts of a well-formed token (nothing verified yet), or null. */
export function readCompact(token: string): { body: string; signature: Uint8Array; json: unknown } | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [body, sig] = parts as [string, string];
  const signature = fromBase64Url(sig);
  const bodyBytes = fromBase64Url(body);
  if (!signature || !bodyBytes) return null;
  try {
    return { body, signature, json: JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bodyBytes)) as unknown };
  } catch {
    return null;
  }
}

/** Whether the token's MAC is right for `key` (constant time, by crypto.subtle.verify). */
export function verifyCompact(key: CryptoKey, parts: { body: string; signature: Uint8Array }): Promise<boolean> {
  return crypto.subtle.verify("HMAC", key, parts.signature, encoder.encode(parts.body));
}
