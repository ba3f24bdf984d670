/**
 * A population fitted from a tenant's own outcome history: one persona per segment, with the
 * segment's share of debtors and its response rate per channel (payment or arrangement after a
 * contact), and observable facts chosen so the simulated debtors fall in that segment under the
 * tenant's policy. Pure: the caller reads D1.
 */
import { CHANNELS, type Channel, type SegmentCondition, type TenantPolicy } from "../workers/policy/policy-schema";
import type { PopulationInput } from "./population";

/** Outcomes per segment and channel, as `channel_stats` holds them. */
export interface SegmentChannelStats {
  segment: string;
  channel: Channel;
  successes: number;
  trials: number;
}

/** Debtors the policy placed in each segment (from `reminder.decided` events). */
export interface SegmentDebtors {
  segment: string;
  debtors: number;
}

/** Fewer contacts than this are too little history to fit anything from. */
export const MIN_FIT_TRIALS = 200;

type PersonaInput = PopulationInput["personas"][number];

/** Facts that place a simulated debtor in the segment (the first segment whose conditions hold). */
function observables(conditions: SegmentCondition[]): Pick<PersonaInput, "locales" | "late_payments_12m" | "amount" | "vulnerable"> {
  let locales: PersonaInput["locales"] = { "nl-NL": 0.8, "nl-BE": 0.12, "fr-BE": 0.08 };
  let late = [0.6, 0.3, 0.1];
  let amount: PersonaInput["amount"] = { kind: "lognormal", median_cents: 5_000, sigma: 0.6, max_cents: 49_000 };
  let vulnerable = 0;
  for (const c of conditions) {
    if (c.fact === "country") locales = c.equals === "BE" ? { "nl-BE": 0.6, "fr-BE": 0.4 } : { "nl-NL": 1 };
    if (c.fact === "late_payments_12m") {
      const n = c.op === "lte" ? 0 : c.value;
      late = Array.from({ length: Math.min(n, 12) + 1 }, (_, i) => (i === Math.min(n, 12) ? 1 : 0));
    }
    if (c.fact === "total_outstanding_cents" && c.op !== "lte") amount = { kind: "lognormal", median_cents: Math.max(100, Math.round(c.value * 1.6)), sigma: 0.3 };
    if (c.fact === "total_outstanding_cents" && c.op === "lte") amount = { kind: "lognormal", median_cents: Math.max(100, Math.round(c.value / 2)), sigma: 0.3, max_cents: Math.max(100, c.value) };
    // Hardship comes from a help request in the simulation; a protected segment is simulated as marked vulnerable.
    if ((c.fact === "vulnerable_flag" || c.fact === "hardship_flag") && c.equals) vulnerable = 1;
  }
  return { locales, late_payments_12m: late, amount, vulnerable };
}

/** The fitted population, or null when the tenant has too little history. */
export function fitPopulation(policy: TenantPolicy, stats: SegmentChannelStats[], debtors: SegmentDebtors[], year: number): PopulationInput | null {
  const total = stats.reduce((s, r) => s + Math.max(0, r.trials), 0);
  if (total < MIN_FIT_TRIALS) return null;
  // A channel a segment never used takes the tenant's rate on it over all segments.
  const pooled = (channel: Channel) => {
    const rows = stats.filter((r) => r.channel === channel);
    const s = rows.reduce((a, r) => a + r.successes, 0);
    const t = rows.reduce((a, r) => a + r.trials, 0);
    return (s + 1) / (t + 2);
  };
  const personas: PersonaInput[] = [];
  // Shares are debtors per segment; a shop whose events are gone (retention) falls back to contacts.
  const byDebtors = debtors.some((d) => d.debtors > 0);
  for (const segment of policy.segments) {
    const rows = stats.filter((r) => r.segment === segment.key);
    const trials = rows.reduce((a, r) => a + r.trials, 0);
    const count = debtors.find((d) => d.segment === segment.key)?.debtors ?? 0;
    if (trials === 0 && count === 0) continue;
    const rate = (channel: Channel) => {
      const r = rows.find((x) => x.channel === channel);
      return r && r.trials > 0 ? (Math.min(r.successes, r.trials) + 1) / (r.trials + 2) : pooled(channel);
    };
    const response = Object.fromEntries(CHANNELS.filter((c) => c !== "banner").map((c) => [c, Number(rate(c).toFixed(4))])) as PersonaInput["response"];
    personas.push({
      key: segment.key,
      description: `Fitted from ${trials} contacts of debtors in segment ${segment.key}.`,
      share: Math.max(byDebtors ? count : trials, 1),
      response,
      response_delay: { kind: "lognormal", median_days: 2, sigma: 0.7 },
      contact_data: { email: 0.98, phone: 0.8, address: 0.95 },
      invoices_per_year: 1.5,
      ...observables(segment.when),
    });
  }
  if (personas.length === 0) return null;
  return {
    name: "Fitted from this shop's outcome history",
    description: "One persona per segment: its share of debtors and its response rate per channel, from the shop's own outcomes in Kindly.",
    year,
    personas,
  };
}
