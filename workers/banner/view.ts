/**
 * The in-app banner: what the DebtorDO knows (BannerData) turned into what an app shows (Banner),
 * in the reader's language. Pure: no bindings, no clock. It tells the truth about the debtor's
 * state (debtor-state.ts), and every pay action pays exactly the amount it names
 * (pay-action.ts). Links are http(s) only, because a web shop may put them straight into an
 * <a href>; the actions open the debtor's own page at a section (deep links for apps).
 */
import { formatDate, formatMoney } from "../../emails/format";
import type { DebtorState } from "../debtor/debtor-state";
import type { OpenInvoiceView } from "../debtor/self-service-types";
import { type HelpPlace, helpPlaces } from "../help-places";
import type { PayActions } from "../pay-action";
import { formatOpeningHours, formatPhone, type ShopVoice } from "../shop-voice";
import type { ReaderLocale } from "./accept-language";
import { BANNER_COPY, type StateText, type StateWords } from "./copy";

/** What the DebtorDO's `bannerView(tenantId)` returns while the debtor has something open. */
export interface BannerData {
  /** The debtor's own language; the reader's (Accept-Language) may differ. */
  locale: ReaderLocale;
  country: "NL" | "BE";
  /** Only to find the free debt help of the debtor's region (Belgium: by postal code). */
  postalCode: string | null;
  shop: ShopVoice;
  invoices: OpenInvoiceView[];
  totalCents: number;
  state: DebtorState;
  /** Computed with the self-service page as the list of per-invoice links. */
  pay: PayActions;
  /** The debtor's self-service page (`{PUBLIC_BASE_URL}/d/{token}`), or null when links are off. */
  selfServiceUrl: string | null;
  /** Whether the page offers a pay date or an arrangement to this debtor now. */
  offers: { paymentDate: boolean; arrangement: boolean };
  /** Until when a dismissal holds (ISO instant); null: until the state changes (banner/dismiss.ts). */
  dismissUntil: string | null;
}

/** What the app reports about a banner it showed; `at` is an ISO instant (UTC), absent: "now" by the DO's clock. */
export interface BannerEvent {
  type: "impression" | "click" | "dismiss";
  at?: string;
}

/** Kinds of banner action: each opens a URL; only "pay" pays, and then exactly `amount_cents`. */
export const BANNER_ACTION_KINDS = ["pay", "pay_each", "already_paid", "payment_date", "arrangement", "view_plan", "help", "details"] as const;
export type BannerActionKind = (typeof BANNER_ACTION_KINDS)[number];

/** One button under the banner text. */
export interface BannerAction {
  kind: BannerActionKind;
  label: string;
  url: string;
  /** Only on "pay": the amount that following `url` pays. */
  amount_cents?: number;
}

/** The JSON body of `GET /v1/banner` (200). */
export interface Banner {
  state: Exclude<DebtorState["kind"], "nothing_open">;
  locale: ReaderLocale;
  title: string;
  text: string;
  total_cents: number;
  total_formatted: string;
  invoice_count: number;
  invoices: { reference: string; due_date: string; due_date_formatted: string; outstanding_cents: number; outstanding_formatted: string; pay_url: string | null }[];
  /** The chosen pay date (state "payment_date"). */
  payment_date: string | null;
  /** The next instalment (state "arrangement"). */
  next_instalment: { number: number; of: number; due_date: string; amount_cents: number; amount_formatted: string } | null;
  /** The main pay action's URL and label (also the first action); null when the state asks no payment. */
  pay_url: string | null;
  pay_label: string | null;
  actions: BannerAction[];
  shop: { name: string; logo_url: string | null; brand_colour: string | null; phone: { display: string; tel: string } | null; hours: string[]; chat_url: string | null; email: string | null };
  /** Free, concrete debt help for the debtor's country or region. */
  help: HelpPlace[];
  dismissible: true;
  dismiss_until: string | null;
}

/** The URL if it is an absolute http(s) URL, else null (never a javascript: or data: link). */
function webUrl(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u : null;
  } catch {
    return null;
  }
}

/** The page at a section, in the reader's language when it is not the debtor's own. */
function deepLink(page: URL, section: string | null, lang: ReaderLocale | null): string {
  const u = new URL(page);
  if (lang) u.searchParams.set("lang", lang);
  u.hash = section ?? "";
  return u.toString();
}

/** The title and text for a state, in one locale; shared with the self-service page's status card. */
export function stateText(state: DebtorState, words: StateWords, locale: ReaderLocale): StateText {
  const copy = BANNER_COPY[locale];
  if (state.kind === "arrangement" && !state.next) return copy.arrangementDone(words);
  return copy.state[state.kind === "nothing_open" ? "open" : state.kind](words);
}

/** The formatted values a state's words use. */
export function stateWords(state: DebtorState, shop: string, totalCents: number, invoiceCount: number, locale: ReaderLocale): StateWords {
  const next = state.kind === "arrangement" ? state.next : null;
  const date = state.kind === "payment_date" ? state.date : (next?.dueDate ?? null);
  return {
    shop,
    total: formatMoney(totalCents, locale),
    invoiceCount,
    date: date ? formatDate(date, locale) : "",
    amount: next ? formatMoney(next.amountCents, locale) : "",
    seq: next?.seq ?? 0,
    of: next?.of ?? 0,
  };
}

