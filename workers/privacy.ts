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
import { and, asc, eq, inArray, isNotNull, lt, ne, or, sql, type Column } from "drizzle-orm";
import {
  auditLog, callTasks, debtorCycles, debtorIndex, debtorOrders, idempotencyKeys, invoiceIndex, linkCodes, messageRoutes, npsResponses, outcomeEvents, phoneIndex,
  sandboxMessages, tenants, webhookAttempts, webhookDeliveries, webhookReceipts,
} from "../schema/d1";
import { setBannerIndex } from "./banner/index-kv";
import { callTaskRetention } from "./call-tasks";
import { randomToken } from "./crypto";
import { db, type Db } from "./db";
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

/** A filter for one debtor's rows of any table keyed by (tenant_id, debtor_id). */
const rowsOf =
  (tenantId: string, debtorId: string) =>
  <T extends { tenantId: Column; debtorId: Column }>(t: T) =>
    and(eq(t.tenantId, tenantId), eq(t.debtorId, debtorId));

/** Erases one debtor everywhere; the D1 part runs even when the object was already wiped (a retry). */
export async function eraseDebtor(env: Env, tenantId: string, debtorId: string, opts: { force: boolean; idleSince?: number }): Promise<EraseOutcome> {
  const outcome = await debtorStub(env, tenantId, debtorId).erase(tenantId, opts);
  if (!outcome.ok && outcome.code !== "not_found") return outcome;
  const d = db(env.DB);
  const known = await d
    .select({ one: sql<number>`1` })
    .from(invoiceIndex)
    .where(and(eq(invoiceIndex.tenantId, tenantId), eq(invoiceIndex.debtorId, debtorId)))
    .limit(1)
    .get();
  if (!outcome.ok && !known) return outcome;
  await scrubD1(d, tenantId, debtorId, `erased_${randomToken(16)}`);
  await setBannerIndex(env, tenantId, debtorId, false);
  return outcome.ok ? outcome : { ok: true, closedInvoices: 0 };
}

/** The D1 part of an erasure: pseudonymise the books, delete the rest. Idempotent. */
async function scrubD1(d: Db, tenantId: string, debtorId: string, pseudonym: string): Promise<void> {
  const ofDebtor = rowsOf(tenantId, debtorId);
  const e = outcomeEvents;
  const w = webhookDeliveries;
  await d.batch([
    d.update(invoiceIndex).set({ debtorId: pseudonym }).where(ofDebtor(invoiceIndex)),
    // Raw SQL inside the update: SQLite's JSON functions filter the event data in place (an allowlist of keys).
    d
      .update(e)
      .set({
        debtorId: pseudonym,
        data: sql`COALESCE((
           SELECT json_group_object(j.key, CASE WHEN j.type IN ('object', 'array') THEN json(j.value) ELSE j.value END)
           FROM json_each(${e.data}) j
           WHERE j.key IN ${KEPT_EVENT_FIELDS} OR (j.key = 'reason' AND ${e.type} = 'invoice.closed')), '{}')`,
      })
      .where(ofDebtor(e)),
    d.delete(debtorIndex).where(ofDebtor(debtorIndex)),
    d.delete(phoneIndex).where(ofDebtor(phoneIndex)),
    d.delete(messageRoutes).where(ofDebtor(messageRoutes)),
    d.delete(sandboxMessages).where(ofDebtor(sandboxMessages)),
    d.delete(callTasks).where(ofDebtor(callTasks)),
    d.delete(linkCodes).where(ofDebtor(linkCodes)),
    // Webhook payloads name the debtor by the shop's id only; it becomes the pseudonym too.
    d
      .update(w)
      .set({ payload: sql`json_set(${w.payload}, '$.data.debtor_id', ${pseudonym})` })
      .where(and(eq(w.tenantId, tenantId), eq(sql`json_extract(${w.payload}, '$.data.debtor_id')`, debtorId))),
    d.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(sql`json_extract(${idempotencyKeys.responseBody}, '$.debtor_id')`, debtorId))),
    // The dashboard's chain KPIs keep their figures under the pseudonym; an NPS comment is the person's own words and goes.
    d.update(debtorCycles).set({ debtorId: pseudonym }).where(ofDebtor(debtorCycles)),
    d.update(debtorOrders).set({ debtorId: pseudonym }).where(ofDebtor(debtorOrders)),
    d.update(npsResponses).set({ debtorId: pseudonym, comment: null }).where(ofDebtor(npsResponses)),
    d.update(auditLog).set({ subject: pseudonym }).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.subject, debtorId))),
  ]);
}

