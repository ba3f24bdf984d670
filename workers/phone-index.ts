/**
 * The phone index (D1 `phone_index`): which debtors a number reaches, so an inbound STOP opts it
 * out everywhere. Keys are `h1:` + hex HMAC-SHA256(PHONE_INDEX_SECRET, E.164): without the secret
 * a copy of the table cannot be matched against a list of numbers (a bare SHA-256 of the few
 * billion possible numbers can be). Rows from before the secret (bare SHA-256) are still read,
 * and the cron re-keys them (`reindexLegacyPhones`).
 */
import { and, eq, notLike } from "drizzle-orm";
import { phoneIndex } from "../schema/d1";
import { hmacKey } from "./compact-token";
import { sha256Hex } from "./crypto";
import { db, type Statement } from "./db";
import { debtorStub } from "./debtor/stub";
import { ConfigurationError } from "./errors";

// Only for KINDLY_ENV=development (npm start, tests); production refuses to run without a secret.
const DEVELOPMENT_SECRET = "kindly-development-phone-index-secret-do-not-use-in-production";
const PREFIX = "h1:";

/** The secret that keys the phone index; a configuration error in production without one. */
export function phoneIndexSecret(env: { KINDLY_ENV: string; PHONE_INDEX_SECRET?: string }): string {
  if (env.PHONE_INDEX_SECRET) return env.PHONE_INDEX_SECRET;
  if (env.KINDLY_ENV === "development") return DEVELOPMENT_SECRET;
  throw new ConfigurationError("PHONE_INDEX_SECRET", "phone numbers cannot be indexed for opt-outs (STOP) without it.");
}

/** The index key of an E.164 number (`+31612345678`). */
export async function phoneIndexKey(env: { KINDLY_ENV: string; PHONE_INDEX_SECRET?: string }, e164: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(phoneIndexSecret(env)), new TextEncoder().encode(e164.trim()));
  return PREFIX + [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The key rows had before the secret: bare SHA-256 of the number (read during the move only). */
export function legacyPhoneKey(e164: string): Promise<string> {
  return sha256Hex(e164.trim());
}

/** Indexes a debtor's number. */
export async function indexPhone(env: Env, tenantId: string, debtorId: string, e164: string): Promise<void> {
  await db(env.DB)
    .insert(phoneIndex)
    .values({ phoneHash: await phoneIndexKey(env, e164), tenantId, debtorId })
    .onConflictDoNothing()
    .run();
}

/** Re-keys up to `limit` legacy rows with the secret, asking each debtor's object for the number. */
export async function reindexLegacyPhones(env: Env, limit = 100): Promise<number> {
  const d = db(env.DB);
  const results = await d
    .select()
    .from(phoneIndex)
    .where(notLike(phoneIndex.phoneHash, `${PREFIX}%`))
    .limit(limit)
    .all();
  for (const r of results) {
    const phone = await debtorStub(env, r.tenantId, r.debtorId).phoneForIndex(r.tenantId);
    const remove = d.delete(phoneIndex).where(and(eq(phoneIndex.phoneHash, r.phoneHash), eq(phoneIndex.tenantId, r.tenantId), eq(phoneIndex.debtorId, r.debtorId)));
    const rekey: Statement[] = [];
    if (phone && (await legacyPhoneKey(phone)) === r.phoneHash) {
      rekey.push(d.insert(phoneIndex).values({ phoneHash: await phoneIndexKey(env, phone), tenantId: r.tenantId, debtorId: r.debtorId }).onConflictDoNothing());
    }
    await d.batch([remove, ...rekey]);
  }
  return results.length;
}
