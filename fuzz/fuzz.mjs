#!/usr/bin/env node
// HTTP fuzzing of Kindly on local workerd (wrangler dev, loopback only, its own temporary state),
// driven by its own /openapi.json: valid and mutated bodies, headers, methods, paths and tokens.
// Every answer must be below 500, every 4xx a problem+json body; afterwards every stored invoice
// and debtor is read back and must be exactly what the last acknowledged request left (no partial
// writes, nothing lost, no tenant sees another's data).
// Usage: npm run fuzz [-- --requests 100000 --concurrency 16 --seed 1 --max-seconds 5400]
// The run is bounded in count and in time: it stops sending at --max-seconds and still reads back.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { startKindly } from "../bench/lib.mjs";
import { readBack } from "./readback.mjs";
import { HOSTILE_PATHS, NASTY, encodeSegment, fillPath, mutateBody, operationsOf, rng, schemaFaker, validInvoice } from "./requests.mjs";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "16" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    port: { type: "string", default: "8797" },
    "max-seconds": { type: "string", default: "5400" },
  },
});
const N = Number(values.requests), C = Number(values.concurrency), SEED = Number(values.seed), MAX_MS = Number(values["max-seconds"]) * 1000;
const r = rng(SEED);
const secret = () => randomBytes(32).toString("hex");
const started = performance.now();
const k = await startKindly({ port: Number(values.port), name: "kindly-fuzz", vars: { BANNER_SIGNING_SECRET: secret(), LINK_SIGNING_SECRET: secret() } });

// Two tenants: every id of one is probed with the other's key.
const keys = { bench: k.key, other: k.seedTenant("other") };
const doc = await (await fetch(`${k.base}/openapi.json`)).json();
const ops = operationsOf(doc).filter((op) => !op.path.startsWith("/dev/"));
const fake = schemaFaker(doc, SEED);

/** What the fuzzer knows was acknowledged, per tenant: invoices (last 2xx answer) and debtors. */
const model = { invoices: new Map(), debtors: new Map(), invoiceIds: { bench: [], other: [] }, bannerTokens: [], idempotencyKeys: [] };
const histogram = new Map();
const violations = [];
const locks = new Set();

function violation(what, req, res, body) {
  if (violations.length < 200) violations.push({ what, method: req.method, path: req.path, status: res?.status, body: String(body ?? "").slice(0, 300) });
  else violations.length++;
}

let requestsSent = 0;

