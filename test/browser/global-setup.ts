/// <reference types="node" />
/**
 * The browser tests' Kindly: `wrangler dev` on local workerd (its own temporary state, loopback
 * only, development mode), seeded through the public API with a shop, its owner and a few weeks
 * of invoices, reminders, payments, NPS answers and later orders, so every page has something to
 * show. Chromium reaches it at http://localhost (a secure context, so Secure cookies work).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    kindly: { base: string; key: string; tenantId: string; ownerEmail: string };
  }
}

const quiet = { stdio: ["ignore", "ignore", "inherit"] as ["ignore", "ignore", "inherit"], env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } };

export default async function setup(project: TestProject): Promise<() => void> {
  const state = mkdtempSync(join(tmpdir(), "kindly-browser-"));
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const base = `http://localhost:${port}`;
  const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "kindly", "--local", "--persist-to", state], quiet);
  if (migrate.status !== 0) throw new Error("migrations failed");
  const vars = { KINDLY_ENV: "development", PUBLIC_BASE_URL: base };
  const server = spawn("npx", ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])], {
    ...quiet,
    detached: true,
  });
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 240) throw new Error("wrangler dev did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
    const seeded = await seed(base);
    project.provide("kindly", { base, ...seeded });
  } catch (err) {
    stop();
    throw err;
  }
  return stop;
}

/** A shop with a few weeks of history, made through the API the way a shop's backend would. */
async function seed(base: string): Promise<{ key: string; tenantId: string; ownerEmail: string }> {
  const res = await fetch(`${base}/dev/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tenant_id: "spaak", display_name: "Fietsen De Spaak" }) });
  const { api_key: key } = (await res.json()) as { api_key: string };
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(base + path, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const policy = (await api("GET", "/v1/policy")) as { policy: Record<string, unknown> };
  await api("PUT", "/v1/policy", { ...policy.policy, version: 1, nps_after_cycle: true });
  const ownerEmail = "eigenaar@despaak.example";
  await api("POST", "/v1/users", { email: ownerEmail, name: "Eva Eigenaar", role: "owner", locale: "nl" });
  const clock = async (days: number) => api("POST", "/dev/clock/advance", { days, at: "13:00" });
  const today = async () => String(((await api("GET", "/dev/clock")) as { now: string }).now).slice(0, 10);
  const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const invoices: { id: string; debtor: string; amount: number; week: number }[] = [];
  // Four weeks: each week six invoices fall due; some are paid after the first email, some after the second.
  for (let week = 0; week < 4; week++) {
    const t = await today();
    for (let i = 0; i < 6; i++) {
      const debtor = `klant-${week}${i}`;
      const amount = 2_000 + 1_250 * ((week + i) % 5);
      const inv = await api("POST", "/v1/invoices", {
        merchant_invoice_id: `F-${week}${i}`,
        debtor: { id: debtor, name: `Klant ${week}${i}`, email: `${debtor}@example.nl`, locale: "nl-NL", time_zone: "Europe/Amsterdam" },
        amount_cents: amount, currency: "EUR", issue_date: addDays(t, -15), due_date: addDays(t, -1), pay_url: `https://despaak.example/pay/F-${week}${i}`,
      });
      invoices.push({ id: String(inv.id), debtor, amount, week });
    }
    await clock(4);
    for (const inv of invoices.filter((x) => x.week === week && ["0", "1", "3"].includes(x.debtor.slice(-1)))) await api("POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: inv.amount });
    await clock(3);
    for (const inv of invoices.filter((x) => x.week === week - 1 && x.debtor.endsWith("4"))) await api("POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: inv.amount });
  }
  // NPS answers from the debtors' own pages (the thank-you email's link, each debtor's newest message), and later orders from the shop.
  const messages = (await api("GET", "/v1/sandbox/messages?limit=100")) as { data: { debtor_id: string; text: string }[] };
  const tokens = new Map<string, string>();
  for (const m of messages.data) {
    const token = /\/d\/([A-Za-z0-9._-]+)/.exec(m.text)?.[1];
    if (token && !tokens.has(m.debtor_id)) tokens.set(m.debtor_id, token);
  }
  let n = 0;
  for (const inv of invoices.filter((x) => ["0", "1", "3"].includes(x.debtor.slice(-1)))) {
    const token = tokens.get(inv.debtor);
    if (!token) continue;
    await fetch(`${base}/d/${token}/nps`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ score: [10, 9, 7, 3, 9][n++ % 5], comment: n % 2 ? "Vriendelijke herinnering, dank!" : "" }) });
  }
  const t = await today();
  await api("POST", "/v1/orders", {
    orders: invoices.filter((x) => x.week < 3 && ["0", "1"].includes(x.debtor.slice(-1))).map((x, i) => ({ debtor_id: x.debtor, order_id: `O-${x.debtor}`, date: addDays(t, 1 + i), amount_cents: 3_995 })),
  });
  // Three months on: cycles that ended then count for "customers kept", and the unpaid ladders move on.
  for (let i = 0; i < 2; i++) await clock(46);
  return { key, tenantId: "spaak", ownerEmail };
}
