/// <reference types="node" />
/**
 * The dashboard in a real Chromium against `wrangler dev`: sign in with the emailed one-time
 * link, the owner adds a credit manager, a marketer and a viewer in the app, each role sees only
 * what it may, the credit manager works the policy, the scorecard and a debtor, and every page
 * passes an axe-core scan. Screenshots go to the README.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartsDrawn, expectAccessible, kindly, launch, shot, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const people = {
  credit: { email: "krediet@despaak.example", name: "Chris Krediet", role: "credit_manager" },
  marketer: { email: "marketing@despaak.example", name: "Mo Marketing", role: "marketer" },
  viewer: { email: "kijker@despaak.example", name: "Vera Kijker", role: "viewer" },
};

describe("the dashboard in a browser", () => {
  it("the owner signs in with the emailed link, reads the overview and adds a user for each role", async () => {
    const { page, context } = await signIn(browser, kindly().ownerEmail);
    await expect.poll(() => page.title()).toContain("Overzicht");
    expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(2);
    await expectAccessible(page, "overview");
    await page.goto(`${kindly().base}/app?weeks=26`);
    await chartsDrawn(page);
    await shot(page, "overview", true);
    for (const p of Object.values(people)) {
      await page.goto(`${kindly().base}/app/users`);
      await page.getByLabel("Naam", { exact: true }).fill(p.name);
      await page.getByLabel("E-mail", { exact: true }).fill(p.email);
      await page.getByLabel("Rol", { exact: true }).selectOption(p.role);
      await page.getByRole("button", { name: "Toevoegen" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain(p.email);
    }
    await expectAccessible(page, "users");
    for (const path of ["/app/audit", "/app/account", "/app/value"]) {
      await page.goto(kindly().base + path);
      await expectAccessible(page, path);
    }
    await chartsDrawn(page);
    await shot(page, "collection-value", true);
    await context.close();
  });

  it("each role sees only its own pages", async () => {
    const expected: Record<string, string[]> = {
      credit: ["Overzicht", "Trechter", "Incassowaarde", "Beleid", "Debiteuren", "Teksten", "Experimenten"],
      marketer: ["Overzicht", "Trechter", "Incassowaarde", "Beleid", "Teksten", "Experimenten"],
      viewer: ["Overzicht", "Trechter", "Incassowaarde", "Beleid", "Teksten", "Experimenten"],
    };
    for (const [who, p] of Object.entries(people)) {
      const { page, context } = await signIn(browser, p.email);
      const nav = await page.getByRole("navigation").getByRole("link").allTextContents();
      expect({ who, nav }).toEqual({ who, nav: expected[who] });
      if (who !== "credit") {
        const res = await page.goto(`${kindly().base}/app/debtors`);
        expect({ who, status: res?.status() }).toEqual({ who, status: 403 });
        await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Niet voor uw rol");
      }
      const users = await page.goto(`${kindly().base}/app/users`);
      expect({ who, status: users?.status() }).toEqual({ who, status: 403 });
      await context.close();
    }
  });

  it("a credit manager reads the funnel, works the policy and its scorecard, and opens a debtor's timeline", async () => {
    const { page, context } = await signIn(browser, people.credit.email);
    await page.goto(`${kindly().base}/app/funnel?weeks=26`);
    expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(1);
    await expectAccessible(page, "funnel");
    await shot(page, "funnel", true);
    await page.goto(`${kindly().base}/app/policy`);
    await chartsDrawn(page);
    await expectAccessible(page, "policy");
    // An ambition for next year on a self-assessed criterion, saved through the form.
    await page.getByText(/Uw beoordeling/).click();
    const ambition = page.locator("select[name^='ambition.']").first();
    await ambition.selectOption("frontrunner");
    await page.getByRole("button", { name: "Beoordeling opslaan" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Opgeslagen");
    await chartsDrawn(page);
    await shot(page, "policy", true);
    // A policy that breaks a rule is refused with the rule named, and nothing is stored.
    const editor = page.getByLabel("Beleid (JSON)");
    const draft = JSON.parse(await editor.inputValue()) as { contact_budget: { min_hours_between: number } };
    draft.contact_budget.min_hours_between = -1;
    await editor.fill(JSON.stringify(draft));
    await page.getByRole("button", { name: /Opslaan als versie/ }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("contact_budget.min_hours_between");
    await page.goto(`${kindly().base}/app/debtors`);
    await page.getByLabel("Uw klantnummer").fill("klant-02");
    await page.getByRole("button", { name: "Zoeken" }).click();
    await page.getByRole("link", { name: "klant-02" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("klant-02");
    await expectAccessible(page, "debtor");
    await shot(page, "debtor", true);
    await page.getByRole("link", { name: "Bericht zoals verstuurd" }).first().click();
    await expect.poll(() => page.locator("iframe.message").count()).toBe(1);
    await expectAccessible(page, "message");
    await context.close();
  });

  it("works on a phone", async () => {
    const { page, context } = await signIn(browser, people.viewer.email, { width: 390, height: 844 });
    await chartsDrawn(page);
    // Nothing wider than the screen: tables scroll inside their own region.
    const overflow = (await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, "overview on a phone");
    await shot(page, "overview-phone");
    await context.close();
  });
});
