/**
 * Secrets a tenant stores (merchant webhook signing secrets; Kindly keeps no provider credentials
 * per tenant today) are encrypted in D1 with AES-256-GCM (WebCrypto) under a key from the
 * `DATA_ENCRYPTION_KEYS` secret:
 *
 *   DATA_ENCRYPTION_KEYS = "<id>:<base64 of 32 random bytes>[,<older id>:<older key>...]"
 *   stored value         = "enc:v1:<key id>:<base64 iv>:<base64 ciphertext+tag>"
 *
 * The first key encrypts; every listed key decrypts. To rotate: put a new key first and keep the
 * old one listed; the cron re-encrypts every row under the new key (`reencryptSecrets`); once no
 * row names the old key id, drop it. The ciphertext is bound to its row (additional data
 * "webhook_endpoints:<id>"), so a value copied to another row does not decrypt. A value without
 * the prefix is a plain secret from before encryption: still read, and re-encrypted by the cron.
 */
import { and, eq, isNotNull, ne, notLike, or, sql } from "drizzle-orm";
import { webhookEndpoints } from "../schema/d1";
import { db } from "./db";
import { ConfigurationError } from "./errors";

const PREFIX = "enc:v1:";
const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
// Only for KINDLY_ENV=development (npm start, tests): 32 fixed bytes, never used in production.
const DEVELOPMENT_KEYS = "dev:a2luZGx5LWRldmVsb3BtZW50LWtleS0zMi1ieXRlcyE=";

interface DataKey {
  id: string;
  key: CryptoKey;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

/** The configured keys, current first; a configuration error when there are none or one is malformed. */
export async function dataKeys(env: { KINDLY_ENV: string; DATA_ENCRYPTION_KEYS?: string }): Promise<DataKey[]> {
  const spec = env.DATA_ENCRYPTION_KEYS || (env.KINDLY_ENV === "development" ? DEVELOPMENT_KEYS : "");
  if (!spec) throw new ConfigurationError("DATA_ENCRYPTION_KEYS", "secrets such as webhook signing secrets cannot be stored or read without an encryption key.");
  return Promise.all(
    spec.split(",").map(async (part) => {
      const [id = "", raw = ""] = part.trim().split(":");
      let bytes: Uint8Array;
      try {
        bytes = unb64(raw);
      } catch {
        bytes = new Uint8Array();
      }
      if (!KEY_ID.test(id) || bytes.length !== 32) throw new ConfigurationError("DATA_ENCRYPTION_KEYS", `entry "${id || "?"}" must be "<id>:<base64 of 32 bytes>".`);
      return { id, key: await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]) };
    }),
  );
}

/** Encrypts `plain` under the current key, bound to `context` (e.g. "webhook_endpoints:whe_..."). */
export async function sealSecret(env: { KINDLY_ENV: string; DATA_ENCRYPTION_KEYS?: string }, plain: string, context: string): Promise<string> {
  const [current] = await dataKeys(env);
  if (!current) throw new ConfigurationError("DATA_ENCRYPTION_KEYS", "no key listed.");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) }, current.key, new TextEncoder().encode(plain));
  return `${PREFIX}${current.id}:${b64(iv)}:${b64(new Uint8Array(sealed))}`;
}

/** The plain secret of a stored value (a legacy plain value passes through); throws if no listed key opens it. */
export async function openSecret(env: { KINDLY_ENV: string; DATA_ENCRYPTION_KEYS?: string }, stored: string, context: string): Promise<string> {
  if (!stored.startsWith(PREFIX)) return stored;
  const [id, iv, data] = stored.slice(PREFIX.length).split(":");
  const key = (await dataKeys(env)).find((k) => k.id === id);
  if (!key || !iv || !data) throw new ConfigurationError("DATA_ENCRYPTION_KEYS", `no key "${id}" is listed to decrypt a stored secret (keep old keys listed until the cron re-encrypted every row).`);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv), additionalData: new TextEncoder().encode(context) }, key.key, unb64(data));
  return new TextDecoder().decode(plain);
}

/** Whether a stored value is already under the current key. */
export function sealedWith(stored: string, keyId: string): boolean {
  return stored.startsWith(`${PREFIX}${keyId}:`);
}

/** The context a webhook endpoint's secrets are bound to. */
export const endpointContext = (endpointId: string) => `webhook_endpoints:${endpointId}`;

/**
 * Re-encrypts webhook secrets that are plain or under an older key with the current key, up to
 * `limit` rows a run; answers how many rows changed. An update only lands if the row was not
 * changed meanwhile (a rotation in between keeps its new secret).
 */
export async function reencryptSecrets(env: Env, limit = 200): Promise<number> {
  const [current] = await dataKeys(env);
  if (!current) return 0;
  const d = db(env.DB);
  const e = webhookEndpoints;
  const sealedNow = `${PREFIX}${current.id}:%`;
  const results = await d
    .select({ id: e.id, secret: e.secret, previousSecret: e.previousSecret })
    .from(e)
    .where(or(and(ne(e.secret, ""), notLike(e.secret, sealedNow)), and(isNotNull(e.previousSecret), notLike(e.previousSecret, sealedNow))))
    .limit(limit)
    .all();
  let changed = 0;
  for (const r of results) {
    const ctx = endpointContext(r.id);
    const again = async (v: string) => (sealedWith(v, current.id) || v === "" ? v : sealSecret(env, await openSecret(env, v, ctx), ctx));
    const secret = await again(r.secret);
    const previous = r.previousSecret === null ? null : await again(r.previousSecret);
    // Only if nobody rotated the secrets meanwhile (IS: the previous secret may be NULL).
    const res = await d
      .update(e)
      .set({ secret, previousSecret: previous })
      .where(and(eq(e.id, r.id), eq(e.secret, r.secret), sql`${e.previousSecret} IS ${r.previousSecret}`))
      .run();
    changed += res.meta.changes;
  }
  return changed;
}
