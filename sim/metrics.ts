/**
 * From invoice records to the figures the report shows: outcome rows per policy, persona and
 * month, the share of the fixed-to-oracle gap Kindly closes, the cost model per 10,000
 * invoices, and the checks for struggling and protected debtors. Pure and deterministic.
 */
import type { TenantPolicy } from "../workers/policy/policy-schema";
import { MODES, type PolicyMode } from "./policies";
import type { Population } from "./population";
import { CONTACT_CHANNELS, type ContactChannel, type InvoiceRecord, type LimitChecks, type RunResult } from "./records";

/** Outcomes of one group of invoices under one policy. */
export interface OutcomeRow {
  debtors: number;
  invoices: number;
  /** Shares of the invoices that were not cancelled (a dispute upheld is not a debt). */
  paid30: number;
  paid60: number;
  paid: number;
  medianDaysToPay: number | null;
  /** Contact and handover costs per invoice paid, in euro. */
  costPerPaid: number | null;
  contactsPerDebtor: number;
  lettersPer1000: number;
  smsPer1000: number;
  callsPer1000: number;
  handoverRate: number;
  complaintsPer1000: number;
  arranged: number;
  helpOffered: number;
  helpRequested: number;
  crossedPer1000: number;
  /** Median days from the due date to the first letter, for invoices that got one. */
  medianFirstLetterDay: number | null;
  /** Mean true score (chance per euro) of the channels chosen where a choice was made, and of the best. */
  choiceValue: number | null;
  choiceBest: number | null;
}

/** The share of the fixed-to-oracle gap Kindly closes; null when there is (almost) no gap. */
export interface GapClosed {
  costPerPaid: number | null;
  paid: number | null;
}

export interface CostModel {
  invoices: number;
  contacts: Record<ContactChannel, number>;
  channelCostEuro: Record<ContactChannel, number>;
  callMinutes: number;
  handovers: number;
  handoverCostEuro: number;
  totalCostEuro: number;
  paid: number;
  recoveredEuro: number;
  handedOverEuro: number;
}

