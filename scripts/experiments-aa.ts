/**
 * `npm run experiments:aa [-- --runs 2000]`: how often Kindly's experiments declare a winner when
 * there is none, looked at every day, through the same decision code the watcher runs
 * (scripts/experiment-simulation.ts): two and three identical variants, and the guardrail's false
 * stops with identical complaint rates; then, for contrast, how often and how fast a planted lift
 * is found. Each line gives the share with its 95% margin.
 */
import "./node-globals";
import { parseArgs } from "node:util";
import { shareOf, simulate, type SimulationSettings } from "./experiment-simulation";

const { values } = parseArgs({ options: { runs: { type: "string", default: "2000" } } });
const runs = Number(values.runs);
const base: Omit<SimulationSettings, "rates" | "complaintRates" | "seed"> = { perVariantPerDay: 20, enrolDays: 30, windowDays: 14, mde: 0.05, alpha: 0.05 };
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const line = (label: string, r: { share: number; se: number; hits: number }) => console.log(`${label.padEnd(64)} ${pct(r.share).padStart(7)} ± ${pct(1.96 * r.se)}  (${r.hits} of ${runs})`);

console.log(`${runs} simulated experiments each: 20 debtors per variant a day for 30 days, a 14-day window, looked at every day (44 looks), alpha 0.05, tau = mde = 0.05\n`);
const t0 = Date.now();
line("A/A, 2 identical variants (30%): a winner declared", shareOf(runs, (i) => simulate({ ...base, rates: [0.3, 0.3], complaintRates: [0, 0], seed: `aa2-${i}` }).firstVerdictDay !== null));
line("A/A, 3 identical variants (30%): any variant declared", shareOf(runs, (i) => simulate({ ...base, rates: [0.3, 0.3, 0.3], complaintRates: [0, 0, 0], seed: `aa3-${i}` }).firstVerdictDay !== null));
line("A/A guardrail, identical 1% complaints: a variant stopped", shareOf(runs, (i) => simulate({ ...base, rates: [0.3, 0.3], complaintRates: [0.01, 0.01], seed: `aag-${i}` }).firstStopDay !== null));
const days: number[] = [];
line("Planted lift 30% -> 38%: found, in the right direction", shareOf(runs, (i) => {
  const o = simulate({ ...base, rates: [0.3, 0.38], complaintRates: [0, 0], seed: `ab-${i}` });
  if (o.firstVerdictDay !== null) days.push(o.firstVerdictDay);
  return o.verdicts.v1 === "better";
}));
days.sort((a, b) => a - b);
console.log(`${"  days from the start to the decision, median (quartiles)".padEnd(64)} ${days[Math.floor(days.length / 2)]} (${days[Math.floor(days.length / 4)]}-${days[Math.floor((3 * days.length) / 4)]})`);
console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s`);