/** Sends one request and checks the answer's shape; returns { status, json } . */
async function send(req) {
  requestsSent++;
  // fetch() sends only Latin-1 header values without NUL, CR or LF; anything else becomes "?".
  const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value).replace(/[^\x20-\x7e\xa0-\xff\t]/g, "?")]));
  let res, text;
  try {
    res = await fetch(k.base + req.path, { method: req.method, headers, body: req.body, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    text = await res.text();
  } catch (error) {
    histogram.set("error", (histogram.get("error") ?? 0) + 1);
    violation(`no answer: ${error.message}`, req);
    return { status: 0, json: null };
  }
  histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch {}
  if (res.status >= 500) violation("5xx", req, res, text);
  else if (res.status >= 400 && req.method !== "HEAD" && !(HTML_PAGES.test(req.path) && (res.headers.get("content-type") ?? "").startsWith("text/html"))) {
    const type = res.headers.get("content-type") ?? "";
    const ok = type.startsWith("application/problem+json") && json && typeof json.type === "string" && typeof json.title === "string" && json.status === res.status && typeof json.code === "string";
    if (!ok) violation("4xx without a problem+json body", req, res, text);
  }
  return { status: res.status, json, headers: res.headers };
}

// Pages for people (the debtor's own page, the sandbox, the API reference) answer errors in HTML.
const HTML_PAGES = /^\/(d|sandbox|docs)(\/|$|\?)/;

const auth = (tenant) => ({ authorization: `Bearer ${keys[tenant]}` });
const jsonHeaders = (tenant) => ({ ...auth(tenant), "content-type": "application/json" });
const tenantOf = () => (r.chance(0.9) ? "bench" : "other");
const debtorIdFor = (tenant) => `${tenant === "bench" ? "d" : "o"}-${r.int(1, 400)}`;
const idemKey = () => {
  if (model.idempotencyKeys.length && r.chance(0.05)) return r.pick(model.idempotencyKeys);
  const key = `fz-${randomBytes(6).toString("hex")}`;
  if (model.idempotencyKeys.length < 2000) model.idempotencyKeys.push(key);
  return key;
};
/** A known invoice of `tenant` that no other request is changing, locked until `release`. */
function lockInvoice(tenant) {
  const pool = model.invoiceIds[tenant];
  for (let i = 0; i < 5 && pool.length; i++) {
    const inv = model.invoices.get(r.pick(pool));
    if (inv && !locks.has(inv.ack.id) && !locks.has(`${tenant}:${inv.ack.debtor_id}`)) { locks.add(inv.ack.id); return inv; }
  }
  return null;
}
function lockDebtor(tenant, id) {
  const key = `${tenant}:${id}`;
  if (locks.has(key)) return null;
  locks.add(key);
  return key;
}
function recordInvoice(tenant, answer) {
  if (answer.status !== 200 && answer.status !== 201) return;
  const inv = answer.json;
  const known = model.invoices.get(inv.id);
  if (!known) model.invoiceIds[tenant].push(inv.id);
  model.invoices.set(inv.id, { tenant, ack: inv });
  const debtorKey = `${tenant}:${inv.debtor_id}`;
  if (!model.debtors.has(debtorKey)) model.debtors.set(debtorKey, { tenant, id: inv.debtor_id, flags: null });
}

// One request of each kind; the weights give the mix.
const kinds = [
  [22, async function registerValid() {
    const tenant = tenantOf();
    const repeat = model.invoiceIds[tenant].length && r.chance(0.15) ? lockInvoice(tenant) : null;
    const debtorId = repeat ? repeat.ack.debtor_id : debtorIdFor(tenant);
    const debtorLock = repeat ? null : lockDebtor(tenant, debtorId);
    if (!repeat && !debtorLock) return;
    try {
      const body = repeat ? validInvoice(r, debtorId, repeat.ack.merchant_invoice_id) : validInvoice(r, debtorId, `M-${randomBytes(5).toString("hex")}`);
      if (repeat && r.chance(0.5)) Object.assign(body, { amount_cents: repeat.ack.amount_cents, issue_date: repeat.ack.issue_date, due_date: repeat.ack.due_date, pay_url: repeat.ack.pay_url });
      const headers = jsonHeaders(tenant);
      if (r.chance(0.5)) headers["idempotency-key"] = idemKey();
      const answer = await send({ method: "POST", path: "/v1/invoices", headers, body: JSON.stringify(body) });
      recordInvoice(tenant, answer);
    } finally {
      if (repeat) locks.delete(repeat.ack.id);
      if (debtorLock) locks.delete(debtorLock);
    }
  }],
  [8, async function registerFromSchema() {
    const body = fake(doc.components.schemas.InvoiceInput);
    // The debtor id must be one the model tracks, so a surprise 201 is still read back.
    if (body && typeof body === "object" && body.debtor && typeof body.debtor === "object") body.debtor.id = debtorIdFor("bench");
    const lock = lockDebtor("bench", body?.debtor?.id);
    if (!lock) return;
    try { recordInvoice("bench", await send({ method: "POST", path: "/v1/invoices", headers: jsonHeaders("bench"), body: JSON.stringify(body) })); } finally { locks.delete(lock); }
  }],
  [10, async function registerMutated() {
    const debtorId = debtorIdFor("bench");
    const lock = lockDebtor("bench", debtorId);
    if (!lock) return;
    try {
      const body = mutateBody(validInvoice(r, debtorId, `M-${randomBytes(5).toString("hex")}`), r);
      recordInvoice("bench", await send({ method: "POST", path: "/v1/invoices", headers: jsonHeaders("bench"), body: JSON.stringify(body) }));
    } finally { locks.delete(lock); }
  }],
  [10, async function pay() {
    const tenant = tenantOf();
    const inv = lockInvoice(tenant);
    if (!inv) return;
    try {
      let body = { amount_cents: r.chance(0.8) ? r.int(1, Math.max(1, inv.ack.outstanding_cents)) : r.int(1, 1_000_000) };
      if (r.chance(0.5)) body.reference = `pay-${r.int(1, 3000)}`;
      if (r.chance(0.2)) body = mutateBody(body, r);
      const headers = jsonHeaders(tenant);
      if (r.chance(0.3)) headers["idempotency-key"] = idemKey();
      const answer = await send({ method: "POST", path: `/v1/invoices/${inv.ack.id}/payments`, headers, body: JSON.stringify(body) });
      if (answer.status === 200) inv.ack = answer.json;
    } finally { locks.delete(inv.ack.id); }
  }],
  [4, async function cancel() {
    const tenant = tenantOf();
    const inv = lockInvoice(tenant);
    if (!inv) return;
    try {
      const body = r.pick([undefined, "{}", JSON.stringify({ reason: r.pick(["credit_note", "returned", "error", "other"]) }), JSON.stringify(mutateBody({ reason: "other" }, r))]);
      const answer = await send({ method: "POST", path: `/v1/invoices/${inv.ack.id}/cancel`, headers: body === undefined ? auth(tenant) : jsonHeaders(tenant), body });
      if (answer.status === 200) inv.ack = answer.json;
    } finally { locks.delete(inv.ack.id); }
  }],
  [8, async function read() {
    const tenant = tenantOf();
    const stranger = tenant === "bench" ? "other" : "bench";
    const pool = model.invoiceIds[tenant];
    const id = pool.length ? r.pick(pool) : "inv_none";
    const inv = model.invoices.get(id);
    const path = r.chance(0.5) ? `/v1/invoices/${id}` : `/v1/debtors/${encodeSegment(inv?.ack.debtor_id ?? debtorIdFor(tenant))}`;
    const asStranger = r.chance(0.3);
    const answer = await send({ method: "GET", path, headers: auth(asStranger ? stranger : tenant) });
    if (asStranger && answer.status < 300 && inv) violation("another tenant's invoice or debtor answered", { method: "GET", path }, { status: answer.status }, JSON.stringify(answer.json));
  }],
  [12, async function otherOperation() {
    const op = r.pick(ops);
    const tenant = tenantOf();
    // An invoice changes only with its lock held, so its read-back is exact.
    const invoice = op.path.startsWith("/v1/invoices/{id}") && op.method !== "GET" ? lockInvoice(tenant) : null;
    if (op.path.startsWith("/v1/invoices/{id}") && op.method !== "GET" && !invoice) return;
    const known = {
      id: invoice ? [invoice.ack.id] : op.path.startsWith("/v1/debtors") ? [...model.debtors.values()].filter((d) => d.tenant === tenant).map((d) => d.id) : model.invoiceIds[tenant],
      channel: ["email", "letter", "sms", "call"],
    };
    const path = fillPath(op.path, r, known);
    // A debtor's state changes only with its lock held, so its read-back is exact.
    let debtorId = null;
    try { debtorId = op.path.startsWith("/v1/debtors/{id}") ? decodeURIComponent(path.split("/")[3]) : null; } catch { debtorId = path.split("/")[3]; }
    const lock = debtorId && op.method !== "GET" ? lockDebtor(tenant, debtorId) : null;
    if (debtorId && op.method !== "GET" && !lock) return;
    try {
      let body = op.schema ? fake(op.schema) : undefined;
      // Never register a webhook endpoint that would be called: only addresses Kindly must refuse.
      if (op.path === "/v1/webhook-endpoints" && op.method === "POST" && body && typeof body === "object") body.url = r.pick(["http://shop.example/hook", "https://127.0.0.1/hook", "https://10.0.0.1/x", "https://[::1]/x", "https://localhost/x", "https://169.254.169.254/latest", "ftp://x", "https://user:pw@shop.example/x", "https://shop.example:22/x", r.pick(NASTY)]);
      if (body !== undefined && r.chance(0.3)) body = mutateBody(body, r);
      const headers = body === undefined ? auth(tenant) : jsonHeaders(tenant);
      const answer = await send({ method: op.method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (answer.status === 200 && op.path === "/v1/debtors/{id}/banner-token" && answer.json?.token) model.bannerTokens.push(answer.json.token);
      if (invoice && answer.status === 200 && path.includes(invoice.ack.id)) invoice.ack = answer.json;
      if (answer.status >= 200 && answer.status < 300 && lock) {
        const d = model.debtors.get(lock) ?? { tenant, id: debtorId, flags: null };
        if (answer.json?.flags) d.flags = answer.json.flags;
        // "I need help" also marks the debtor in hardship (workers/debtor/actions.ts).
        else if (d.flags && op.path.endsWith("/actions") && body?.action === "help") d.flags = { ...d.flags, hardship: true };
        model.debtors.set(lock, d);
      }
    } finally {
      if (lock) locks.delete(lock);
      if (invoice) locks.delete(invoice.ack.id);
    }
  }],
  [4, async function banner() {
    const token = model.bannerTokens.length && r.chance(0.7) ? r.pick(model.bannerTokens) : r.pick(NASTY);
    const mutated = r.chance(0.3) ? token.slice(0, -r.int(1, 4)) + r.pick(["A", "_", "-", ".", ""]) : token;
    const path = r.chance(0.7) ? "/v1/banner" : "/v1/banner/events";
    const body = path.endsWith("events") ? JSON.stringify(r.chance(0.7) ? { type: r.pick(["impression", "click", "dismiss"]) } : mutateBody({ type: "click" }, r)) : undefined;
    const headers = { authorization: `Bearer ${mutated}`, ...(body ? { "content-type": "application/json" } : {}), ...(r.chance(0.2) ? { "if-none-match": '"x"', origin: "https://shop.example" } : {}) };
    await send({ method: body ? "POST" : "GET", path, headers, body });
  }],
  [22, async function hostile() {
    const op = r.pick(ops);
    const path = r.chance(0.5) ? fillPath(op.path, r, {}) : r.pick(HOSTILE_PATHS);
    const method = r.chance(0.5) ? op.method : r.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]);
    const headers = r.weighted([
      [4, jsonHeaders("bench")],
      [1, { "content-type": "application/json" }],
      [1, { authorization: "Bearer kind_test_" + "x".repeat(32), "content-type": "application/json" }],
      [1, { authorization: r.pick(["Basic Zm9vOmJhcg==", "Bearer", "Bearer " + r.pick(NASTY), keys.bench, `bearer ${keys.bench}`, `Bearer ${keys.bench} x`]) }],
      [1, { ...auth("bench"), "content-type": r.pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/problem+json", ""]) }],
      [1, { ...jsonHeaders("bench"), "idempotency-key": r.pick(NASTY) || "k", "content-length": undefined }],
    ]);
    for (const [name, value] of Object.entries(headers)) if (value === undefined) delete headers[name];
    const body = method === "GET" || method === "HEAD" ? undefined : r.weighted([
      [3, op.schema ? JSON.stringify(mutateBody(fake(op.schema) ?? {}, r)) : "{}"],
      [1, r.pick(["{", "}", "[", "null", "true", "1", '"x"', "{\"a\":", "\u0000", "{'a':1}", "{\"a\":1}{\"b\":2}", "\ufeff{}"])],
      [1, "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"],
      [1, JSON.stringify({ big: "x".repeat(r.pick([65_000, 70_000, 200_000])) })],
      [1, ""],
    ]);
    // Never a webhook endpoint Kindly would call (see otherOperation).
    if (path === "/v1/webhook-endpoints" && method === "POST") return;
    const answer = await send({ method, path, headers, body });
    // A hostile request that still succeeded is acknowledged like any other.
    if (answer.status < 300 && method === "POST" && path === "/v1/invoices") recordInvoice("bench", answer);
    else if (answer.status < 300 && method !== "GET" && method !== "HEAD" && path.startsWith("/v1/debtors/")) {
      const id = decodeURIComponent(path.split("/")[3] ?? "");
      if (!model.debtors.has(`bench:${id}`)) model.debtors.set(`bench:${id}`, { tenant: "bench", id, flags: null });
    }
  }],
];

const timing = new Map();
let nextReport = 5_000;
const t0 = performance.now();
async function worker() {
  // A kind may send nothing (its invoice or debtor is busy): count requests, not attempts.
  while (requestsSent < N && performance.now() - t0 < MAX_MS) {
    const kind = r.weighted(kinds);
    const t = performance.now();
    const before = requestsSent;
    await kind();
    // Let the requests that hold the locks finish before trying again.
    if (requestsSent === before) { await new Promise((resolve) => setImmediate(resolve)); continue; }
    const m = timing.get(kind.name) ?? { n: 0, ms: 0 };
    m.n++; m.ms += performance.now() - t;
    timing.set(kind.name, m);
    if (requestsSent >= nextReport) {
      nextReport += 5_000;
      const statuses = [...histogram].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([status, n]) => `${status}:${n}`).join(" ");
      console.log(`${requestsSent} requests, ${(requestsSent / ((performance.now() - t0) / 1000)).toFixed(0)}/s, ${violations.length} violations; ${statuses}`);
    }
  }
}
let exitCode = 0;
try {
  await Promise.all(Array.from({ length: C }, worker));
  const fuzzSeconds = (performance.now() - t0) / 1000;
  const total = [...histogram.values()].reduce((s, n) => s + n, 0);
  if (total < N) console.log(`\nstopped at --max-seconds ${MAX_MS / 1000} before ${N} requests`);
  console.log(`\n${total} requests in ${fuzzSeconds.toFixed(0)} s (${(total / fuzzSeconds).toFixed(0)}/s), concurrency ${C}, seed ${SEED}`);
  console.log("status histogram:");
  for (const [status, count] of [...histogram].sort((a, b) => String(a[0]).localeCompare(String(b[0])))) console.log(`  ${String(status).padEnd(5)} ${String(count).padStart(7)}`);
  console.log("mean time per kind:", [...timing].map(([name, m]) => `${name} ${m.n} x ${(m.ms / m.n).toFixed(0)} ms`).join(", "));
  const checks = await readBack(k, model, keys, violation);
  console.log(`\nread back: ${checks.invoices} invoices and ${checks.debtors} debtors, ${checks.indexRows} index rows; ${model.bannerTokens.length} banner tokens minted`);
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (violations.length) {
    console.log(`\n${violations.length} violations:`);
    for (const v of violations.slice(0, 40)) console.log(" ", JSON.stringify(v));
    exitCode = 1;
  } else console.log("\n0 violations: no 5xx, every 4xx problem+json, every stored invoice and debtor as acknowledged");
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await k.stop();
}
process.exit(exitCode);
