/**
 * Runs the policy engine for one debtor: builds its state from the DO's tables, plans the next
 * step, and executes a step that is due. Synchronous: callers wrap it in transactionSync.
 */
import { debtorCountry, isContact } from "../policy/channel-rules";
import { planNext } from "../policy/engine";
import type { EngineState, Plan } from "../policy/engine-types";
import type { Channel } from "../policy/policy-schema";
import { addDays, localParts, zonedTimeToEpoch } from "../zoned-time";
import { SEND_HOUR } from "../policy/engine";
import { identityOf, type RunContext } from "./run-context";
import type { DebtorStore, LadderRow } from "./store";
import type { PolicyState } from "./policy-state";
import { recordCycleEnd } from "./cycle";

const YEAR_MS = 365 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

export interface LadderPayload {
  cycle: number;
}

/** What an outbox row must say, fixed when the step is decided. */
export interface OutboxDetails {
  kind: string;
  template: string;
  segment: string;
  ladder: string;
  announcedCostsCents: number;
  chargeableCostsCents: number;
  termEndDate: string | null;
  acknowledgeAlreadyPaid: boolean;
  /** The instalment an instalment reminder or missed-instalment message is about. */
  instalmentSeq?: number;
  /** What was paid, for the thank-you after payment. */
  paidCents?: number;
}

export class Runner {
  constructor(
    private readonly store: DebtorStore,
    private readonly ps: PolicyState,
    private readonly rc: RunContext,
    private readonly debtorId: string,
    private readonly sendMinute: number,
  ) {}

  /** The country whose law and holidays apply to this debtor. */
  country(): "NL" | "BE" {
    return debtorCountry(this.store.debtor() ?? {}, this.rc.tenant.country);
  }

  /** Channels this debtor could be reached on that the shop cannot send on now, with why. */
  unavailable(): Partial<Record<Channel, string>> {
    const debtor = this.store.debtor();
    return debtor ? this.rc.delivery.channels.unavailable(this.rc.delivery.mode, identityOf(this.rc.tenant), debtor) : {};
  }

  /**
   * The last step's messages that have not gone out yet. The next step is timed from when they
   * actually went out, so it is not planned while any of them is still pending or sending.
   */
  private unsentOfLastStep(ladder: LadderRow): number {
    if (ladder.steps_taken === 0) return 0;
    return this.store.outboxWithPrefix(`ob_c${ladder.cycle}_s${ladder.steps_taken - 1}_`).filter((r) => r.status === "pending" || r.status === "sending").length;
  }

