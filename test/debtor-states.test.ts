/**
 * The banner and the debtor's page for each state the person can be in, end to end: the real
 * Worker, the real DebtorDO, signed links and banner tokens. Each test asserts what the person
 * sees and what the actions do, so "€ 239,90 staat nog open — Betaal" never follows "I already
 * paid" or an agreed plan.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { advanceClock, loadClock } from "../workers/clock";
import { debtorLinkSecret, signDebtorLink } from "../workers/links";
import { addDays } from "../workers/zoned-time";
import { call, DAY, debtorSessionCookie, invoiceBody, newDebtorId, newTenant, openDebtorPage, register, today } from "./helpers";

interface BannerJson {
  state: string;
  title: string;
  text: string;
  locale: string;
  total_cents: number;
  invoices: { reference: string; outstanding_cents: number; pay_url: string | null }[];
  payment_date: string | null;
  next_instalment: { number: number; of: number; due_date: string; amount_cents: number } | null;
  pay_url: string | null;
  pay_label: string | null;
  actions: { kind: string; label: string; url: string; amount_cents?: number }[];
  dismiss_until: string | null;
}

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

/** A tenant with one debtor owing one invoice (€ 49,95, due yesterday), and the debtor's two keys. */
async function debtorWithInvoice(amounts: number[] = [4995]) {
  const t = await newTenant();
  const d = newDebtorId();
  const ids: string[] = [];
  for (const [n, amount] of amounts.entries()) {
    ids.push((await register(t.key, await invoiceBody(d, -1, { amount_cents: amount, pay_url: `https://shop.example/pay/${n + 1}` }))).id);
  }
  const mint = await call(t.key, "POST", `/v1/debtors/${d}/banner-token`, {});
  const { token: bannerToken } = (await mint.json()) as { token: string };
  const link = await signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t.id, debtorId: d, exp: Date.now() + 60 * DAY });
  const banner = async (headers: Record<string, string> = {}) => {
    const res = await call(null, "GET", "/v1/banner", undefined, { authorization: `Bearer ${bannerToken}`, ...headers });
    return { res, body: res.status === 200 ? (JSON.parse(plain(await res.text())) as BannerJson) : null };
  };
  const page = async (path = `/d/${link}`) => plain(await (await openDebtorPage(path)).text());
  const act = (body: unknown) => call(t.key, "POST", `/v1/debtors/${d}/actions`, body);
  return { t, d, ids, banner, page, act, link };
}

