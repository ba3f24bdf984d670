/**
 * Realistic sample data per template and locale, for previews, snapshots, readability scores and
 * the future copy editor: a Dutch shop and debtor for nl-NL and en, a Flemish one for nl-BE, a
 * Walloon one for fr-BE. Legal amounts come from the law functions, as in a real message.
 */
import { announcedCosts } from "../policy/engine-costs";
import { DEFAULT_POLICY } from "../policy/default-policy";
import type { CopyKey, CopyLocale } from "./copy";
import type { MessageInput } from "./model";

interface Sample {
  shop: MessageInput["shop"] & { addressLines: string[] };
  debtor: { id: string; name: string; address: { line1: string; postal_code: string; city: string; country: "NL" | "BE" } };
  invoices: MessageInput["invoices"];
}

const NL: Sample = {
  shop: {
    name: "Fietsenwinkel De Spaak",
    email: "klantenservice@despaak.example",
    phone: "+31 30 123 4567",
    hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
    bank: { iban: "NL91ABNA0417164300", account_holder: "De Spaak B.V." },
    partnerName: "Incassobureau Voorbeeld",
    addressLines: ["Oudegracht 12", "3511 AR Utrecht"],
  },
  debtor: { id: "cust-42", name: "Sanne de Vries", address: { line1: "Dorpsstraat 1", postal_code: "3512 AB", city: "Utrecht", country: "NL" } },
  invoices: [
    { id: "inv_1", reference: "F-2026-0142", description: "Fietshelm", dueDate: "2026-11-02", amountCents: 4995, outstandingCents: 4995, payUrl: "https://despaak.example/pay/F-2026-0142" },
    { id: "inv_2", reference: "F-2026-0187", description: "Onderhoud stadsfiets", dueDate: "2026-11-16", amountCents: 12950, outstandingCents: 8950, payUrl: "https://despaak.example/pay/F-2026-0187" },
  ],
};

const BE_NL: Sample = {
  shop: {
    name: "Fietsen Van Damme",
    email: "klantendienst@vandamme.example",
    phone: "+32 9 123 45 67",
    hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:30" }],
    bank: { iban: "BE68539007547034", account_holder: "Fietsen Van Damme BV" },
    enterpriseNumber: "BE 0123.456.749",
    partnerName: "Incassokantoor Voorbeeld",
    addressLines: ["Kerkstraat 12", "9000 Gent"],
  },
  debtor: { id: "cust-77", name: "Lotte Peeters", address: { line1: "Stationsstraat 4 bus 2", postal_code: "2800", city: "Mechelen", country: "BE" } },
  invoices: [
    { id: "inv_3", reference: "F-2026-0342", description: "Fietshelm", dueDate: "2026-11-02", amountCents: 4995, outstandingCents: 4995, payUrl: "https://vandamme.example/pay/F-2026-0342" },
    { id: "inv_4", reference: "F-2026-0387", description: "Onderhoud stadsfiets", dueDate: "2026-11-16", amountCents: 8950, outstandingCents: 8950, payUrl: "https://vandamme.example/pay/F-2026-0387" },
  ],
};

const BE_FR: Sample = {
  shop: {
    name: "Vélos Dupont",
    email: "service@velosdupont.example",
    phone: "+32 4 123 45 67",
    hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
    bank: { iban: "BE68539007547034", account_holder: "Vélos Dupont SRL" },
    enterpriseNumber: "BE 0123.456.749",
    partnerName: "Bureau de recouvrement Exemple",
    addressLines: ["Rue Léopold 8", "4000 Liège"],
  },
  debtor: { id: "cust-91", name: "Camille Lambert", address: { line1: "Rue de Fer 20", postal_code: "5000", city: "Namur", country: "BE" } },
  invoices: [
    { id: "inv_5", reference: "F-2026-0542", description: "Casque de vélo", dueDate: "2026-11-02", amountCents: 4995, outstandingCents: 4995, payUrl: "https://velosdupont.example/pay/F-2026-0542" },
    { id: "inv_6", reference: "F-2026-0587", description: "Entretien vélo de ville", dueDate: "2026-11-16", amountCents: 8950, outstandingCents: 8950, payUrl: "https://velosdupont.example/pay/F-2026-0587" },
  ],
};