export interface Summary {
  population: string;
  debtors: number;
  seed: string;
  overall: Record<PolicyMode, OutcomeRow>;
  gap: GapClosed;
  months: { month: number; invoices: number; gap: GapClosed; rows: Record<PolicyMode, OutcomeRow> }[];
  personas: { key: string; description: string; rows: Record<PolicyMode, OutcomeRow> }[];
  groups: { key: string; label: string; rows: Record<PolicyMode, OutcomeRow>; neverWorseOff: boolean }[];
  costModel: Record<PolicyMode, CostModel>;
  limits: Record<PolicyMode, LimitChecks>;
  /** Share of the (not cancelled) invoices paid by day 0, 1, ... PAID_BY_DAY_MAX after the due date. */
  paidByDay: Record<PolicyMode, number[]>;
  /** Paid rate standard error of the whole run (for "within noise"). */
  paidStandardError: number;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Outcomes of `records` (one policy). */
export function outcomes(records: InvoiceRecord[]): OutcomeRow {
  const debtors = new Set(records.map((r) => r.debtor)).size;
  const debts = records.filter((r) => !r.cancelled);
  const n = Math.max(1, debts.length);
  const paidDays = debts.flatMap((r) => (r.daysToPay === null ? [] : [r.daysToPay]));
  const cost = records.reduce((s, r) => s + r.costCents + r.handoverCostCents, 0);
  const sum = (f: (r: InvoiceRecord) => number) => records.reduce((s, r) => s + f(r), 0);
  const per1000 = (x: number) => (debtors === 0 ? 0 : (1000 * x) / debtors);
  const choices = sum((r) => r.choices);
  return {
    debtors,
    invoices: records.length,
    paid30: paidDays.filter((d) => d <= 30).length / n,
    paid60: paidDays.filter((d) => d <= 60).length / n,
    paid: paidDays.length / n,
    medianDaysToPay: median(paidDays),
    costPerPaid: paidDays.length === 0 ? null : cost / 100 / paidDays.length,
    contactsPerDebtor: debtors === 0 ? 0 : sum((r) => CONTACT_CHANNELS.reduce((s, c) => s + r.contacts[c], 0)) / debtors,
    lettersPer1000: per1000(sum((r) => r.contacts.letter)),
    smsPer1000: per1000(sum((r) => r.contacts.sms)),
    callsPer1000: per1000(sum((r) => r.contacts.call)),
    handoverRate: debts.filter((r) => r.handedOver).length / n,
    complaintsPer1000: per1000(sum((r) => r.complaints)),
    arranged: debts.filter((r) => r.arranged).length / n,
    helpOffered: records.filter((r) => r.helpOffered).length / Math.max(1, records.length),
    helpRequested: records.filter((r) => r.helpRequested).length / Math.max(1, records.length),
    crossedPer1000: per1000(sum((r) => r.crossed)),
    medianFirstLetterDay: median(records.flatMap((r) => (r.firstLetterDay === null ? [] : [r.firstLetterDay]))),
    choiceValue: choices === 0 ? null : sum((r) => r.choiceValue) / choices,
    choiceBest: choices === 0 ? null : sum((r) => r.choiceBest) / choices,
  };
}

// Below this the gap is noise (one cent per paid invoice, or 0.2 percentage points).
const MIN_COST_GAP = 0.01;
const MIN_PAID_GAP = 0.002;

/** How much of the fixed-to-oracle gap Kindly closes, on cost per paid invoice and paid rate. */
export function gapClosed(rows: Record<PolicyMode, OutcomeRow>): GapClosed {
  const { fixed, kindly, oracle } = rows;
  const cost = fixed.costPerPaid !== null && kindly.costPerPaid !== null && oracle.costPerPaid !== null && fixed.costPerPaid - oracle.costPerPaid > MIN_COST_GAP
    ? (fixed.costPerPaid - kindly.costPerPaid) / (fixed.costPerPaid - oracle.costPerPaid)
    : null;
  const paid = oracle.paid - fixed.paid > MIN_PAID_GAP ? (kindly.paid - fixed.paid) / (oracle.paid - fixed.paid) : null;
  return { costPerPaid: cost, paid };
}

function costModel(records: InvoiceRecord[], population: Population, policy: TenantPolicy): CostModel {
  const scale = records.length === 0 ? 0 : 10_000 / records.length;
  const contacts = { email: 0, sms: 0, letter: 0, call: 0 };
  for (const r of records) for (const c of CONTACT_CHANNELS) contacts[c] += r.contacts[c];
  const channelCostEuro = { email: 0, sms: 0, letter: 0, call: 0 };
  for (const c of CONTACT_CHANNELS) {
    contacts[c] *= scale;
    channelCostEuro[c] = (contacts[c] * policy.channel_costs_cents[c]) / 100;
  }
  const handovers = records.filter((r) => r.handedOver).length * scale;
  const handoverCostEuro = (records.reduce((s, r) => s + r.handoverCostCents, 0) / 100) * scale;
  const paid = records.filter((r) => r.daysToPay !== null && !r.cancelled);
  return {
    invoices: 10_000,
    contacts,
    channelCostEuro,
    callMinutes: contacts.call * population.economics.call_minutes,
    handovers,
    handoverCostEuro,
    // Reminders, arrangement confirmations and handovers.
    totalCostEuro: (records.reduce((s, r) => s + r.costCents + r.handoverCostCents, 0) / 100) * scale,
    paid: paid.length * scale,
    recoveredEuro: (paid.reduce((s, r) => s + r.amountCents, 0) / 100) * scale,
    handedOverEuro: (records.filter((r) => r.handedOver).reduce((s, r) => s + r.amountCents, 0) / 100) * scale,
  };
}

const PAID_BY_DAY_MAX = 90;

function paidByDay(records: InvoiceRecord[]): number[] {
  const debts = records.filter((r) => !r.cancelled);
  const counts = new Array<number>(PAID_BY_DAY_MAX + 1).fill(0);
  for (const r of debts) if (r.daysToPay !== null && r.daysToPay <= PAID_BY_DAY_MAX) counts[Math.floor(r.daysToPay)]!++;
  let run = 0;
  return counts.map((c) => (run += c) / Math.max(1, debts.length));
}

const byMode = <T>(f: (m: PolicyMode) => T): Record<PolicyMode, T> => ({ fixed: f("fixed"), kindly: f("kindly"), oracle: f("oracle") });

/** Everything the report needs from the three runs. */
export function summarize(population: Population, policy: TenantPolicy, runs: Record<PolicyMode, RunResult>, debtors: number, seed: string): Summary {
  const overall = byMode((m) => outcomes(runs[m].invoices));
  const months = Array.from({ length: 12 }, (_, month) => {
    const rows = byMode((m) => outcomes(runs[m].invoices.filter((r) => r.month === month)));
    return { month, invoices: rows.kindly.invoices, gap: gapClosed(rows), rows };
  });
  const personas = population.personas.map((p, i) => ({ key: p.key, description: p.description ?? "", rows: byMode((m) => outcomes(runs[m].invoices.filter((r) => r.persona === i))) }));
  // Groups fixed by who the debtor is (not by what a policy did to them), so they compare.
  const struggling = new Set(population.personas.flatMap((p, i) => (p.help.per_offer > 0 || p.arrangement.share > 0 ? [i] : [])));
  const groupDefs = [
    { key: "struggling", label: "Struggling personas (ask for help or an arrangement)", pick: (r: InvoiceRecord) => struggling.has(r.persona) },
    { key: "protected", label: "Debtors the shop marked vulnerable", pick: (r: InvoiceRecord) => r.vulnerable },
  ];
  const groups = groupDefs.map((g) => {
    const rows = byMode((m) => outcomes(runs[m].invoices.filter(g.pick)));
    const k = rows.kindly;
    const f = rows.fixed;
    const neverWorseOff = k.contactsPerDebtor <= f.contactsPerDebtor + 1e-9 && k.handoverRate <= f.handoverRate + 1e-9 && k.helpRequested + 1e-9 >= f.helpRequested;
    return { key: g.key, label: g.label, rows, neverWorseOff };
  });
  const p = overall.kindly.paid;
  return {
    population: population.name,
    debtors,
    seed,
    overall,
    gap: gapClosed(overall),
    months,
    personas,
    groups,
    costModel: byMode((m) => costModel(runs[m].invoices, population, policy)),
    limits: byMode((m) => runs[m].limits),
    paidByDay: byMode((m) => paidByDay(runs[m].invoices)),
    paidStandardError: Math.sqrt((p * (1 - p)) / Math.max(1, overall.kindly.invoices)),
  };
}

export { MODES };