  /** The engine's view of this debtor now, or null before the first invoice. */
  engineState(now: number): EngineState | null {
    const debtor = this.store.debtor();
    const ladder = this.store.ladder();
    if (!debtor || !ladder) return null;
    const open = this.store.openInvoices();
    const flags = this.ps.flags();
    const country = this.country();
    // Milestones of a message kept in the sandbox never count once the shop sends for real.
    const legalCounts = ladder.legal_mode !== "sandbox" || this.rc.delivery.mode === "sandbox";
    const beFirst = legalCounts && ladder.be_first_reminder ? (JSON.parse(ladder.be_first_reminder) as { sentOn: string; channel: "email" | "letter" }) : null;
    return {
      country,
      timeZone: debtor.time_zone,
      sendMinute: this.sendMinute,
      facts: {
        late_payments_12m: this.store.latePayments(now - YEAR_MS),
        total_outstanding_cents: open.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0),
        hardship_flag: flags.hardship,
        vulnerable_flag: flags.vulnerable,
        country,
        first_invoice: this.store.invoiceCount() <= 1,
      },
      openInvoices: open.map((i) => ({ id: i.id, dueDate: i.due_date, outstandingCents: i.amount_cents - i.paid_cents })),
      position: { ladderKey: ladder.ladder_key, nextStep: ladder.next_step, stepsTaken: ladder.steps_taken, anchorDueDate: ladder.anchor_due_date, lastStepAt: ladder.last_step_at },
      contacts: this.ps.contacts(now),
      pauses: this.ps.pauses(),
      handoverPartner: Boolean(this.rc.tenant.profile.handover_partner?.name),
      blocked: [...this.ps.unavailable(debtor)],
      unavailable: this.unavailable(),
      usedChannels: this.ps.channelsUsedSince(now - 90 * DAY_MS),
      history: this.ps.history(),
      priors: this.rc.priors,
      legal: {
        fourteenDayLetterPostedOn: legalCounts ? ladder.nl_letter_posted_on : null,
        beFirstReminder: beFirst,
        announced: legalCounts && ladder.legal_costs ? (JSON.parse(ladder.legal_costs) as { cents: number; invoiceIds: string[] }) : null,
      },
    };
  }

  /** The plan for now, without side effects. */
  plan(now: number): Plan | null {
    const state = this.engineState(now);
    const ladder = this.store.ladder();
    if (!state || !ladder) return null;
    return planNext(state, this.rc.policy, now, `${this.debtorId}|c${ladder.cycle}`);
  }

  /** Re-plans after any change and keeps the one "ladder" schedule in step with the plan. */
  replan(now: number): void {
    const ladder = this.store.ladder();
    if (!ladder) return;
    if (this.store.openInvoices().length === 0) {
      // Everything is paid or cancelled: the cycle ends and nothing more is planned. Pauses that
      // belong to this cycle's debt end with it (a stop from outside, like debt counselling, stays).
      if (ladder.active) this.ps.liftPauses(["arrangement", "payment_date", "already_paid"], now);
      // The chain KPIs (and the NPS question) are counted per ended cycle: record how it ended.
      if (ladder.active) recordCycleEnd({ store: this.store, ps: this.ps, rc: this.rc, runner: this }, ladder, now);
      this.store.saveLadder({ ...ladder, active: 0, last_plan: JSON.stringify({ kind: "done", reason: "nothing is open" }) });
      this.store.deleteSchedule("ladder");
      return;
    }
    // Later steps are timed from the actual send: while the last step's messages wait (quiet
    // hours, the contact budget, retries), nothing further is planned; the send stage re-plans.
    if (this.unsentOfLastStep(ladder) > 0) {
      this.store.saveLadder({ ...ladder, last_plan: JSON.stringify({ kind: "done", reason: "waiting for the previous message to go out" }) });
      this.store.deleteSchedule("ladder");
      return;
    }
    const plan = this.plan(now);
    if (!plan) return;
    this.store.saveLadder({ ...ladder, last_plan: JSON.stringify(summarize(plan)) });
    if (plan.kind === "waiting") {
      // No channel can send this step for the shop yet: say so once, and look again later.
      this.reportUnavailable(ladder, now);
      this.store.putSchedule("ladder", "ladder", plan.at, { cycle: ladder.cycle } satisfies LadderPayload);
      return;
    }
    if (plan.kind !== "step") {
      this.store.deleteSchedule("ladder");
      return;
    }
    if (this.store.schedule("ladder")?.due_at === plan.at) return;
    this.store.putSchedule("ladder", "ladder", plan.at, { cycle: ladder.cycle } satisfies LadderPayload);
    this.store.emit(
      "reminder.scheduled",
      now,
      { step: plan.step.key, ladder: plan.ladderKey, channels: plan.channels, at: new Date(plan.at).toISOString(), segment: plan.explanation.segment.key },
      null,
      `sched_c${ladder.cycle}_${plan.ladderKey}_${plan.stepIndex}`,
    );
  }

  /** The "ladder" schedule fired: run the planned step if it is due now, else re-plan. */
  runStep(payload: LadderPayload, now: number): void {
    const ladder = this.store.ladder();
    const debtor = this.store.debtor();
    if (!ladder || !debtor || !ladder.active || ladder.cycle !== payload.cycle) {
      this.store.deleteSchedule("ladder");
      this.replan(now);
      return;
    }
    const plan = this.plan(now);
    // A pause, the budget or quiet hours may have moved it since it was armed: re-arm instead.
    if (!plan || plan.kind !== "step" || plan.at > now + 1000) {
      this.replan(now);
      return;
    }
    const today = localParts(now, debtor.time_zone).date;
    const open = this.store.openInvoices();
    const included = plan.step.kind === "pre_due_nudge" ? open : open.filter((i) => i.due_date < today);
    if (included.length === 0) {
      // Nothing is overdue yet (the oldest invoice was paid): wait until the next one is.
      const next = open[0];
      if (!next) return this.replan(now);
      if (ladder.steps_taken === 0) this.store.saveLadder({ ...ladder, anchor_due_date: next.due_date });
      else this.store.putSchedule("ladder", "ladder", zonedTimeToEpoch(addDays(next.due_date, 1), SEND_HOUR, 0, debtor.time_zone), payload);
      if (ladder.steps_taken === 0) this.replan(now);
      return;
    }
    this.execute(plan, ladder, included.map((i) => i.id), now);
  }

  /** Tells the shop (event and merchant webhook) which channels cannot send for it, once per step. */
  reportUnavailable(ladder: LadderRow, now: number): void {
    for (const [channel, reason] of Object.entries(this.unavailable())) {
      this.store.emit("channel.unavailable", now, { channel, reason, step_no: ladder.steps_taken }, null, `unavail_c${ladder.cycle}_s${ladder.steps_taken}_${channel}`);
    }
  }

  private execute(plan: Extract<Plan, { kind: "step" }>, ladder: LadderRow, invoiceIds: string[], now: number): void {
    const stepNo = ladder.steps_taken;
    const segment = plan.explanation.segment.key;
    const details: OutboxDetails = {
      kind: plan.step.kind,
      template: plan.step.template,
      segment,
      ladder: plan.ladderKey,
      announcedCostsCents: plan.costs.announcedCents,
      chargeableCostsCents: plan.costs.chargeableCents,
      termEndDate: plan.costs.termEndDate,
      acknowledgeAlreadyPaid: plan.acknowledgeAlreadyPaid,
    };
    const sent: Channel[] = [];
    // A channel the step wanted but the shop cannot send on: the step went elsewhere; say why.
    const wanted = plan.step.channels === "auto" ? (plan.step.auto_candidates ?? []) : plan.step.channels;
    if (wanted.some((c) => this.unavailable()[c] !== undefined)) this.reportUnavailable(ladder, now);
    if (plan.step.kind === "handover_ready") {
      // Only the minimal data set a collection agency needs (Wki): no contact data here.
      for (const [n, id] of invoiceIds.entries()) {
        const inv = this.store.invoice(id);
        if (!inv) continue;
        // The costs are the debtor's, once: carried on the first invoice's handover only.
        this.store.emit("invoice.handover_ready", now, {
          merchant_invoice_id: inv.merchant_invoice_id, issue_date: inv.issue_date, due_date: inv.due_date,
          principal_cents: inv.amount_cents, outstanding_cents: inv.amount_cents - inv.paid_cents, costs_cents: n === 0 ? plan.costs.chargeableCents : 0,
        }, id, `handover_c${ladder.cycle}_s${stepNo}_${id}`);
      }
    } else {
      for (const channel of plan.channels) {
        if (channel === "banner") continue; // the in-app banner shows open invoices by itself
        const id = `ob_c${ladder.cycle}_s${stepNo}_${channel}`;
        this.store.createOutbox({ id, step_key: plan.step.key, channel, tone: plan.tone, status: "pending", invoice_ids: JSON.stringify(invoiceIds), created_at: now, details: JSON.stringify(details) });
        this.store.putSchedule(`dispatch:${id}`, "dispatch", now);
        if (isContact(channel)) this.ps.addContact(now, channel, id);
        sent.push(channel);
      }
      if (sent.length === 0) this.store.emit("reminder.skipped", now, { step: plan.step.key, reason: "no reachable channel" }, null, `skip_c${ladder.cycle}_s${stepNo}`);
    }
    this.store.emit(
      "reminder.decided",
      now,
      {
        step: plan.step.key, kind: plan.step.kind, segment, ladder: plan.ladderKey, channels: sent, limits: plan.explanation.limits, chargeable_costs_cents: plan.costs.chargeableCents,
        policy_version: this.rc.policyVersion,
      },
      null,
      `decided_c${ladder.cycle}_s${stepNo}`,
    );
    this.store.saveLadder({
      ...ladder,
      ladder_key: plan.ladderKey,
      next_step: plan.stepIndex + 1,
      steps_taken: stepNo + 1,
      last_step_at: now,
      last_channels: JSON.stringify(sent.filter(isContact)),
      credited: 0,
      segment_key: segment,
    });
    this.store.deleteSchedule("ladder");
    this.replan(now);
  }

  /** A payment in full or an arrangement followed the last step: credit its channels once. */
  creditLastStep(now: number, outcome: "paid" | "arrangement" = "paid"): void {
    const ladder = this.store.ladder();
    if (!ladder || ladder.credited || ladder.steps_taken === 0) return;
    for (const channel of JSON.parse(ladder.last_channels) as Channel[]) {
      this.ps.recordSuccess(channel);
      // Step and send time let the dashboard's funnel count "paid within N days" of each step.
      const step = this.store.outbox(`ob_c${ladder.cycle}_s${ladder.steps_taken - 1}_${channel}`)?.step_key ?? null;
      this.store.emit(
        "channel.success",
        now,
        { segment: ladder.segment_key ?? "unknown", channel, step, outcome, sent_at: ladder.last_step_at },
        null,
        `success_c${ladder.cycle}_s${ladder.steps_taken}_${channel}`,
      );
    }
    this.store.saveLadder({ ...ladder, credited: 1 });
  }
}

/** A plan as stored for reads (the explanation of the next step). */
export function summarize(plan: Plan) {
  if (plan.kind !== "step") return plan;
  return {
    kind: plan.kind,
    at: plan.at,
    step: plan.step.key,
    step_kind: plan.step.kind,
    channels: plan.channels,
    tone: plan.tone,
    costs: plan.costs,
    acknowledge_already_paid: plan.acknowledgeAlreadyPaid,
    explanation: plan.explanation,
  };
}
