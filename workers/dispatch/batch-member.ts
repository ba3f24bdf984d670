/**
 * A DebtorDO's side of a provider batch. The dispatch consumer asks each object to freeze its
 * row into batch X: the object runs every check a single send runs (still open, not paused or
 * blocked, quiet hours, contact budget), renders, and stores the exact bytes with the row marked
 * "sending" in batch X, all in its exclusive section. From then on the row belongs to X: it is
 * never put into another batch (a retry of X carries the same bytes under X's key), and the
 * batch's outcome is recorded here as a single send's would be.
 *
 * A payment, pause or block that lands after freezing is handled like one racing a single send:
 * the object asks the batch to withdraw the row; a batch that has not yet called the provider
 * drops it (the message is suppressed), one that has called answers with its outcome, which is
 * recorded before the payment is answered.
 */
import type { BatchResult, SendInput, SendResult } from "../channels/adapter";
import { fallBack } from "../debtor/channel-feedback";
import type { OutboxDetails } from "../debtor/runner";
import type { InvoiceRow, OutboxRow } from "../debtor/store";
import { announcedCosts } from "../policy/engine-costs";
import type { Channel } from "../policy/policy-schema";
import { activePause } from "../policy/engine";
import { isServiceMessage, sendsWithNothingOpen } from "../templates/keys";
import { memberKey } from "./batch-do";
import { batchStub } from "./batch-stub";
import { pacerStub } from "./pacer-do";
import { applyResult, finish } from "./outcome";
import { finalCheck, openOf, prepareSend, sendInput, type SendContext } from "./send-stage";

/** The marker of a row frozen in batch `id` (kept in the row's last_error while it is "sending"). */
export const batchMarker = (batchId: string) => `batch:${batchId}`;
/** A row whose batch the provider refused as a whole (nothing sent): it goes on its own from then on. */
const REFUSED = "batch refused: ";
/** A frozen row's safety net: if its batch makes no progress, the object asks the batch after this. */
export const BATCH_SAFETY_NET_MS = 60_000;

/** The batch a row is frozen in, if any. */
export function batchOf(row: OutboxRow | null): string | null {
  return row?.status === "sending" && row.last_error?.startsWith("batch:") ? row.last_error.slice("batch:".length) : null;
}

/** member: frozen into the batch; in_batch: another batch owns it; alone: send it on its own (paced); done: nothing to send now. */
export type FreezeAnswer = { kind: "member"; input: SendInput } | { kind: "in_batch"; batchId: string } | { kind: "alone" } | { kind: "done" };

/** What a batch reports for one member: the provider's answer for the whole request, and this member's id. */
export type MemberOutcome = { ok: true; providerId: string } | Extract<BatchResult, { ok: false }>;

/**
 * Freezes row `outboxId` into batch `batchId`. A row that cannot be batched (sandbox, already
 * sending alone after a failure, refused in a batch before) is answered `alone`: the consumer
 * hands it over on its own, paced. `in_batch`: it already belongs to another batch.
 */
export async function freezeForBatch(ctx: SendContext, outboxId: string, batchId: string): Promise<FreezeAnswer> {
  const row = ctx.store.outbox(outboxId);
  const other = batchOf(row);
  if (other) return { kind: "in_batch", batchId: other };
  if (!row || !["pending", "sending"].includes(row.status)) return { kind: "done" };
  // Sending alone already (a retry after a failure, or refused in a batch): it keeps its own key.
  if (row.status !== "pending" || ctx.rc.delivery.mode !== "live") return { kind: "alone" };
  if (ctx.inFlight.has(outboxId)) return { kind: "done" };
  ctx.inFlight.add(outboxId);
  try {
    const p = await prepareSend(ctx, outboxId);
    if (!p) return { kind: "done" };
    if (!p.adapter.sendBatch) return { kind: "alone" };
    return await ctx.exclusive(async (): Promise<FreezeAnswer> => {
      const checked = finalCheck(ctx, p);
      if (!checked) return { kind: "done" };
      ctx.store.markSending(outboxId, JSON.stringify(p.rendered), checked.now, batchMarker(batchId));
      ctx.store.putSchedule(`dispatch:${outboxId}`, "dispatch", checked.now + BATCH_SAFETY_NET_MS);
      return { kind: "member", input: sendInput(ctx, p, checked.now) };
    });
  } finally {
    ctx.inFlight.delete(outboxId);
  }
}

