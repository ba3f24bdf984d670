/**
 * The HTML pages of the debtor's self-service (self-service.ts holds the routes and the checks):
 * the page behind the signed link, the confirmation after an action, the error page, and the
 * page for a link that no longer works. Localized, no scripts, one inline stylesheet.
 */
import type { Context } from "hono";
import { html, raw } from "hono/html";
import { COPY, type Locale } from "../../emails/copy";
import { formatDate, formatMoney } from "../../emails/format";
import type { AppEnv } from "../app";
import type { SelfServiceResult, SelfServiceView } from "../debtor/self-service-types";
import type { ErrorCode } from "../errors";
import { addDays, isIsoDate, localParts } from "../zoned-time";
import type { ActionBody, InstalmentOption, Issue } from "./self-service";
import { SELF_SERVICE_COPY, type SelfServiceCopy } from "./self-service-copy";

/** What the page's forms offer; self-service.ts decides it, so the page and its checks agree. */
export interface PageOffer {
  /** The arrangements to list: instalmentOptions(view). */
  instalments: InstalmentOption[];
  /** The dispute textarea's maxlength: MAX_REASON_LENGTH. */
  maxReasonLength: number;
}

/** The debtor's calendar day; the view carries a country, not a zone (NL and BE share CET). */
export function debtorToday(view: SelfServiceView, now: number): string {
  return localParts(now, view.country === "BE" ? "Europe/Brussels" : "Europe/Amsterdam").date;
}

const CSS = `*{box-sizing:border-box}body{margin:0;background:#f6f7f9;color:#1f2937;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .5rem}h3{font-size:1.05rem;margin:.75rem 0 .25rem}
section,.card{background:#fff;border:1px solid #e5e7eb;border-radius:12px;padding:1rem;margin:1rem 0}section:target{border-color:#1d4ed8;box-shadow:0 0 0 3px #bfdbfe}
.note{background:#eff6ff;border-color:#bfdbfe}table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.4rem .25rem;border-bottom:1px solid #e5e7eb;vertical-align:top}.n{text-align:right;white-space:nowrap}
a{color:#1d4ed8}.pay{display:block;text-align:center;background:#1d4ed8;color:#fff;font-weight:600;font-size:1.2rem;padding:1rem;border-radius:10px;text-decoration:none;margin:1rem 0}
button{font:inherit;min-height:44px;padding:.5rem 1rem;border-radius:8px;border:2px solid #1d4ed8;background:#fff;color:#1d4ed8;font-weight:600;cursor:pointer}
input,select,textarea{font:inherit;width:100%;padding:.5rem;border:1px solid #6b7280;border-radius:8px;margin:.25rem 0 .5rem;background:#fff;color:inherit}
label{display:block;font-weight:600}.dates{display:flex;flex-wrap:wrap;gap:.5rem;margin:.25rem 0 1rem}.hint{color:#4b5563;font-size:.9rem;margin:0 0 .75rem}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}`;

type Html = ReturnType<typeof html>;
type Ctx = Context<AppEnv>;

