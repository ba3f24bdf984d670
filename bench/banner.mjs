#!/usr/bin/env node
// Benchmark: GET /v1/banner, measured in one run on one local workerd (wrangler dev) against
// two baselines, printed as ratios:
//   - a customer with nothing open  vs  the bare hello route (GET /): the fast path should cost
//     a token check and one KV read, and never wake a Durable Object;
//   - a customer with open invoices vs  a bare Durable Object read (/bench/do-read/:name): the
//     banner adds the token check, the KV read and the rendering to one DO round trip.
// Loopback only: wrangler dev listens on 127.0.0.1 with its own temporary state.
// Usage: node bench/banner.mjs [--requests 2000 --concurrency 16 --debtors 200]
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
    debtors: { type: "string", default: "200" },
    port: { type: "string", default: "8798" },
  },
});
const N = Number(values.requests);
const C = Number(values.concurrency);
const DEBTORS = Number(values.debtors);
const base = `http://127.0.0.1:${values.port}`;
const state = mkdtempSync(join(tmpdir(), "kindly-bench-banner-"));
const quiet = { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } };

function wrangler(args) {
  const r = spawnSync("npx", ["wrangler", ...args, "--persist-to", state], quiet);
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
}

// A tenant and key for this run, stored hashed like any other; a banner secret for this run only.
const key = "kind_test_" + randomBytes(24).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 32).padEnd(32, "x");
const hash = createHash("sha256").update(key).digest("hex");
const bannerSecret = randomBytes(32).toString("hex");
wrangler(["d1", "migrations", "apply", "kindly", "--local"]);
wrangler(["d1", "execute", "kindly", "--local", "--command",
  `INSERT INTO tenants (id, name, display_name, country, created_at) VALUES ('bench', 'bench', 'Bench Shop', 'NL', 0);
   INSERT INTO api_keys (id, tenant_id, prefix, hash, created_at) VALUES ('key_bench', 'bench', 'kind_test_', '${hash}', 0);`]);

const server = spawn("npx", ["wrangler", "dev", "--port", values.port, "--ip", "127.0.0.1", "--persist-to", state,
  "--var", "KINDLY_BENCH:on", "--var", "KINDLY_ENV:production", "--var", `BANNER_SIGNING_SECRET:${bannerSecret}`], { ...quiet, detached: true });
const stop = () => { try { process.kill(-server.pid, "SIGTERM"); } catch {} rmSync(state, { recursive: true, force: true }); };
process.on("SIGINT", () => { stop(); process.exit(130); });

