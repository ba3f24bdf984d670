#!/usr/bin/env node
// Benchmark: POST /v1/invoices against a bare route that writes one row to a Durable Object,
// both measured in the same run on the same local workerd (wrangler dev), printed as ratios.
// Usage: npm run bench [-- --requests 2000 --concurrency 16 --debtors 500]
import { parseArgs } from "node:util";
import { fmt, invoiceFor, measure, ratio, startKindly } from "./lib.mjs";

const { values } = parseArgs({
  options: { requests: { type: "string", default: "2000" }, concurrency: { type: "string", default: "16" }, debtors: { type: "string", default: "500" }, port: { type: "string", default: "8799" } },
});
const N = Number(values.requests), C = Number(values.concurrency), DEBTORS = Number(values.debtors);
const k = await startKindly({ port: Number(values.port) });
try {
  // Warm both paths (first DO creation, module compile) before measuring.
  await measure("warm-up", 200, C, (i) => fetch(`${k.base}/bench/do-write/w${i % 50}`, { method: "POST" }));
  // Each side creates its own DEBTORS fresh objects, so neither pays for the other's creation.
  const baseline = await measure("bare DO write", N, C, (i) => fetch(`${k.base}/bench/do-write/base-${i % DEBTORS}`, { method: "POST" }));
  const kindly = await measure("POST /v1/invoices", N, C, (i) =>
    fetch(`${k.base}/v1/invoices`, { method: "POST", headers: { ...k.headers, "idempotency-key": `bench-${i}` }, body: JSON.stringify(invoiceFor(`cust-${i % DEBTORS}`, 0)) }),
  );
  console.log(`\n${N} requests, concurrency ${C}, ${DEBTORS} debtors, local workerd (wrangler dev)\n`);
  console.log(fmt(baseline));
  console.log(fmt(kindly));
  console.log(`\nratio (invoices / baseline): ${ratio(kindly, baseline)}`);
  if (baseline.errors || kindly.errors) process.exitCode = 1;
} finally {
  k.stop();
}
