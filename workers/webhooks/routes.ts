/**
 * The D1 look-ups behind the webhooks: where a provider's message belongs (message_routes), which
 * callbacks were already handled (webhook_receipts) and which debtors a phone number reaches
 * (phone_index). Called only after a signature was verified.
 */
import { and, asc, eq, inArray, max } from "drizzle-orm";
import { messageRoutes, phoneIndex, webhookReceipts } from "../../schema/d1";
import { db } from "../db";
import type { MessageRoute } from "../debtor/channel-events";
import { legacyPhoneKey, phoneIndexKey } from "../phone-index";

/** A provider's name as its adapter gives it. */
export type Provider = string;

/** Most debtors one phone number fans out to; more is a data problem, logged, never a flood. */
export const MAX_DEBTORS_PER_PHONE = 200;

import { CHANNELS } from "../policy/policy-schema";

/** The route of a provider's message id, or null when Kindly did not send it (or it is not recorded yet). */
export async function findMessageRoute(d1: D1Database, provider: Provider, providerMessageId: string): Promise<MessageRoute | null> {
  const r = messageRoutes;
  const row = await db(d1)
    .select({ tenantId: r.tenantId, debtorId: r.debtorId, outboxId: r.outboxId, channel: r.channel })
    .from(r)
    .where(and(eq(r.provider, provider), eq(r.providerMessageId, providerMessageId)))
    .get();
  const channel = CHANNELS.find((c) => c === row?.channel);
  if (!row || !channel) return null;
  return { ...row, channel };
}

/**
 * Claims a callback id: true the first time, false for a replay or a redelivery. Pair it with
 * `releaseReceipt` when handling fails, so the provider's retry is processed rather than skipped.
 */
export async function claimReceipt(d1: D1Database, provider: Provider, eventId: string, receivedAt: number): Promise<boolean> {
  const result = await db(d1).insert(webhookReceipts).values({ provider, eventId, receivedAt }).onConflictDoNothing().run();
  return result.meta.changes === 1;
}

/** Forgets a claimed callback id after its handling failed. */
export async function releaseReceipt(d1: D1Database, provider: Provider, eventId: string): Promise<void> {
  const r = webhookReceipts;
  await db(d1)
    .delete(r)
    .where(and(eq(r.provider, provider), eq(r.eventId, eventId)))
    .run();
}

/** The phone_index key rows had before it was keyed with a secret (bare SHA-256); still read while the cron re-keys them. */
export function phoneHash(e164: string): Promise<string> {
  return legacyPhoneKey(e164);
}

/** Every (tenant, debtor) whose phone is this E.164 number (HMAC-keyed rows, and legacy ones not yet re-keyed). */
export async function debtorsByPhone(env: Env, e164: string): Promise<{ tenantId: string; debtorId: string }[]> {
  const p = phoneIndex;
  const results = await db(env.DB)
    .selectDistinct({ tenantId: p.tenantId, debtorId: p.debtorId })
    .from(p)
    .where(inArray(p.phoneHash, [await phoneIndexKey(env, e164), await legacyPhoneKey(e164)]))
    .orderBy(asc(p.tenantId), asc(p.debtorId))
    .limit(MAX_DEBTORS_PER_PHONE)
    .all();
  if (results.length === MAX_DEBTORS_PER_PHONE) console.error("phone_index: a number reaches the fan-out limit", { limit: MAX_DEBTORS_PER_PHONE });
  return results;
}

/** The last time this provider carried a message to the debtor (clock ms), or null. */
export async function lastMessageAt(d1: D1Database, provider: Provider, tenantId: string, debtorId: string): Promise<number | null> {
  const r = messageRoutes;
  const row = await db(d1)
    .select({ at: max(r.createdAt) })
    .from(r)
    .where(and(eq(r.provider, provider), eq(r.tenantId, tenantId), eq(r.debtorId, debtorId)))
    .get();
  return row?.at ?? null;
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
