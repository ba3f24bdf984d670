/**
 * Personal data under the AVG/GDPR, across every store: export what Kindly holds about one debtor,
 * erase it, apply each environment's retention, and prune records on their own schedules.
 *
 * Erasure keeps what the shop's books need, pseudonymised: D1's invoice index and outcome events
 * keep their amounts, dates and the shop's invoice numbers under a random pseudonym
 * (`erased_...`) instead of the debtor's id, with every other field of the event data dropped
 * (an allowlist, so a new field never survives by accident). Everything else about the person
 * goes: the debtor's object (contact data, stored message bodies, notes, schedules), sandbox
 * messages, call tasks, link codes, message routes, the phone index, the banner's KV key and
 * cached idempotent answers. Queued dispatches find an empty object and do nothing.
 */
import { setBannerIndex } from "./banner/index-kv";
import { callTaskRetention } from "./call-tasks";
import { randomToken } from "./crypto";
import type { DebtorObjectExport, EraseOutcome } from "./debtor/privacy-rpc";
import { debtorStub } from "./debtor/stub";
import { IDEMPOTENCY_RETENTION_MS } from "./idempotency";

const DAY_MS = 24 * 3600_000;
/** An average month, for retention in months. */
export const MONTH_MS = 30.436875 * DAY_MS;

/** Event data fields that may stay after erasure: amounts, dates, codes; never text or contact data. */
const KEPT_EVENT_FIELDS = [
  "amount_cents", "outstanding_cents", "total_cents", "principal_cents", "costs_cents", "chargeable_costs_cents", "cost_cents", "paid_cents", "due_cents",
  "due_date", "issue_date", "paid_at", "first_due_date", "date", "until", "merchant_invoice_id", "invoice_ids", "instalments", "invoices_closed",
  "channel", "channels", "step", "kind", "segment", "ladder", "source", "sandbox", "attempts", "outbox_id", "status", "permanent", "unconfirmed",
];

/** How long each kind of record is kept (the README's record of processing lists them). */
export const RETENTION = {
  /** Finished merchant webhook deliveries and their attempts. */
  webhookDeliveriesDays: 30,
  /** Provider message routes: a status event arriving later than this is ignored. */
  messageRoutesDays: 120,
  /** Receipts of signed provider callbacks with a timestamp (Svix, Lob): a replay outside the 5-minute tolerance fails anyway. */
  timestampedReceiptsDays: 7,
  /** Twilio status callbacks carry no timestamp: their receipts live as long as the route a replay would need. */
  twilioStatusReceiptsDays: 120 + 1,
  /** Sandbox messages in production (test environments, sandbox delivery mode). */
  sandboxMessagesDays: 30,
} as const;

/** Erases one debtor everywhere; the D1 part runs even when the object was already wiped (a retry). */
export async function eraseDebtor(env: Env, tenantId: string, debtorId: string, opts: { force: boolean; idleSince?: number }): Promise<EraseOutcome> {
  const outcome = await debtorStub(env, tenantId, debtorId).erase(tenantId, opts);
  if (!outcome.ok && outcome.code !== "not_found") return outcome;
  const known = await env.DB.prepare("SELECT 1 AS one FROM invoice_index WHERE tenant_id = ? AND debtor_id = ? LIMIT 1").bind(tenantId, debtorId).first();
  if (!outcome.ok && !known) return outcome;
  await scrubD1(env.DB, tenantId, debtorId, `erased_${randomToken(16)}`);
  await setBannerIndex(env, tenantId, debtorId, false);
  return outcome.ok ? outcome : { ok: true, closedInvoices: 0 };
}

