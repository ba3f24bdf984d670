/**
 * DebtorDO: the single writer of one (tenant, debtor)'s reminder state, reached by typed RPC
 * (stub.ts). Every method first loads what it needs from outside (one D1 batch), then reads,
 * checks and writes synchronously, so no other request can interleave between check and write.
 * One alarm serves the schedules table; every alarm step is idempotent (alarms are at-least-once).
 */
import type { CancelInput, DebtorView, InvoiceInput, InvoiceView, PaymentInput } from "../api/schemas";
import type { PauseKind } from "../policy/engine-types";
import type { Channel } from "../policy/policy-schema";
import type { BannerData, BannerEvent } from "../banner/view";
import { bannerData } from "./banner-data";
import { addMonths, localParts, zonedTimeToEpoch } from "../zoned-time";
import { addStop, applyAction, liftStops } from "./actions";
import { selfServiceView } from "./self-service-view";
import type { RunContext } from "./run-context";
import { isDevelopment } from "../clock";
import { thankForPayment } from "./messages";
import { applyBankPayment, type BankPaymentResult } from "./bank-payments";
import { debtorView } from "./debtor-view";
import { sendOutboxRow } from "../dispatch/send-stage";
import { freezeForBatch, recordBatchOutcome, type FreezeAnswer, type MemberOutcome } from "../dispatch/batch-member";
import { applyChannelEvent, fallBack } from "./channel-feedback";
import type { ChannelEvent } from "./channel-events";
import type { SelfServiceAction, SelfServiceResult, SelfServiceView } from "./self-service-types";
import { type InvoiceRow, type LadderRow } from "./store";
import { fail, ok, type Result } from "./object-base";
import { DebtorPrivacyRpc } from "./privacy-rpc";
import { invoiceView } from "./views";
import { answerNps, type NpsResult, type OrderInput, type OrderResult, recordOrders } from "./cycle";

export type { Result, RpcErrorCode } from "./object-base";

/** How long the banner may use a run context before reading D1 again (profile changes show within this). */
const BANNER_CONTEXT_MS = 5 * 60_000;

export class DebtorDO extends DebtorPrivacyRpc {
  /** Registers an invoice; registering the same invoice id again returns it unchanged. */
  async registerInvoice(tenantId: string, invoiceId: string, input: InvoiceInput): Promise<Result<InvoiceView & { created: boolean }>> {
    const rc = await this.context(tenantId);
    const now = rc.clock.now();
    if (!this.claim(tenantId, input.debtor.id)) return fail("not_found", "Debtor not found.");
    const existing = this.store.invoice(invoiceId) ?? this.store.invoiceByMerchantId(input.merchant_invoice_id);
    if (existing) {
      const same = existing.amount_cents === input.amount_cents && existing.due_date === input.due_date && existing.issue_date === input.issue_date;
      if (!same) return fail("conflict", `Invoice ${input.merchant_invoice_id} is already registered with other amounts or dates.`, "merchant_invoice_id");
      return ok({ ...invoiceView(existing, input.debtor.id), created: false });
    }
    this.ctx.storage.transactionSync(() => {
      const hadOpen = this.store.openInvoices().length > 0;
      this.reopenChangedChannels(input.debtor, now);
      this.store.saveDebtor(input.debtor, now);
      this.store.insertInvoice({
        id: invoiceId, merchant_invoice_id: input.merchant_invoice_id, amount_cents: input.amount_cents, paid_cents: 0, currency: input.currency,
        issue_date: input.issue_date, due_date: input.due_date, pay_url: input.pay_url, status: "open", created_at: now, closed_at: null, close_reason: null, description: input.description ?? null,
      });
      this.store.emit("invoice.registered", now, { amount_cents: input.amount_cents, due_date: input.due_date }, invoiceId);
      const ladder = this.store.ladder();
      if (!hadOpen || !ladder?.active) this.store.saveLadder(newCycle(ladder, input.due_date));
      else if (ladder.steps_taken === 0 && input.due_date < ladder.anchor_due_date) this.store.saveLadder({ ...ladder, anchor_due_date: input.due_date });
      this.runner(rc, input.debtor.id).replan(now);
    });
    await this.settle(rc);
    return ok({ ...invoiceView(this.store.invoice(invoiceId) as InvoiceRow, input.debtor.id), created: true });
  }

