/**
 * DebtorDO: the single writer of one (tenant, debtor)'s reminder state. Reached by typed RPC
 * (see stub.ts). One alarm serves the schedules table; every alarm step is idempotent, because
 * alarms are delivered at least once.
 */
import { DurableObject } from "cloudflare:workers";
import type { CancelInput, DebtorView, InvoiceInput, InvoiceView, PaymentInput } from "../api/schemas";
import { type Clock, loadClock } from "../clock";
import { dispatchOutbox } from "./dispatch";
import { flushToD1 } from "./flush";
import { DEFAULT_LADDER, nextSendMoment, plannedAt } from "./ladder";
import { DebtorStore, type InvoiceRow, migrate } from "./store";
import { invoiceView, timelineEntry } from "./views";
import { localParts } from "../zoned-time";

export type RpcErrorCode = "not_found" | "invalid_state" | "conflict" | "validation_failed";
export type Result<T> = { ok: true; value: T } | { ok: false; code: RpcErrorCode; message: string; field?: string };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: RpcErrorCode, message: string, field?: string): Result<never> => ({ ok: false, code, message, field });

/** How often a failed D1 flush is retried. */
const FLUSH_RETRY_MS = 60_000;
const TIMELINE_LIMIT = 100;

export class DebtorDO extends DurableObject<Env> {
  private readonly store: DebtorStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new DebtorStore(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql));
  }

  /** Registers an invoice; registering the same invoice id again returns it unchanged. */
  async registerInvoice(tenantId: string, invoiceId: string, input: InvoiceInput): Promise<Result<InvoiceView & { created: boolean }>> {
    if (!this.claim(tenantId, input.debtor.id)) return fail("not_found", "Debtor not found.");
    const existing = this.store.invoice(invoiceId) ?? this.store.invoiceByMerchantId(input.merchant_invoice_id);
    if (existing) {
      const same = existing.amount_cents === input.amount_cents && existing.due_date === input.due_date && existing.issue_date === input.issue_date;
      if (!same) return fail("conflict", `Invoice ${input.merchant_invoice_id} is already registered with other amounts or dates.`, "merchant_invoice_id");
      return ok({ ...invoiceView(existing, input.debtor.id), created: false });
    }
    const clock = await loadClock(this.env);
    const now = clock.now();
    this.ctx.storage.transactionSync(() => {
      const hadOpen = this.store.openInvoices().length > 0;
      this.store.saveDebtor(input.debtor, now);
      this.store.insertInvoice({
        id: invoiceId,
        merchant_invoice_id: input.merchant_invoice_id,
        amount_cents: input.amount_cents,
        paid_cents: 0,
        currency: input.currency,
        issue_date: input.issue_date,
        due_date: input.due_date,
        pay_url: input.pay_url,
        status: "open",
        created_at: now,
        closed_at: null,
        close_reason: null,
      });
      this.store.emit("invoice.registered", now, { amount_cents: input.amount_cents, due_date: input.due_date }, invoiceId);
      const ladder = this.store.ladder();
      if (!hadOpen || !ladder?.active) {
        // No open invoices before this one: a new reminder cycle starts at this due date.
        this.store.saveLadder({ cycle: (ladder?.cycle ?? 0) + 1, next_step: 0, anchor_due_date: input.due_date, last_step_at: null, active: 1 });
      } else if (ladder.next_step === 0 && input.due_date < ladder.anchor_due_date) {
        this.store.saveLadder({ ...ladder, anchor_due_date: input.due_date });
      }
      this.replan(now);
    });
    await this.settle(clock);
    const row = this.store.invoice(invoiceId) as InvoiceRow;
    return ok({ ...invoiceView(row, input.debtor.id), created: true });
  }

  /** Records a (partial) payment; a full payment closes the invoice and stops its reminders. */
  async recordPayment(tenantId: string, invoiceId: string, input: PaymentInput): Promise<Result<InvoiceView>> {
    const debtorId = this.owner(tenantId);
    const inv = debtorId ? this.store.invoice(invoiceId) : null;
    if (!debtorId || !inv) return fail("not_found", "Invoice not found.");
    if (input.reference && this.store.paymentByReference(invoiceId, input.reference)) return ok(invoiceView(inv, debtorId));
    if (inv.status !== "open") return fail("invalid_state", `The invoice is ${inv.status}; no payment can be added.`);
    const outstanding = inv.amount_cents - inv.paid_cents;
    if (input.amount_cents > outstanding) {
      return fail("validation_failed", `The payment is more than the ${outstanding} cents still owed.`, "amount_cents");
    }
    const clock = await loadClock(this.env);
    const now = clock.now();
    this.ctx.storage.transactionSync(() => {
      const paid = inv.paid_cents + input.amount_cents;
      const full = paid === inv.amount_cents;
      this.store.insertPayment(invoiceId, input.amount_cents, input.reference ?? null, now);
      this.store.updateInvoice(invoiceId, paid, full ? "paid" : "open", full ? now : null, full ? "paid" : null);
      this.store.emit("payment.received", now, { amount_cents: input.amount_cents, outstanding_cents: inv.amount_cents - paid, paid_at: input.paid_at ?? null }, invoiceId);
      if (full) this.store.emit("invoice.closed", now, { reason: "paid" }, invoiceId);
      this.replan(now);
    });
    await this.settle(clock);
    return ok(invoiceView(this.store.invoice(invoiceId) as InvoiceRow, debtorId));
  }

  /** Cancels an open invoice (credit note, return); cancelling twice is harmless. */
  async cancelInvoice(tenantId: string, invoiceId: string, input: CancelInput): Promise<Result<InvoiceView>> {
    const debtorId = this.owner(tenantId);
    const inv = debtorId ? this.store.invoice(invoiceId) : null;
    if (!debtorId || !inv) return fail("not_found", "Invoice not found.");
    if (inv.status === "cancelled") return ok(invoiceView(inv, debtorId));
    if (inv.status === "paid") return fail("invalid_state", "The invoice is already paid; it cannot be cancelled.");
    const clock = await loadClock(this.env);
    const now = clock.now();
    this.ctx.storage.transactionSync(() => {
      this.store.updateInvoice(invoiceId, inv.paid_cents, "cancelled", now, input.reason);
      this.store.emit("invoice.closed", now, { reason: "cancelled", detail: input.reason }, invoiceId);
      this.replan(now);
    });
    await this.settle(clock);
    return ok(invoiceView(this.store.invoice(invoiceId) as InvoiceRow, debtorId));
  }

  /** One invoice of this debtor. */
  async getInvoice(tenantId: string, invoiceId: string): Promise<Result<InvoiceView>> {
    const debtorId = this.owner(tenantId);
    const inv = debtorId ? this.store.invoice(invoiceId) : null;
    if (!debtorId || !inv) return fail("not_found", "Invoice not found.");
    return ok(invoiceView(inv, debtorId));
  }

  /** The debtor: open invoices, amount owed, the next planned step and the timeline. */
  async getDebtor(tenantId: string): Promise<Result<DebtorView>> {
    const debtorId = this.owner(tenantId);
    const debtor = this.store.debtor();
    if (!debtorId || !debtor) return fail("not_found", "Debtor not found.");
    const open = this.store.openInvoices();
    const ladder = this.store.ladder();
    const schedule = this.store.schedule("ladder");
    const step = ladder?.active && schedule ? DEFAULT_LADDER[ladder.next_step] : undefined;
    return ok({
      id: debtorId,
      name: debtor.name,
      email: debtor.email ?? null,
      phone: debtor.phone ?? null,
      address: debtor.address ?? null,
      locale: debtor.locale,
      time_zone: debtor.time_zone,
      open_invoices: open.map((r) => invoiceView(r, debtorId)),
      outstanding_cents: open.reduce((sum, r) => sum + r.amount_cents - r.paid_cents, 0),
      currency: "EUR",
      next_step: step && schedule ? { key: step.key, channel: step.channel, at: new Date(schedule.due_at).toISOString() } : null,
      timeline: this.store.timeline(TIMELINE_LIMIT).map(timelineEntry),
    });
  }

  /** Benchmark baseline: the cheapest useful DO call, one row written (bench/ only). */
  async benchWrite(): Promise<number> {
    this.store.setMeta("bench_last", String(Date.now()));
    return 1;
  }

  /** Runs whatever is due now and re-arms: used by the sweep and when the dev clock moves. */
  async tick(): Promise<{ ran: number }> {
    const clock = await loadClock(this.env);
    return { ran: await this.runDue(clock) };
  }

  override async alarm(): Promise<void> {
    const clock = await loadClock(this.env);
    await this.runDue(clock);
  }

  private async runDue(clock: Clock): Promise<number> {
    const tenantId = this.store.meta("tenant_id");
    const debtorId = this.store.meta("debtor_id");
    if (!tenantId || !debtorId) return 0;
    let ran = 0;
    try {
      // A step can make another due at once (a ladder step queues its dispatch): loop, bounded.
      for (let round = 0; round < 10; round++) {
        const due = this.store.dueSchedules(clock.now());
        if (due.length === 0) break;
        for (const s of due) {
          ran++;
          if (s.kind === "ladder") this.runLadderStep(s.payload, clock.now());
          else if (s.kind === "dispatch") {
            await dispatchOutbox({ store: this.store, env: this.env, tenantId, debtorId, now: () => clock.now() }, s.id.slice("dispatch:".length));
          } else this.store.deleteSchedule(s.id);
        }
      }
    } finally {
      // Re-arm even when a step threw: alarms stop after six failed retries.
      await this.settle(clock);
    }
    return ran;
  }

  /** One ladder step: decides what to send and queues the dispatch; repeating it changes nothing. */
  private runLadderStep(payload: string, now: number): void {
    const { cycle, step } = JSON.parse(payload) as { cycle: number; step: number };
    const ladder = this.store.ladder();
    const debtor = this.store.debtor();
    this.ctx.storage.transactionSync(() => {
      if (!ladder || !debtor || !ladder.active || ladder.cycle !== cycle || ladder.next_step !== step) {
        this.store.deleteSchedule("ladder"); // stale row: the ladder moved on
        this.replan(now);
        return;
      }
      // A late run (sweep, restart, moved clock) may land in quiet hours: wait for the window.
      const allowed = nextSendMoment(now, debtor.time_zone);
      if (allowed > now) {
        this.store.putSchedule("ladder", "ladder", allowed, { cycle, step });
        return;
      }
      const def = DEFAULT_LADDER[step];
      const today = localParts(now, debtor.time_zone).date;
      const overdue = this.store.openInvoices().filter((i) => i.due_date < today);
      if (!def || overdue.length === 0) {
        this.replan(now);
        return;
      }
      const invoiceIds = overdue.map((i) => i.id);
      if (def.channel === "none") {
        this.store.emit("ladder.completed", now, { step: def.key, invoice_ids: invoiceIds }, null, `done_c${cycle}`);
      } else {
        const outboxId = `ob_c${cycle}_s${step}`;
        this.store.createOutbox({ id: outboxId, step_key: def.key, channel: def.channel, tone: def.tone, status: "pending", invoice_ids: JSON.stringify(invoiceIds), created_at: now });
        this.store.putSchedule(`dispatch:${outboxId}`, "dispatch", now);
      }
      this.store.saveLadder({ ...ladder, next_step: step + 1, last_step_at: now });
      this.replan(now);
    });
  }

  /** Re-plans the ladder schedule after any change (inside the caller's transaction). */
  private replan(now: number): void {
    const ladder = this.store.ladder();
    const debtor = this.store.debtor();
    if (!ladder || !debtor) return;
    const open = this.store.openInvoices();
    if (open.length === 0) {
      // Everything is paid or cancelled: the cycle ends and nothing more is planned.
      if (ladder.active) this.store.saveLadder({ ...ladder, active: 0 });
      this.store.deleteSchedule("ladder");
      return;
    }
    const at = plannedAt(DEFAULT_LADDER, { nextStep: ladder.next_step, anchorDueDate: ladder.anchor_due_date, lastStepAt: ladder.last_step_at }, debtor.time_zone, now);
    if (at === null) {
      this.store.deleteSchedule("ladder");
      return;
    }
    const existing = this.store.schedule("ladder");
    if (existing?.due_at === at) return;
    this.store.putSchedule("ladder", "ladder", at, { cycle: ladder.cycle, step: ladder.next_step });
    const def = DEFAULT_LADDER[ladder.next_step];
    this.store.emit("reminder.scheduled", now, { step: def?.key, channel: def?.channel, at: new Date(at).toISOString() }, null, `sched_c${ladder.cycle}_s${ladder.next_step}`);
  }

  /** After a change: push events to D1 (retried later if D1 is down) and arm the alarm. */
  private async settle(clock: Clock): Promise<void> {
    const tenantId = this.store.meta("tenant_id");
    const debtorId = this.store.meta("debtor_id");
    if (tenantId && debtorId) {
      const index = { openInvoices: this.store.openInvoices().length, nextStepAt: this.store.earliestSchedule() };
      try {
        await flushToD1(this.env.DB, this.store, tenantId, debtorId, index, clock.now());
        this.store.deleteSchedule("flush");
      } catch (err) {
        console.error("D1 flush failed; retrying later", err);
        this.store.putSchedule("flush", "flush", clock.now() + FLUSH_RETRY_MS);
      }
    }
    const next = this.store.earliestSchedule();
    if (next === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // Clock time -> real time: with a moved dev clock, a step due at T fires at T - offset.
    const realAt = Math.max(next - clock.offsetMs, Date.now());
    const current = await this.ctx.storage.getAlarm();
    if (current === null || Math.abs(current - realAt) > 1000) await this.ctx.storage.setAlarm(realAt);
  }

  /** Binds this object to its tenant and debtor on first use; false if it belongs to another. */
  private claim(tenantId: string, debtorId: string): boolean {
    const owner = this.store.meta("tenant_id");
    if (owner === null) {
      this.store.setMeta("tenant_id", tenantId);
      this.store.setMeta("debtor_id", debtorId);
      return true;
    }
    return owner === tenantId && this.store.meta("debtor_id") === debtorId;
  }

  private owner(tenantId: string): string | null {
    return this.store.meta("tenant_id") === tenantId ? this.store.meta("debtor_id") : null;
  }
}
