/**
 * The simulator's command line: reads and validates a population, runs the three policies
 * (each in its own worker thread), and writes report.md, charts/*.svg and summary.json.
 */
import "./node-globals";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { parsePolicy, type TenantPolicy } from "../workers/policy/policy-schema";
import { renderCharts } from "./charts";
import { summarize } from "./metrics";
import { MODES, type PolicyMode } from "./policies";
import { parsePopulation, type Population } from "./population";
import type { RunResult } from "./records";
import { renderReport } from "./report";
import { runPolicy } from "./simulate";

interface Job {
  population: Population;
  policy: TenantPolicy;
  mode: PolicyMode;
  debtors: number;
  seed: string;
}

const USAGE = "usage: npm run simulate -- --population <file.json> [--debtors N] [--seed S] [--out dir] [--policy policy.json]";

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
}

function runInWorker(job: Job): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once("message", (r: RunResult) => resolve(r));
    worker.once("error", reject);
    worker.once("exit", (code) => code !== 0 && reject(new Error(`the ${job.mode} run stopped with exit code ${code}`)));
  });
}

/** Runs the CLI with `argv` (the arguments after `--`). */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { population: { type: "string" }, debtors: { type: "string", default: "10000" }, seed: { type: "string", default: "kindly" }, out: { type: "string", default: "sim-report" }, policy: { type: "string" } } });
  if (!values.population) throw new Error(USAGE);
  const debtors = Number(values.debtors);
  if (!Number.isInteger(debtors) || debtors < 1 || debtors > 5_000_000) throw new Error(`--debtors must be a whole number from 1 to 5,000,000\n${USAGE}`);
  const parsed = parsePopulation(readJson(values.population, "population file"));
  if (!parsed.ok) throw new Error(`the population file is not valid:\n${parsed.problems.map((p) => `  ${p.field || "(root)"}: ${p.message}`).join("\n")}`);
  let policy = DEFAULT_POLICY;
  if (values.policy) {
    const p = parsePolicy(readJson(values.policy, "policy file"));
    if (!p.ok) throw new Error(`the policy file is not valid:\n${p.problems.map((x) => `  ${x.field}: ${x.message}`).join("\n")}`);
    policy = p.policy;
  }
  const seed = values.seed;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const results = await Promise.all(MODES.map((mode) => runInWorker({ population: parsed.population, policy, mode, debtors, seed })));
  const runs = Object.fromEntries(results.map((r) => [r.mode, r])) as Record<PolicyMode, RunResult>;
  const summary = summarize(parsed.population, policy, runs, debtors, seed);
  const out = values.out;
  mkdirSync(join(out, "charts"), { recursive: true });
  writeFileSync(join(out, "report.md"), renderReport(summary));
  for (const [name, svg] of Object.entries(await renderCharts(summary))) writeFileSync(join(out, "charts", name), svg);
  writeFileSync(join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  const used = process.cpuUsage(cpu);
  const plans = results.reduce((s, r) => s + r.plans, 0);
  const g = summary.gap;
  const pct = (x: number | null) => (x === null ? "n/a" : `${(100 * x).toFixed(1)}%`);
  console.log(`${debtors} debtors, ${summary.overall.kindly.invoices} invoices (Kindly), ${plans} engine decisions`);
  console.log(`gap closed: cost per paid ${pct(g.costPerPaid)}, paid rate ${pct(g.paid)}; paid fixed ${pct(summary.overall.fixed.paid)} kindly ${pct(summary.overall.kindly.paid)} oracle ${pct(summary.overall.oracle.paid)}`);
  console.log(`wall ${((performance.now() - wall) / 1000).toFixed(1)} s, CPU ${((used.user + used.system) / 1e6).toFixed(1)} s; report in ${join(out, "report.md")}`);
}

if (!isMainThread && parentPort) {
  parentPort.postMessage(runPolicy(workerData as Job));
}
