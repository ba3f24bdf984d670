/** The simulator's entry for code (tests, the API): all three policies on the same debtors, summarised. */
import type { EngineState } from "../workers/policy/engine-types";
import type { TenantPolicy } from "../workers/policy/policy-schema";
import { summarize, type Summary } from "./metrics";
import { MODES, type PolicyMode } from "./policies";
import type { Population } from "./population";
import type { RunResult } from "./records";
import { runPolicy } from "./simulate";

export interface SimulationInput {
  population: Population;
  policy: TenantPolicy;
  debtors: number;
  seed: string;
  priors?: EngineState["priors"];
  /** Per policy: stop with SimulationTooLarge after this many engine decisions. */
  maxPlans?: number;
}

/** Runs the fixed ladder, Kindly and the oracle in turn and summarises them. */
export function simulate(input: SimulationInput): { summary: Summary; runs: Record<PolicyMode, RunResult> } {
  const entries = MODES.map((mode) => [mode, runPolicy({ ...input, mode })] as const);
  const runs = Object.fromEntries(entries) as Record<PolicyMode, RunResult>;
  return { summary: summarize(input.population, input.policy, runs, input.debtors, input.seed), runs };
}

export { SimulationTooLarge } from "./simulate";
