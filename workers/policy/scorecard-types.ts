/** The scorecard's types and its one grading rule (scorecard.ts explains the whole). */
import type { AccountProfile } from "../account-profile";
import type { TenantPolicy } from "./policy-schema";

/** Meetlat positions: hekkensluiter, goed op weg, koploper. */
export const LEVELS = ["laggard", "on_the_way", "frontrunner"] as const;
export type Level = (typeof LEVELS)[number];
/** The meetlat's four themes: the vision comes first, policy, execution and preconditions follow from it. */
export const THEMES = ["vision", "policy", "execution", "preconditions"] as const;
export type Theme = (typeof THEMES)[number];
export type Basis = "setting" | "built_in" | "self_assessed";
export type Hint = "low" | "medium" | "high";

/** What a graded criterion looks at: the live policy and the account profile. */
export interface ScoreInput {
  policy: TenantPolicy;
  profile: AccountProfile;
  contactEmail: string | null;
}

/** A grade: the position, why, and what would move it up (null at the top). */
export interface Verdict {
  level: Level;
  why: string;
  to_improve: string | null;
}

/** One criterion as defined: its words, its basis and (unless self-assessed) how it is graded. */
export interface CriterionDefinition {
  key: string;
  theme: Theme;
  title: string;
  /** Each position in words, so a tenant can place itself. */
  positions: Record<Level, string>;
  basis: Basis;
  /** The settings (policy.x, account.x) or the code a grade is read from; empty when self-assessed. */
  reads: string[];
  /** The action that moves the criterion up: how feasible, how much social impact. */
  action: { feasibility: Hint; social_impact: Hint };
  judge?: (input: ScoreInput) => Verdict;
  /** For self-assessed criteria: the step that moves a tenant up, in words. */
  advice?: string;
}

/** What the tenant said about a criterion: its position (self-assessed only) and ambitions per year. */
export interface SelfAssessment {
  position: Level | null;
  ambitions: Record<string, Level>;
  note: string | null;
  updated_at: string;
}

/** One criterion in the scorecard. */
export interface Criterion {
  key: string;
  title: string;
  basis: Basis;
  /** False for self-assessed criteria: Kindly cannot see them. */
  influenced_by_kindly: boolean;
  /** Graded position; for self-assessed ones the tenant's stated position (or null). */
  level: Level | null;
  positions: Record<Level, string>;
  why: string;
  to_improve: string | null;
  reads: string[];
  action: { feasibility: Hint; social_impact: Hint };
  self_assessment: SelfAssessment | null;
}

/** The whole scorecard. */
export interface Scorecard {
  /** Over the graded criteria only (setting and built-in). */
  overall: Level;
  graded_count: number;
  self_assessed_count: number;
  themes: { theme: Theme; criteria: Criterion[] }[];
}

/** A finding that keeps a criterion below frontrunner: the position it allows, why, and the fix. */
export type Finding = { level: Exclude<Level, "frontrunner">; why: string; fix: string } | false;

/** The worst finding sets the level; every finding contributes its reason and its fix. */
export function judge(findings: Finding[], goodWhy: string): Verdict {
  const found = findings.filter((f): f is Exclude<Finding, false> => f !== false);
  if (found.length === 0) return { level: "frontrunner", why: goodWhy, to_improve: null };
  const level = found.some((f) => f.level === "laggard") ? "laggard" : "on_the_way";
  return { level, why: found.map((f) => f.why).join(" "), to_improve: found.map((f) => f.fix).join("; ") };
}

