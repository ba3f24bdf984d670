/**
 * Standard Webhooks signing: `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
 * one entry per active secret, space-separated, so a receiver that knows either secret accepts
 * the message while a rotation is under way. Secrets are `whsec_` + base64 of 32 random bytes;
 * the HMAC key is the decoded bytes (what the official libraries do).
 */

const PREFIX = "whsec_";

/** A new signing secret: `whsec_` + base64 of 32 random bytes. Shown to the merchant once. */
export function newSigningSecret(): string {
  return PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The `v1,<base64>` signature of one message with one secret. */
export async function signMessage(secret: string, messageId: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${messageId}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three Standard Webhooks headers for one attempt, signed with every active secret. */
export async function webhookHeaders(secrets: string[], messageId: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => signMessage(s, messageId, timestampSeconds, body)));
  return { "webhook-id": messageId, "webhook-timestamp": String(timestampSeconds), "webhook-signature": signatures.join(" ") };
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
