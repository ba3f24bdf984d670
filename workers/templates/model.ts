/**
 * What one message says, before it is drawn as an email, a letter or an SMS: the template's
 * editable blocks filled in, and every locked part (amounts, the crossed-payment line, help, how
 * to pay, legal notices) worked out in code. Pure: plain data in, plain data out; the renderers
 * only lay it out, so every channel says the same thing.
 */
import type { OpeningHours } from "../account-profile";
import { COPY } from "../../emails/copy";
import { formatDate, formatMoney } from "../../emails/format";
import { helpPlaces } from "../help-places";
import { epcPayload, epcQrSvg, type EpcTransfer } from "../payments/epc-qr";
import { formatKenmerk, formatStructured } from "../payments/structured-communication";
import { fillPayUrl, payActions } from "../pay-action";
import { resolveCopy, type PlaceholderValues, type ResolvedCopy, type TemplateCopy } from "./blocks";
import { defaultCopy, type CopyKey, type CopyLocale } from "./copy";
import { templateDef, type CrossedVariant, type TemplateChannel } from "./keys";
import { LOCKED, type LockedCopy } from "./locked";

/** Everything a message may say, as plain data. */
export interface MessageInput {
  template: CopyKey;
  /** The step or message kind: legal notices follow the kind, not the template. */
  kind: string;
  channel: Exclude<TemplateChannel, "call">;
  locale: CopyLocale;
  country: "NL" | "BE";
  /** The debtor's calendar day the message is written. */
  today: string;
  debtor: { id: string; name: string; postalCode?: string | undefined };
  shop: {
    name: string;
    email?: string | undefined;
    phone?: string | undefined;
    hours?: OpeningHours[] | undefined;
    helpUrl?: string | undefined;
    enterpriseNumber?: string | undefined;
    bank?: { iban: string; account_holder: string; bic?: string | undefined } | undefined;
    payUrlTemplate?: string | undefined;
    partnerName?: string | undefined;
    /** The shop's brand colour for buttons (contrast checked when it was saved). */
    brandColour?: string | undefined;
  };
  invoices: { id: string; reference: string; description?: string | undefined; dueDate: string; amountCents: number; outstandingCents: number; payUrl: string }[];
  /** The debtor's page (full signed link) and, on paper and in SMS, its short link. */
  links: { page: string | null; short: string | null; alreadyPaid?: string; paymentDate?: string; arrangement?: string };
  history: { previous: { date: string; channel: "email" | "letter" | "sms" | "call" } | null; reportedPaidOn: string | null };
  legal: { announcedCents: number; termEndDate: string | null; vatOnCosts: boolean };
  /** The debtor's 12-digit payment number (BE structured communication; NL kenmerk). */
  paymentDigits: string | null;
  instalments?: { seq: number; dueDate: string; amountCents: number }[];
  /** The instalment a reminder or missed-instalment message is about. */
  instalmentSeq?: number;
  paidCents?: number;
  /** A tenant's own copy for this template and locale (issue 8); the default otherwise. */
  copy?: TemplateCopy;
}

/** A labelled link. */
export interface ActionLink {
  label: string;
  url: string;
}

/** The drawn-independent content of one message. */
export interface MessageModel {
  input: MessageInput;
  locked: LockedCopy;
  copy: ResolvedCopy;
  helpFirst: boolean;
  money: (cents: number) => string;
  day: (iso: string) => string;
  total: string;
  rows: { reference: string; description: string | null; dueDate: string; outstanding: string; original: string | null; payLink: ActionLink | null }[];
  instalmentRows: { part: number; date: string; amount: string }[] | null;
  /** The main pay action; its label names an amount only when following it pays exactly that. */
  pay: (ActionLink & { amountCents: number | null }) | null;
  /** How to pay by transfer; the QR code as SVG (HTML) and as its EPC payload (the PDF draws its own vector code). */
  bank: { intro: string; lines: [string, string][]; note: string; qrText: string; qrSvg: string | null; qrPayload: string | null } | null;
  crossed: string;
  crossedVariant: CrossedVariant;
  help: { heading: string; intro: string; places: { name: string; detail: string; url: string | null; phone: string | null; phoneNumber: string | null }[]; shop: ActionLink | null };
  /** The legal notice, paragraph by paragraph; the term is printed in bold. */
  legal: { text: string; strong: boolean }[] | null;
  contact: string[];
  options: ActionLink[];
}