/** Everything Kindly holds about one debtor: the object's state plus what D1 keeps about them. */
export async function exportDebtor(env: Env, tenantId: string, debtorId: string): Promise<(DebtorObjectExport & Record<string, unknown>) | null> {
  const object = (await debtorStub(env, tenantId, debtorId).exportData(tenantId)) as DebtorObjectExport | null;
  if (!object) return null;
  const d = db(env.DB);
  const ofDebtor = rowsOf(tenantId, debtorId);
  const [ct, sm, lc, wd, nps, o] = [callTasks, sandboxMessages, linkCodes, webhookDeliveries, npsResponses, debtorOrders];
  // The keys are the export's field names (snake_case, as in the rest of the API).
  const [tasks, sandbox, links, deliveries, answers, orders] = await d.batch([
    d
      .select({ id: ct.id, status: ct.status, name: ct.name, phone: ct.phone, subject: ct.subject, script: ct.script, created_at: ct.createdAt, closed_at: ct.closedAt, outcome: ct.outcome, note: ct.note })
      .from(ct)
      .where(ofDebtor(ct))
      .orderBy(asc(ct.createdAt)),
    d
      .select({ id: sm.id, channel: sm.channel, recipient: sm.recipient, subject: sm.subject, text: sm.text, created_at: sm.createdAt })
      .from(sm)
      .where(ofDebtor(sm))
      .orderBy(asc(sm.createdAt)),
    d.select({ created_at: lc.createdAt, expires_at: lc.expiresAt }).from(lc).where(ofDebtor(lc)).orderBy(asc(lc.createdAt)),
    d
      .select({ message_id: wd.messageId, event_type: wd.eventType, status: wd.status, created_at: wd.createdAt })
      .from(wd)
      .where(and(eq(wd.tenantId, tenantId), eq(sql`json_extract(${wd.payload}, '$.data.debtor_id')`, debtorId)))
      .orderBy(asc(wd.createdAt)),
    d.select({ cycle: nps.cycle, score: nps.score, comment: nps.comment, answered_at: nps.answeredAt }).from(nps).where(ofDebtor(nps)).orderBy(asc(nps.answeredAt)),
    d.select({ order_id: o.orderId, order_date: o.orderDate, amount_cents: o.amountCents, reported_at: o.reportedAt }).from(o).where(ofDebtor(o)).orderBy(asc(o.orderDate)),
  ]);
  const times = (rows: Record<string, unknown>[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /_at$/.test(k) && typeof v === "number" ? new Date(v).toISOString() : v])));
  return {
    ...object,
    call_tasks: times(tasks),
    sandbox_messages: times(sandbox),
    short_links: times(links),
    webhook_deliveries: times(deliveries),
    nps_answers: times(answers),
    later_orders: times(orders),
  };
}

/**
 * The retention job: erases debtors whose last invoice closed longer ago than their environment's
 * `retention_months`, and every debtor of a closed account. At most `limit` per run; the cron
 * runs it often enough to keep up. Returns how many were erased.
 */
export async function applyRetention(env: Env, now: number, limit = 50): Promise<number> {
  const d = db(env.DB);
  const i = debtorIndex;
  const results = await d
    .select({ tenantId: i.tenantId, debtorId: i.debtorId, retentionMonths: tenants.retentionMonths, closedAt: tenants.closedAt })
    .from(i)
    .innerJoin(tenants, eq(tenants.id, i.tenantId))
    .where(or(isNotNull(tenants.closedAt), and(eq(i.openInvoices, 0), lt(i.updatedAt, sql`${now} - ${tenants.retentionMonths} * ${MONTH_MS}`))))
    .limit(limit)
    .all();
  let erased = 0;
  for (const r of results) {
    const closed = r.closedAt !== null;
    try {
      const outcome = await eraseDebtor(env, r.tenantId, r.debtorId, closed ? { force: true } : { force: false, idleSince: now - r.retentionMonths * MONTH_MS });
      if (outcome.ok) erased++;
      // Activity since the index row was written: the object knows better; touch the row so it waits again.
      else await d.update(i).set({ updatedAt: now }).where(and(eq(i.tenantId, r.tenantId), eq(i.debtorId, r.debtorId))).run();
    } catch (err) {
      console.error("retention: erasure failed; retried next run", err);
    }
  }
  return erased;
}


/**
 * Prunes records on their own schedules (see RETENTION). `realNow` for records stamped with real
 * time (idempotency, receipts, webhook deliveries), `clockNow` for those on Kindly's clock (the
 * same in production; moved in development).
 */
export async function pruneRecords(env: Env, realNow: number, clockNow: number, production: boolean): Promise<void> {
  const d = db(env.DB);
  const real = (n: number) => realNow - n * DAY_MS;
  const days = (n: number) => clockNow - n * DAY_MS;
  const now = clockNow;
  const r = webhookReceipts;
  const w = webhookDeliveries;
  // The same 1,000 finished deliveries (same query, same order): their attempts, then themselves.
  const oldDeliveries = () =>
    d
      .select({ id: w.id })
      .from(w)
      .where(and(lt(w.createdAt, real(RETENTION.webhookDeliveriesDays)), ne(w.status, "pending")))
      .orderBy(asc(w.createdAt), asc(w.id))
      .limit(1000);
  await d.batch([
    d.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, realNow - IDEMPOTENCY_RETENTION_MS)),
    d.delete(r).where(and(ne(r.provider, "twilio"), lt(r.receivedAt, real(RETENTION.timestampedReceiptsDays)))),
    // Twilio: status callbacks ("<sid>:<status>") need a route to do anything, so their receipts
    // go with the routes; inbound messages (a bare sid) carry no time at all, so a replay could be
    // accepted at any time: their receipts (a provider id, no personal data) are kept.
    d.delete(r).where(and(eq(r.provider, "twilio"), sql`instr(${r.eventId}, ':') > 0`, lt(r.receivedAt, real(RETENTION.twilioStatusReceiptsDays)))),
    d.delete(messageRoutes).where(lt(messageRoutes.createdAt, days(RETENTION.messageRoutesDays))),
    d.delete(webhookAttempts).where(inArray(webhookAttempts.deliveryId, oldDeliveries())),
    d.delete(w).where(inArray(w.id, oldDeliveries())),
    d.delete(linkCodes).where(lt(linkCodes.expiresAt, now)),
    ...callTaskRetention(d, now),
    ...(production ? [d.delete(sandboxMessages).where(lt(sandboxMessages.createdAt, days(RETENTION.sandboxMessagesDays)))] : []),
  ]);
}
