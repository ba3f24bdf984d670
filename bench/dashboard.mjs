#!/usr/bin/env node
// npm run bench:dashboard: with N outcome events in local D1 (default 1,000,000), loaded through
// the flush's own statements (each event's insert and its rollup statements), time the
// dashboard's overview and funnel queries (one D1 batch each, exactly what the pages run) against
// a single-row D1 read in the same run, and against a scan of the events for contrast.
// Options: -- --events 1000000 --requests 400 --concurrency 4
import { fmt, measure, ratio, startKindly } from "./lib.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const target = arg("events", 1_000_000);
const requests = arg("requests", 400);
const concurrency = arg("concurrency", 4);

const kindly = await startKindly({ port: 8795, name: "kindly-bench-dashboard" });
try {
  const now = Date.now();
  const t0 = performance.now();
  let events = 0;
  let debtor = 0;
  // About 7 events per debtor; 1,000 debtors per request.
  while (events < target) {
    const res = await fetch(`${kindly.base}/bench/dashboard/load`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: debtor, to: debtor + 1000, now }) });
    if (!res.ok) throw new Error(`load failed: ${res.status} ${await res.text()}`);
    events += (await res.json()).events;
    debtor += 1000;
    if (debtor % 20_000 === 0) console.log(`  ${events.toLocaleString("en")} events loaded (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(`${events.toLocaleString("en")} outcome events for ${debtor.toLocaleString("en")} debtors loaded with their rollups in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const get = (path) => () => fetch(`${kindly.base}/bench/dashboard/${path}?now=${now}`);
  const one = await measure("single-row D1 read", requests, concurrency, get("one-row"));
  const overview = await measure("overview (rollups)", requests, concurrency, get("overview"));
  const funnel = await measure("funnel (rollups)", requests, concurrency, get("funnel"));
  const scan = await measure("weekly counts by scanning events", Math.max(10, Math.floor(requests / 20)), concurrency, get("scan"));
  for (const r of [one, overview, funnel, scan]) console.log(fmt(r));
  console.log(`overview vs single-row read: ${ratio(overview, one)}`);
  console.log(`funnel   vs single-row read: ${ratio(funnel, one)}`);
  console.log(`scan     vs single-row read: ${ratio(scan, one)}`);
} finally {
  kindly.stop();
}
