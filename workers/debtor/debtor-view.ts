/** The merchant's view of one debtor, with the reasons behind the next step. */
import type { DebtorView } from "../api/schemas";
import type { PolicyState } from "./policy-state";
import type { DebtorStore } from "./store";
import { invoiceView, timelineEntry } from "./views";

const TIMELINE_LIMIT = 100;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

interface StoredPlan {
  kind: "step" | "done" | "paused";
  at?: number;
  step?: string;
  step_kind?: string;
  channels?: string[];
  reason?: string;
  pause?: string;
  costs?: { announcedCents: number; chargeableCents: number; termEndDate: string | null };
  explanation?: {
    segment: { key: string; matched: string[] };
    ladder: string;
    channelScores: { channel: string; sampled: number; mean: number; costCents: number; score: number; excluded?: string }[] | null;
    limits: string[];
  };
}

/** Builds the view from the DO's tables; null before the first invoice. */
export function debtorView(store: DebtorStore, ps: PolicyState, debtorId: string): DebtorView | null {
  const debtor = store.debtor();
  if (!debtor) return null;
  const open = store.openInvoices();
  const ladder = store.ladder();
  const plan = ladder?.active && ladder.last_plan ? (JSON.parse(ladder.last_plan) as StoredPlan) : null;
  const flags = ps.flags();
  return {
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
    next_step:
      plan?.kind === "step" && plan.at !== undefined && plan.explanation
        ? {
            key: plan.step ?? "",
            kind: plan.step_kind ?? "",
            channel: plan.channels?.[0] ?? "none",
            channels: plan.channels ?? [],
            at: new Date(plan.at).toISOString(),
            why: {
              segment: plan.explanation.segment.key,
              segment_reasons: plan.explanation.segment.matched,
              ladder: plan.explanation.ladder,
              channel_scores: (plan.explanation.channelScores ?? []).map((s) => ({
                channel: s.channel, expected_success: Number(s.mean.toFixed(4)), sampled: Number(s.sampled.toFixed(4)), cost_cents: s.costCents,
                score: Number(s.score.toFixed(4)), excluded: s.excluded ?? null,
              })),
              limits: plan.explanation.limits,
              announced_costs_cents: plan.costs?.announcedCents ?? 0,
              chargeable_costs_cents: plan.costs?.chargeableCents ?? 0,
              term_end_date: plan.costs?.termEndDate ?? null,
            },
          }
        : null,
    paused: plan?.kind === "paused" ? { kind: plan.pause ?? "", since: null } : null,
    flags,
    pauses: ps.pauseRows().map((p) => ({ kind: p.kind, from: new Date(p.from_at).toISOString(), until: iso(p.until_at) })),
    blocked_channels: ps.blocked(),
    instalments: ps.instalments().map((i) => ({ seq: i.seq, due_date: i.due_date, amount_cents: i.amount_cents, status: i.status })),
    timeline: store.timeline(TIMELINE_LIMIT).map((e) => timelineEntry({ ...e, data: JSON.stringify(store.withNotes(JSON.parse(e.data) as Record<string, unknown>)) })),
  };
}
