#!/usr/bin/env node
// Benchmark: dispatch throughput. Thousands of debtors fall due at once (the development clock
// moves past their first step); the sweep wakes their DebtorDOs, each decides its step and, in
// sandbox delivery mode (development's default), renders and keeps it in the sandbox outbox in
// the same run, inside its exclusive section (live rows go through the paced queue). Measured: reminders per second end to end, against the same number of
// bare Durable Object writes in the same run (the cheapest thing one object can do per debtor).
// Usage: node bench/dispatch.mjs [-- --debtors 2000 --concurrency 16]
import { parseArgs } from "node:util";
import { fmt, invoiceFor, measure, pool, startKindly } from "./lib.mjs";

const { values } = parseArgs({ options: { debtors: { type: "string", default: "2000" }, concurrency: { type: "string", default: "16" }, port: { type: "string", default: "8797" } } });
const D = Number(values.debtors), C = Number(values.concurrency);
const k = await startKindly({ port: Number(values.port), vars: { KINDLY_ENV: "development" }, name: "kindly-bench-dispatch" });
const stats = async () => (await fetch(`${k.base}/dev/stats`)).json();
try {
  await pool(D, C, (i) => k.api("POST", "/v1/invoices", invoiceFor(`due-${i}`, -1)));
  const baseline = await measure("bare DO write", D, C, (i) => fetch(`${k.base}/bench/do-write/base-${i}`, { method: "POST" }));

  const before = (await stats()).reminders_sent;
  const t0 = performance.now();
  const advance = fetch(`${k.base}/dev/clock/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ days: 3, at: "13:00" }) });
  let sent = 0;
  const deadline = Date.now() + 15 * 60_000;
  while (sent < D && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    sent = (await stats()).reminders_sent - before;
  }
  await advance;
  const seconds = (performance.now() - t0) / 1000;
  const rps = sent / seconds;
  console.log(`\n${D} debtors due at once, local workerd (wrangler dev), sandbox email\n`);
  console.log(fmt(baseline));
  console.log(`${"reminders decided + sent".padEnd(34)} ${rps.toFixed(0).padStart(6)} /s      ${sent} of ${D} in ${seconds.toFixed(1)} s`);
  console.log(`\nratio (reminders per second / bare DO writes per second): ${(rps / baseline.rps).toFixed(2)}x`);
  if (sent < D) process.exitCode = 1;
} finally {
  k.stop();
}