function layout(locale: Locale, title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${title}</title><style>${raw(CSS)}</style></head>
<body><main>${body}</main></body></html>`;
}

/** Formats a pause or result `until`: a calendar day, or an instant shown as the debtor's day. */
function untilDay(until: string | null, view: SelfServiceView): string | null {
  if (!until) return null;
  if (isIsoDate(until)) return formatDate(until, view.locale);
  const ms = Date.parse(until);
  return Number.isNaN(ms) ? null : formatDate(debtorToday(view, ms), view.locale);
}

function helpBlock(view: SelfServiceView): Html {
  const help = COPY[view.locale].help[view.country];
  return html`<h3>${help.heading}</h3><p>${help.intro}</p>
<ul>${help.places.map((p) => html`<li>${p.url ? html`<a href="${p.url}" rel="noopener noreferrer">${p.name}</a>` : p.name}: ${p.detail}</li>`)}</ul>`;
}

function contactLine(view: SelfServiceView, copy: SelfServiceCopy): Html {
  return view.contactEmail
    ? html`<p>${copy.contactMail} <a href="mailto:${view.contactEmail}">${view.contactEmail}</a></p>`
    : html`<p>${copy.contactNoMail(view.merchantName)}</p>`;
}

const hidden = (action: ActionBody["action"]) => html`<input type="hidden" name="action" value="${action}">`;

function optionSections(view: SelfServiceView, copy: SelfServiceCopy, act: string, today: string, offer: PageOffer): Html {
  const { locale } = view;
  const money = (cents: number) => formatMoney(cents, locale);
  const latest = view.latestPaymentDate && view.latestPaymentDate > today ? view.latestPaymentDate : null;
  const suggested = latest ? view.suggestedPaymentDates.filter((d) => isIsoDate(d) && d > today && d <= latest) : [];
  const options = offer.instalments;
  return html`
<section id="already-paid" aria-labelledby="already-paid-h"><h2 id="already-paid-h">${copy.alreadyPaid.heading}</h2>
<p>${COPY[locale].crossed}</p><p>${copy.alreadyPaid.text}</p>
<form method="post" action="${act}">${hidden("already_paid")}<button type="submit">${copy.alreadyPaid.button}</button></form></section>
<section id="payment-date" aria-labelledby="payment-date-h"><h2 id="payment-date-h">${copy.paymentDate.heading}</h2>
${latest
  ? html`<p>${copy.paymentDate.text}</p>
${suggested.length > 0
  ? html`<form method="post" action="${act}">${hidden("payment_date")}<p id="pd-suggested">${copy.paymentDate.suggested}</p>
<div class="dates" role="group" aria-labelledby="pd-suggested">${suggested.map((d) => html`<button type="submit" name="date" value="${d}">${formatDate(d, locale)}</button>`)}</div></form>`
  : ""}
<form method="post" action="${act}">${hidden("payment_date")}<label for="pd-date">${copy.paymentDate.custom(formatDate(latest, locale))}</label>
<input type="date" id="pd-date" name="date" min="${addDays(today, 1)}" max="${latest}" required aria-describedby="pd-hint">
<p class="hint" id="pd-hint">${copy.paymentDate.format(latest)}</p><button type="submit">${copy.paymentDate.button}</button></form>`
  : html`<p>${copy.paymentDate.off}</p>`}</section>
<section id="arrangement" aria-labelledby="arrangement-h"><h2 id="arrangement-h">${copy.arrangement.heading}</h2>
${options.length > 0
  ? html`<p>${copy.arrangement.text}</p><form method="post" action="${act}">${hidden("arrangement")}<label for="ar-n">${copy.arrangement.label}</label>
<select id="ar-n" name="instalments" required>${options.map((o) => html`<option value="${o.months}">${copy.arrangement.option(o.months, money(o.amountCents), o.exact)}</option>`)}</select>
<button type="submit">${copy.arrangement.button}</button></form>`
  : html`<p>${copy.arrangement.off}</p>`}</section>
<section id="help" aria-labelledby="help-h"><h2 id="help-h">${copy.help.heading}</h2>${helpBlock(view)}<p>${copy.help.text(view.merchantName)}</p>
<form method="post" action="${act}">${hidden("help")}<button type="submit">${copy.help.button}</button></form></section>
<section id="dispute" aria-labelledby="dispute-h"><h2 id="dispute-h">${copy.dispute.heading}</h2><p>${copy.dispute.text}</p>
<form method="post" action="${act}">${hidden("dispute")}<label for="dp-reason">${copy.dispute.label}</label>
<textarea id="dp-reason" name="reason" rows="5" maxlength="${offer.maxReasonLength}" required aria-describedby="dp-hint"></textarea>
<p class="hint" id="dp-hint">${copy.dispute.hint}</p><button type="submit">${copy.dispute.button}</button></form></section>`;
}

/** The page behind the signed link: what is open, how to pay, and the five ways to answer. */
export function debtorPage(view: SelfServiceView, pagePath: string, today: string, offer: PageOffer): Html {
  const { locale } = view;
  const copy = SELF_SERVICE_COPY[locale];
  const email = COPY[locale];
  const money = (cents: number) => formatMoney(cents, locale);
  const pause = view.activePause;
  const pauseKind = pause && Object.hasOwn(copy.pause, pause.kind) ? (pause.kind as keyof SelfServiceCopy["pause"]) : "other";
  const pauseUntil = pause ? untilDay(pause.until, view) : null;
  const payUrl = view.payUrl && /^https?:\/\//i.test(view.payUrl) ? view.payUrl : null;
  const open = view.totalCents > 0;
  return layout(
    locale,
    copy.title(view.merchantName),
    html`<h1>${copy.title(view.merchantName)}</h1><p>${email.greeting(view.name)}</p>
${pause ? html`<div class="card note" role="status"><p>${copy.pause[pauseKind]}${pauseUntil ? html` ${copy.pauseUntil(pauseUntil)}` : ""}</p></div>` : ""}
${open
  ? html`<p>${copy.intro(view.merchantName, money(view.totalCents))}</p>
<table><thead><tr><th scope="col">${email.table.reference}</th><th scope="col">${email.table.dueDate}</th><th scope="col" class="n">${email.table.outstanding}</th></tr></thead>
<tbody>${view.invoices.map((i) => html`<tr><td>${i.reference}</td><td>${isIsoDate(i.dueDate) ? formatDate(i.dueDate, locale) : i.dueDate}</td><td class="n">${money(i.outstandingCents)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row" colspan="2">${email.table.total}</th><td class="n"><strong>${money(view.totalCents)}</strong></td></tr></tfoot></table>
${payUrl ? html`<a class="pay" href="${payUrl}" rel="noopener noreferrer">${email.payButton(money(view.totalCents))}</a>` : html`<p>${copy.noPayUrl}</p>`}
${optionSections(view, copy, `${pagePath}/actions`, today, offer)}`
  : html`<p>${copy.nothingOpen}</p>`}
${contactLine(view, copy)}`,
  );
}

/** The answer to a form post that the Durable Object accepted. */
export function confirmationPage(view: SelfServiceView, body: ActionBody, result: Extract<SelfServiceResult, { ok: true }>, pagePath: string): Html {
  const { locale } = view;
  const copy = SELF_SERVICE_COPY[locale];
  const done = copy.done;
  const until = untilDay(result.until, view);
  const quiet = until ? [done.noRemindersUntil(until)] : [];
  const paras = (lines: string[]) => lines.map((l) => html`<p>${l}</p>`);
  let content: Html;
  if (body.action === "payment_date") {
    const [first = "", ...rest] = done.paymentDate(formatDate(body.date, locale));
    content = html`${paras([first, done.noRemindersUntil(until ?? formatDate(body.date, locale)), ...rest])}`;
  } else if (body.action === "arrangement") {
    const rows = (result.instalments ?? []).map(
      (i) => html`<tr><td>${isIsoDate(i.dueDate) ? formatDate(i.dueDate, locale) : i.dueDate}</td><td class="n">${formatMoney(i.amountCents, locale)}</td></tr>`,
    );
    content = html`<p>${done.arrangement.before}</p>
<table><thead><tr><th scope="col">${done.arrangement.date}</th><th scope="col" class="n">${done.arrangement.amount}</th></tr></thead><tbody>${rows}</tbody></table>
<p>${done.arrangement.after}</p>`;
  } else if (body.action === "help") {
    content = html`${paras([...done.help(view.merchantName), ...quiet])}<div class="card">${helpBlock(view)}</div>`;
  } else {
    content = html`${paras([...(body.action === "dispute" ? done.dispute : done.alreadyPaid), ...quiet])}`;
  }
  return layout(locale, done.heading, html`<h1>${done.heading}</h1>${content}<p><a href="${pagePath}">${done.back}</a></p>${contactLine(view, copy)}`);
}

/** The answer to a form post that was refused: kind words per problem, and a way back. */
export function errorPage(view: SelfServiceView, code: ErrorCode, issues: Issue[], section: string, pagePath: string): Html {
  const copy = SELF_SERVICE_COPY[view.locale];
  const latest = view.latestPaymentDate && isIsoDate(view.latestPaymentDate) ? formatDate(view.latestPaymentDate, view.locale) : "";
  const forms = [...new Set(issues.map((i) => i.form))];
  const lines = code === "invalid_state" ? [copy.errors.invalidState] : forms.length > 0 ? forms.map((f) => copy.errors.fields[f](latest)) : [copy.errors.fields.other("")];
  return layout(
    view.locale,
    copy.errors.heading,
    html`<h1>${copy.errors.heading}</h1>${lines.map((l) => html`<p>${l}</p>`)}<p><a href="${pagePath}#${section}">${copy.errors.back}</a></p>${contactLine(view, copy)}`,
  );
}

/** The reader's language for a page that may not know the debtor: the browser's first match. */
function negotiateLocale(acceptLanguage: string | undefined): Locale {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().toLowerCase() ?? "";
    if (tag.startsWith("fr")) return "fr-BE";
    if (tag === "nl-be") return "nl-BE";
    if (tag.startsWith("nl")) return "nl-NL";
    if (tag.startsWith("en")) return "en";
  }
  return "nl-NL";
}

/** The page for a link that does not (or no longer) work: kind, general, and without any data. */
export function linkGonePage(c: Ctx): Response | Promise<Response> {
  const locale = negotiateLocale(c.req.header("accept-language"));
  const copy = SELF_SERVICE_COPY[locale].expired;
  return c.html(layout(locale, copy.title, html`<h1>${copy.title}</h1>${copy.paragraphs.map((p) => html`<p>${p}</p>`)}`), 404);
}
