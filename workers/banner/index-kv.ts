/**
 * The banner's fast negative path: one KV key per (tenant, debtor) that exists only while the
 * debtor has something open. `GET /v1/banner` reads it first, so the many customers with nothing
 * open never wake (or create, and get billed for) a Durable Object.
 *
 * The DebtorDO is the only writer: it calls setBannerIndex when its open-invoice count moves
 * between 0 and more than 0. KV is eventually consistent (a read may be served from a cache up to
 * about 60 s old), so the key is a hint, never the truth: a stale "open" costs one DO read that
 * answers null (204), and a stale "absent" hides a new banner for at most about a minute.
 */

// Tenant ids contain no ":", so "open:{tenant}:{debtor}" cannot be forged across tenants; with
// both ids at most 128 ASCII characters the key stays far below KV's 512-byte limit.
const PREFIX = "open:";

/** The KV key that marks (tenant, debtor) as having open invoices. */
export function bannerIndexKey(tenantId: string, debtorId: string): string {
  if (tenantId.includes(":")) throw new Error("bannerIndexKey: tenant ids never contain ':'");
  return `${PREFIX}${tenantId}:${debtorId}`;
}

/**
 * Marks (tenant, debtor) as having something open (puts the key, value `etag` or "1") or not
 * (deletes it). Idempotent, so a retried alarm step or a sweep may call it again; it throws when
 * KV does, so the caller can retry. KV allows about one write per second per key, which the
 * 0 <-> >0 transitions never approach.
 */
export async function setBannerIndex(env: Pick<Env, "BANNER_INDEX">, tenantId: string, debtorId: string, open: boolean, etag?: string): Promise<void> {
  const key = bannerIndexKey(tenantId, debtorId);
  if (open) await env.BANNER_INDEX.put(key, etag ?? "1");
  else await env.BANNER_INDEX.delete(key);
}

/**
 * Whether the index says (tenant, debtor) has something open. A KV failure answers true: the
 * caller then asks the Durable Object, which is slower but never wrong.
 */
export async function bannerIndexSaysOpen(env: Pick<Env, "BANNER_INDEX">, tenantId: string, debtorId: string): Promise<boolean> {
  try {
    return (await env.BANNER_INDEX.get(bannerIndexKey(tenantId, debtorId))) !== null;
  } catch (err) {
    console.error("banner index read failed; asking the Durable Object", err);
    return true;
  }
}
