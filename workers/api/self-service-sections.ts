/**
 * The blocks of the debtor's page (self-service-pages.ts puts them together): what is open and
 * how to pay it, the arrangement's plan, paying by transfer, the five answers, free help and the
 * shop's contact details. Every pay link pays exactly the amount next to it (pay-action.ts):
 * with several invoices the main button is the shop's consolidated link for the total, or there
 * is none and each invoice row has its own link.
 */
import { html } from "hono/html";
import { COPY, type Locale } from "../../emails/copy";
import { formatDate, formatMoney } from "../../emails/format";
import { asksToPay, type DebtorState } from "../debtor/debtor-state";
import type { SelfServiceView } from "../debtor/self-service-types";
import type { InstalmentOption } from "../debtor/self-service-view";
import { helpPlaces } from "../help-places";
import { formatOpeningHours, formatPhone } from "../shop-voice";
import { addDays, isIsoDate } from "../zoned-time";
import type { ActionBody } from "./self-service";
import type { SelfServiceCopy } from "./self-service-copy";

export type Html = ReturnType<typeof html>;

/** What the page's forms offer; self-service.ts decides it, so the page and its checks agree. */
export interface PageOffer {
  /** The arrangements to list: instalmentOptions(view). */
  instalments: InstalmentOption[];
  /** The dispute textarea's maxlength: MAX_REASON_LENGTH. */
  maxReasonLength: number;
}

const dateOf = (d: string, locale: Locale) => (isIsoDate(d) ? formatDate(d, locale) : d);
const hidden = (action: ActionBody["action"]) => html`<input type="hidden" name="action" value="${action}">`;
const isWeb = (url: string) => /^https?:\/\//i.test(url);

/** Whether the page offers paying now: nothing while a dispute or debt help runs. */
function payable(state: DebtorState): boolean {
  return state.kind !== "dispute" && state.kind !== "debt_help";
}

/** The invoice table; each row pays exactly its own amount when several are open. */
export function invoicesBlock(view: SelfServiceView, copy: SelfServiceCopy): Html {
  const { locale } = view;
  const email = COPY[locale];
  const money = (cents: number) => formatMoney(cents, locale);
  // A row link when several are open, or when the state asks no payment now (it stays possible).
  const perRow = payable(view.state) && (view.invoices.length > 1 || !asksToPay(view.state));
  const primary = view.pay.primary;
  const main = asksToPay(view.state) && primary?.pays && isWeb(primary.url) ? primary : null;
  return html`<table id="invoices"><thead><tr><th scope="col">${email.table.reference}</th><th scope="col">${email.table.dueDate}</th><th scope="col" class="n">${email.table.outstanding}</th>${perRow ? html`<td></td>` : ""}</tr></thead>
<tbody>${view.invoices.map(
    (i) => html`<tr><td>${i.reference}</td><td>${dateOf(i.dueDate, locale)}</td><td class="n">${money(i.outstandingCents)}</td>${
      perRow ? html`<td class="n">${isWeb(i.payUrl) ? html`<a href="${i.payUrl}" rel="noopener noreferrer">${email.payButton(money(i.outstandingCents))}</a>` : ""}</td>` : ""
    }</tr>`,
  )}</tbody>
<tfoot><tr><th scope="row" colspan="2">${email.table.total}</th><td class="n"><strong>${money(view.totalCents)}</strong></td>${perRow ? html`<td></td>` : ""}</tr></tfoot></table>
${main ? html`<a class="pay" href="${main.url}" rel="noopener noreferrer">${email.payButton(money(main.amountCents))}</a>` : ""}
${asksToPay(view.state) && !main && perRow ? html`<p>${copy.payEach}</p>` : ""}`;
}

