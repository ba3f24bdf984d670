#!/usr/bin/env node
// Benchmark: dispatch at scale, live. Thousands of debtors fall due at once (the development clock
// moves past their first step); the cron sweep wakes their DebtorDOs, each decides its step and
// hands its email to the dispatch queue; the consumer freezes up to 100 rows at once into a
// batch and sends it to a local fake of Resend's API (bench/fake-resend-server.mjs) in one paced
// request. Measured: every due reminder accepted once (counted at the fake by debtor and outbox
// tag, replays under the same key excluded), reminders per second end to end, against bare
// Durable Object writes in the same run, and the wall time.
//
// Local workerd keeps about two file descriptors open per live SQLite object (hard limit here:
// 20,000), so 10,000 debtors fall due in waves (--waves, default: one per 2,000 debtors) whose
// objects go idle in between. The clock moves without holding a request (`sweep: false`); the
// benchmark then drives the cron sweep through wrangler's local scheduled endpoint.
// Usage: npm run bench:dispatch [-- --debtors 10000 --waves 5 --concurrency 16]
import { parseArgs } from "node:util";
import { fmt, measure, pool, startKindly } from "./lib.mjs";
import { startFakeResend } from "./fake-resend-server.mjs";

const { values } = parseArgs({
  options: {
    debtors: { type: "string", default: "2000" }, waves: { type: "string" }, concurrency: { type: "string", default: "16" },
    port: { type: "string", default: "8797" }, "resend-port": { type: "string", default: "8796" }, "email-rate": { type: "string", default: "2" },
    idle: { type: "string", default: "15" },
  },
});
const D = Number(values.debtors), C = Number(values.concurrency);
const W = Number(values.waves ?? Math.max(1, Math.ceil(D / 2000)));
const fake = startFakeResend({ port: Number(values["resend-port"]) });
await fake.listening;
const k = await startKindly({
  port: Number(values.port), name: "kindly-bench-dispatch",
  vars: { KINDLY_ENV: "development", RESEND_API_KEY: "re_bench_dispatch", RESEND_BASE_URL: fake.base, DISPATCH_RATES: `email=${values["email-rate"]}` },
});
const json = async (path, init) => (await fetch(k.base + path, init)).json();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The development clock's date in Amsterdam, `offset` days on. */
async function clockDay(offset) {
  const { now } = await json("/dev/clock");
  return new Date(Date.parse(now) + offset * 86400_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Amsterdam" });
}

/** Drives the cron sweep until `done()` or the deadline; returns whether it finished. */
async function driveUntil(done, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let sweeping = null;
  while (Date.now() < deadline) {
    if (done()) return true;
    // The cron sweep, as Cloudflare would run it every five minutes (one request at a time).
    sweeping ??= fetch(`${k.base}/cdn-cgi/local/scheduled`).then((r) => r.arrayBuffer(), () => undefined).finally(() => (sweeping = null));
    await sleep(250);
  }
  return done();
}

try {
  await k.api("PATCH", "/v1/account", { delivery_mode: "live", email: { from_name: "Bench Shop", from_address: "betalen@bench.example" } });
  const baselineN = Math.min(D, 2000);
  const baseline = await measure("bare DO write", baselineN, C, (i) => fetch(`${k.base}/bench/do-write/base-${i}`, { method: "POST" }));

  const perWave = Math.ceil(D / W);
  let seconds = 0, registered = 0;
  const waves = [];
  const tAll = performance.now();
  for (let w = 0; w < W; w++) {
    const n = Math.min(perWave, D - registered);
    // Due two days ago on the clock: the first reminder (due date + 3 days) falls due when the clock moves one day on.
    const due = await clockDay(-2);
    await pool(n, C, (i) => k.api("POST", "/v1/invoices", {
      merchant_invoice_id: `B-w${w}-${i}`,
      debtor: { id: `due-${w}-${i}`, name: "Bench Debtor", email: `due-${w}-${i}@example.nl`, locale: "nl-NL", time_zone: "Europe/Amsterdam" },
      amount_cents: 4995, currency: "EUR", issue_date: due, due_date: due, pay_url: "https://shop.example/pay",
    }));
    registered += n;
    const t0 = performance.now();
    await json("/dev/clock/advance", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ days: 1, at: "13:00", sweep: false }) });
    const waveDone = () => fake.count(`/due-${w}-`).messages >= n;
    const finished = await driveUntil(waveDone, 20 * 60_000);
    const s = (performance.now() - t0) / 1000;
    seconds += s;
    waves.push({ wave: w + 1, debtors: n, sent: fake.count(`/due-${w}-`).messages, seconds: s, finished });
    console.error(`wave ${w + 1}/${W}: ${waves.at(-1).sent} of ${n} sent in ${s.toFixed(1)} s`);
    // Let this wave's objects go idle (and be evicted) before the next one opens thousands more.
    if (w < W - 1) await sleep(Number(values.idle) * 1000);
  }
  const wall = (performance.now() - tAll) / 1000;
  // Late duplicates would arrive after the last wave: give retries and safety nets a moment.
  await sleep(5000);
  const { messages, duplicates } = fake.count("/due-");
  const rps = messages / seconds;
  console.log(`\n${D} debtors due in ${W} wave(s), local workerd (wrangler dev), live email to a local Resend fake at ${values["email-rate"]} requests/s\n`);
  console.log(fmt(baseline));
  console.log(`${"reminders decided + sent".padEnd(34)} ${rps.toFixed(0).padStart(6)} /s      ${messages} of ${D} in ${seconds.toFixed(1)} s (sweep to last acceptance, summed over waves)`);
  console.log(`sent exactly once: ${messages} of ${D} debtors; duplicates at the provider: ${duplicates}`);
  console.log(`provider requests: ${fake.stats.batchRequests} batch, ${fake.stats.requests - fake.stats.batchRequests} single; ${fake.stats.replays} replays`);
  console.log(`wall time, registration included: ${wall.toFixed(1)} s`);
  console.log(`\nratio (reminders per second / bare DO writes per second): ${(rps / baseline.rps).toFixed(2)}x`);
  if (messages < D || duplicates > 0) process.exitCode = 1;
} finally {
  await k.stop();
  await fake.close();
}