  /**
   * Records a (partial) payment; a full payment closes the invoice and stops its reminders.
   * `dedupKey` (the request's Idempotency-Key) counts a retried payment once even without a reference.
   */
  async recordPayment(tenantId: string, invoiceId: string, input: PaymentInput, dedupKey?: string): Promise<Result<InvoiceView>> {
    const rc = await this.context(tenantId);
    const now = rc.clock.now();
    const debtorId = this.owner(tenantId);
    const inv = debtorId ? this.store.invoice(invoiceId) : null;
    if (!debtorId || !inv) return fail("not_found", "Invoice not found.");
    // The key alone would swallow a new payment that reuses an old key: bind it to what was paid.
    const reference = input.reference ?? (dedupKey ? `idem:${dedupKey}:${input.amount_cents}:${input.paid_at ?? ""}` : null);
    if (reference && this.store.paymentByReference(invoiceId, reference)) return ok(invoiceView(inv, debtorId));
    if (inv.status !== "open") return fail("invalid_state", `The invoice is ${inv.status}; no payment can be added.`);
    const outstanding = inv.amount_cents - inv.paid_cents;
    if (input.amount_cents > outstanding) return fail("validation_failed", `The payment is more than the ${outstanding} cents still owed.`, "amount_cents");
    this.ctx.storage.transactionSync(() => {
      const paid = inv.paid_cents + input.amount_cents;
      const full = paid === inv.amount_cents;
      this.store.insertPayment(invoiceId, input.amount_cents, reference, now);
      this.store.updateInvoice(invoiceId, paid, full ? "paid" : "open", full ? now : null, full ? "paid" : null);
      this.store.emit("payment.received", now, { amount_cents: input.amount_cents, outstanding_cents: inv.amount_cents - paid, paid_at: input.paid_at ?? null }, invoiceId);
      const runner = this.runner(rc, debtorId);
      if (full) {
        this.store.emit("invoice.closed", now, { reason: "paid", due_date: inv.due_date, amount_cents: inv.amount_cents }, invoiceId);
        runner.creditLastStep(now);
        thankForPayment(this.deps(rc, debtorId), [invoiceId], input.amount_cents, now);
      }
      runner.replan(now);
    });
    await this.settle(rc);
    return ok(invoiceView(this.store.invoice(invoiceId) as InvoiceRow, debtorId));
  }

  /** A bank transfer found by its payment reference: spread over the open invoices, once per transaction id. */
  async recordBankPayment(tenantId: string, input: { transactionId: string; amountCents: number; reference: string; invoiceId: string | null; paidAt: string | null }): Promise<Result<BankPaymentResult & { debtor_id: string }>> {
    const rc = await this.context(tenantId);
    const debtorId = this.owner(tenantId);
    if (!debtorId) return fail("not_found", "No debtor with this reference in your account.");
    let result: BankPaymentResult | null = null;
    this.ctx.storage.transactionSync(() => {
      result = applyBankPayment(this.deps(rc, debtorId), input, rc.clock.now());
    });
    await this.settle(rc);
    return result ? ok({ ...(result as BankPaymentResult), debtor_id: debtorId }) : fail("not_found", "No debtor with this reference in your account.");
  }

  /** Cancels an open invoice (credit note, return); cancelling twice is harmless. */
  async cancelInvoice(tenantId: string, invoiceId: string, input: CancelInput): Promise<Result<InvoiceView>> {
    const rc = await this.context(tenantId);
    const now = rc.clock.now();
    const debtorId = this.owner(tenantId);
    const inv = debtorId ? this.store.invoice(invoiceId) : null;
    if (!debtorId || !inv) return fail("not_found", "Invoice not found.");
    if (inv.status === "cancelled") return ok(invoiceView(inv, debtorId));
    if (inv.status === "paid") return fail("invalid_state", "The invoice is already paid; it cannot be cancelled.");
    this.ctx.storage.transactionSync(() => {
      this.store.updateInvoice(invoiceId, inv.paid_cents, "cancelled", now, input.reason);
      this.store.emit("invoice.closed", now, { reason: "cancelled", detail: input.reason, due_date: inv.due_date, outstanding_cents: inv.amount_cents - inv.paid_cents }, invoiceId);
      this.runner(rc, debtorId).replan(now);
    });
    await this.settle(rc);
    return ok(invoiceView(this.store.invoice(invoiceId) as InvoiceRow, debtorId));
  }

