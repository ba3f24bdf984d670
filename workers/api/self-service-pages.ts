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
import { negotiateLocale } from "../banner/accept-language";
import { stateText, stateWords } from "../banner/view";
import type { SelfServiceResult, SelfServiceView } from "../debtor/self-service-types";
import type { ErrorCode } from "../errors";
import { isIsoDate, localParts } from "../zoned-time";
import type { ActionBody, Issue } from "./self-service";
import { SELF_SERVICE_COPY, type SelfServiceCopy } from "./self-service-copy";
import { npsBlock } from "./self-service-nps";
import { bankBlock, contactBlock, type Html, helpBlock, invoicesBlock, optionSections, type PageOffer, planBlock } from "./self-service-sections";

export type { PageOffer };

/** The debtor's calendar day; the view carries a country, not a zone (NL and BE share CET). */
export function debtorToday(view: SelfServiceView, now: number): string {
  return localParts(now, view.country === "BE" ? "Europe/Brussels" : "Europe/Amsterdam").date;
}

// Colours come from the shop's brand colour (checked for contrast with white text in the
// profile); #1d4ed8 is the neutral default.
const CSS = `*{box-sizing:border-box}body{margin:0;background:#f6f7f9;color:#1f2937;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .5rem}h3{font-size:1.05rem;margin:.75rem 0 .25rem}
header{display:flex;align-items:center;gap:.75rem;margin:.5rem 0}header img{max-height:48px;max-width:10rem}.langs{margin-left:auto;font-size:.9rem}
section,.card{background:#fff;border:1px solid #e5e7eb;border-radius:12px;padding:1rem;margin:1rem 0}section:target{border-color:var(--brand);box-shadow:0 0 0 3px #bfdbfe}
.note{background:#eff6ff;border-color:#bfdbfe}table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.4rem .25rem;border-bottom:1px solid #e5e7eb;vertical-align:top}.n{text-align:right;white-space:nowrap}
a{color:var(--brand)}.pay{display:block;text-align:center;background:var(--brand);color:#fff;font-weight:600;font-size:1.2rem;padding:1rem;border-radius:10px;text-decoration:none;margin:1rem 0}
button{font:inherit;min-height:44px;padding:.5rem 1rem;border-radius:8px;border:2px solid var(--brand);background:#fff;color:var(--brand);font-weight:600;cursor:pointer}
input,select,textarea{font:inherit;width:100%;padding:.5rem;border:1px solid #6b7280;border-radius:8px;margin:.25rem 0 .5rem;background:#fff;color:inherit}
label{display:block;font-weight:600}.dates{display:flex;flex-wrap:wrap;gap:.5rem;margin:.25rem 0 1rem}.hint{color:#4b5563;font-size:.9rem;margin:0 0 .75rem}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}fieldset{border:0;padding:0;margin:0}legend{font-weight:600;margin-bottom:.25rem}
.nps-n{display:inline-flex;align-items:center;gap:.25rem;font-weight:400;min-width:3rem;min-height:44px}.nps-n input{width:auto;margin:0}`;

type Ctx = Context<AppEnv>;
const DEFAULT_BRAND = "#1d4ed8";

