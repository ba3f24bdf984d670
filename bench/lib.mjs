// Shared by the benchmarks: start Kindly on local workerd (wrangler dev, its own temporary state,
// loopback only), seed a tenant whose API key is stored hashed like any other, and measure.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const quiet = { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } };

/** Starts Kindly with `vars` on 127.0.0.1:`port` and seeds tenant "bench". Call `stop()` at the end. */
export async function startKindly({ port, vars = {}, name = "kindly-bench" }) {
  const state = mkdtempSync(join(tmpdir(), `${name}-`));
  const wrangler = (args) => {
    const r = spawnSync("npx", ["wrangler", ...args, "--persist-to", state], quiet);
    if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
  };
  /** Creates tenant `id` with a fresh API key, stored hashed like any other; returns the key. */
  const seedTenant = (id) => {
    const key = "kind_test_" + randomBytes(24).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 32).padEnd(32, "x");
    const hash = createHash("sha256").update(key).digest("hex");
    wrangler(["d1", "execute", "kindly", "--local", "--command",
      `INSERT INTO tenants (id, name, display_name, country, created_at) VALUES ('${id}', '${id}', 'Bench Shop', 'NL', 0);
       INSERT INTO api_keys (id, tenant_id, prefix, hash, created_at) VALUES ('key_${id}', '${id}', 'kind_test_', '${hash}', 0);`]);
    return key;
  };
  /** Rows of a read-only SQL query against the local D1 database (for checks after a run). */
  const d1 = (sql) => {
    const r = spawnSync("npx", ["wrangler", "d1", "execute", "kindly", "--local", "--persist-to", state, "--json", "--command", sql], { ...quiet, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`wrangler d1 execute failed: ${sql}`);
    return JSON.parse(r.stdout.toString()).flatMap((result) => result.results);
  };
  wrangler(["d1", "migrations", "apply", "kindly", "--local"]);
  const key = seedTenant("bench");
  const varArgs = Object.entries({ KINDLY_BENCH: "on", KINDLY_ENV: "production", ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const server = spawn("npx", ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, ...varArgs], { ...quiet, detached: true });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  /** Stops wrangler dev and removes its state once it has exited (it writes until then). */
  const stop = async () => {
    try { process.kill(-server.pid, "SIGTERM"); } catch {}
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    rmSync(state, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  process.on("SIGINT", () => { stop(); process.exit(130); });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(base + "/")).ok) break; } catch {}
    if (i > 240) { stop(); throw new Error("wrangler dev did not start"); }
    await new Promise((r) => setTimeout(r, 250));
  }
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  /** A merchant API call; throws on a non-2xx answer. */
  const api = async (method, path, body, extra = {}) => {
    const res = await fetch(base + path, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { base, key, headers, api, stop, seedTenant, d1 };
}

/** A calendar day `offset` days from today (UTC). */
export const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

/** An invoice body for `debtorId`, due `dueOffset` days from today. */
export function invoiceFor(debtorId, dueOffset, extra = {}) {
  return {
    merchant_invoice_id: `B-${debtorId}-${randomBytes(4).toString("hex")}`,
    debtor: { id: debtorId, name: "Bench Debtor", email: `${debtorId}@example.nl`, locale: "nl-NL", time_zone: "Europe/Amsterdam" },
    amount_cents: 4995, currency: "EUR", issue_date: day(dueOffset - 14), due_date: day(dueOffset), pay_url: "https://shop.example/pay",
    ...extra,
  };
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function pool(count, concurrency, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => { while (next < count) await task(next++); }));
}

/** Sends `n` requests, `concurrency` at a time; throughput and latency percentiles. */
export async function measure(label, n, concurrency, makeRequest, expectStatus = (s) => s >= 200 && s < 300) {
  const latencies = [];
  let next = 0, errors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      const res = await makeRequest(i);
      await res.arrayBuffer();
      if (!expectStatus(res.status)) errors++;
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { label, rps: n / seconds, p50: pct(0.5), p99: pct(0.99), errors };
}

export const fmt = (r) => `${r.label.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}`;
export const ratio = (a, b) => `throughput ${(a.rps / b.rps).toFixed(2)}x, p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x`;