const hasText = (s: string | undefined): s is string => typeof s === "string" && s.trim().length > 0;

/** A date in figures for an SMS: 25-08-2027 in Dutch, 25/08/2027 otherwise. */
function smsDate(iso: string, locale: CopyLocale): string {
  formatDate(iso, locale); // refuses a day that does not exist, as every other date here
  const [y, mo, d] = iso.split("-");
  return locale.startsWith("nl") ? `${d}-${mo}-${y}` : `${d}/${mo}/${y}`;
}

/** The opening hours in words: "ma-vr 09:00-17:00 uur". */
function hoursText(hours: OpeningHours[] | undefined, l: LockedCopy): string | null {
  if (!hours?.length) return null;
  return hours
    .map((h) => {
      const first = h.days[0];
      const last = h.days.at(-1);
      const days = first && last && first !== last ? `${l.weekdays[first]}-${l.weekdays[last]}` : l.weekdays[first ?? "mon"];
      return l.hours(days, h.from, h.to);
    })
    .join(", ");
}

/** The payment reference shown with a bank transfer, and what goes in the QR code. */
function reference(m: MessageInput): { display: string; qr: EpcTransfer["reference"] } | null {
  const only = m.invoices.length === 1 ? m.invoices[0] : undefined;
  if (m.country === "NL" && only && !m.instalments?.length) return { display: only.reference, qr: { text: only.reference } };
  if (!m.paymentDigits) return only ? { display: only.reference, qr: { text: only.reference } } : null;
  if (m.country === "BE") return { display: formatStructured(m.paymentDigits), qr: { structured: m.paymentDigits } };
  const display = formatKenmerk(m.paymentDigits);
  return { display, qr: { text: m.paymentDigits } };
}

/**
 * The language a message is written in. The lawful 14-day term sentence exists in Dutch and
 * English only (NL_FOURTEEN_DAY_WORDING), so a 14-day letter to a debtor in the Netherlands who
 * reads Belgian Dutch or French is written in Dutch, the language the wording was vetted in.
 */
export function messageLocale(m: Pick<MessageInput, "kind" | "channel" | "country" | "locale">): CopyLocale {
  return m.kind === "nl_fourteen_day_letter" && m.channel === "letter" && m.country === "NL" && m.locale !== "en" ? "nl-NL" : m.locale;
}

