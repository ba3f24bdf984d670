/**
 * The machinery under the DebtorDO's RPC surface: its tables, the run context (with a fallback
 * for when D1 is unreachable), the one alarm over the schedules table, the exclusive section for
 * sends, and settling after each change (events to D1, the banner index, re-arming).
 */
import { DurableObject } from "cloudflare:workers";
import type { DebtorView, InvoiceInput } from "../api/schemas";
import { setBannerIndex } from "../banner/index-kv";
import { CHANNEL_TRAITS } from "../policy/channel-rules";
import { sendMinuteFor } from "../policy/engine";
import { checkInstalment, type ActionDeps } from "./actions";
import { remindInstalment } from "./messages";
import { debtorView } from "./debtor-view";
import { SAFETY_NET_MS, sendOutboxRow, type SendContext } from "../dispatch/send-stage";
import { BATCH_SAFETY_NET_MS, batchOf, nudgeBatch, queueLost, settleFrozen } from "../dispatch/batch-member";
import { flushToD1 } from "./flush";
import { migrateChannelTables, migratePolicyTables, PolicyState } from "./policy-state";
import { fromSnapshot, loadRunContext, snapshotOf, type RunContext } from "./run-context";
import { Runner, type LadderPayload } from "./runner";
import { DebtorStore, migrate, migrateContentTables } from "./store";
import { migrateNotes } from "./notes";
import { GUARDRAIL_PENDING, migrateExperimentTables, observeForExperiments } from "../experiments/ledger";
import { watchExperiment } from "../experiments/watch";

export type RpcErrorCode = "not_found" | "invalid_state" | "conflict" | "validation_failed";
export type Result<T> = { ok: true; value: T } | { ok: false; code: RpcErrorCode; message: string; field?: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: RpcErrorCode, message: string, field?: string): Result<never> => ({ ok: false, code, message, field });

const FLUSH_RETRY_MS = 60_000;
/** A schedule row whose step threw is retried after 1, 2, 4 ... minutes, at most an hour. */
const failureDelay = (n: number) => Math.min(60_000 * 2 ** Math.max(0, n - 1), 3600_000);

