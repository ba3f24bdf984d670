#!/usr/bin/env node
// Benchmark: GET /v1/banner, measured in one run on one local workerd (wrangler dev) against
// two baselines, printed as ratios:
//   - a customer with nothing open  vs  the bare hello route (GET /): the fast path should cost
//     a token check and one KV read, and never wake a Durable Object;
//   - a customer with open invoices vs  a bare Durable Object read (/bench/do-read/:name): the
//     banner adds the token check, the KV read and the rendering to one DO round trip.
// Loopback only: wrangler dev listens on 127.0.0.1 with its own temporary state.
// Usage: node bench/banner.mjs [--requests 2000 --concurrency 16 --debtors 200]
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { fmt, invoiceFor, measure, pool as poolOf, ratio, startKindly } from "./lib.mjs";

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
// A banner secret for this run only.
const k = await startKindly({ port: Number(values.port), vars: { BANNER_SIGNING_SECRET: randomBytes(32).toString("hex") }, name: "kindly-bench-banner" });
const { base, api, stop } = k;

async function registerInvoice(debtorId) {
  return api("POST", "/v1/invoices", invoiceFor(debtorId, -1));
}

/** A banner token minted through the API, as a merchant backend would. */
async function mintToken(debtorId) {
  return (await api("POST", `/v1/debtors/${debtorId}/banner-token`, { ttl_seconds: 3600 })).token;
}

const pool = (count, task) => poolOf(count, C, task);
const run = (label, expectStatus, makeRequest) => measure(label, N, C, makeRequest, (s) => s === expectStatus);
const banner = (token, headers = {}) => fetch(`${base}/v1/banner`, { headers: { authorization: `Bearer ${token}`, ...headers } });

try {
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