/** Builds the message model: blocks filled, locked parts computed. */
export function buildMessage(input: MessageInput): MessageModel {
  const m: MessageInput = { ...input, locale: messageLocale(input) };
  const def = templateDef(m.template);
  const l = LOCKED[m.locale];
  const money = (c: number) => formatMoney(c, m.locale);
  // An SMS keeps to GSM-7 and to a lock screen's width: dates in figures ("25-08-2027", not "25 août").
  const day = (d: string) => (m.channel === "sms" ? smsDate(d, m.locale) : formatDate(d, m.locale));
  const totalCents = m.invoices.reduce((s, i) => s + i.outstandingCents, 0);
  const oldest = [...m.invoices].sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0];
  const isArrangement = def.family === "arrangements";
  const instalments = m.instalments ?? [];
  const current = instalments.find((i) => i.seq === (m.instalmentSeq ?? 1)) ?? instalments[0];

  const values: PlaceholderValues = {
    name: m.debtor.name,
    shop_name: m.shop.name,
    amount: money(totalCents),
    invoice_phrase: l.invoicePhrase(m.shop.name, m.invoices.length),
    due_date: oldest ? day(oldest.dueDate) : null,
    previous_date: m.history.previous ? day(m.history.previous.date) : null,
    previous_channel: m.history.previous ? l.channelPhrase[m.history.previous.channel] : null,
    partner_name: hasText(m.shop.partnerName) ? m.shop.partnerName : null,
    reported_date: m.history.reportedPaidOn ? day(m.history.reportedPaidOn) : null,
    instalment_count: instalments.length ? String(instalments.length) : null,
    instalment_number: current ? String(current.seq) : null,
    instalment_amount: current ? money(current.amountCents) : null,
    instalment_date: current ? day(current.dueDate) : null,
    paid_amount: m.paidCents !== undefined ? money(m.paidCents) : null,
  };
  const copy = resolveCopy(m.copy ?? defaultCopy(m.template, m.locale), values);

  // The pay action: it pays exactly the amount it names, or it names none (pay-action.ts).
  let pay: MessageModel["pay"] = null;
  let payCents = totalCents;
  const perInvoiceLinks = new Map<string, ActionLink>();
  if (m.template === "payment-thanks") {
    pay = m.links.page ? { label: copy.cta, url: m.links.page, amountCents: null } : null;
    payCents = 0;
  } else if (isArrangement && current) {
    payCents = current.amountCents;
    const url = m.shop.payUrlTemplate
      ? fillPayUrl(m.shop.payUrlTemplate, { debtor_id: m.debtor.id, amount_cents: String(current.amountCents), reference: reference(m)?.display ?? m.debtor.id, invoice_ids: m.invoices.map((i) => i.reference).join(",") })
      : null;
    if (url) pay = { label: copy.cta, url, amountCents: current.amountCents };
    else if (m.links.page) pay = { label: l.pay.toPage, url: m.links.page, amountCents: null };
  } else {
    const actions = payActions({
      invoices: m.invoices.map((i) => ({ id: i.id, merchantInvoiceId: i.reference, outstandingCents: i.outstandingCents, payUrl: i.payUrl })),
      debtorId: m.debtor.id,
      reference: reference(m)?.display ?? m.debtor.id,
      template: m.shop.payUrlTemplate,
      pageUrl: m.links.page,
    });
    const p = actions.primary;
    if (p) pay = p.pays ? { label: copy.cta, url: p.url, amountCents: p.amountCents } : { label: l.pay.toPage, url: p.url, amountCents: null };
    // Without one action for the total, each invoice row pays its own amount.
    if (p && !p.pays) for (const link of actions.perInvoice) perInvoiceLinks.set(link.merchantInvoiceId, { label: l.pay.perInvoice(money(link.amountCents)), url: link.url });
  }

  const ref = reference(m);
  const transfer: EpcTransfer | null = m.shop.bank && ref && payCents > 0 ? { name: m.shop.bank.account_holder, iban: m.shop.bank.iban, bic: m.shop.bank.bic, amountCents: payCents, reference: ref.qr } : null;
  const bank =
    m.shop.bank && ref && transfer
      ? {
          intro: l.pay.transfer(money(payCents)),
          lines: [
            [l.pay.iban, m.shop.bank.iban.replace(/(.{4})(?=.)/g, "$1 ")],
            [l.pay.holder, m.shop.bank.account_holder],
            ...(m.shop.bank.bic ? [[l.pay.bic, m.shop.bank.bic] as [string, string]] : []),
            [l.pay.amount, money(payCents)],
            [l.pay.reference[m.country], ref.display],
          ] as [string, string][],
          note: l.pay.referenceNote[m.country],
          qrText: l.pay.qr[m.country],
          qrSvg: epcQrSvg(transfer, l.pay.qrTitle),
          qrPayload: epcPayload(transfer),
        }
      : null;

  const places = helpPlaces(m.country, m.locale, m.debtor.postalCode).map((p) => ({
    name: p.name,
    detail: p.detail,
    url: p.url ?? null,
    phone: p.phone ? l.help.phone(p.phone.display) : null,
    phoneNumber: p.phone?.display ?? null,
  }));

  const contact: string[] = [];
  if (hasText(m.shop.phone)) contact.push(l.pay.phone(m.shop.phone, hoursText(m.shop.hours, l)));
  if (hasText(m.shop.email)) contact.push(l.pay.mail(m.shop.email));
  else contact.push(m.channel === "letter" ? l.pay.writeUs : l.pay.reply);

  const words = COPY[m.locale].options;
  const options = [
    { url: m.links.alreadyPaid, label: words.alreadyPaid },
    { url: m.links.paymentDate, label: words.paymentDate },
    { url: m.links.arrangement, label: words.arrangement },
  ];
  return {
    input: m,
    locked: l,
    copy,
    helpFirst: def.helpFirst === true,
    money,
    day,
    total: money(totalCents),
    rows: m.invoices.map((i) => ({
      reference: i.reference,
      description: hasText(i.description) ? i.description : null,
      dueDate: day(i.dueDate),
      outstanding: money(i.outstandingCents),
      original: i.outstandingCents < i.amountCents ? l.table.partOf(money(i.amountCents)) : null,
      payLink: perInvoiceLinks.get(i.reference) ?? null,
    })),
    instalmentRows: isArrangement && instalments.length ? instalments.map((i) => ({ part: i.seq, date: day(i.dueDate), amount: money(i.amountCents) })) : null,
    pay,
    bank,
    crossed: l.crossed[def.crossed],
    crossedVariant: def.crossed,
    help: { heading: l.help.heading, intro: l.help.intro, places, shop: hasText(m.shop.helpUrl) ? { label: l.help.shop, url: m.shop.helpUrl } : null },
    legal: legalNotice(m, l, money, day, totalCents),
    contact,
    options: options.filter((o): o is { url: string; label: string } => hasText(o.url)).map((o) => ({ url: o.url, label: o.label })),
  };
}

