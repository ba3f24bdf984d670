/// <reference types="node" />
/**
 * The marketer's work in a real Chromium: sign in with the emailed link, edit a template (the
 * lint's problem shown next to its field, the live preview following the typing), publish it,
 * start an experiment with a warmer variant, let debtors run through it while the clock moves,
 * read the result chart, and promote the variant, which becomes the published copy. Every page
 * passes an axe-core scan. Screenshots go to the README.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, chartsDrawn, expectAccessible, kindly, launch, shot, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const marketer = { email: "teksten@despaak.example", name: "Tess Teksten", role: "marketer", locale: "en" };

/** Saves the editor's form and waits for the page it answers with. */
async function saveDraft(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/saved=1|\/versions$/), page.getByRole("button", { name: "Save as draft" }).click()]);
}

describe("the marketer in a browser", () => {
  it("edits and publishes a template, runs an experiment through the clock, reads its chart and promotes the winner", async () => {
    await api("POST", "/v1/users", marketer);
    const { page, context } = await signIn(browser, marketer.email);
    await page.goto(`${kindly().base}/app/templates`);
    await expectAccessible(page, "templates");
    await page.getByRole("link", { name: /Edit reminder-friendly in nl-NL/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("reminder-friendly");

    // A typo in a placeholder and a threat: saved as a draft, each problem shown at the subject.
    await page.getByLabel("Subject", { exact: true }).fill("{{frist_name}}, de deurwaarder komt");
    await saveDraft(page);
    await expect.poll(() => page.locator("#err-subject").textContent()).toMatch(/frist_name[\s\S]*deurwaarder|deurwaarder[\s\S]*frist_name/);
    expect(await page.getByRole("button", { name: /Publish version/ }).count()).toBe(0);

    // Fixed, and the live preview follows the typing before anything is saved.
    await page.getByLabel("Subject", { exact: true }).fill("{{shop_name}}: een klein seintje");
    await page.getByLabel("Introduction", { exact: true }).fill("De betaaldatum van {{invoice_phrase}} was {{due_date}}. Dat kan iedereen gebeuren.");
    await expect.poll(() => page.locator("#preview-frame").getAttribute("srcdoc"), { timeout: 10_000 }).toContain("Dat kan iedereen gebeuren.");
    await expectAccessible(page, "template editor");
    await saveDraft(page);
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Saved as version 2");
    await page.getByRole("button", { name: "Publish version 2" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Version 2 is published");

    // The variant to test: a warmer introduction, saved as version 3.
    await page.getByLabel("Introduction", { exact: true }).fill("De betaaldatum van {{invoice_phrase}} was {{due_date}}. Dat kan iedereen gebeuren. Wij helpen u graag.");
    await page.getByLabel(/What you changed/).fill("warmer opening");
    await saveDraft(page);
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Saved as version 3");
    await expect.poll(() => page.getByRole("region", { name: "Version history" }).last().textContent()).toContain(marketer.name);
    await shot(page, "template-editor", true);

    // The experiment: the published copy against version 3, measured 3 days after the first reminder.
    await page.goto(`${kindly().base}/app/experiments`);
    await page.getByLabel("Name", { exact: true }).fill("Warmer first reminder");
    await page.getByLabel("Template", { exact: true }).selectOption("reminder-friendly");
    await page.getByLabel("Key", { exact: true }).nth(1).fill("warm");
    await page.getByLabel("Version in nl-NL", { exact: true }).first().fill("3");
    await page.getByLabel(/Primary metric/).fill("3");
    await page.getByRole("button", { name: "Estimate sample and duration" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("per variant");
    await expectAccessible(page, "experiments");
    await page.getByRole("button", { name: "Start the experiment" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("The experiment runs.");
    const experimentUrl = page.url().replace(/\?.*$/, "");

    // Debtors run through it: first reminders go out, half of them pay, the clock moves day by day.
    const t = String(((await api("GET", "/dev/clock")) as { now: string }).now).slice(0, 10);
    const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const invoices: { id: string; amount: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const inv = await api("POST", "/v1/invoices", {
        merchant_invoice_id: `EXP-${i}`,
        debtor: { id: `exp-klant-${i}`, name: `Klant ${i}`, email: `exp-klant-${i}@example.nl`, locale: "nl-NL", time_zone: "Europe/Amsterdam" },
        amount_cents: 2_500, currency: "EUR", issue_date: addDays(t, -15), due_date: addDays(t, -1), pay_url: `https://despaak.example/pay/EXP-${i}`,
      });
      invoices.push({ id: String(inv.id), amount: 2_500 });
    }
    await api("POST", "/dev/clock/advance", { days: 3, at: "13:00" });
    for (const inv of invoices.filter((_, i) => i % 2 === 0)) await api("POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: inv.amount });
    for (let d = 0; d < 4; d++) await api("POST", "/dev/clock/advance", { days: 1, at: "13:00" });

    await page.goto(experimentUrl);
    expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(1);
    const exposed = await page.getByRole("region", { name: "Results per variant" }).last().textContent();
    expect(exposed).toMatch(/control/);
    await expectAccessible(page, "experiment result");
    await shot(page, "experiment", true);

    // Promote: version 3 becomes the published copy.
    await page.getByRole("button", { name: 'Promote "warm"' }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain('Variant "warm" was promoted');
    const live = (await api("GET", "/v1/templates/reminder-friendly/nl-NL")) as { live: { version: number } };
    expect(live.live.version).toBe(3);

    // On a phone: nothing wider than the screen on the result page and in the editor.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of [experimentUrl.replace(kindly().base, ""), "/app/templates/reminder-friendly/nl-NL", "/app/experiments"]) {
      await page.goto(kindly().base + path);
      const overflow = (await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number;
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
    }
    await context.close();
  });
});