/** The page shell: language, viewport, no referrer, the shop's colour. */
export function layout(locale: Locale, title: string, body: Html, brand: string | null = null): Html {
  // Checked again here: the colour lands inside a stylesheet.
  const colour = brand && /^#[0-9a-fA-F]{6}$/.test(brand) ? brand : DEFAULT_BRAND;
  return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${title}</title><style>:root{--brand:${raw(colour)}}${raw(CSS)}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The shop's logo and name, and for Belgian debtors a switch between Dutch and French. */
function header(view: SelfServiceView, pagePath: string): Html {
  const logo = view.shop.logoUrl && /^https:\/\//i.test(view.shop.logoUrl) ? view.shop.logoUrl : null;
  const other = view.country === "BE" ? (view.locale === "fr-BE" ? { lang: "nl-BE", name: "Nederlands" } : { lang: "fr-BE", name: "Français" }) : null;
  return html`<header>${logo ? html`<img src="${logo}" alt="${view.shop.name}">` : ""}${
    other ? html`<a class="langs" href="${pagePath}?lang=${other.lang}" hreflang="${other.lang}" lang="${other.lang}">${other.name}</a>` : ""
  }</header>`;
}

/** Formats a result `until`: a calendar day, or an instant shown as the debtor's day. */
function untilDay(until: string | null, view: SelfServiceView): string | null {
  if (!until) return null;
  if (isIsoDate(until)) return formatDate(until, view.locale);
  const ms = Date.parse(until);
  return Number.isNaN(ms) ? null : formatDate(debtorToday(view, ms), view.locale);
}

/** The state in a card at the top (the banner's own words), or the plain intro when something is simply open. */
function statusBlock(view: SelfServiceView, copy: SelfServiceCopy): Html {
  if (view.state.kind === "open") return html`<p>${copy.intro(view.shop.name, formatMoney(view.totalCents, view.locale))}</p>`;
  const text = stateText(view.state, stateWords(view.state, view.shop.name, view.totalCents, view.invoices.length, view.locale), view.locale);
  return html`<div class="card note" role="status"><h2>${text.title}</h2><p>${text.text}</p></div>`;
}

/** A path on this page that keeps the language the reader chose (`?lang=`). */
function withLang(path: string, lang: Locale | null): string {
  return lang ? `${path}?lang=${lang}` : path;
}

/** The page behind the signed link: where the debtor stands, what is open, how to pay, and how to answer. */
export function debtorPage(view: SelfServiceView, pagePath: string, today: string, offer: PageOffer, lang: Locale | null = null): Html {
  const { locale } = view;
  const copy = SELF_SERVICE_COPY[locale];
  const open = view.totalCents > 0;
  return layout(
    locale,
    copy.title(view.shop.name),
    html`${header(view, pagePath)}<h1>${copy.title(view.shop.name)}</h1><p>${COPY[locale].greeting(view.name)}</p>
${open
  ? html`${statusBlock(view, copy)}${invoicesBlock(view, copy)}${planBlock(view, copy)}${bankBlock(view, copy)}
${optionSections(view, copy, withLang(`${pagePath}/actions`, lang), today, offer)}`
  : html`<p>${copy.nothingOpen}</p>${view.nps ? npsBlock(view, withLang(`${pagePath}/nps`, lang)) : ""}`}
${contactBlock(view, copy)}`,
    view.shop.brandColour,
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
    content = html`${paras([...done.help(view.shop.name), ...quiet])}<div class="card">${helpBlock(view, copy)}</div>`;
  } else {
    content = html`${paras([...(body.action === "dispute" ? done.dispute : done.alreadyPaid), ...quiet])}`;
  }
  return layout(locale, done.heading, html`<h1>${done.heading}</h1>${content}<p><a href="${pagePath}">${done.back}</a></p>${contactBlock(view, copy)}`, view.shop.brandColour);
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
    html`<h1>${copy.errors.heading}</h1>${lines.map((l) => html`<p>${l}</p>`)}<p><a href="${pagePath}#${section}">${copy.errors.back}</a></p>${contactBlock(view, copy)}`,
    view.shop.brandColour,
  );
}

/** The page for a link that does not (or no longer) work: kind, general, and without any data. */
export function linkGonePage(c: Ctx): Response | Promise<Response> {
  // Nothing is known of the reader but their browser's languages.
  const locale = negotiateLocale(c.req.header("accept-language"), "nl-NL", "NL");
  const copy = SELF_SERVICE_COPY[locale].expired;
  return c.html(layout(locale, copy.title, html`<h1>${copy.title}</h1>${copy.paragraphs.map((p) => html`<p>${p}</p>`)}`), 404);
}
