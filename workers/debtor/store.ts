/**
 * The DebtorDO's SQLite state and the only code that touches it. Every method is synchronous
 * (DO SQLite is), so callers can group writes in one `transactionSync`.
 */
import { randomToken } from "../crypto";
import type { DebtorInput } from "../api/schemas";
import { addNote, withNoteText } from "./notes";

const SCHEMA_VERSION = 1;

/** Versioned, idempotent DDL; run inside blockConcurrencyWhile before any request. */
export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").toArray()[0];
  const version = row ? Number(row.value) : 0;
  if (version < 1) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS debtor (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS invoices (
        id TEXT PRIMARY KEY, merchant_invoice_id TEXT NOT NULL UNIQUE, amount_cents INTEGER NOT NULL,
        paid_cents INTEGER NOT NULL DEFAULT 0, currency TEXT NOT NULL, issue_date TEXT NOT NULL, due_date TEXT NOT NULL,
        pay_url TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, closed_at INTEGER, close_reason TEXT);
      CREATE TABLE IF NOT EXISTS payments (
        id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL, amount_cents INTEGER NOT NULL, reference TEXT,
        received_at INTEGER NOT NULL, UNIQUE (invoice_id, reference));
      CREATE TABLE IF NOT EXISTS ladder (
        id INTEGER PRIMARY KEY CHECK (id = 1), cycle INTEGER NOT NULL, next_step INTEGER NOT NULL,
        anchor_due_date TEXT NOT NULL, last_step_at INTEGER, active INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS schedules (id TEXT PRIMARY KEY, kind TEXT NOT NULL, due_at INTEGER NOT NULL, payload TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (
        id TEXT PRIMARY KEY, step_key TEXT NOT NULL, channel TEXT NOT NULL, tone TEXT NOT NULL, status TEXT NOT NULL,
        invoice_ids TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, invoice_id TEXT,
        at INTEGER NOT NULL, data TEXT NOT NULL, flushed INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX IF NOT EXISTS events_unflushed ON events (flushed, seq);
    `);
  }
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", String(SCHEMA_VERSION));
  // Makes this object's deterministic event ids unique across all debtors in D1.
  sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('event_salt', ?)", randomToken(12));
}

/** Content schema v1: the invoice's description (Book XIX: the product or service, shown in reminders). */
export function migrateContentTables(sql: SqlStorage): void {
  const version = Number(sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'content_schema'").toArray()[0]?.value ?? 0);
  if (version < 1) sql.exec("ALTER TABLE invoices ADD COLUMN description TEXT");
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('content_schema', '1')");
}

export type InvoiceRow = {
  id: string;
  merchant_invoice_id: string;
  amount_cents: number;
  paid_cents: number;
  currency: string;
  issue_date: string;
  due_date: string;
  pay_url: string;
  status: "open" | "paid" | "cancelled";
  created_at: number;
  closed_at: number | null;
  close_reason: string | null;
  /** What was bought: the product or service, as the shop named it. */
  description: string | null;
};

export type LadderRow = {
  cycle: number;
  next_step: number;
  anchor_due_date: string;
  last_step_at: number | null;
  active: number;
  ladder_key: string | null;
  steps_taken: number;
  /** JSON array of the channels the last step used: credited when the debtor then pays. */
  last_channels: string;
  credited: number;
  segment_key: string | null;
  /** JSON of the latest plan, so reads can explain the next step without re-planning. */
  last_plan: string | null;
  nl_letter_posted_on: string | null;
  /** JSON {sentOn, channel} of this cycle's Belgian first reminder. */
  be_first_reminder: string | null;
  /** JSON {cents, invoiceIds}: the costs the legal notice announced, and for which invoices. */
  legal_costs: string | null;
  /** "sandbox" when this cycle's legal milestones were recorded for a message kept in the sandbox. */
  legal_mode: string | null;
};

export type ScheduleRow = { id: string; kind: "ladder" | "dispatch" | "flush" | "instalment"; due_at: number; payload: string };

export type OutboxStatus = "pending" | "sending" | "sent" | "suppressed" | "skipped" | "failed";
export type OutboxRow = {
  id: string;
  step_key: string;
  channel: string;
  tone: string;
  status: OutboxStatus;
  invoice_ids: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  /** JSON of what the message must say (costs, acknowledgement, segment), fixed when decided. */
  details: string;
  /** JSON of the rendered message, stored when the row goes to "sending" (resent as is after a crash). */
  rendered: string | null;
  /** The furthest provider status seen (delivered, opened, bounced...), only ever moving forward. */
  delivery_status: string | null;
  /** Set while a dispatch message for this row is on the queue. */
  queued_at: number | null;
};

export type EventRow = { seq: number; id: string; type: string; invoice_id: string | null; at: number; data: string; flushed: number };

/** Stored contact data of the debtor (the latest the merchant sent). */
export type DebtorRecord = DebtorInput;

/** Typed access to one debtor's tables. */
export class DebtorStore {
  /** Sandbox delivery mode: every event says so (`sandbox: true`), so nothing is mistaken for a real send. */
  sandbox = false;
  /** Told of every new event, in the same transaction (experiments derive their outcomes from them). */
  onEmit: ((type: string, at: number, data: Record<string, unknown>) => void) | null = null;

  constructor(readonly sql: SqlStorage) {}

  meta(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }
  /** Forgets a meta value. */
  deleteMeta(key: string): void {
    this.sql.exec("DELETE FROM meta WHERE key = ?", key);
  }

  debtor(): DebtorRecord | null {
    const row = this.sql.exec<{ data: string }>("SELECT data FROM debtor WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.data) as DebtorRecord) : null;
  }
  saveDebtor(d: DebtorRecord, now: number): void {
    this.sql.exec("INSERT OR REPLACE INTO debtor (id, data, updated_at) VALUES (1, ?, ?)", JSON.stringify(d), now);
  }

  invoice(id: string): InvoiceRow | null {
    return this.sql.exec<InvoiceRow>("SELECT * FROM invoices WHERE id = ?", id).toArray()[0] ?? null;
  }
  invoiceByMerchantId(merchantId: string): InvoiceRow | null {
    return this.sql.exec<InvoiceRow>("SELECT * FROM invoices WHERE merchant_invoice_id = ?", merchantId).toArray()[0] ?? null;
  }
  openInvoices(): InvoiceRow[] {
    return this.sql.exec<InvoiceRow>("SELECT * FROM invoices WHERE status = 'open' ORDER BY due_date, created_at").toArray();
  }
  /** Invoices paid after their due date since `since` (clock ms): the "often late" fact. */
  latePayments(since: number): number {
    return this.sql.exec<{ n: number }>(
      "SELECT COUNT(*) AS n FROM invoices WHERE status = 'paid' AND closed_at >= ? AND date(closed_at / 1000, 'unixepoch') > due_date",
      since,
    ).toArray()[0]?.n ?? 0;
  }
  invoiceCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM invoices").toArray()[0]?.n ?? 0;
  }
  insertInvoice(row: InvoiceRow): void {
    this.sql.exec(
      `INSERT INTO invoices (id, merchant_invoice_id, amount_cents, paid_cents, currency, issue_date, due_date, pay_url, status, created_at, closed_at, close_reason, description)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id, row.merchant_invoice_id, row.amount_cents, row.paid_cents, row.currency, row.issue_date, row.due_date,
      row.pay_url, row.status, row.created_at, row.closed_at, row.close_reason, row.description,
    );
  }
  updateInvoice(id: string, paidCents: number, status: InvoiceRow["status"], closedAt: number | null, reason: string | null): void {
    this.sql.exec(
      "UPDATE invoices SET paid_cents = ?, status = ?, closed_at = ?, close_reason = ? WHERE id = ?",
      paidCents, status, closedAt, reason, id,
    );
  }

  /** All payments ever received from this debtor, in cents. */
  totalPaid(): number {
    return this.sql.exec<{ n: number | null }>("SELECT SUM(amount_cents) AS n FROM payments").toArray()[0]?.n ?? 0;
  }
  /** True when any payment carries this reference (a bank payment split over several invoices shares one). */
  hasPaymentReference(reference: string): boolean {
    return this.sql.exec("SELECT 1 FROM payments WHERE reference = ? LIMIT 1", reference).toArray().length > 0;
  }
  /** The payments that carry this reference, per invoice. */
  paymentsByReference(reference: string): { invoice_id: string; amount_cents: number }[] {
    return this.sql.exec<{ invoice_id: string; amount_cents: number }>("SELECT invoice_id, amount_cents FROM payments WHERE reference = ? ORDER BY rowid", reference).toArray();
  }
  paymentByReference(invoiceId: string, reference: string): boolean {
    return this.sql.exec("SELECT 1 FROM payments WHERE invoice_id = ? AND reference = ?", invoiceId, reference).toArray().length > 0;
  }
  insertPayment(invoiceId: string, amountCents: number, reference: string | null, at: number): string {
    const id = `pay_${randomToken(16)}`;
    this.sql.exec("INSERT INTO payments (id, invoice_id, amount_cents, reference, received_at) VALUES (?, ?, ?, ?, ?)", id, invoiceId, amountCents, reference, at);
    return id;
  }

  ladder(): LadderRow | null {
    return this.sql.exec<LadderRow>("SELECT cycle, next_step, anchor_due_date, last_step_at, active, ladder_key, steps_taken, last_channels, credited, segment_key, last_plan, nl_letter_posted_on, be_first_reminder, legal_costs, legal_mode FROM ladder WHERE id = 1").toArray()[0] ?? null;
  }
  saveLadder(l: LadderRow): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO ladder (id, cycle, next_step, anchor_due_date, last_step_at, active, ladder_key, steps_taken, last_channels, credited, segment_key, last_plan, nl_letter_posted_on, be_first_reminder, legal_costs, legal_mode)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      l.cycle, l.next_step, l.anchor_due_date, l.last_step_at, l.active, l.ladder_key, l.steps_taken, l.last_channels, l.credited, l.segment_key, l.last_plan, l.nl_letter_posted_on, l.be_first_reminder, l.legal_costs, l.legal_mode ?? null,
    );
  }

  schedule(id: string): ScheduleRow | null {
    return this.sql.exec<ScheduleRow>("SELECT * FROM schedules WHERE id = ?", id).toArray()[0] ?? null;
  }
  dueSchedules(now: number): ScheduleRow[] {
    return this.sql.exec<ScheduleRow>("SELECT * FROM schedules WHERE due_at <= ? ORDER BY due_at, id", now).toArray();
  }
  earliestSchedule(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM schedules").toArray()[0]?.at ?? null;
  }
  putSchedule(id: string, kind: ScheduleRow["kind"], dueAt: number, payload: object = {}): void {
    this.sql.exec("INSERT OR REPLACE INTO schedules (id, kind, due_at, payload) VALUES (?, ?, ?, ?)", id, kind, dueAt, JSON.stringify(payload));
  }
  deleteSchedule(id: string): void {
    this.sql.exec("DELETE FROM schedules WHERE id = ?", id);
  }

  outbox(id: string): OutboxRow | null {
    return this.sql.exec<OutboxRow>("SELECT * FROM outbox WHERE id = ?", id).toArray()[0] ?? null;
  }
  /** Creates the outbox row once; a repeated step (alarm retry) finds it already there. */
  createOutbox(row: Omit<OutboxRow, "attempts" | "last_error" | "updated_at" | "rendered" | "delivery_status" | "queued_at">): boolean {
    const c = this.sql.exec(
      `INSERT OR IGNORE INTO outbox (id, step_key, channel, tone, status, invoice_ids, attempts, last_error, created_at, updated_at, details)
       VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?)`,
      row.id, row.step_key, row.channel, row.tone, row.status, row.invoice_ids, row.created_at, row.created_at, row.details,
    );
    return c.rowsWritten > 0;
  }
  /** Moves a row to a final status; a final row never moves again. */
  setOutboxStatus(id: string, status: OutboxStatus, now: number, error: string | null = null): void {
    this.sql.exec(
      "UPDATE outbox SET status = ?, last_error = ?, updated_at = ? WHERE id = ? AND status IN ('pending', 'sending')",
      status, error, now, id,
    );
  }
  /** Stores the exact message and marks the row "sending", one attempt more, before the provider call. */
  markSending(id: string, rendered: string, now: number, marker: string): void {
    this.sql.exec(
      "UPDATE outbox SET status = 'sending', rendered = ?, attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ? AND status IN ('pending', 'sending')",
      rendered, marker, now, id,
    );
  }
  /** Marks the row as handed to the dispatch queue (at), or as picked up from it (null). */
  setQueued(id: string, at: number | null): void {
    this.sql.exec("UPDATE outbox SET queued_at = ? WHERE id = ?", at, id);
  }
  setDeliveryStatus(id: string, status: string): void {
    this.sql.exec("UPDATE outbox SET delivery_status = ? WHERE id = ?", status, id);
  }
  /** The last message that went out in this cycle before `excludeId`, skipping service messages. */
  lastSentMessage(cyclePrefix: string, excludeId: string, serviceKinds: readonly string[]): { channel: string; at: number } | null {
    const rows = this.sql.exec<{ channel: string; updated_at: number; step_key: string }>(
      "SELECT channel, updated_at, step_key FROM outbox WHERE status = 'sent' AND id != ? AND substr(id, 1, ?) = ? ORDER BY updated_at DESC",
      excludeId, cyclePrefix.length, cyclePrefix,
    ).toArray();
    const row = rows.find((r) => !serviceKinds.includes(r.step_key));
    return row ? { channel: row.channel, at: row.updated_at } : null;
  }
  outboxWithPrefix(prefix: string): OutboxRow[] {
    return this.sql.exec<OutboxRow>("SELECT * FROM outbox WHERE substr(id, 1, ?) = ?", prefix.length, prefix).toArray();
  }
  hasEvent(key: string): boolean {
    return this.sql.exec("SELECT 1 FROM events WHERE id = ?", `evt_${this.meta("event_salt")}_${key}`).toArray().length > 0;
  }
  setOutboxError(id: string, error: string, now: number): void {
    this.sql.exec("UPDATE outbox SET last_error = ?, updated_at = ? WHERE id = ?", error, now, id);
  }
  /** Rows "sending" whose last_error starts with `prefix` (rows frozen in a provider batch: `batch:`). */
  outboxWithMarker(prefix: string): OutboxRow[] {
    return this.sql.exec<OutboxRow>("SELECT * FROM outbox WHERE status = 'sending' AND substr(last_error, 1, ?) = ?", prefix.length, prefix).toArray();
  }
  /** A row frozen in a batch that never reached the provider: pending again, to be checked and rendered anew. */
  unfreeze(id: string, now: number): void {
    this.sql.exec("UPDATE outbox SET status = 'pending', rendered = NULL, last_error = NULL, attempts = MAX(0, attempts - 1), updated_at = ? WHERE id = ? AND status = 'sending'", now, id);
  }
  /** A rate-limited attempt is not the message's fault and does not count toward giving up. */
  uncountAttempt(id: string): void {
    this.sql.exec("UPDATE outbox SET attempts = MAX(0, attempts - 1) WHERE id = ?", id);
  }

  /** Appends an event; a deterministic `key` (unique within this debtor) makes a repeated append a no-op. */
  emit(type: string, at: number, data: Record<string, unknown> = {}, invoiceId: string | null = null, key?: string): void {
    const id = key === undefined ? `evt_${randomToken(20)}` : `evt_${this.meta("event_salt")}_${key}`;
    const payload = this.sandbox ? { ...data, sandbox: true } : data;
    const written = this.sql.exec("INSERT OR IGNORE INTO events (id, type, invoice_id, at, data) VALUES (?, ?, ?, ?, ?)", id, type, invoiceId, at, JSON.stringify(payload)).rowsWritten;
    if (written > 0) this.onEmit?.(type, at, data);
  }
  unflushedEvents(limit: number): EventRow[] {
    return this.sql.exec<EventRow>("SELECT * FROM events WHERE flushed = 0 ORDER BY seq LIMIT ?", limit).toArray();
  }
  markFlushed(upToSeq: number): void {
    this.sql.exec("UPDATE events SET flushed = 1 WHERE flushed = 0 AND seq <= ?", upToSeq);
  }
  /** Keeps free text the debtor wrote in this object; events carry the returned id (notes.ts). */
  note(kind: "dispute_reason" | "reply", body: string, at: number): string {
    return addNote(this.sql, kind, body, at);
  }
  /** An event's data with its note resolved to the text, for the merchant's own views. */
  withNotes(data: Record<string, unknown>): Record<string, unknown> {
    return withNoteText(this.sql, data);
  }
  /** Events after the last one of type `boundary` (all when there is none), oldest first. */
  eventsAfterLast(boundary: string): EventRow[] {
    return this.sql.exec<EventRow>(
      "SELECT * FROM events WHERE seq > COALESCE((SELECT MAX(seq) FROM events WHERE type = ?), 0) ORDER BY seq",
      boundary,
    ).toArray();
  }
  /** The latest event of `type`, or null. */
  lastEvent(type: string): EventRow | null {
    return this.sql.exec<EventRow>("SELECT * FROM events WHERE type = ? ORDER BY seq DESC LIMIT 1", type).toArray()[0] ?? null;
  }
  /** The event appended with this deterministic key, or null. */
  eventByKey(key: string): EventRow | null {
    return this.sql.exec<EventRow>("SELECT * FROM events WHERE id = ?", `evt_${this.meta("event_salt")}_${key}`).toArray()[0] ?? null;
  }
  timeline(limit: number): EventRow[] {
    return this.sql.exec<EventRow>("SELECT * FROM events ORDER BY seq DESC LIMIT ?", limit).toArray();
  }
}