  /** One invoice of this debtor. */
  async getInvoice(tenantId: string, invoiceId: string): Promise<Result<InvoiceView>> {
    const debtorId = this.owner(tenantId);
    const inv = debtorId ? this.store.invoice(invoiceId) : null;
    if (!debtorId || !inv) return fail("not_found", "Invoice not found.");
    return ok(invoiceView(inv, debtorId));
  }

  /** The debtor: open invoices, amount owed, the next step with why it was chosen, pauses and the timeline. */
  async getDebtor(tenantId: string): Promise<Result<DebtorView>> {
    const debtorId = this.owner(tenantId);
    const view = debtorId ? debtorView(this.store, this.ps, debtorId) : null;
    return view ? ok(view) : fail("not_found", "Debtor not found.");
  }

  /** One message as it was sent (the stored bytes), for the dashboard's timeline; null when unknown or never rendered. */
  async sentMessage(tenantId: string, outboxId: string): Promise<{ channel: string; step: string; status: string; subject: string; html: string; text: string } | null> {
    const row = this.owner(tenantId) ? this.store.outbox(outboxId) : null;
    if (!row?.rendered) return null;
    const m = JSON.parse(row.rendered) as { subject: string; html: string; text: string };
    return { channel: row.channel, step: row.step_key, status: row.status, subject: m.subject, html: m.html, text: m.text };
  }

  /** Marks the debtor vulnerable or in hardship (or clears it): protected debtors are never escalated. */
  async setFlags(tenantId: string, flags: { hardship?: boolean; vulnerable?: boolean }): Promise<Result<DebtorView>> {
    return this.mutate(tenantId, (d, now) => {
      if (flags.hardship !== undefined) d.ps.setFlag("hardship", flags.hardship);
      if (flags.vulnerable !== undefined) d.ps.setFlag("vulnerable", flags.vulnerable);
      d.store.emit("debtor.flags_changed", now, { hardship: flags.hardship ?? null, vulnerable: flags.vulnerable ?? null });
      d.runner.replan(now);
    });
  }

  /** Blocks a channel (opted out, bounced, returned) or opens it again; blocked channels are never used. */
  async setChannel(tenantId: string, channel: Channel, blocked: boolean, reason: string): Promise<Result<DebtorView>> {
    return this.mutate(tenantId, (d, now) => {
      if (blocked) d.ps.block(channel, reason, now);
      else d.ps.unblock(channel);
      d.store.emit(blocked ? "channel.blocked" : "channel.unblocked", now, { channel, reason });
      d.runner.replan(now);
    });
  }

  /** A stop from outside: debt counselling (default: the tenant's days, NVVK 8 months), a breathing space, a dispute. */
  async addStop(tenantId: string, kind: "debt_counselling" | "breathing_space" | "dispute", until: number | null, data: Record<string, string>): Promise<Result<DebtorView>> {
    return this.mutate(tenantId, (d, now) => {
      const end = kind === "debt_counselling" && until === null ? counsellingEnd(now, d.rc.policy.debt_counselling_stop_days, this.store.debtor()?.time_zone ?? "Europe/Amsterdam") : until;
      addStop(d, kind, end, now, data);
    });
  }

  /** Lifts stops of these kinds (a dispute resolved, counselling ended). */
  async liftStops(tenantId: string, kinds: PauseKind[]): Promise<Result<DebtorView>> {
    return this.mutate(tenantId, (d, now) => void liftStops(d, kinds, now));
  }

  /** What the debtor's self-service page shows (null: not this tenant's debtor, or a revoked link issued at `issuedAt`). */
  async selfServiceView(tenantId: string, issuedAt?: number): Promise<SelfServiceView | null> {
    const debtorId = this.owner(tenantId);
    if (!debtorId) return null;
    if (issuedAt !== undefined && !(await this.linkIsValid(tenantId, issuedAt))) return null;
    const rc = await this.context(tenantId);
    return selfServiceView(this.deps(rc, debtorId), debtorId, rc.clock.now());
  }

  /** A debtor's choice from a signed link, or the merchant acting on the debtor's word. */
  async selfServiceAction(tenantId: string, action: SelfServiceAction, source: "debtor" | "merchant" = "debtor"): Promise<SelfServiceResult> {
    const rc = await this.context(tenantId);
    const debtorId = this.owner(tenantId);
    if (!debtorId) return { ok: false, code: "not_found", message: "Debtor not found." };
    let result: SelfServiceResult = { ok: false, code: "not_found", message: "Debtor not found." };
    this.ctx.storage.transactionSync(() => {
      result = applyAction(this.deps(rc, debtorId), action, rc.clock.now(), source);
    });
    await this.settle(rc);
    return result;
  }