/** The D1 part of an erasure: pseudonymise the books, delete the rest. Idempotent. */
async function scrubD1(db: D1Database, tenantId: string, debtorId: string, pseudonym: string): Promise<void> {
  const kept = KEPT_EVENT_FIELDS.map((f) => `'${f}'`).join(", ");
  await db.batch([
    db.prepare("UPDATE invoice_index SET debtor_id = ?1 WHERE tenant_id = ?2 AND debtor_id = ?3").bind(pseudonym, tenantId, debtorId),
    db
      .prepare(
        `UPDATE outcome_events SET debtor_id = ?1, data = COALESCE((
           SELECT json_group_object(j.key, CASE WHEN j.type IN ('object', 'array') THEN json(j.value) ELSE j.value END)
           FROM json_each(outcome_events.data) j
           WHERE j.key IN (${kept}) OR (j.key = 'reason' AND outcome_events.type = 'invoice.closed')), '{}')
         WHERE tenant_id = ?2 AND debtor_id = ?3`,
      )
      .bind(pseudonym, tenantId, debtorId),
    db.prepare("DELETE FROM debtor_index WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, debtorId),
    db.prepare("DELETE FROM phone_index WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, debtorId),
    db.prepare("DELETE FROM message_routes WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, debtorId),
    db.prepare("DELETE FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, debtorId),
    db.prepare("DELETE FROM call_tasks WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, debtorId),
    db.prepare("DELETE FROM link_codes WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, debtorId),
    // Webhook payloads name the debtor by the shop's id only; it becomes the pseudonym too.
    db
      .prepare("UPDATE webhook_deliveries SET payload = json_set(payload, '$.data.debtor_id', ?1) WHERE tenant_id = ?2 AND json_extract(payload, '$.data.debtor_id') = ?3")
      .bind(pseudonym, tenantId, debtorId),
    db.prepare("DELETE FROM idempotency_keys WHERE tenant_id = ? AND json_extract(response_body, '$.debtor_id') = ?").bind(tenantId, debtorId),
    // The dashboard's chain KPIs keep their figures under the pseudonym; an NPS comment is the person's own words and goes.
    db.prepare("UPDATE debtor_cycles SET debtor_id = ?1 WHERE tenant_id = ?2 AND debtor_id = ?3").bind(pseudonym, tenantId, debtorId),
    db.prepare("UPDATE debtor_orders SET debtor_id = ?1 WHERE tenant_id = ?2 AND debtor_id = ?3").bind(pseudonym, tenantId, debtorId),
    db.prepare("UPDATE nps_responses SET debtor_id = ?1, comment = NULL WHERE tenant_id = ?2 AND debtor_id = ?3").bind(pseudonym, tenantId, debtorId),
    db.prepare("UPDATE audit_log SET subject = ?1 WHERE tenant_id = ?2 AND subject = ?3").bind(pseudonym, tenantId, debtorId),
  ]);
}

/** Everything Kindly holds about one debtor: the object's state plus what D1 keeps about them. */
export async function exportDebtor(env: Env, tenantId: string, debtorId: string): Promise<(DebtorObjectExport & Record<string, unknown>) | null> {
  const object = (await debtorStub(env, tenantId, debtorId).exportData(tenantId)) as DebtorObjectExport | null;
  if (!object) return null;
  const [tasks, sandbox, links, deliveries, nps, orders] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare("SELECT id, status, name, phone, subject, script, created_at, closed_at, outcome, note FROM call_tasks WHERE tenant_id = ? AND debtor_id = ? ORDER BY created_at").bind(tenantId, debtorId),
    env.DB.prepare("SELECT id, channel, recipient, subject, text, created_at FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ? ORDER BY created_at").bind(tenantId, debtorId),
    env.DB.prepare("SELECT created_at, expires_at FROM link_codes WHERE tenant_id = ? AND debtor_id = ? ORDER BY created_at").bind(tenantId, debtorId),
    env.DB.prepare("SELECT message_id, event_type, status, created_at FROM webhook_deliveries WHERE tenant_id = ? AND json_extract(payload, '$.data.debtor_id') = ? ORDER BY created_at").bind(tenantId, debtorId),
    env.DB.prepare("SELECT cycle, score, comment, answered_at FROM nps_responses WHERE tenant_id = ? AND debtor_id = ? ORDER BY answered_at").bind(tenantId, debtorId),
    env.DB.prepare("SELECT order_id, order_date, amount_cents, reported_at FROM debtor_orders WHERE tenant_id = ? AND debtor_id = ? ORDER BY order_date").bind(tenantId, debtorId),
  ]);
  const times = (rows: Record<string, unknown>[] | undefined) =>
    (rows ?? []).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /_at$/.test(k) && typeof v === "number" ? new Date(v).toISOString() : v])));
  return {
    ...object,
    call_tasks: times(tasks?.results),
    sandbox_messages: times(sandbox?.results),
    short_links: times(links?.results),
    webhook_deliveries: times(deliveries?.results),
    nps_answers: times(nps?.results),
    later_orders: times(orders?.results),
  };
}