async function waitReady() {
  for (let i = 0; i < 240; i++) {
    try { if ((await fetch(base + "/")).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("wrangler dev did not start");
}

const merchant = { "content-type": "application/json", authorization: `Bearer ${key}` };
const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

async function api(method, path, body) {
  const res = await fetch(base + path, { method, headers: merchant, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function registerInvoice(debtorId) {
  return api("POST", "/v1/invoices", {
    merchant_invoice_id: `BB-${debtorId}-${randomBytes(4).toString("hex")}`,
    debtor: { id: debtorId, name: "Bench Debtor", email: `${debtorId}@example.nl`, locale: "nl-NL", time_zone: "Europe/Amsterdam" },
    amount_cents: 4995, currency: "EUR", issue_date: day(-15), due_date: day(-1), pay_url: "https://shop.example/pay",
  });
}

/** A banner token minted through the API, as a merchant backend would. */
async function mintToken(debtorId) {
  return (await api("POST", `/v1/debtors/${debtorId}/banner-token`, { ttl_seconds: 3600 })).token;
}

/** Runs `count` tasks with at most C in flight. */
async function pool(count, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(C, count) }, async () => { while (next < count) await task(next++); }));
}

async function run(label, expectStatus, makeRequest) {
  const latencies = [];
  let next = 0, errors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < N) {
      const i = next++;
      const s = performance.now();
      const res = await makeRequest(i);
      await res.arrayBuffer();
      if (res.status !== expectStatus) errors++;
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { label, rps: N / seconds, p50: pct(0.5), p99: pct(0.99), errors };
}

const fmt = (r) => `${r.label.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}`;
const ratio = (a, b) => `throughput ${(a.rps / b.rps).toFixed(2)}x, p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x`;
const banner = (token, headers = {}) => fetch(`${base}/v1/banner`, { headers: { authorization: `Bearer ${token}`, ...headers } });

try {
  await waitReady();
  // Seed: DEBTORS customers with an open invoice, DEBTORS whose only invoice was cancelled
  // (known to the tenant, so a token can be minted, but nothing open).
  const open = Array.from({ length: DEBTORS }, (_, i) => `open-${i}`);
  const closed = Array.from({ length: DEBTORS }, (_, i) => `closed-${i}`);
  await pool(DEBTORS, (i) => registerInvoice(open[i]));
  await pool(DEBTORS, async (i) => { const inv = await registerInvoice(closed[i]); await api("POST", `/v1/invoices/${inv.id}/cancel`, { reason: "credit_note" }); });
  const openTokens = [], closedTokens = [];
  await pool(DEBTORS, async (i) => { openTokens[i] = await mintToken(open[i]); closedTokens[i] = await mintToken(closed[i]); });

  // Preconditions, so a half-wired build fails loudly instead of printing flattering numbers.
  const closedStatus = (await banner(closedTokens[0])).status;
  if (closedStatus !== 204) throw new Error(`GET /v1/banner for a customer with nothing open answered ${closedStatus}, not 204`);
  const openProbe = await banner(openTokens[0]);
  const openReady = openProbe.status === 200;
  const etag = openProbe.headers.get("etag");
  const doRead = await fetch(`${base}/bench/do-read/probe`);
  const doReadReady = doRead.ok;

  // Warm both paths (module compile, first object creation) before measuring.
  await run("warm-up", 200, (i) => fetch(`${base}/`));
  await run("warm-up", 204, (i) => banner(closedTokens[i % DEBTORS]));

  const results = [];
  const hello = await run("bare hello (GET /)", 200, () => fetch(`${base}/`));
  const none = await run("GET /v1/banner, nothing open", 204, (i) => banner(closedTokens[i % DEBTORS]));
  results.push(hello, none);

  let doBase = null, some = null, notModified = null;
  if (openReady && doReadReady) {
    // The baseline reads objects that exist, like the banner's debtors do.
    await pool(DEBTORS, (i) => fetch(`${base}/bench/do-write/read-${i}`, { method: "POST" }).then((r) => r.arrayBuffer()));
    await run("warm-up", 200, (i) => banner(openTokens[i % DEBTORS]));
    doBase = await run("bare DO read", 200, (i) => fetch(`${base}/bench/do-read/read-${i % DEBTORS}`));
    some = await run("GET /v1/banner, open invoices", 200, (i) => banner(openTokens[i % DEBTORS]));
    // Every open debtor here has the same data shape, but ETags differ per debtor: use each one's own.
    const etags = [];
    await pool(DEBTORS, async (i) => { etags[i] = (await banner(openTokens[i])).headers.get("etag"); });
    notModified = await run("GET /v1/banner, open, 304", 304, (i) => banner(openTokens[i % DEBTORS], { "if-none-match": etags[i % DEBTORS] ?? "" }));
    results.push(doBase, some, notModified);
  }

  console.log(`\n${N} requests, concurrency ${C}, ${DEBTORS} debtors per side, local workerd (wrangler dev)\n`);
  for (const r of results) console.log(fmt(r));
  console.log(`\nratio (nothing open / bare hello):  ${ratio(none, hello)}`);
  if (some && doBase && notModified) {
    console.log(`ratio (open / bare DO read):        ${ratio(some, doBase)}`);
    console.log(`ratio (open 304 / bare DO read):    ${ratio(notModified, doBase)}`);
  } else {
    if (!openReady) console.log(`\nopen-invoice half skipped: GET /v1/banner for an open debtor answered ${openProbe.status}, not 200 (is the DebtorDO's bannerView wired and does it call setBannerIndex?)`);
    if (!doReadReady) console.log(`open-invoice half skipped: the bare DO read baseline /bench/do-read/:name answered ${doRead.status}`);
    if (openReady && !etag) console.log("note: the open banner carried no ETag");
    process.exitCode = 2;
  }
  if (results.some((r) => r.errors)) process.exitCode = 1;
} finally {
  stop();
}