  /** Later orders of this customer (the shop reports them for the chain KPIs); each order id counts once. */
  async reportOrders(tenantId: string, orders: OrderInput[]): Promise<Result<OrderResult[]>> {
    const rc = await this.context(tenantId);
    const debtorId = this.owner(tenantId);
    if (!debtorId || !this.store.debtor()) return fail("not_found", "Debtor not found.");
    let results: OrderResult[] = [];
    this.ctx.storage.transactionSync(() => {
      results = recordOrders({ store: this.store }, orders, rc.clock.now());
    });
    await this.settle(rc);
    return ok(results);
  }

  /** The debtor's answer to the NPS question after a cycle that ended well; one answer per cycle. */
  async answerNps(tenantId: string, score: number, comment: string | null): Promise<NpsResult> {
    const rc = await this.context(tenantId);
    if (!this.owner(tenantId)) return { ok: false, code: "not_found", message: "Debtor not found." };
    let result: NpsResult = { ok: false, code: "invalid_state", message: "No question is open." };
    this.ctx.storage.transactionSync(() => {
      result = answerNps({ store: this.store }, score, comment, rc.clock.now());
    });
    await this.settle(rc);
    return result;
  }

  /** The dispatch queue's consumer hands over one outbox row: the send stage sends it now, once (or holds it back). */
  async dispatchNow(tenantId: string, outboxId: string): Promise<{ outcome: "done" }> {
    const debtorId = this.owner(tenantId);
    if (!debtorId) return { outcome: "done" };
    const rc = await this.context(tenantId);
    try {
      await sendOutboxRow(this.sendContext(rc, tenantId, debtorId), outboxId);
      return { outcome: "done" };
    } finally {
      await this.settle(rc);
    }
  }

  /** The dispatch consumer freezes this row into provider batch `batchId` (checked, rendered, its bytes stored), or sends it alone. */
  async freezeForBatch(tenantId: string, outboxId: string, batchId: string): Promise<FreezeAnswer> {
    const debtorId = this.owner(tenantId);
    if (!debtorId) return { kind: "done" };
    const rc = await this.context(tenantId);
    try {
      return await freezeForBatch(this.sendContext(rc, tenantId, debtorId), outboxId, batchId);
    } finally {
      await this.settle(rc);
    }
  }

  /** A provider batch reports its outcome for one of this debtor's rows; repeated reports change nothing. */
  async batchOutcome(tenantId: string, outboxId: string, batchId: string, outcome: MemberOutcome): Promise<void> {
    const debtorId = this.owner(tenantId);
    if (!debtorId) return;
    const rc = await this.context(tenantId);
    try {
      await recordBatchOutcome(this.sendContext(rc, tenantId, debtorId), outboxId, batchId, outcome);
    } finally {
      await this.settle(rc);
    }
  }

  /** The queue gave up on a row (dead letter): record the failure and try another channel. */
  async dispatchFailed(tenantId: string, outboxId: string, reason: string): Promise<void> {
    const debtorId = this.owner(tenantId);
    if (!debtorId) return;
    const rc = await this.context(tenantId);
    const now = rc.clock.now();
    this.ctx.storage.transactionSync(() => {
      const row = this.store.outbox(outboxId);
      if (!row || !["pending", "sending"].includes(row.status)) return;
      this.store.setOutboxStatus(outboxId, "failed", now, reason);
      this.store.emit("reminder.failed", now, { outbox_id: outboxId, step: row.step_key, channel: row.channel, error: reason }, null, `failed_${outboxId}`);
      this.store.deleteSchedule(`dispatch:${outboxId}`);
      // A row that reached "sending" may have been accepted: a second channel could be a second reminder.
      if (row.status === "pending") fallBack(this.deps(rc, debtorId), row, reason, now);
    });
    await this.settle(rc);
  }

  /** A verified provider event about a message (delivered, opened, bounced, returned...). */
  async channelEvent(tenantId: string, event: ChannelEvent): Promise<{ ok: boolean }> {
    const debtorId = this.owner(tenantId);
    if (!debtorId) return { ok: false };
    const rc = await this.context(tenantId);
    let applied = false;
    this.ctx.storage.transactionSync(() => {
      applied = applyChannelEvent(this.deps(rc, debtorId), event, rc.clock.now());
    });
    await this.settle(rc);
    return { ok: applied };
  }

