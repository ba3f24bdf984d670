/**
 * Which segment (and so which ladder and tone) a debtor falls in. The first matching segment
 * wins, so tenants list the most protective segments (vulnerable, hardship) first.
 */
import type { Segment, SegmentCondition, TenantPolicy } from "./policy-schema";

/** What segment conditions can test, gathered by the DebtorDO from its own state. */
export interface SegmentFacts {
  late_payments_12m: number;
  total_outstanding_cents: number;
  hardship_flag: boolean;
  vulnerable_flag: boolean;
  country: "NL" | "BE";
  first_invoice: boolean;
}

const OP_TEXT = { eq: "=", gte: ">=", lte: "<=" } as const;
const euro = (cents: number) => `EUR ${(cents / 100).toFixed(2)}`;

function compare(actual: number, op: "eq" | "gte" | "lte", value: number): boolean {
  if (op === "eq") return actual === value;
  return op === "gte" ? actual >= value : actual <= value;
}

/** The reason text when a condition holds, or null when it does not. */
function holds(c: SegmentCondition, f: SegmentFacts): string | null {
  switch (c.fact) {
    case "late_payments_12m":
      return compare(f.late_payments_12m, c.op, c.value) ? `late payments in 12 months: ${f.late_payments_12m} ${OP_TEXT[c.op]} ${c.value}` : null;
    case "total_outstanding_cents":
      return compare(f.total_outstanding_cents, c.op, c.value)
        ? `total outstanding ${euro(f.total_outstanding_cents)} ${OP_TEXT[c.op]} ${euro(c.value)}`
        : null;
    case "hardship_flag":
    case "vulnerable_flag": {
      const name = c.fact === "hardship_flag" ? "hardship" : "vulnerable";
      return f[c.fact] === c.equals ? `${name} flag is ${c.equals ? "set" : "not set"}` : null;
    }
    case "country":
      return f.country === c.equals ? `country is ${c.equals}` : null;
    case "first_invoice":
      return f.first_invoice === c.equals ? (c.equals ? "first invoice with this shop" : "not the first invoice") : null;
  }
}

/** The first segment whose conditions all hold, with the reasons in plain words. */
export function chooseSegment(policy: TenantPolicy, facts: SegmentFacts): { segment: Segment; matched: string[] } {
  for (const segment of policy.segments) {
    const reasons = segment.when.map((c) => holds(c, facts));
    const matched = reasons.filter((r): r is string => r !== null);
    if (matched.length === reasons.length) {
      return { segment, matched: matched.length > 0 ? matched : ["catch-all segment: no conditions"] };
    }
  }
  // parsePolicy guarantees a catch-all last segment; reaching here means an unparsed policy.
  throw new Error("policy has no catch-all segment; validate it with parsePolicy first");
}
