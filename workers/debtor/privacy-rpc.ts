/**
 * The DebtorDO's RPC methods for personal data and links: export everything the object holds,
 * erase it (the shop's amounts and dates reach D1 first), revoke the debtor's links, the facts
 * behind the pay-later advice, and the phone number for re-keying the phone index. The class sits
 * between DebtorObjectBase and DebtorDO, so these stay apart from the reminder machinery.
 */
import { loadClock } from "../clock";
import type { PayLaterFacts } from "../pay-later";
import { localParts } from "../zoned-time";
import { allNotes, migrateNotes } from "./notes";
import { DebtorObjectBase } from "./object-base";
import { migrateChannelTables, migratePolicyTables } from "./policy-state";
import { migrate } from "./store";

const YEAR_MS = 365 * 24 * 3600_000;
const LINKS_VALID_FROM = "links_valid_from";

/** Everything one debtor's object holds, as plain JSON (the export). */
export interface DebtorObjectExport {
  contact: Record<string, unknown> | null;
  invoices: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  pauses: Record<string, unknown>[];
  instalments: Record<string, unknown>[];
  blocked_channels: Record<string, unknown>[];
  flags: { hardship: boolean; vulnerable: boolean };
  notes: { id: string; kind: string; body: string; at: string }[];
  events: { at: string; type: string; invoice_id: string | null; data: Record<string, unknown> }[];
}