/** Records batch `batchId`'s outcome for row `outboxId`; a repeated report, or one for a row no longer in that batch, changes nothing. */
export async function recordBatchOutcome(ctx: SendContext, outboxId: string, batchId: string, outcome: MemberOutcome): Promise<void> {
  await ctx.exclusive(async () => {
    const current = ctx.store.outbox(outboxId);
    if (batchOf(current) !== batchId || !current) return;
    const adapter = ctx.rc.delivery.channels.forChannel(current.channel);
    if (!adapter) return;
    if (!outcome.ok && outcome.refused) {
      // The provider sent nothing of this batch: the row goes again on its own, with its own key.
      ctx.store.uncountAttempt(outboxId);
      ctx.store.setOutboxError(outboxId, `${REFUSED}${outcome.error}`, ctx.rc.clock.now());
      ctx.store.putSchedule(`dispatch:${outboxId}`, "dispatch", ctx.rc.clock.now());
      return;
    }
    const open = coveredInvoices(ctx, current);
    const planned = JSON.parse(current.details) as OutboxDetails;
    const principal = open.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0);
    const details: OutboxDetails = { ...planned, announcedCostsCents: announcedCosts(planned.kind, ctx.runner.country(), ctx.rc.policy, principal) };
    const result: SendResult = outcome.ok ? outcome : { ...outcome, retryable: false };
    // A batch retries itself until it has a final answer; what it reports is final for the row.
    await applyResult(ctx, { outboxId, adapter, details, channel: current.channel as Channel, key: batchId }, current, open, result, false);
  });
}

/** The invoices a message covers: those still open, or all of them when it was frozen before a payment closed them. */
function coveredInvoices(ctx: SendContext, row: OutboxRow): InvoiceRow[] {
  const open = openOf(ctx.store, row);
  if (open.length > 0) return open;
  return (JSON.parse(row.invoice_ids) as string[]).map((id) => ctx.store.invoice(id)).filter((i): i is InvoiceRow => i !== null);
}

/** Why a frozen row must no longer go out (paid, paused, blocked), or null when it still may. */
function noLongerDue(ctx: SendContext, row: OutboxRow): string | null {
  const details = JSON.parse(row.details) as OutboxDetails;
  if (openOf(ctx.store, row).length === 0 && !sendsWithNothingOpen(details.kind)) return "paid_or_cancelled";
  if (isServiceMessage(details.kind)) return null;
  if (activePause(ctx.ps.pauses(), ctx.rc.clock.now())) return "paused";
  const block = ctx.ps.blocked().find((b) => b.channel === row.channel);
  return block ? `${row.channel} ${block.reason}` : null;
}

/**
 * After a change (payment, pause, block): rows frozen in a batch that must no longer go out are
 * withdrawn from their batch if it has not called the provider yet (suppressed), or recorded with
 * the batch's outcome if it has. Runs before the change is answered.
 */
export async function settleFrozen(ctx: SendContext): Promise<void> {
  for (const row of ctx.store.outboxWithMarker("batch:")) {
    const batchId = batchOf(row);
    const why = batchId ? noLongerDue(ctx, row) : null;
    if (!batchId || !why) continue;
    const answer = await batchStub(ctx.env, batchId).withdraw(memberKey(ctx.tenantId, ctx.debtorId, row.id));
    if (answer.withdrawn) {
      await ctx.exclusive(async () => {
        const current = ctx.store.outbox(row.id);
        if (batchOf(current) !== batchId || !current) return;
        if (why === "paid_or_cancelled" || why === "paused") return finish(ctx, current, "suppressed", { reason: why });
        finish(ctx, current, "skipped", { reason: why });
        fallBack(ctx, current, why, ctx.rc.clock.now());
      });
    } else if (answer.outcome) {
      await recordBatchOutcome(ctx, row.id, batchId, answer.outcome);
    }
  }
}

/**
 * The safety net of a frozen row: asks its batch to go on (a lost consumer, an evicted batch). A
 * batch that never received the row seals itself and answers "withdrawn": the row was never
 * sent and goes into a new batch through the queue.
 */
export async function nudgeBatch(ctx: SendContext, row: OutboxRow, batchId: string): Promise<"requeue" | "waiting"> {
  const answer = await batchStub(ctx.env, batchId).nudge(memberKey(ctx.tenantId, ctx.debtorId, row.id));
  if (answer.outcome) {
    await recordBatchOutcome(ctx, row.id, batchId, answer.outcome);
    return "waiting";
  }
  if (!answer.unknown) return "waiting";
  let requeue = false;
  await ctx.exclusive(async () => {
    const current = ctx.store.outbox(row.id);
    if (batchOf(current) !== batchId) return;
    // Never sent: back to pending, so the next batch re-checks it from the start.
    ctx.store.unfreeze(row.id, ctx.rc.clock.now());
    requeue = true;
  });
  return requeue ? "requeue" : "waiting";
}

/** Whether a row's queue message, enqueued at real time `enqueuedAt`, was lost (the pacer knows how far the queue got); unknown counts as lost. */
export async function queueLost(env: Env, enqueuedAt: number): Promise<boolean> {
  try {
    return await pacerStub(env).lost(enqueuedAt);
  } catch {
    return true;
  }
}
