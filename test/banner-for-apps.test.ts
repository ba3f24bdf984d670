/**
 * The banner shaped for apps: the reader's language from Accept-Language (bilingual Belgian
 * apps), deep links that keep that language on the debtor's page, how long a dismissal lasts,
 * and the shop's own voice (name, logo, colour, phone, hours, chat) with nothing saying Kindly.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { debtorLinkSecret, signDebtorLink } from "../workers/links";
import { negotiateLocale } from "../workers/banner/accept-language";
import { dismissUntil } from "../workers/banner/dismiss";
import { formatOpeningHours, formatPhone } from "../workers/shop-voice";
import { zonedTimeToEpoch } from "../workers/zoned-time";
import { call, invoiceBody, newDebtorId, newTenant, openDebtorPage, register } from "./helpers";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

async function belgianDebtor(profile: Record<string, unknown> = {}) {
  const t = await newTenant("BE");
  if (Object.keys(profile).length > 0) expect((await call(t.key, "PATCH", "/v1/account", profile)).status).toBe(200);
  const d = newDebtorId();
  const debtor = { id: d, name: "Lotte Peeters", email: "lotte@example.be", locale: "nl-BE", time_zone: "Europe/Brussels", address: { line1: "Rue Haute 1", postal_code: "1000", city: "Brussel", country: "BE" } };
  await register(t.key, await invoiceBody(d, -1, { debtor, amount_cents: 2390 }));
  const { token } = (await (await call(t.key, "POST", `/v1/debtors/${d}/banner-token`, {})).json()) as { token: string };
  const banner = (headers: Record<string, string> = {}) => call(null, "GET", "/v1/banner", undefined, { authorization: `Bearer ${token}`, ...headers });
  const link = await signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t.id, debtorId: d, exp: Date.now() + 86400_000 });
  const page = async () => plain(await (await openDebtorPage(`/d/${link}`)).text());
  return { t, banner, page };
}

describe("Accept-Language", () => {
  it("picks among nl-NL, nl-BE, fr-BE and en by quality, plain 'nl' by the debtor's country, else the debtor's own", () => {
    expect(negotiateLocale("fr-BE,fr;q=0.9,nl;q=0.8", "nl-BE", "BE")).toBe("fr-BE");
    expect(negotiateLocale("nl;q=0.4, fr;q=0.6", "nl-BE", "BE")).toBe("fr-BE");
    expect(negotiateLocale("nl", "fr-BE", "BE")).toBe("nl-BE");
    expect(negotiateLocale("nl", "en", "NL")).toBe("nl-NL");
    expect(negotiateLocale("nl-NL", "nl-BE", "BE")).toBe("nl-NL");
    expect(negotiateLocale("de-DE, en-GB;q=0.5", "nl-NL", "NL")).toBe("en");
    expect(negotiateLocale("de-DE", "fr-BE", "BE")).toBe("fr-BE");
    expect(negotiateLocale("fr;q=0, *", "nl-BE", "BE")).toBe("nl-BE");
    expect(negotiateLocale(undefined, "en", "NL")).toBe("en");
    expect(negotiateLocale("", "nl-NL", "NL")).toBe("nl-NL");
  });

  it("a French-speaking app gets the banner in French, with its own ETag, and deep links that open the page in French", async () => {
    const s = await belgianDebtor();
    const nl = await s.banner();
    expect(nl.headers.get("content-language")).toBe("nl-BE");
    expect(nl.headers.get("vary")).toMatch(/Accept-Language/);
    const nlBody = JSON.parse(plain(await nl.text())) as { title: string };
    expect(nlBody.title).toBe("Er staat nog een betaling open");

    const fr = await s.banner({ "accept-language": "fr-BE,fr;q=0.9" });
    expect(fr.headers.get("content-language")).toBe("fr-BE");
    expect(fr.headers.get("etag")).not.toBe(nl.headers.get("etag"));
    const body = JSON.parse(plain(await fr.text())) as { locale: string; title: string; text: string; actions: { kind: string; url: string }[]; help: { name: string }[] };
    expect(body.locale).toBe("fr-BE");
    expect(body.title).toBe("Il reste un paiement à faire");
    expect(body.text).toContain("Il vous reste 23,90 € à payer chez Shop");
    // Brussels (postal code 1000): the CPAS and the Brussels debt-mediation site, in French.
    expect(body.help.map((h) => h.name)).toEqual(["le CPAS de votre commune", "tropdedettes.be"]);
    const deep = body.actions.find((a) => a.kind === "help")?.url ?? "";
    expect(new URL(deep).searchParams.get("lang")).toBe("fr-BE");
    const page = plain(await (await openDebtorPage(new URL(deep).pathname + new URL(deep).search)).text());
    expect(page).toContain('<html lang="fr-BE">');
    expect(page).toContain("Votre paiement à Shop");
    // The switch back to Dutch, and forms that keep French after a post.
    expect(page).toContain('hreflang="nl-BE"');
    expect(page).toContain('action="/d/actions?lang=fr-BE"');

    // The If-None-Match of the Dutch banner does not answer 304 for the French one.
    const again = await s.banner({ "accept-language": "fr-BE", "if-none-match": nl.headers.get("etag") ?? "" });
    expect(again.status).toBe(200);
  });
});

describe("how long a dismissal lasts", () => {
  const tz = "Europe/Amsterdam";
  const now = zonedTimeToEpoch("2026-12-01", 15, 0, tz);
  const morning = (day: string) => new Date(zonedTimeToEpoch(day, 7, 0, tz)).toISOString();

  it("open: until the next morning; checking or a chosen date: until that ends; a plan: three days before the next part; a dispute: until it changes", () => {
    expect(dismissUntil({ kind: "open" }, now, tz)).toBe(morning("2026-12-02"));
    const week = new Date(now + 7 * 86400_000).toISOString();
    expect(dismissUntil({ kind: "already_paid", until: week }, now, tz)).toBe(week);
    expect(dismissUntil({ kind: "payment_date", date: "2026-12-24", until: morning("2026-12-25") }, now, tz)).toBe(morning("2026-12-25"));
    const next = { seq: 2, of: 3, dueDate: "2027-01-25", amountCents: 4000 };
    expect(dismissUntil({ kind: "arrangement", next, instalments: [] }, now, tz)).toBe(morning("2027-01-22"));
    // The next part is due tomorrow: a dismissal still buys a quiet evening, not less.
    expect(dismissUntil({ kind: "arrangement", next: { ...next, dueDate: "2026-12-02" }, instalments: [] }, now, tz)).toBe(morning("2026-12-02"));
    expect(dismissUntil({ kind: "dispute" }, now, tz)).toBeNull();
    expect(dismissUntil({ kind: "debt_help", reason: "breathing_space", until: null }, now, tz)).toBeNull();
  });
});

describe("the shop's own voice", () => {
  it("formats the shop's phone for the reader's country and its hours in the reader's language", () => {
    expect(formatPhone("+3226401234", "BE")).toEqual({ display: "02 640 12 34", tel: "tel:+3226401234" });
    expect(formatPhone("+31201234567", "BE")).toEqual({ display: "+31 20 123 4567", tel: "tel:+31201234567" });
    const hours = [{ days: ["mon", "tue", "wed", "thu", "fri"] as const, from: "09:00", to: "17:00" }, { days: ["sat"] as const, from: "10:00", to: "14:00" }].map((h) => ({ ...h, days: [...h.days] }));
    expect(formatOpeningHours(hours, "nl-BE")).toEqual(["ma–vr 09:00–17:00", "za 10:00–14:00"]);
    expect(formatOpeningHours(hours, "fr-BE")).toEqual(["lun.–ven. 09:00–17:00", "sam. 10:00–14:00"]);
    expect(formatOpeningHours(hours, "en")).toEqual(["Mon–Fri 09:00–17:00", "Sat 10:00–14:00"]);
    expect(formatOpeningHours([{ days: ["mon", "wed"], from: "09:00", to: "12:00" }], "nl-NL")).toEqual(["ma, wo 09:00–12:00"]);
  });

  it("page and banner carry the shop's name, logo, colour, phone, hours, chat and help page; nothing says Kindly", async () => {
    const profile = {
      display_name: "Fietsen Peeters",
      branding: { logo_url: "https://cdn.fietsen.example/logo.png", brand_colour: "#0b5d3b" },
      service: { phone: "+3226401234", hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }], chat_url: "https://fietsen.example/chat", help_url: "https://fietsen.example/hulp" },
      email: { from_name: "Fietsen Peeters", from_address: "klant@fietsen.example", reply_to: "service@fietsen.example" },
    };
    const s = await belgianDebtor(profile);
    const res = await s.banner();
    const text = plain(await res.text());
    const banner = JSON.parse(text) as { title: string; text: string; shop: Record<string, unknown> };
    expect(banner.text).toContain("Bij Fietsen Peeters staat nog € 23,90 voor u open.");
    expect(banner.shop).toEqual({
      name: "Fietsen Peeters",
      logo_url: "https://cdn.fietsen.example/logo.png",
      brand_colour: "#0b5d3b",
      phone: { display: "02 640 12 34", tel: "tel:+3226401234" },
      hours: ["ma–vr 09:00–17:00"],
      chat_url: "https://fietsen.example/chat",
      email: "service@fietsen.example",
    });
    expect(text).not.toMatch(/kindly/i);

    const page = await s.page();
    expect(page).toContain("<title>Uw betaling aan Fietsen Peeters</title>");
    expect(page).toContain('<img src="https://cdn.fietsen.example/logo.png" alt="Fietsen Peeters">');
    expect(page).toContain(":root{--brand:#0b5d3b}");
    expect(page).toContain('Bel <a href="tel:+3226401234">02 640 12 34</a> (bereikbaar: ma–vr 09:00–17:00)');
    expect(page).toContain('<a href="https://fietsen.example/chat" rel="noopener noreferrer">Chat met ons</a>');
    expect(page).toContain('<a href="mailto:service@fietsen.example">service@fietsen.example</a>');
    // The shop's own help page, named as the shop's, beside the free help of the region.
    expect(page).toContain('<a href="https://fietsen.example/hulp" rel="noopener noreferrer">Hulp en tips van Fietsen Peeters</a>');
    expect(page).toContain("tropdedettes.be");
    expect(page).not.toMatch(/kindly/i);
  });
});