const kinds = (b: BannerJson | null) => b?.actions.map((a) => a.kind);
/** A same-origin path from one of the banner's https links. */
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe("what the debtor sees, state by state", () => {
  it("open: the banner asks to pay the exact amount; its 'already paid' link leads to a form that changes the state", async () => {
    const s = await debtorWithInvoice();
    const { body } = await s.banner();
    expect(body?.state).toBe("open");
    expect(body?.title).toBe("Er staat nog een betaling open");
    expect(body?.actions[0]).toEqual({ kind: "pay", label: "Betaal € 49,95", url: "https://shop.example/pay/1", amount_cents: 4995 });
    expect(kinds(body)).toEqual(["pay", "already_paid", "payment_date", "arrangement", "help"]);
    const page = await s.page();
    expect(page).toContain("Er staat nog € 49,95 voor u open bij Shop");
    expect(page).toMatch(/<a class="pay" href="https:\/\/shop.example\/pay\/1"[^>]*>Betaal € 49,95<\/a>/);

    // Follow the deep link, post the form it shows: the banner now says thanks.
    const deep = body?.actions.find((a) => a.kind === "already_paid")?.url ?? "";
    expect(new URL(deep).hash).toBe("#already-paid");
    const form = await s.page(pathOf(deep));
    const action = /<form method="post" action="([^"]+)"><input type="hidden" name="action" value="already_paid">/.exec(form)?.[1] ?? "";
    // The form posts to the session's page, never with the link's token in the path.
    expect(action).toBe("/d/actions");
    const posted = await call(null, "POST", action, "action=already_paid", { "content-type": "application/x-www-form-urlencoded", cookie: debtorSessionCookie() });
    expect(posted.status).toBe(200);
    expect((await s.banner()).body?.state).toBe("already_paid");
  });

  it("already paid: thanks, we are checking; no pay button; the banner stays away for the checking week, then asks again", async () => {
    const s = await debtorWithInvoice();
    const res = await s.act({ action: "already_paid" });
    const { until } = (await res.json()) as { until: string };
    const { body } = await s.banner();
    expect(body?.state).toBe("already_paid");
    expect(body?.title).toBe("Dank u wel, we kijken het na");
    expect(body?.text).toContain("U hoeft nu niets te doen.");
    expect(body?.pay_url).toBeNull();
    expect(kinds(body)).toEqual(["details", "help"]);
    expect(body?.dismiss_until).toBe(until);
    const page = await s.page();
    expect(page).toContain("Dank u wel, we kijken het na");
    expect(page).not.toContain('class="pay"');
    expect(page).not.toContain("Er staat nog € 49,95 voor u open");

    // A week later, with no payment: the banner asks again.
    await advanceClock(env, Date.parse(until) - (await loadClock(env)).now() + 60_000);
    expect((await s.banner()).body?.state).toBe("open");
  });

  it("a chosen pay date: the banner names the day and still pays the exact amount", async () => {
    const s = await debtorWithInvoice();
    const date = addDays(await today(), 5);
    expect((await s.act({ action: "payment_date", date })).status).toBe(200);
    const { body } = await s.banner();
    expect(body?.state).toBe("payment_date");
    expect(body?.payment_date).toBe(date);
    expect(body?.title).toMatch(/^U betaalt op \d+ \w+ \d{4}$/);
    expect(body?.actions[0]).toMatchObject({ kind: "pay", amount_cents: 4995, url: "https://shop.example/pay/1" });
    expect(kinds(body)).toEqual(["pay", "help"]);
    // Dismissed, it comes back the morning after the chosen day.
    expect(Date.parse(body?.dismiss_until ?? "")).toBeGreaterThan(Date.parse(`${date}T00:00:00Z`));
    const page = await s.page();
    expect(page).toContain(body?.title ?? "-");
    expect(page).toContain('class="pay"');
  });

  it("an arrangement: the next instalment, its date and amount; a payment moves it on; no button pays a different amount", async () => {
    const s = await debtorWithInvoice([8000, 4000]);
    const res = await s.act({ action: "arrangement", instalments: 3 });
    const { instalments } = (await res.json()) as { instalments: { due_date: string; amount_cents: number }[] };
    let { body } = await s.banner();
    expect(body?.state).toBe("arrangement");
    expect(body?.next_instalment).toEqual({ number: 1, of: 3, due_date: instalments[0]?.due_date, amount_cents: 4000, amount_formatted: "€ 40,00" });
    expect(body?.title).toBe("Uw volgende deel: € 40,00");
    expect(body?.text).toContain("Dat is deel 1 van 3 van uw betalingsregeling met Shop");
    expect(body?.pay_url).toBeNull();
    expect(kinds(body)).toEqual(["view_plan", "help"]);
    expect(new URL(body?.actions[0]?.url ?? "").hash).toBe("#plan");
    let page = await s.page();
    expect(page).toContain('id="plan"');
    expect(page).toContain("Nu aan de beurt");
    expect(page).not.toContain('class="pay"');
    // No new plan or date while this one runs.
    expect(page).not.toContain('id="payment-date"');
    expect(page).not.toContain('value="arrangement"');

    // The first instalment is paid (on the first invoice): the second is next.
    await call(s.t.key, "POST", `/v1/invoices/${s.ids[0]}/payments`, { amount_cents: 4000 });
    ({ body } = await s.banner());
    expect(body?.next_instalment).toMatchObject({ number: 2, of: 3, amount_cents: 4000, due_date: instalments[1]?.due_date });
    page = await s.page();
    expect(page).toMatch(/Betaald<\/td>/);
  });

  it("help asked: the shop will contact you; nothing to pay now on the banner", async () => {
    const s = await debtorWithInvoice();
    expect((await s.act({ action: "help" })).status).toBe(200);
    const { body } = await s.banner();
    expect(body?.state).toBe("help");
    expect(body?.title).toBe("We nemen contact met u op");
    expect(body?.pay_url).toBeNull();
    expect(kinds(body)).toEqual(["details", "help"]);
    expect(await s.page()).toContain("We nemen contact met u op");
  });

  it("a dispute: nothing to pay now, and no pay link anywhere", async () => {
    const s = await debtorWithInvoice();
    expect((await s.act({ action: "dispute", reason: "Nooit ontvangen." })).status).toBe(200);
    const { body } = await s.banner();
    expect(body?.state).toBe("dispute");
    expect(body?.text).toContain("U hoeft nu niets te betalen.");
    expect(body?.pay_url).toBeNull();
    expect(body?.invoices.map((i) => i.pay_url)).toEqual([null]);
    expect(body?.dismiss_until).toBeNull();
    const page = await s.page();
    expect(page).not.toContain("https://shop.example/pay");
    expect(page).toContain('id="help"');
    expect(page).not.toContain('id="payment-date"');
  });

  it("debt counselling or a breathing space: nothing to pay now, debt help never named on the banner", async () => {
    const s = await debtorWithInvoice();
    expect((await call(s.t.key, "POST", `/v1/debtors/${s.d}/stops`, { kind: "debt_counselling" })).status).toBe(200);
    const { body } = await s.banner();
    expect(body?.state).toBe("debt_help");
    expect(body?.title).toBe("U hoeft nu niets te betalen");
    expect(`${body?.title} ${body?.text}`).not.toMatch(/schuld|debt|dette/i);
    expect(body?.pay_url).toBeNull();
    expect(kinds(body)).toEqual(["details", "help"]);
    // The stop lasts 240 days: so does a dismissal.
    expect(Date.parse(body?.dismiss_until ?? "")).toBeGreaterThan((await loadClock(env)).now() + 200 * DAY);
    expect(await s.page()).not.toContain("https://shop.example/pay");
  });

  it("nothing open: the banner answers 204 from the index, the page says thank you", async () => {
    const s = await debtorWithInvoice();
    await call(s.t.key, "POST", `/v1/invoices/${s.ids[0]}/payments`, { amount_cents: 4995 });
    expect((await s.banner()).res.status).toBe(204);
    expect(await s.page()).toContain("Er staat niets meer open. Dank u wel!");
  });
});
