/**
 * Several open invoices: every pay action on the debtor's page and in the banner pays exactly
 * the amount it names. Before, "Betaal € 179,45" opened the first invoice's pay_url, which pays
 * € 129,50. An action's amount is read from its label; what it pays is worked out from the
 * API contract alone: an invoice's pay_url pays that invoice's outstanding amount, and the
 * shop's consolidated template pays its {{amount_cents}}.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { debtorLinkSecret, signDebtorLink } from "../workers/links";
import { call, DAY, invoiceBody, newDebtorId, newTenant, openDebtorPage, register } from "./helpers";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
/** "€ 1.234,56" (nl) -> 123456 cents. */
const cents = (label: string) => {
  const m = /€\s?([\d.]+),(\d{2})/.exec(label);
  if (!m) throw new Error(`no amount in "${label}"`);
  return Number(m[1]?.replaceAll(".", "")) * 100 + Number(m[2]);
};
const TEMPLATE = "https://shop.example/checkout?debtor={{debtor_id}}&amount={{amount_cents}}&invoices={{invoice_ids}}";

/** Two open invoices, € 129,50 and € 49,95 (€ 179,45 together), optionally with the shop's consolidated template. */
async function twoInvoices(template?: string) {
  const t = await newTenant();
  if (template) expect((await call(t.key, "PATCH", "/v1/account", { links: { pay_url_template: template } })).status).toBe(200);
  const d = newDebtorId();
  const bodyA = await invoiceBody(d, -3, { amount_cents: 12950, pay_url: "https://shop.example/pay/A" });
  const bodyB = await invoiceBody(d, -1, { amount_cents: 4995, pay_url: "https://shop.example/pay/B" });
  const a = await register(t.key, bodyA);
  await register(t.key, bodyB);
  const references = [bodyA.merchant_invoice_id, bodyB.merchant_invoice_id];
  const outstanding = new Map([["https://shop.example/pay/A", 12950], ["https://shop.example/pay/B", 4995]]);
  /** What following `url` pays, from the contract only. */
  const pays = (url: string): number => {
    const u = new URL(url);
    if (u.pathname === "/checkout") return Number(u.searchParams.get("amount"));
    const amount = outstanding.get(url);
    if (amount === undefined) throw new Error(`${url} is not a pay link`);
    return amount;
  };
  const { token } = (await (await call(t.key, "POST", `/v1/debtors/${d}/banner-token`, {})).json()) as { token: string };
  const banner = async () => JSON.parse(plain(await (await call(null, "GET", "/v1/banner", undefined, { authorization: `Bearer ${token}` })).text())) as {
    pay_url: string | null;
    pay_label: string | null;
    total_cents: number;
    actions: { kind: string; label: string; url: string; amount_cents?: number }[];
    invoices: { outstanding_cents: number; pay_url: string | null }[];
  };
  const link = await signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t.id, debtorId: d, exp: Date.now() + 30 * DAY });
  const page = async () => plain(await (await openDebtorPage(`/d/${link}`)).text());
  return { t, a, references, outstanding, pays, banner, page };
}

/** Every link on the page whose text offers to pay, as [href, text]. */
const payLinks = (page: string) => [...page.matchAll(/<a [^>]*href="([^"]+)"[^>]*>(Betaal [^<]+)<\/a>/g)].map((m) => [m[1] ?? "", m[2] ?? ""] as const);

describe("several open invoices: every pay action pays what it names", () => {
  it("without a consolidated link: no button names the total; each invoice has its own link for its own amount", async () => {
    const s = await twoInvoices();
    const page = await s.page();
    const links = payLinks(page);
    expect(links.map(([, text]) => text)).toEqual(["Betaal € 129,50", "Betaal € 49,95"]);
    for (const [href, text] of links) expect(s.pays(href)).toBe(cents(text));
    expect(page).not.toContain('class="pay"');
    expect(page).toContain("Betaal elke factuur apart met de knop in de lijst.");

    const banner = await s.banner();
    expect(banner.total_cents).toBe(17945);
    // The main action leads to the page's list and names no amount.
    expect(banner.actions[0]).toMatchObject({ kind: "pay_each", label: "Bekijk en betaal per factuur" });
    expect(banner.actions[0]?.amount_cents).toBeUndefined();
    expect(new URL(banner.actions[0]?.url ?? "").hash).toBe("#invoices");
    expect(banner.pay_label).not.toMatch(/€/);
    for (const a of banner.actions) if (/€/.test(a.label)) expect(s.pays(a.url)).toBe(cents(a.label));
    for (const i of banner.invoices) expect(s.pays(i.pay_url ?? "")).toBe(i.outstanding_cents);
  });

  it("with the shop's consolidated link: one button for € 179,45 that pays € 179,45, on the page and in the banner", async () => {
    const s = await twoInvoices(TEMPLATE);
    const page = await s.page();
    const main = /<a class="pay" href="([^"]+)"[^>]*>([^<]+)<\/a>/.exec(page);
    expect(main?.[2]).toBe("Betaal € 179,45");
    expect(s.pays((main?.[1] ?? "").replaceAll("&amp;", "&"))).toBe(17945);
    for (const [href, text] of payLinks(page)) expect(s.pays(href.replaceAll("&amp;", "&"))).toBe(cents(text));

    const banner = await s.banner();
    const pay = banner.actions[0];
    expect(pay).toMatchObject({ kind: "pay", label: "Betaal € 179,45", amount_cents: 17945 });
    expect(s.pays(pay?.url ?? "")).toBe(17945);
    expect(new URL(pay?.url ?? "").searchParams.get("invoices")).toBe(s.references.join(","));
    expect(banner.pay_url).toBe(pay?.url);
  });

  it("after a partial payment the amounts follow what is still open", async () => {
    const s = await twoInvoices(TEMPLATE);
    expect((await call(s.t.key, "POST", `/v1/invoices/${s.a.id}/payments`, { amount_cents: 2950 })).status).toBe(200);
    s.outstanding.set("https://shop.example/pay/A", 10000);
    const banner = await s.banner();
    expect(banner.actions[0]).toMatchObject({ kind: "pay", label: "Betaal € 149,95", amount_cents: 14995 });
    expect(s.pays(banner.actions[0]?.url ?? "")).toBe(14995);
    for (const i of banner.invoices) expect(s.pays(i.pay_url ?? "")).toBe(i.outstanding_cents);
  });
});
