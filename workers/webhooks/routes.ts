/**
 * The D1 look-ups behind the webhooks: where a provider's message belongs (message_routes), which
 * callbacks were already handled (webhook_receipts) and which debtors a phone number reaches
 * (phone_index). Called only after a signature was verified.
 */
import type { MessageRoute } from "../debtor/channel-events";
import { legacyPhoneKey, phoneIndexKey } from "../phone-index";

/** A provider's name as its adapter gives it. */
export type Provider = string;

/** Most debtors one phone number fans out to; more is a data problem, logged, never a flood. */
export const MAX_DEBTORS_PER_PHONE = 200;

import { CHANNELS } from "../policy/policy-schema";

/** The route of a provider's message id, or null when Kindly did not send it (or it is not recorded yet). */
export async function findMessageRoute(db: D1Database, provider: Provider, providerMessageId: string): Promise<MessageRoute | null> {
  const row = await db
    .prepare("SELECT tenant_id, debtor_id, outbox_id, channel FROM message_routes WHERE provider = ? AND provider_message_id = ?")
    .bind(provider, providerMessageId)
    .first<{ tenant_id: string; debtor_id: string; outbox_id: string; channel: string }>();
  if (!row || !(CHANNELS as readonly string[]).includes(row.channel)) return null;
  return { tenantId: row.tenant_id, debtorId: row.debtor_id, outboxId: row.outbox_id, channel: row.channel as MessageRoute["channel"] };
}

/**
 * Claims a callback id: true the first time, false for a replay or a redelivery. Pair it with
 * `releaseReceipt` when handling fails, so the provider's retry is processed rather than skipped.
 */
export async function claimReceipt(db: D1Database, provider: Provider, eventId: string, receivedAt: number): Promise<boolean> {
  const result = await db
    .prepare("INSERT OR IGNORE INTO webhook_receipts (provider, event_id, received_at) VALUES (?, ?, ?)")
    .bind(provider, eventId, receivedAt)
    .run();
  return result.meta.changes === 1;
}

/** Forgets a claimed callback id after its handling failed. */
export async function releaseReceipt(db: D1Database, provider: Provider, eventId: string): Promise<void> {
  await db.prepare("DELETE FROM webhook_receipts WHERE provider = ? AND event_id = ?").bind(provider, eventId).run();
}

/** The phone_index key rows had before it was keyed with a secret (bare SHA-256); still read while the cron re-keys them. */
export function phoneHash(e164: string): Promise<string> {
  return legacyPhoneKey(e164);
}

/** Every (tenant, debtor) whose phone is this E.164 number (HMAC-keyed rows, and legacy ones not yet re-keyed). */
export async function debtorsByPhone(env: Env, e164: string): Promise<{ tenantId: string; debtorId: string }[]> {
  const { results } = await env.DB
    .prepare("SELECT DISTINCT tenant_id, debtor_id FROM phone_index WHERE phone_hash IN (?, ?) ORDER BY tenant_id, debtor_id LIMIT ?")
    .bind(await phoneIndexKey(env, e164), await legacyPhoneKey(e164), MAX_DEBTORS_PER_PHONE)
    .all<{ tenant_id: string; debtor_id: string }>();
  if (results.length === MAX_DEBTORS_PER_PHONE) console.error("phone_index: a number reaches the fan-out limit", { limit: MAX_DEBTORS_PER_PHONE });
  return results.map((r) => ({ tenantId: r.tenant_id, debtorId: r.debtor_id }));
}

/**
 * Runs `work` once per (provider, event id); false when the id was already handled. A failure
 * releases the claim and rethrows, so the provider's retry is handled instead of taken for a replay.
 */
export async function processOnce(db: D1Database, provider: Provider, eventId: string, work: () => Promise<void>): Promise<boolean> {
  if (!(await claimReceipt(db, provider, eventId, Date.now()))) return false;
  try {
    await work();
  } catch (err) {
    await releaseReceipt(db, provider, eventId).catch((e: unknown) => console.error(`webhooks/${provider}: could not release a receipt`, e));
    throw err;
  }
  return true;
}
