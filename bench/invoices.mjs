#!/usr/bin/env node
// Benchmark: POST /v1/invoices against a bare route that writes one row to a Durable Object,
// both measured in the same run on the same local workerd (wrangler dev), printed as ratios.
// Usage: npm run bench [-- --requests 2000 --concurrency 16 --debtors 500]
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    debtors: { type: "string", default: "500" },
    port: { type: "string", default: "8799" },
  },
});
const N = Number(values.requests);
const C = Number(values.concurrency);
const DEBTORS = Number(values.debtors);
const base = `http://127.0.0.1:${values.port}`;
const state = mkdtempSync(join(tmpdir(), "kindly-bench-"));
const quiet = { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } };

function wrangler(args) {
  const r = spawnSync("npx", ["wrangler", ...args, "--persist-to", state], quiet);
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
}

// A tenant and key for this run, stored hashed like any other.
const key = "kind_test_" + randomBytes(24).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 32).padEnd(32, "x");
const hash = createHash("sha256").update(key).digest("hex");
wrangler(["d1", "migrations", "apply", "kindly", "--local"]);
wrangler(["d1", "execute", "kindly", "--local", "--command",
  `INSERT INTO tenants (id, name, display_name, country, created_at) VALUES ('bench', 'bench', 'Bench Shop', 'NL', 0);
   INSERT INTO api_keys (id, tenant_id, prefix, hash, created_at) VALUES ('key_bench', 'bench', 'kind_test_', '${hash}', 0);`]);

const server = spawn("npx", ["wrangler", "dev", "--port", values.port, "--ip", "127.0.0.1", "--persist-to", state, "--var", "KINDLY_BENCH:on", "--var", "KINDLY_ENV:production"], { ...quiet, detached: true });
const stop = () => { try { process.kill(-server.pid, "SIGTERM"); } catch {} rmSync(state, { recursive: true, force: true }); };
process.on("SIGINT", () => { stop(); process.exit(130); });

async function waitReady() {
  for (let i = 0; i < 240; i++) {
    try { if ((await fetch(base + "/")).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("wrangler dev did not start");
}

const today = new Date().toISOString().slice(0, 10);
function invoice(i) {
  return JSON.stringify({
    merchant_invoice_id: `B-${i}-${randomBytes(4).toString("hex")}`,
    debtor: { id: `cust-${i % DEBTORS}`, name: "Bench Debtor", email: `d${i % DEBTORS}@example.nl`, locale: "nl-NL", time_zone: "Europe/Amsterdam" },
    amount_cents: 1000 + (i % 5000), currency: "EUR", issue_date: today, due_date: today, pay_url: "https://shop.example/pay",
  });
}

async function run(label, makeRequest) {
  const latencies = [];
  let next = 0, errors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < N) {
      const i = next++;
      const s = performance.now();
      const res = await makeRequest(i);
      await res.arrayBuffer();
      if (!res.ok) errors++;
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { label, rps: N / seconds, p50: pct(0.5), p99: pct(0.99), errors };
}

try {
  await waitReady();
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  // Warm both paths (first DO creation, module compile) before measuring.
  await run("warm-up", (i) => fetch(`${base}/bench/do-write/w${i % 50}`, { method: "POST" }));
  // Each side creates its own DEBTORS fresh objects, so neither pays for the other's creation.
  const baseline = await run("bare DO write", (i) => fetch(`${base}/bench/do-write/base-${i % DEBTORS}`, { method: "POST" }));
  const kindly = await run("POST /v1/invoices", (i) => fetch(`${base}/v1/invoices`, { method: "POST", headers: { ...headers, "idempotency-key": `bench-${i}` }, body: invoice(i) }));
  const fmt = (r) => `${r.label.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}`;
  console.log(`\n${N} requests, concurrency ${C}, ${DEBTORS} debtors, local workerd (wrangler dev)\n`);
  console.log(fmt(baseline));
  console.log(fmt(kindly));
  console.log(`\nratio (invoices / baseline): throughput ${(kindly.rps / baseline.rps).toFixed(2)}x, p50 ${(kindly.p50 / baseline.p50).toFixed(2)}x, p99 ${(kindly.p99 / baseline.p99).toFixed(2)}x`);
  if (baseline.errors || kindly.errors) process.exitCode = 1;
} finally {
  stop();
}
