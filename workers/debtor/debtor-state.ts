/**
 * Where a debtor stands, in the words a person would use: nothing open, something to pay, "we
 * are checking your payment", a chosen pay date, an arrangement with its next instalment, help
 * asked, a dispute being looked at, or debt help that stops collection. The page (`/d/<token>`)
 * and the in-app banner both show this, so neither says "€ 239,90 is open, pay" to someone who
 * just told us they paid or agreed a plan. Pure: plain data in, plain data out.
 */
import type { PauseKind } from "../policy/engine-types";

/** A pause as the state needs it; `until` is clock ms (null: until lifted), `date` a chosen pay day. */
export interface PauseFact {
  kind: PauseKind;
  from: number;
  until: number | null;
  date?: string;
}

/** One instalment of an arrangement, as agreed. */
export interface InstalmentFact {
  seq: number;
  dueDate: string;
  amountCents: number;
}

/** The next instalment still to pay: what is left of it (a part may be paid early) and when. */
export interface NextInstalment {
  seq: number;
  of: number;
  dueDate: string;
  amountCents: number;
}

/** What the debtor's page and banner say first. `until` values are ISO instants. */
export type DebtorState =
  | { kind: "nothing_open" }
  | { kind: "open" }
  | { kind: "already_paid"; until: string | null }
  | { kind: "payment_date"; date: string; until: string | null }
  | { kind: "arrangement"; next: NextInstalment | null; instalments: InstalmentFact[] }
  | { kind: "help"; until: string | null }
  | { kind: "dispute" }
  | { kind: "debt_help"; reason: "debt_counselling" | "breathing_space"; until: string | null };

/** Every state's name, in a stable order (tests and the API schema iterate over it). */
export const DEBTOR_STATES = ["nothing_open", "open", "already_paid", "payment_date", "arrangement", "help", "dispute", "debt_help"] as const;
export type DebtorStateKind = (typeof DEBTOR_STATES)[number];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The next instalment: walk the plan, counting what was paid since it started against each
 * instalment in turn; the first one not fully covered is next, with what is left of it.
 */
export function nextInstalment(plan: InstalmentFact[], paidSinceStart: number): NextInstalment | null {
  let covered = Math.max(0, paidSinceStart);
  for (const r of plan) {
    if (covered < r.amountCents) return { seq: r.seq, of: plan.length, dueDate: r.dueDate, amountCents: r.amountCents - covered };
    covered -= r.amountCents;
  }
  return null;
}

/**
 * The debtor's state at `now`. Stops that protect the person come first (debt counselling or a
 * breathing space, then a dispute: nothing to pay now); then a running arrangement; then the
 * debtor's latest own answer (already paid, a pay date, help).
 */
export function debtorState(input: {
  openCount: number;
  pauses: PauseFact[];
  instalments: InstalmentFact[];
  paidSinceArrangement: number;
  now: number;
}): DebtorState {
  if (input.openCount === 0) return { kind: "nothing_open" };
  const active = input.pauses.filter((p) => p.until === null || p.until > input.now);
  const find = (kind: PauseKind) => active.find((p) => p.kind === kind);
  const stop = find("debt_counselling") ?? find("breathing_space");
  if (stop) return { kind: "debt_help", reason: stop.kind === "breathing_space" ? "breathing_space" : "debt_counselling", until: iso(stop.until) };
  if (find("dispute")) return { kind: "dispute" };
  if (find("arrangement")) {
    return { kind: "arrangement", next: nextInstalment(input.instalments, input.paidSinceArrangement), instalments: input.instalments };
  }
  const latest = active.filter((p) => p.kind === "already_paid" || p.kind === "payment_date" || p.kind === "help").sort((a, b) => b.from - a.from)[0];
  if (!latest) return { kind: "open" };
  if (latest.kind === "payment_date" && latest.date) return { kind: "payment_date", date: latest.date, until: iso(latest.until) };
  if (latest.kind === "help") return { kind: "help", until: iso(latest.until) };
  if (latest.kind === "already_paid") return { kind: "already_paid", until: iso(latest.until) };
  return { kind: "open" };
}

/** Whether the state asks the person to pay now: a pay button fits only these. */
export function asksToPay(state: DebtorState): boolean {
  return state.kind === "open" || state.kind === "payment_date";
}
