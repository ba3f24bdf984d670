/// <reference types="node" />
/**
 * Real-browser helpers: Debian's Chromium driven by playwright-core (never a browser download),
 * signing in the way a person does, an axe-core scan of every page (no serious or critical
 * violations), and screenshots for the README (docs/screenshots/ with KINDLY_SCREENSHOTS=1,
 * else .test-results/screenshots/).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KINDLY_SCREENSHOTS === "1" ? "docs/screenshots" : ".test-results/screenshots";

/** Starts Chromium with the flags this machine's sandbox needs. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

export const kindly = () => inject("kindly");

/** A merchant API call (the shop's backend), throwing on an error answer. */
export async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const { base, key } = kindly();
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The sign-in link last emailed to this user (the sandbox outbox, read with the shop's key). */
export async function emailedLink(email: string): Promise<string> {
  const users = (await api("GET", "/v1/users")) as { data: { id: string; email: string }[] };
  const user = users.data.find((u) => u.email === email);
  const messages = (await api("GET", `/v1/sandbox/messages?debtor_id=dashboard:${user?.id}&limit=1`)) as { data: { text: string }[] };
  const link = /https?:\/\/\S+\/app\/signin\/verify\?token=[A-Za-z0-9]{32}/.exec(messages.data[0]?.text ?? "")?.[0];
  if (!link) throw new Error(`no link for ${email}`);
  return link;
}

/** Signs in through the form and the emailed link, in a fresh browser context. */
export async function signIn(browser: Browser, email: string, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: "nl-NL" });
  const page = await context.newPage();
  await page.goto(`${kindly().base}/app/signin`);
  await page.getByLabel(/e-mailadres|email address/i).fill(email);
  await page.getByRole("button", { name: /stuur mij een link|send me a link/i }).click();
  await page.waitForLoadState();
  await page.goto(await emailedLink(email));
  await page.getByRole("button", { name: /inloggen|sign in/i }).click();
  await page.waitForURL(/\/app$/);
  return { context, page };
}

/** Runs axe-core on the page: WCAG 2.1 A and AA rules; no serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Evaluated through the debugging protocol, not a <script>: the page's CSP (script-src 'self') stays on.
  await page.evaluate(AXE);
  // A string, so this file needs no DOM types: it runs in the page, where axe is now loaded.
  const result = (await page.evaluate(`axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })`)) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  };
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect({ page: label, violations: bad }).toEqual({ page: label, violations: [] });
}

/** Saves a screenshot of the page for the README. */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** Waits until every chart on the page is drawn (the client bundle replaced its placeholder with an SVG). */
export async function chartsDrawn(page: Page): Promise<number> {
  // Locators, not waitForFunction: a string predicate that has to poll is eval'd in the page, which
  // the dashboard's CSP (script-src 'self') refuses, so on a slow machine the wait itself failed.
  const charts = page.locator(".plot[data-chart]");
  const drawn = page.locator(".plot[data-chart]:has(svg), .plot[data-chart]:has(figure)");
  await expect.poll(async () => (await drawn.count()) >= (await charts.count()), { timeout: 30_000, interval: 100 }).toBe(true);
  return page.locator(".plot svg").count();
}