/** The arrangement's plan: each instalment, which are paid, which is next. */
export function planBlock(view: SelfServiceView, copy: SelfServiceCopy): Html {
  if (view.state.kind !== "arrangement") return html``;
  const next = view.state.next;
  const money = (cents: number) => formatMoney(cents, view.locale);
  const rows = view.state.instalments.map((r) => {
    const status = next === null || r.seq < next.seq ? copy.plan.paid : r.seq === next.seq ? copy.plan.next : "";
    const amount = next && r.seq === next.seq ? next.amountCents : r.amountCents;
    return html`<tr><td>${dateOf(r.dueDate, view.locale)}</td><td class="n">${money(amount)}</td><td>${status}</td></tr>`;
  });
  return html`<section id="plan" aria-labelledby="plan-h"><h2 id="plan-h">${copy.plan.heading}</h2>
<table><thead><tr><th scope="col">${copy.plan.date}</th><th scope="col" class="n">${copy.plan.amount}</th><td></td></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Paying by transfer to the shop's account, for the next instalment or for everything open. */
export function bankBlock(view: SelfServiceView, copy: SelfServiceCopy): Html {
  if (!view.bank || !payable(view.state)) return html``;
  const amount = view.state.kind === "arrangement" ? view.state.next?.amountCents : view.totalCents;
  if (!amount) return html``;
  const iban = view.bank.iban.replace(/(.{4})(?=.)/g, "$1 ");
  return html`<section id="bank" aria-labelledby="bank-h"><h2 id="bank-h">${copy.bank.heading}</h2><p>${copy.bank.text}</p>
<table><tbody><tr><th scope="row">${copy.bank.amount}</th><td>${formatMoney(amount, view.locale)}</td></tr>
<tr><th scope="row">${copy.bank.iban}</th><td>${iban}</td></tr><tr><th scope="row">${copy.bank.holder}</th><td>${view.bank.accountHolder}</td></tr>
<tr><th scope="row">${copy.bank.reference}</th><td>${view.payReference}</td></tr></tbody></table></section>`;
}

/** Free, concrete help for the debtor's country or region, and the shop's own help page if it has one. */
export function helpBlock(view: SelfServiceView, copy: SelfServiceCopy): Html {
  const help = COPY[view.locale].help[view.country];
  const places = helpPlaces(view.country, view.locale, view.postalCode ?? undefined);
  return html`<h3>${help.heading}</h3><p>${help.intro}</p>
<ul>${places.map(
    (p) => html`<li>${p.url ? html`<a href="${p.url}" rel="noopener noreferrer">${p.name}</a>` : p.name}: ${p.detail}${
      p.phone ? html`. ${copy.help.phone} <a href="tel:${p.phone.tel}">${p.phone.display}</a>` : ""
    }</li>`,
  )}</ul>
${view.shop.helpUrl ? html`<p><a href="${view.shop.helpUrl}" rel="noopener noreferrer">${copy.help.shopPage(view.shop.name)}</a></p>` : ""}`;
}

/** How to reach the shop: phone and opening hours, chat, email; whatever the shop gave. */
export function contactBlock(view: SelfServiceView, copy: SelfServiceCopy): Html {
  const { shop } = view;
  const phone = shop.phone ? formatPhone(shop.phone, view.country) : null;
  const hours = formatOpeningHours(shop.hours, view.locale);
  const lines = [
    phone ? html`<li>${copy.contact.phone} <a href="${phone.tel}">${phone.display}</a>${hours.length > 0 ? html` (${copy.contact.hours.toLowerCase()}: ${hours.join("; ")})` : ""}</li>` : "",
    shop.chatUrl ? html`<li><a href="${shop.chatUrl}" rel="noopener noreferrer">${copy.contact.chat}</a></li>` : "",
    shop.email ? html`<li>${copy.contact.mail} <a href="mailto:${shop.email}">${shop.email}</a></li>` : "",
  ].filter((l) => l !== "");
  if (lines.length === 0) return html`<p>${copy.contactNoMail(shop.name)}</p>`;
  return html`<section id="contact" aria-labelledby="contact-h"><h2 id="contact-h">${copy.contact.heading(shop.name)}</h2><ul>${lines}</ul></section>`;
}

/** Which of the five answers fit the state: a stop leaves only help; a plan leaves no new plan or date. */
function answersFor(state: DebtorState): Set<string> {
  if (state.kind === "dispute" || state.kind === "debt_help") return new Set(["help"]);
  if (state.kind === "arrangement") return new Set(["already-paid", "help", "dispute"]);
  return new Set(["already-paid", "payment-date", "arrangement", "help", "dispute"]);
}

/** The answers the debtor can give, as forms that post to `act`. */
export function optionSections(view: SelfServiceView, copy: SelfServiceCopy, act: string, today: string, offer: PageOffer): Html {
  const { locale } = view;
  const money = (cents: number) => formatMoney(cents, locale);
  const latest = view.latestPaymentDate && view.latestPaymentDate > today ? view.latestPaymentDate : null;
  const suggested = latest ? view.suggestedPaymentDates.filter((d) => isIsoDate(d) && d > today && d <= latest) : [];
  const options = offer.instalments;
  const show = answersFor(view.state);
  const section = (id: string, heading: string, body: Html) =>
    show.has(id) ? html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2>${body}</section>` : "";
  return html`
${section("already-paid", copy.alreadyPaid.heading, html`<p>${COPY[locale].crossed}</p><p>${copy.alreadyPaid.text}</p>
<form method="post" action="${act}">${hidden("already_paid")}<button type="submit">${copy.alreadyPaid.button}</button></form>`)}
${section("payment-date", copy.paymentDate.heading, latest
  ? html`<p>${copy.paymentDate.text}</p>
${suggested.length > 0
  ? html`<form method="post" action="${act}">${hidden("payment_date")}<p id="pd-suggested">${copy.paymentDate.suggested}</p>
<div class="dates" role="group" aria-labelledby="pd-suggested">${suggested.map((d) => html`<button type="submit" name="date" value="${d}">${formatDate(d, locale)}</button>`)}</div></form>`
  : ""}
<form method="post" action="${act}">${hidden("payment_date")}<label for="pd-date">${copy.paymentDate.custom(formatDate(latest, locale))}</label>
<input type="date" id="pd-date" name="date" min="${addDays(today, 1)}" max="${latest}" required><button type="submit">${copy.paymentDate.button}</button></form>`
  : html`<p>${copy.paymentDate.off}</p>`)}
${section("arrangement", copy.arrangement.heading, options.length > 0
  ? html`<p>${copy.arrangement.text}</p><form method="post" action="${act}">${hidden("arrangement")}<label for="ar-n">${copy.arrangement.label}</label>
<select id="ar-n" name="instalments" required>${options.map((o) => html`<option value="${o.months}">${copy.arrangement.option(o.months, money(o.amountCents), o.exact)}</option>`)}</select>
<button type="submit">${copy.arrangement.button}</button></form>`
  : html`<p>${copy.arrangement.off}</p>`)}
${section("help", copy.help.heading, html`${helpBlock(view, copy)}<p>${copy.help.text(view.shop.name)}</p>
<form method="post" action="${act}">${hidden("help")}<button type="submit">${copy.help.button}</button></form>`)}
${section("dispute", copy.dispute.heading, html`<p>${copy.dispute.text}</p>
<form method="post" action="${act}">${hidden("dispute")}<label for="dp-reason">${copy.dispute.label}</label>
<textarea id="dp-reason" name="reason" rows="5" maxlength="${offer.maxReasonLength}" required aria-describedby="dp-hint"></textarea>
<p class="hint" id="dp-hint">${copy.dispute.hint}</p><button type="submit">${copy.dispute.button}</button></form>`)}`;
}