/**
 * The legal notice a step's kind requires in the debtor's country. The NL 14-day term runs from
 * the delivery of a posted letter, so the term and the costs are printed on paper only; any
 * channel says what comes next, and names a handover only when the shop has a partner for it.
 */
function legalNotice(m: MessageInput, l: LockedCopy, money: (c: number) => string, day: (d: string) => string, totalCents: number): MessageModel["legal"] {
  const partner = hasText(m.shop.partnerName) ? m.shop.partnerName : null;
  const next = partner ? l.nl14.handover(partner) : l.nl14.noHandover;
  if (m.kind === "nl_fourteen_day_letter" && m.country === "NL") {
    if (m.channel !== "letter") return [{ text: next, strong: false }];
    const costs = m.legal.announcedCents > 0 ? [l.nl14.costs(money(m.legal.announcedCents)), ...(m.legal.vatOnCosts ? [l.nl14.vat] : [])].join(" ") : l.nl14.noCosts;
    return [{ text: l.nl14.term, strong: true }, { text: costs, strong: false }, { text: next, strong: false }];
  }
  // Book XIX wants the creditor's enterprise number too; without one on the account the notice
  // still states everything else (the account API asks Belgian shops for it).
  if (m.kind === "be_first_reminder" && m.country === "BE") {
    return [
      { text: `${l.be.free} ${l.be.creditor(m.shop.name, hasText(m.shop.enterpriseNumber) ? m.shop.enterpriseNumber : null)} ${l.be.items}`, strong: false },
      { text: l.be.balance(money(totalCents)), strong: false },
      { text: l.be.term(m.legal.termEndDate ? day(m.legal.termEndDate) : null), strong: true },
      { text: m.legal.announcedCents > 0 ? l.be.damages(money(m.legal.announcedCents)) : l.be.noDamages, strong: false },
    ];
  }
  return null;
}