/** The step or message kind a template is usually sent as. */
export function sampleKind(key: CopyKey): string {
  if (key === "nl-fourteen-day-letter") return "nl_fourteen_day_letter";
  if (key === "be-first-reminder") return "be_first_reminder";
  if (key === "arrangement-confirmation") return "arrangement_confirmation";
  if (key === "instalment-reminder") return "instalment_reminder";
  if (key === "instalment-missed") return "instalment_missed";
  if (key === "payment-thanks") return "payment_thanks";
  if (key === "pre-due-nudge") return "pre_due_nudge";
  return "reminder";
}

/** The country a template's sample lives in: its law's country, else the locale's. */
export function sampleCountry(key: CopyKey, locale: CopyLocale): "NL" | "BE" {
  if (key === "nl-fourteen-day-letter") return "NL";
  if (key === "be-first-reminder") return "BE";
  return locale === "nl-BE" || locale === "fr-BE" ? "BE" : "NL";
}

// Costs as a tenant with costs switched on would announce them, computed by the law functions.
const COSTS_ON = { ...DEFAULT_POLICY, costs: { ...DEFAULT_POLICY.costs, nl_bik_enabled: true, be_damages_enabled: true } };

/**
 * Sample message data for a template in a locale, on a channel. `country` picks the other
 * country's sample (a Belgian shop writing English); a legal template keeps its own country.
 */
export function sampleInput(key: CopyKey, locale: CopyLocale, channel: MessageInput["channel"], country: "NL" | "BE" = sampleCountry(key, locale)): MessageInput & { sample: Sample } {
  if (key === "nl-fourteen-day-letter" || key === "be-first-reminder") country = sampleCountry(key, locale);
  const s = country === "NL" ? NL : locale === "fr-BE" ? BE_FR : BE_NL;
  const kind = sampleKind(key);
  const principal = s.invoices.reduce((t, i) => t + i.outstandingCents, 0);
  const page = `https://pay.${s.shop.email?.split("@")[1] ?? "shop.example"}/d/SAMPLE-TOKEN`;
  const arrangement = ["arrangement-confirmation", "instalment-reminder", "instalment-missed"].includes(key);
  const instalments = arrangement ? [
    { seq: 1, dueDate: "2026-12-25", amountCents: Math.floor(principal / 3) },
    { seq: 2, dueDate: "2027-01-25", amountCents: Math.floor(principal / 3) },
    { seq: 3, dueDate: "2027-02-25", amountCents: principal - 2 * Math.floor(principal / 3) },
  ] : undefined;
  return {
    sample: s,
    template: key,
    kind,
    channel,
    locale,
    country,
    today: "2026-11-20",
    debtor: { id: s.debtor.id, name: s.debtor.name, postalCode: s.debtor.address.postal_code },
    shop: s.shop,
    invoices: s.invoices,
    links: {
      page,
      short: channel === "email" ? null : "https://pay.example/l/K7QM4-RTX9P-WDHN3",
      alreadyPaid: `${page}#already-paid`,
      paymentDate: `${page}#payment-date`,
      arrangement: `${page}#arrangement`,
    },
    history: {
      previous: key === "pre-due-nudge" || key === "reminder-friendly" || key === "reminder-gentle" || key === "be-first-reminder" ? null : { date: "2026-11-13", channel: "email" },
      reportedPaidOn: key === "already-paid-follow-up" ? "2026-11-10" : null,
    },
    legal: { announcedCents: announcedCosts(kind, country, COSTS_ON, principal), termEndDate: kind === "be_first_reminder" ? "2026-12-04" : null, vatOnCosts: false },
    paymentDigits: "123456789002",
    ...(instalments ? { instalments, instalmentSeq: key === "arrangement-confirmation" ? 1 : 2 } : {}),
    ...(key === "payment-thanks" ? { paidCents: principal } : {}),
  };
}

/** The sample's letter parties: sender, recipient and our reference. */
export function sampleLetterParties(input: ReturnType<typeof sampleInput>) {
  const s = input.sample;
  return {
    sender: { name: s.shop.name, addressLines: s.shop.addressLines, email: s.shop.email, phone: s.shop.phone, enterpriseNumber: input.country === "BE" ? s.shop.enterpriseNumber : undefined },
    recipient: { name: s.debtor.name, address: s.debtor.address },
    reference: s.invoices.map((i) => i.reference).join(", "),
  };
}