/** How an erasure went. */
export type EraseOutcome =
  | { ok: true; closedInvoices: number }
  | { ok: false; code: "not_found" | "open_invoices" | "not_idle"; message: string };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export abstract class DebtorPrivacyRpc extends DebtorObjectBase {
  /** Everything this object holds about its debtor (null: not this tenant's debtor). */
  async exportData(tenantId: string): Promise<DebtorObjectExport | null> {
    const debtorId = this.owner(tenantId);
    if (!debtorId || !this.store.debtor()) return null;
    const sql = this.ctx.storage.sql;
    const rows = (query: string) => sql.exec<Record<string, SqlStorageValue>>(query).toArray() as Record<string, unknown>[];
    const withTimes = (r: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /_at$/.test(k) && typeof v === "number" ? iso(v) : v]));
    const messages = rows("SELECT id, step_key, channel, status, created_at, updated_at, delivery_status, experiment_id, variant, rendered FROM outbox ORDER BY created_at, id").map((r) => {
      const { rendered, ...rest } = r;
      // As sent: the stored bytes of the message (subject, text, HTML), when it went out.
      return withTimes({ ...rest, as_sent: typeof rendered === "string" ? (JSON.parse(rendered) as unknown) : null });
    });
    return {
      contact: this.store.debtor() as unknown as Record<string, unknown>,
      invoices: rows("SELECT * FROM invoices ORDER BY created_at, id").map(withTimes),
      payments: rows("SELECT * FROM payments ORDER BY received_at, id").map(withTimes),
      messages,
      pauses: rows("SELECT kind, from_at, until_at, lifted_at, data FROM pauses ORDER BY id").map((r) => withTimes({ ...r, data: JSON.parse(String(r.data)) as unknown })),
      instalments: rows("SELECT * FROM instalments ORDER BY seq"),
      blocked_channels: rows("SELECT channel, reason, since FROM blocked_channels").map((r) => ({ ...r, since: iso(Number(r.since)) })),
      flags: this.ps.flags(),
      notes: allNotes(sql).map((n) => ({ ...n, at: iso(n.at) ?? "" })),
      events: rows("SELECT type, invoice_id, at, data FROM events ORDER BY seq").map((e) => ({
        at: iso(Number(e.at)) ?? "",
        type: String(e.type),
        invoice_id: (e.invoice_id as string | null) ?? null,
        data: this.store.withNotes(JSON.parse(String(e.data)) as Record<string, unknown>),
      })),
    };
  }

  /**
   * Erases this debtor: open invoices are closed as "erased" (only with `force`), every event
   * reaches D1 (amounts and dates for the shop's books), then the object's whole storage and
   * alarm are deleted, which also ends every queued dispatch and revokes every link (their page
   * finds nobody). `idleSince`: only if nothing is open and nothing closed after it (retention).
   */
  async erase(tenantId: string, opts: { force: boolean; idleSince?: number }): Promise<EraseOutcome> {
    const debtorId = this.owner(tenantId);
    if (!debtorId || !this.store.debtor()) return { ok: false, code: "not_found", message: "Debtor not found." };
    const rc = await this.context(tenantId);
    const now = rc.clock.now();
    const open = this.store.openInvoices();
    if (opts.idleSince !== undefined) {
      const lastClosed = this.ctx.storage.sql.exec<{ at: number | null }>("SELECT MAX(closed_at) AS at FROM invoices").toArray()[0]?.at ?? 0;
      if (open.length > 0 || (lastClosed ?? 0) > opts.idleSince) return { ok: false, code: "not_idle", message: "The debtor had activity within the retention period." };
    }
    if (open.length > 0 && !opts.force) {
      return { ok: false, code: "open_invoices", message: `The debtor has ${open.length} open invoice(s). Close them first, or erase with force=true (reminders stop and the invoices close as "erased").` };
    }
    this.ctx.storage.transactionSync(() => {
      for (const inv of open) {
        this.store.updateInvoice(inv.id, inv.paid_cents, "cancelled", now, "erased");
        this.store.emit("invoice.closed", now, { reason: "erased", outstanding_cents: inv.amount_cents - inv.paid_cents }, inv.id);
      }
      this.store.emit("debtor.erased", now, { invoices_closed: open.length });
      for (const s of this.store.dueSchedules(Number.MAX_SAFE_INTEGER)) this.store.deleteSchedule(s.id);
    });
    // The books first: if D1 cannot take the events now, nothing is wiped and the caller retries.
    await this.settle(rc);
    if (this.store.unflushedEvents(1).length > 0) throw new Error("D1_ERROR: storage unavailable: the erasure's events could not be flushed; retry");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // The object lives on for this instance (and may be used again for a new invoice): recreate its tables.
    const sql = this.ctx.storage.sql;
    migrate(sql);
    migratePolicyTables(sql);
    migrateChannelTables(sql);
    migrateNotes(sql);
    return { ok: true, closedInvoices: open.length };
  }

  /** Revokes every link this debtor holds now (their pages show "link gone"); new messages bring new ones. */
  async revokeLinks(tenantId: string): Promise<boolean> {
    if (!this.owner(tenantId)) return false;
    const clock = await loadClock(this.env);
    this.store.setMeta(LINKS_VALID_FROM, String(clock.now()));
    return true;
  }

  /**
   * Whether a link issued at `issuedAt` (clock ms) still opens this debtor's page: not after the
   * debtor was erased (the object is empty), nor after their links were revoked, explicitly or
   * because the reminder cycle it belonged to ended (nothing left open).
   */
  async linkIsValid(tenantId: string, issuedAt: number): Promise<boolean> {
    if (!this.owner(tenantId) || !this.store.debtor()) return false;
    const validFrom = Number(this.store.meta(LINKS_VALID_FROM) ?? 0);
    if (issuedAt < validFrom) return false;
    // A cycle that ended (everything paid or cancelled) takes its links with it.
    const ladder = this.store.ladder();
    if (ladder && !ladder.active) {
      const lastClosed = this.ctx.storage.sql.exec<{ at: number | null }>("SELECT MAX(closed_at) AS at FROM invoices").toArray()[0]?.at ?? null;
      if (lastClosed !== null && issuedAt < lastClosed) return false;
    }
    return true;
  }

  /** The facts of this debtor's history with this shop that the pay-later advice weighs (null: unknown debtor). */
  async payLaterFacts(tenantId: string): Promise<PayLaterFacts | null> {
    const debtorId = this.owner(tenantId);
    const debtor = this.store.debtor();
    if (!debtorId || !debtor) return null;
    const now = (await loadClock(this.env)).now();
    const since = now - YEAR_MS;
    const sql = this.ctx.storage.sql;
    const count = (query: string, ...args: SqlStorageValue[]) => sql.exec<{ n: number }>(query, ...args).toArray()[0]?.n ?? 0;
    const today = localParts(now, debtor.time_zone).date;
    const oldestOpenDue = this.store.openInvoices()[0]?.due_date ?? null;
    const activePause = (kind: string) => count("SELECT COUNT(*) AS n FROM pauses WHERE kind = ? AND lifted_at IS NULL AND (until_at IS NULL OR until_at > ?)", kind, now) > 0;
    return {
      locale: debtor.locale,
      today,
      remindersLast12Months: count(
        "SELECT COUNT(*) AS n FROM events WHERE type = 'reminder.sent' AND at >= ? AND json_extract(data, '$.step') != 'arrangement_confirmation' AND json_extract(data, '$.channel') != 'call'",
        since,
      ),
      handoversLast12Months: count("SELECT COUNT(*) AS n FROM events WHERE type = 'invoice.handover_ready' AND at >= ?", since),
      missedInstalmentsLast12Months: count("SELECT COUNT(*) AS n FROM events WHERE type = 'arrangement.missed' AND at >= ?", since),
      arrangementRunning: activePause("arrangement"),
      debtCounsellingActive: activePause("debt_counselling"),
      breathingSpaceActive: activePause("breathing_space"),
      oldestOpenDueDate: oldestOpenDue,
      paidOnTimeLast12Months: count("SELECT COUNT(*) AS n FROM invoices WHERE status = 'paid' AND closed_at >= ? AND date(closed_at / 1000, 'unixepoch') <= due_date", since),
      invoicesLast12Months: count("SELECT COUNT(*) AS n FROM invoices WHERE created_at >= ?", since),
    };
  }

  /** The debtor's phone number, to re-key a legacy phone index row (null: none or not this tenant's). */
  async phoneForIndex(tenantId: string): Promise<string | null> {
    return this.owner(tenantId) ? (this.store.debtor()?.phone ?? null) : null;
  }
}
