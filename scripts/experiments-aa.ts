/**
 * `npm run experiments:aa [-- --runs 2000]`: how often Kindly's experiments declare a winner when
 * there is none, looked at every day, through the same decision code the watcher runs
 * (scripts/experiment-simulation.ts): two and three identical variants, and the guardrail's false
 * stops with identical complaint rates; then, for contrast, how often and how fast a planted lift
 * is found, and the same for the shape of the end-to-end journey. Each line gives the share with its
 * 95% margin.
 */
import "./node-globals";
import { parseArgs } from "node:util";
import { shareOf, simulate, type SimulationSettings } from "./experiment-simulation";

const { values } = parseArgs({ options: { runs: { type: "string", default: "2000" } } });
const runs = Number(values.runs);
const base: Omit<SimulationSettings, "rates" | "complaintRates" | "seed"> = { perVariantPerDay: 20, enrolDays: 30, windowDays: 14, mde: 0.05, alpha: 0.05 };
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const line = (label: string, r: { share: number; se: number; hits: number }) => console.log(`${label.padEnd(70)} ${pct(r.share).padStart(7)} ± ${pct(1.96 * r.se)}  (${r.hits} of ${runs})`);

console.log(`${runs} simulated experiments each: 20 debtors per variant a day for 30 days, a 14-day window, looked at every day (44 looks), alpha 0.05, tau = mde = 0.05\n`);
const t0 = Date.now();
line("A/A, 2 identical variants (30%): a winner declared", shareOf(runs, (i) => simulate({ ...base, rates: [0.3, 0.3], complaintRates: [0, 0], seed: `aa2-${i}` }).firstVerdictDay !== null));
line("A/A, 3 identical variants (30%): any variant declared", shareOf(runs, (i) => simulate({ ...base, rates: [0.3, 0.3, 0.3], complaintRates: [0, 0, 0], seed: `aa3-${i}` }).firstVerdictDay !== null));
line("A/A guardrail, identical 1% complaints: a variant stopped", shareOf(runs, (i) => simulate({ ...base, rates: [0.3, 0.3], complaintRates: [0.01, 0.01], seed: `aag-${i}` }).firstStopDay !== null));
const days: number[] = [];
let wrong = 0;
line("Planted lift 30% -> 38%: found, in the right direction", shareOf(runs, (i) => {
  const o = simulate({ ...base, rates: [0.3, 0.38], complaintRates: [0, 0], seed: `ab-${i}` });
  if (o.firstVerdictDay !== null) days.push(o.firstVerdictDay);
  if (o.verdicts.v1 === "worse") wrong++;
  return o.verdicts.v1 === "better";
}));
console.log(`${"  declared worse (the wrong direction)".padEnd(70)} ${wrong}`);
days.sort((a, b) => a - b);
console.log(`${"  days from the start to the decision, median (quartiles)".padEnd(70)} ${days[Math.floor(days.length / 2)]} (${days[Math.floor(days.length / 4)]}-${days[Math.floor((3 * days.length) / 4)]})`);
// The shape of `npm run experiments:journey` (300 debtors over 10 days, a 5-day window, mde 0.15,
// 30% -> 50%): how often and how fast the decision code finds its planted effect, over many runs.
const journeyDays: number[] = [];
line("Journey-shaped, 30% -> 50%, 15 a day per variant for 10 days: found", shareOf(runs, (i) => {
  const o = simulate({ perVariantPerDay: 15, enrolDays: 10, windowDays: 5, mde: 0.15, alpha: 0.05, rates: [0.3, 0.5], complaintRates: [0, 0], seed: `journey-${i}` });
  if (o.firstVerdictDay !== null) journeyDays.push(o.firstVerdictDay);
  return o.verdicts.v1 === "better";
}));
journeyDays.sort((a, b) => a - b);
console.log(`${"  days from the first exposure to the decision, median (quartiles)".padEnd(70)} ${journeyDays[Math.floor(journeyDays.length / 2)]} (${journeyDays[Math.floor(journeyDays.length / 4)]}-${journeyDays[Math.floor((3 * journeyDays.length) / 4)]})`);
console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s`);