/** The actions for a state: pay only where a payment is asked, and only with an honest amount. */
function actionsFor(data: BannerData, locale: ReaderLocale, lang: ReaderLocale | null): BannerAction[] {
  const labels = BANNER_COPY[locale].labels;
  const page = webUrl(data.selfServiceUrl);
  const link = (section: string | null) => (page ? deepLink(page, section, lang) : null);
  const out: BannerAction[] = [];
  const add = (kind: BannerActionKind, label: string, url: string | null, amount?: number) => {
    if (url) out.push({ kind, label, url, ...(amount === undefined ? {} : { amount_cents: amount }) });
  };
  const primary = data.pay.primary;
  const kind = data.state.kind;
  if (kind === "open" || kind === "payment_date") {
    const pays = primary?.pays ? webUrl(primary.url) : null;
    if (primary && pays) add("pay", labels.pay(formatMoney(primary.amountCents, locale)), pays.toString(), primary.amountCents);
    // Several invoices and no single link for all: the page lists each with its own link.
    else add("pay_each", labels.payEach, link("invoices"));
  }
  if (kind === "open") {
    add("already_paid", labels.alreadyPaid, link("already-paid"));
    if (data.offers.paymentDate) add("payment_date", labels.paymentDate, link("payment-date"));
    if (data.offers.arrangement) add("arrangement", labels.arrangement, link("arrangement"));
  }
  if (kind === "arrangement") add("view_plan", labels.viewPlan, link("plan"));
  if (kind === "already_paid" || kind === "help" || kind === "dispute" || kind === "debt_help") add("details", labels.details, link(null));
  add("help", labels.help, link("help"));
  return out;
}

/** The localized banner for a debtor with something open, in `locale` (default: the debtor's). */
export function bannerFor(data: BannerData, locale: ReaderLocale = data.locale): Banner {
  const state = data.state;
  const money = (cents: number) => formatMoney(cents, locale);
  const text = stateText(state, stateWords(state, data.shop.name, data.totalCents, data.invoices.length, locale), locale);
  const actions = actionsFor(data, locale, locale === data.locale ? null : locale);
  const pay = actions.find((a) => a.kind === "pay" || a.kind === "pay_each") ?? null;
  const next = state.kind === "arrangement" ? state.next : null;
  const phone = data.shop.phone ? formatPhone(data.shop.phone, data.country) : null;
  // Per-invoice links pay exactly that invoice; never offered where the state asks no payment.
  const payable = state.kind !== "dispute" && state.kind !== "debt_help";
  return {
    state: state.kind === "nothing_open" ? "open" : state.kind,
    locale,
    title: text.title,
    text: text.text,
    total_cents: data.totalCents,
    total_formatted: money(data.totalCents),
    invoice_count: data.invoices.length,
    invoices: data.invoices.map((i) => ({
      reference: i.reference,
      due_date: i.dueDate,
      due_date_formatted: formatDate(i.dueDate, locale),
      outstanding_cents: i.outstandingCents,
      outstanding_formatted: money(i.outstandingCents),
      pay_url: payable ? (webUrl(i.payUrl)?.toString() ?? null) : null,
    })),
    payment_date: state.kind === "payment_date" ? state.date : null,
    next_instalment: next ? { number: next.seq, of: next.of, due_date: next.dueDate, amount_cents: next.amountCents, amount_formatted: money(next.amountCents) } : null,
    pay_url: pay?.url ?? null,
    pay_label: pay?.label ?? null,
    actions,
    shop: {
      name: data.shop.name,
      logo_url: webUrl(data.shop.logoUrl)?.toString() ?? null,
      brand_colour: data.shop.brandColour,
      phone: phone ? { display: phone.display, tel: phone.tel } : null,
      hours: formatOpeningHours(data.shop.hours, locale),
      chat_url: webUrl(data.shop.chatUrl)?.toString() ?? null,
      email: data.shop.email,
    },
    help: helpPlaces(data.country, locale, data.postalCode ?? undefined),
    dismissible: true,
    dismiss_until: data.dismissUntil,
  };
}

// Bump when the copy or the Banner shape changes, so every cached banner is fetched again.
const BANNER_REVISION = "banner-v2";

/**
 * The weak ETag of a debtor's banner: a hash of the revision, tenant, debtor, everything the
 * banner is made of and the reader's locale. Tenant and debtor are in it so an app that reuses
 * a stored ETag after switching customers can never get a 304 for someone else's banner.
 */
export async function bannerEtag(tenantId: string, debtorId: string, data: BannerData, locale: ReaderLocale): Promise<string> {
  const input = [BANNER_REVISION, tenantId, debtorId, JSON.stringify(data), locale].join("\n");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input)));
  let bin = "";
  for (const b of digest.subarray(0, 16)) bin += String.fromCharCode(b);
  return `W/"${btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}"`;
}

/** Whether an If-None-Match header matches `etag` (weak comparison, RFC 9110 §13.1.2). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === wanted);
}