/**
 * The retention job: erases debtors whose last invoice closed longer ago than their environment's
 * `retention_months`, and every debtor of a closed account. At most `limit` per run; the cron
 * runs it often enough to keep up. Returns how many were erased.
 */
export async function applyRetention(env: Env, now: number, limit = 50): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT d.tenant_id, d.debtor_id, t.retention_months, t.closed_at FROM debtor_index d JOIN tenants t ON t.id = d.tenant_id
     WHERE t.closed_at IS NOT NULL OR (d.open_invoices = 0 AND d.updated_at < ?1 - t.retention_months * ?2)
     LIMIT ?3`,
  )
    .bind(now, MONTH_MS, limit)
    .all<{ tenant_id: string; debtor_id: string; retention_months: number; closed_at: number | null }>();
  let erased = 0;
  for (const r of results) {
    const closed = r.closed_at !== null;
    try {
      const outcome = await eraseDebtor(env, r.tenant_id, r.debtor_id, closed ? { force: true } : { force: false, idleSince: now - r.retention_months * MONTH_MS });
      if (outcome.ok) erased++;
      // Activity since the index row was written: the object knows better; touch the row so it waits again.
      else await env.DB.prepare("UPDATE debtor_index SET updated_at = ? WHERE tenant_id = ? AND debtor_id = ?").bind(now, r.tenant_id, r.debtor_id).run();
    } catch (err) {
      console.error("retention: erasure failed; retried next run", err);
    }
  }
  return erased;
}

const OLD_DELIVERIES = "SELECT id FROM webhook_deliveries WHERE created_at < ? AND status != 'pending' ORDER BY created_at, id LIMIT 1000";

/**
 * Prunes records on their own schedules (see RETENTION). `realNow` for records stamped with real
 * time (idempotency, receipts, webhook deliveries), `clockNow` for those on Kindly's clock (the
 * same in production; moved in development).
 */
export async function pruneRecords(env: Env, realNow: number, clockNow: number, production: boolean): Promise<void> {
  const db = env.DB;
  const real = (n: number) => realNow - n * DAY_MS;
  const days = (n: number) => clockNow - n * DAY_MS;
  const now = clockNow;
  await db.batch([
    db.prepare("DELETE FROM idempotency_keys WHERE created_at < ?").bind(realNow - IDEMPOTENCY_RETENTION_MS),
    db.prepare("DELETE FROM webhook_receipts WHERE provider != 'twilio' AND received_at < ?").bind(real(RETENTION.timestampedReceiptsDays)),
    // Twilio: status callbacks ("<sid>:<status>") need a route to do anything, so their receipts
    // go with the routes; inbound messages (a bare sid) carry no time at all, so a replay could be
    // accepted at any time: their receipts (a provider id, no personal data) are kept.
    db.prepare("DELETE FROM webhook_receipts WHERE provider = 'twilio' AND instr(event_id, ':') > 0 AND received_at < ?").bind(real(RETENTION.twilioStatusReceiptsDays)),
    db.prepare("DELETE FROM message_routes WHERE created_at < ?").bind(days(RETENTION.messageRoutesDays)),
    // The same 1,000 finished deliveries (same query, same order): their attempts, then themselves.
    db.prepare(`DELETE FROM webhook_attempts WHERE delivery_id IN (${OLD_DELIVERIES})`).bind(real(RETENTION.webhookDeliveriesDays)),
    db.prepare(`DELETE FROM webhook_deliveries WHERE id IN (${OLD_DELIVERIES})`).bind(real(RETENTION.webhookDeliveriesDays)),
    db.prepare("DELETE FROM link_codes WHERE expires_at < ?").bind(now),
    ...callTaskRetention(db, now),
    ...(production ? [db.prepare("DELETE FROM sandbox_messages WHERE created_at < ?").bind(days(RETENTION.sandboxMessagesDays))] : []),
  ]);
}