export abstract class DebtorObjectBase extends DurableObject<Env> {
  protected readonly store: DebtorStore;
  protected readonly ps: PolicyState;
  protected running = false;
  protected readonly inFlight = new Set<string>();
  protected readonly failures = new Map<string, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new DebtorStore(ctx.storage.sql);
    this.ps = new PolicyState(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql);
      migratePolicyTables(ctx.storage.sql);
      migrateChannelTables(ctx.storage.sql);
      migrateNotes(ctx.storage.sql);
      migrateContentTables(ctx.storage.sql);
      migrateExperimentTables(ctx.storage.sql);
    });
    // Experiments count outcomes from the object's own events, in the same transaction.
    this.store.onEmit = (type, at, data) => observeForExperiments(ctx.storage.sql, this.store, type, at, data);
  }

  protected async runDue(rc: RunContext): Promise<number> {
    const tenantId = this.store.meta("tenant_id");
    const debtorId = this.store.meta("debtor_id");
    // Not re-entrant: a tick arriving while an alarm runs (or the reverse) leaves the work to it.
    if (!tenantId || !debtorId || this.running) return 0;
    this.running = true;
    let ran = 0;
    try {
      const d = this.deps(rc, debtorId);
      for (let round = 0; round < 10; round++) {
        const due = this.store.dueSchedules(rc.clock.now());
        if (due.length === 0) break;
        for (const s of due) {
          ran++;
          try {
            await this.runSchedule(d, s.id, s.kind, s.payload, tenantId, debtorId);
            this.failures.delete(s.id);
          } catch (err) {
            // One broken step must not spin the alarm or block the others: back off and go on.
            const n = (this.failures.get(s.id) ?? 0) + 1;
            this.failures.set(s.id, n);
            console.error("schedule step failed", s.id, err);
            if (this.store.schedule(s.id)) this.store.putSchedule(s.id, s.kind, rc.clock.now() + failureDelay(n), JSON.parse(s.payload) as object);
          }
        }
      }
    } finally {
      this.running = false;
      await this.settle(rc);
    }
    return ran;
  }

  protected async runSchedule(d: ActionDeps, id: string, kind: string, payload: string, tenantId: string, debtorId: string): Promise<void> {
    const now = d.rc.clock.now();
    if (kind === "ladder") {
      const p = JSON.parse(payload) as LadderPayload;
      this.ctx.storage.transactionSync(() => d.runner.runStep(p, now));
    } else if (kind === "dispatch") {
      // Hand the row to the dispatch queue; a safety net re-enqueues it if the message is lost.
      const outboxId = id.slice("dispatch:".length);
      const row = this.store.outbox(outboxId);
      if (!row || !["pending", "sending"].includes(row.status)) return this.store.deleteSchedule(id);
      // Frozen in a provider batch: the batch owns it; ask it, never put a copy on the queue.
      const batchId = batchOf(row);
      if (batchId) {
        this.store.putSchedule(id, "dispatch", now + BATCH_SAFETY_NET_MS);
        if ((await nudgeBatch(this.sendContext(d.rc, tenantId, debtorId), row, batchId)) === "waiting") return;
        this.store.setQueued(outboxId, null);
      }
      if (d.rc.delivery.mode === "sandbox") {
        // No provider to pace or protect: the object keeps it now, through the same send stage and
        // exclusive section. The safety net stays until the send stage settles the row.
        this.store.putSchedule(id, "dispatch", now + SAFETY_NET_MS);
        return sendOutboxRow(this.sendContext(d.rc, tenantId, debtorId), outboxId);
      }
      // Still queued from before: a copy only if the message was lost, never while it waits behind others.
      if (row.queued_at !== null && !(await queueLost(this.env, row.queued_at - d.rc.clock.offsetMs))) {
        this.store.putSchedule(id, "dispatch", now + SAFETY_NET_MS);
        return;
      }
      // Live rows are paced to their provider's rate by the consumer; sandbox rows are not.
      await this.env.DISPATCH_QUEUE.send({ tenantId, debtorId, outboxId, channel: row.channel, live: d.rc.delivery.mode === "live" });
      // Still queued from before: the queue is backed up, not lost. Wait twice as long each time,
      // so a long backlog is not flooded with copies (each copy costs a paced slot).
      const waited = row.queued_at === null ? 0 : now - row.queued_at;
      if (row.queued_at === null) this.store.setQueued(outboxId, now);
      this.store.putSchedule(id, "dispatch", now + Math.max(SAFETY_NET_MS, 2 * waited));
    } else if (kind === "instalment") {
      const { seq, remind } = JSON.parse(payload) as { seq: number; remind?: boolean };
      this.ctx.storage.transactionSync(() => (remind ? remindInstalment(d, seq, now) : checkInstalment(d, seq, now)));
    } else {
      this.store.deleteSchedule(id);
    }
  }

  /** Runs `fn` with input gates closed; errors are returned to the caller, never reset the object. */
  protected async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const box: { value?: T; error?: unknown; threw: boolean } = { threw: false };
    await this.ctx.blockConcurrencyWhile(async () => {
      try {
        box.value = await fn();
      } catch (error) {
        box.threw = true;
        box.error = error;
      }
    });
    if (box.threw) throw box.error;
    return box.value as T;
  }

  /** Runs a synchronous change for this tenant's debtor and settles; not_found for anyone else. */
  protected async mutate(tenantId: string, change: (d: ActionDeps, now: number) => void): Promise<Result<DebtorView>> {
    const rc = await this.context(tenantId);
    const debtorId = this.owner(tenantId);
    if (!debtorId || !this.store.debtor()) return fail("not_found", "Debtor not found.");
    this.ctx.storage.transactionSync(() => change(this.deps(rc, debtorId), rc.clock.now()));
    await this.settle(rc);
    const view = debtorView(this.store, this.ps, debtorId);
    return view ? ok(view) : fail("not_found", "Debtor not found.");
  }

  /**
   * The run context from D1, remembered in this object: when D1 is briefly unreachable the last
   * one is used, so due reminders still go out (their events reach D1 once it is back).
   */
  protected async context(tenantId: string): Promise<RunContext> {
    try {
      const rc = await loadRunContext(this.env, tenantId);
      const snapshot = snapshotOf(rc);
      const owner = this.store.meta("tenant_id");
      if ((owner === null || owner === tenantId) && this.store.meta("run_context") !== snapshot) this.store.setMeta("run_context", snapshot);
      return this.inMode(rc);
    } catch (err) {
      const cached = this.store.meta("tenant_id") === tenantId ? this.store.meta("run_context") : null;
      const rc = cached ? fromSnapshot(cached, this.env) : null;
      if (!rc) throw err;
      console.error("D1 unreachable; planning with the last known policy", err);
      return this.inMode(rc);
    }
  }

  /** In sandbox delivery mode every event this object records says `sandbox: true`. */
  private inMode(rc: RunContext): RunContext {
    this.store.sandbox = rc.delivery.mode === "sandbox";
    return rc;
  }

  protected runner(rc: RunContext, debtorId: string): Runner {
    return new Runner(this.store, this.ps, rc, debtorId, sendMinuteFor(`${this.store.meta("tenant_id")}/${debtorId}`));
  }

  protected sendContext(rc: RunContext, tenantId: string, debtorId: string): SendContext {
    return { ...this.deps(rc, debtorId), env: this.env, tenantId, debtorId, inFlight: this.inFlight, exclusive: (fn) => this.exclusive(fn) };
  }

  protected deps(rc: RunContext, debtorId: string): ActionDeps {
    return { store: this.store, ps: this.ps, rc, runner: this.runner(rc, debtorId) };
  }

  /** After a change: push events to D1 (retried later if D1 is down) and arm the alarm. */
  protected async settle(rc: RunContext): Promise<void> {
    const tenantId = this.store.meta("tenant_id");
    const debtorId = this.store.meta("debtor_id");
    // A payment, pause or block after a row was frozen in a provider batch: withdraw it or record the batch's outcome, before answering.
    if (tenantId && debtorId) await settleFrozen(this.sendContext(rc, tenantId, debtorId));
    // Cached for the banner's hot path, which must not read D1.
    if (this.store.meta("tenant_display_name") !== rc.tenant.displayName) this.store.setMeta("tenant_display_name", rc.tenant.displayName);
    if (this.store.meta("tenant_country") !== rc.tenant.country) this.store.setMeta("tenant_country", rc.tenant.country);
    if (tenantId && debtorId) {
      try {
        await flushToD1(this.env, this.store, tenantId, debtorId, () => ({ openInvoices: this.store.openInvoices().length, nextStepAt: this.store.earliestSchedule() }), rc.clock.now());
        this.store.deleteSchedule("flush");
        await this.watchGuardrails(tenantId, rc.clock.now());
      } catch (err) {
        console.error("D1 flush failed; retrying later", err);
        this.store.putSchedule("flush", "flush", rc.clock.now() + FLUSH_RETRY_MS);
      }
    }
    if (tenantId && debtorId) await this.syncBannerIndex(tenantId, debtorId);
    const next = this.store.earliestSchedule();
    if (next === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // Clock time -> real time: with a moved dev clock, a step due at T fires at T - offset.
    const realAt = Math.max(next - rc.clock.offsetMs, Date.now());
    const current = await this.ctx.storage.getAlarm();
    if (current === null || Math.abs(current - realAt) > 1000) await this.ctx.storage.setAlarm(realAt);
  }

  /**
   * A complaint, STOP, unsubscribe or dispute of a debtor in an experiment has reached D1: the
   * watcher looks at that experiment now, not at the next cron tick. A failed look is left to the
   * cron (the guardrail is still watched there).
   */
  private async watchGuardrails(tenantId: string, now: number): Promise<void> {
    const pending = JSON.parse(this.store.meta(GUARDRAIL_PENDING) ?? "[]") as string[];
    if (pending.length === 0) return;
    this.store.setMeta(GUARDRAIL_PENDING, "[]");
    for (const id of pending) {
      try {
        await watchExperiment(this.env, tenantId, id, now);
      } catch (err) {
        console.error("guardrail look failed; the cron looks again", id, err);
      }
    }
  }

  /** A bounced email or returned letter stays blocked only until the merchant sends a new address. */
  protected reopenChangedChannels(next: InvoiceInput["debtor"], now: number): void {
    const prev = this.store.debtor();
    if (!prev) return;
    for (const { channel, reason } of this.ps.blocked()) {
      // The contact field the channel needs: a new one is a new address (channel-rules).
      const field = CHANNEL_TRAITS[channel].needs;
      const isNew = field !== null && JSON.stringify(prev[field] ?? null) !== JSON.stringify(next[field] ?? null);
      // An opt-out is the person's choice: a new address does not undo it.
      if (isNew && reason !== "opted_out") {
        this.ps.unblock(channel);
        this.store.emit("channel.unblocked", now, { channel, reason: "new contact data" });
      }
    }
  }

  /**
   * Keeps the banner's "has open invoices" KV key in step, so an app open for a customer with
   * nothing open never wakes this object. Written only when it flips; a failed write is retried
   * at the next settle (the local marker only moves after KV accepted it).
   */
  protected async syncBannerIndex(tenantId: string, debtorId: string): Promise<void> {
    const open = this.store.openInvoices().length > 0;
    if (this.store.meta("banner_open") === String(open)) return;
    try {
      await setBannerIndex(this.env, tenantId, debtorId, open);
      this.store.setMeta("banner_open", String(open));
    } catch (err) {
      console.error("banner index write failed; retrying at the next change", err);
    }
  }

  /** Binds this object to its tenant and debtor on first use; false if it belongs to another. */
  protected claim(tenantId: string, debtorId: string): boolean {
    const owner = this.store.meta("tenant_id");
    if (owner === null) {
      this.store.setMeta("tenant_id", tenantId);
      this.store.setMeta("debtor_id", debtorId);
      return true;
    }
    return owner === tenantId && this.store.meta("debtor_id") === debtorId;
  }

  protected owner(tenantId: string): string | null {
    return this.store.meta("tenant_id") === tenantId ? this.store.meta("debtor_id") : null;
  }
}
