/**
 * The social-collection scorecard, after the "meetlat sociale incasso" (seed 000): criteria in
 * four themes (vision, policy, execution, preconditions), each with three positions defined in
 * words: hekkensluiter (laggard), goed op weg (on the way), koploper (frontrunner).
 *
 * It credits only what the code does. A criterion is either
 * - "setting": graded from policy or account settings that the product reads (each one names
 *   them in `reads`; test/scorecard-honesty.test.ts moves each setting and sees both the grade
 *   and the product's behaviour move);
 * - "built_in": what Kindly always does, graded by what its code does today (`reads` names it);
 * - "self_assessed": what Kindly cannot observe (a vision, training, complaints handling). It is
 *   never graded; the tenant states its position and its ambition per year
 *   (`PUT /v1/policy/score/self-assessment`).
 * Every criterion carries a feasibility and social-impact hint for the action that moves it up,
 * so a dashboard can plot the action plan. Pure: plain data in, plain data out.
 */
import type { TenantPolicy } from "./policy-schema";
import { GRADED } from "./scorecard-criteria";
import { SELF_ASSESSED } from "./scorecard-self-assessed";
import { type Criterion, type CriterionDefinition, type Level, type Scorecard, type ScoreInput, type SelfAssessment, THEMES, type Verdict } from "./scorecard-types";

export * from "./scorecard-types";

/** Overall: laggard when a quarter or more lag; frontrunner when none lags and 80% lead; else on the way. */
function overallOf(levels: Level[]): Level {
  if (levels.length === 0) return "on_the_way";
  const share = (l: Level) => levels.filter((x) => x === l).length / levels.length;
  if (share("laggard") >= 0.25) return "laggard";
  return share("laggard") === 0 && share("frontrunner") >= 0.8 ? "frontrunner" : "on_the_way";
}

/** Every criterion, graded and self-assessed, in the order of the meetlat's themes. */
export const CRITERIA: CriterionDefinition[] = THEMES.flatMap((t) => [...SELF_ASSESSED, ...GRADED].filter((c) => c.theme === t));

/** Scores the live policy and account profile; `assessed` holds what the tenant said, by criterion key. */
export function scorecard(input: ScoreInput, assessed: Record<string, SelfAssessment> = {}): Scorecard {
  const rows = CRITERIA.map((d): Criterion => {
    const self = assessed[d.key] ?? null;
    const verdict: Verdict = d.judge
      ? d.judge(input)
      : {
          level: self?.position ?? null,
          why: self?.position ? "Your own assessment; Kindly cannot observe this." : "Kindly cannot observe this: state your position and ambition with PUT /v1/policy/score/self-assessment.",
          to_improve: d.advice ?? null,
        } as Verdict;
    return {
      key: d.key,
      title: d.title,
      basis: d.basis,
      influenced_by_kindly: d.basis !== "self_assessed",
      level: verdict.level,
      positions: d.positions,
      why: verdict.why,
      to_improve: verdict.level === "frontrunner" ? null : verdict.to_improve,
      reads: d.reads,
      action: d.action,
      // A graded criterion keeps only the ambitions: its position is Kindly's grade.
      self_assessment: self && d.basis !== "self_assessed" ? { ...self, position: null } : self,
    };
  });
  const graded = rows.filter((r) => r.basis !== "self_assessed");
  return {
    overall: overallOf(graded.map((r) => r.level).filter((l): l is Level => l !== null)),
    graded_count: graded.length,
    self_assessed_count: rows.length - graded.length,
    themes: THEMES.map((theme) => ({ theme, criteria: rows.filter((r) => CRITERIA.find((c) => c.key === r.key)?.theme === theme) })),
  };
}

/** Scores a policy alone (an empty account profile): what the policy itself earns. */
export function scorePolicy(policy: TenantPolicy): Scorecard {
  return scorecard({ policy, profile: {}, contactEmail: null });
}