  /** A reply from the debtor (an SMS that is not a stop word): kept in the timeline for the merchant. */
  async channelReply(tenantId: string, reply: { channel: "sms" | "email"; body: string; receivedAt: number }): Promise<{ ok: boolean }> {
    const debtorId = this.owner(tenantId);
    if (!debtorId) return { ok: false };
    const rc = await this.context(tenantId);
    const now = rc.clock.now();
    // The text stays in this object; the event (and so D1) carries a reference.
    this.store.emit("debtor.replied", now, { channel: reply.channel, note_id: this.store.note("reply", reply.body, now), received_at: new Date(reply.receivedAt).toISOString() });
    await this.settle(rc);
    return { ok: true };
  }

  /** The in-app banner while something is open (null: nothing open, or not this tenant's debtor). */
  async bannerView(tenantId: string): Promise<BannerData | null> {
    const debtorId = this.owner(tenantId);
    if (!debtorId || this.store.openInvoices().length === 0) return null;
    const rc = await this.bannerContext(tenantId);
    return bannerData(this.deps(rc, debtorId), this.env, tenantId, debtorId, rc.clock.now());
  }

  // The banner's run context, kept in memory for a few minutes: app opens come in bursts and must
  // not each read D1 (the profile and policy change rarely; the state itself is read fresh from
  // SQLite). Development reloads every time, because its clock can be moved at any moment.
  private bannerRc: { rc: RunContext; at: number } | null = null;
  private async bannerContext(tenantId: string): Promise<RunContext> {
    const fresh = this.bannerRc && Date.now() - this.bannerRc.at < BANNER_CONTEXT_MS;
    if (this.bannerRc && fresh && !isDevelopment(this.env)) return this.bannerRc.rc;
    const rc = await this.context(tenantId);
    this.bannerRc = { rc, at: Date.now() };
    return rc;
  }

  /** An impression, click or dismissal of the banner: part of the debtor's response history. */
  async bannerEvent(tenantId: string, event: BannerEvent): Promise<void> {
    const debtorId = this.owner(tenantId);
    if (!debtorId || !this.store.debtor()) return;
    const rc = await this.context(tenantId);
    const at = event.at ? Date.parse(event.at) : rc.clock.now();
    this.store.emit(`banner.${event.type}`, Number.isFinite(at) ? at : rc.clock.now(), {});
    await this.settle(rc);
  }

  /** Benchmark baseline: a bare read of one row (bench/ only). */
  async benchRead(): Promise<string | null> {
    return this.store.meta("bench_last");
  }

  /** Benchmark baseline: the cheapest useful DO call, one row written (bench/ only). */
  async benchWrite(): Promise<number> {
    this.store.setMeta("bench_last", String(Date.now()));
    return 1;
  }

  /** Runs whatever is due now and re-arms: used by the sweep and when the dev clock moves. */
  async tick(): Promise<{ ran: number }> {
    const tenantId = this.store.meta("tenant_id");
    if (!tenantId) return { ran: 0 };
    return { ran: await this.runDue(await this.context(tenantId)) };
  }

  override async alarm(): Promise<void> {
    await this.tick();
  }
}

/** A fresh reminder cycle, anchored at the due date of the invoice that opens it. */
function newCycle(prev: LadderRow | null, dueDate: string): LadderRow {
  return {
    cycle: (prev?.cycle ?? 0) + 1, next_step: 0, anchor_due_date: dueDate, last_step_at: null, active: 1, ladder_key: null, steps_taken: 0,
    last_channels: "[]", credited: 0, segment_key: null, last_plan: null, nl_letter_posted_on: null, be_first_reminder: null, legal_costs: null, legal_mode: null,
  };
}

/**
 * End of the stop after a debt counsellor's notice: the policy's days, and never less than the
 * NVVK covenant's 8 calendar months when the policy follows it (240 days or more).
 */
function counsellingEnd(now: number, days: number, tz: string): number {
  const byDays = now + days * 24 * 3600_000;
  if (days < 240) return byDays;
  const byMonths = zonedTimeToEpoch(addMonths(localParts(now, tz).date, 8), 0, 0, tz);
  return Math.max(byDays, byMonths);
}
