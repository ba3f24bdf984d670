/**
 * The dashboard's page shell and the few parts every page uses: navigation by role, the language
 * switch, forms with their CSRF token, tables that scroll on a phone, KPI tiles, and charts.
 *
 * A chart is a figure with a caption, its data as a JSON island and the same data as a table.
 * Without JavaScript the table is what the reader gets; the client bundle (app-client/) draws the
 * chart with Observable Plot and folds the table into a "show the data" disclosure. Every chart
 * thus has a text alternative, and keyboard and screen-reader users lose nothing.
 */
import { html, raw } from "hono/html";
import type { ChartSpec } from "./chart-spec";
import type { DashCopy } from "./copy";
import { can, type DashboardLocale, type DashboardUser, type Permission } from "./users";

export type Html = ReturnType<typeof html>;

/** What every signed-in page knows. */
export interface PageCtx {
  copy: DashCopy;
  locale: DashboardLocale;
  user: DashboardUser;
  csrf: string;
  /** The request path, to mark the current page in the navigation and return after a language switch. */
  path: string;
  shopName: string;
  sandbox: boolean;
}

/** The client files (built by scripts/build-app.mjs into the static assets). */
export const ASSETS = { css: "/app/assets/app.css", js: "/app/assets/app.js" };

/** The hidden CSRF field every form carries. */
export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/** A whole HTML document. */
export function documentShell(locale: DashboardLocale, title: string, body: Html, withScript = true): Html {
  return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="same-origin"><title>${title} · Kindly</title>
<link rel="stylesheet" href="${ASSETS.css}">${withScript ? html`<script type="module" src="${ASSETS.js}"></script>` : ""}</head>
<body>${body}</body></html>`;
}

const NAV: { href: string; key: keyof DashCopy["nav"]; permission: Permission }[] = [
  { href: "/app", key: "overview", permission: "kpi.read" },
  { href: "/app/funnel", key: "funnel", permission: "kpi.read" },
  { href: "/app/value", key: "value", permission: "kpi.read" },
  { href: "/app/policy", key: "policy", permission: "policy.read" },
  { href: "/app/debtors", key: "debtors", permission: "debtors.read" },
  { href: "/app/templates", key: "templates", permission: "templates.read" },
  { href: "/app/experiments", key: "experiments", permission: "experiments.read" },
  { href: "/app/users", key: "users", permission: "users.manage" },
  { href: "/app/audit", key: "audit", permission: "audit.read" },
  { href: "/app/account", key: "account", permission: "account.write" },
];

/** The navigation links this role may follow (and no others). */
export function navFor(user: DashboardUser): { href: string; key: keyof DashCopy["nav"] }[] {
  return NAV.filter((n) => can(user.role, n.permission));
}

/** A signed-in page: skip link, header with shop and user, navigation, the content. */
export function page(ctx: PageCtx, title: string, content: Html): Html {
  const { copy, user } = ctx;
  const current = (href: string) => (href === "/app" ? ctx.path === "/app" || ctx.path === "/app/" : ctx.path.startsWith(href));
  const links = navFor(user).map(
    (n) => html`<li><a href="${n.href}"${current(n.href) ? raw(' aria-current="page"') : ""}>${copy.nav[n.key] as string}</a></li>`,
  );
  return documentShell(
    ctx.locale,
    title,
    html`<a class="skip" href="#main">${copy.skip}</a>
<header class="top"><div class="brand"><strong>${ctx.shopName}</strong><span class="muted">Kindly</span></div>
<div class="who"><span>${copy.nav.signedInAs(user.name, copy.roles[user.role])}</span>
<form method="post" action="/app/language">${csrfField(ctx.csrf)}<input type="hidden" name="back" value="${ctx.path}"><input type="hidden" name="locale" value="${ctx.locale === "nl" ? "en" : "nl"}"><button class="link" type="submit" lang="${ctx.locale === "nl" ? "en" : "nl"}">${copy.nav.language}</button></form>
<form method="post" action="/app/signout">${csrfField(ctx.csrf)}<button class="link" type="submit">${copy.nav.signOut}</button></form></div></header>
<nav aria-label="${copy.nav.label}"><ul>${links}</ul></nav>
<main id="main" tabindex="-1"><h1>${title}</h1>${ctx.sandbox ? html`<p class="note">${copy.common.sandbox}</p>` : ""}${content}</main>`,
  );
}

/** A page for someone not signed in (sign-in, its answers). */
export function publicPage(locale: DashboardLocale, title: string, content: Html): Html {
  return documentShell(locale, title, html`<main id="main" class="narrow"><p class="brand"><strong>Kindly</strong></p><h1>${title}</h1>${content}</main>`, false);
}

/** A table in a region that scrolls sideways on a phone (focusable, so keyboards can scroll it). */
export function table(label: string, head: (string | Html)[], rows: (string | number | Html)[][], opts: { numeric?: number[]; caption?: boolean } = {}): Html {
  const numeric = new Set(opts.numeric ?? []);
  const th = head.map((h, i) => html`<th scope="col"${numeric.has(i) ? raw(' class="n"') : ""}>${h}</th>`);
  const tr = rows.map(
    (r) => html`<tr>${r.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td${numeric.has(i) ? raw(' class="n"') : ""}>${cell}</td>`))}</tr>`,
  );
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0"><table>${opts.caption ? html`<caption>${label}</caption>` : ""}<thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table></div>`;
}

/** A KPI tile: label, value, a line of context. */
export function tile(label: string, value: string, note: string): Html {
  return html`<div class="tile"><h2>${label}</h2><p class="value">${value}</p><p class="muted">${note}</p></div>`;
}

export type { ChartSpec };

/** A chart: caption, the JSON the client draws from, and the data table shown without JavaScript. */
export function chart(id: string, caption: string, spec: ChartSpec, dataTable: Html, showData: string): Html {
  // "<" escaped so no string in the data can close the script element.
  const json = JSON.stringify(spec).replace(/</g, "\\u003c");
  return html`<figure class="chart" id="${id}"><figcaption id="${id}-cap">${caption}</figcaption>
<div class="plot" data-chart="${id}-data" data-label="${caption}"></div><script type="application/json" id="${id}-data">${raw(json)}</script>
<details class="data" open><summary>${showData}</summary>${dataTable}</details></figure>`;
}

/** A list of field problems (after a refused form). */
export function problems(title: string, items: { field: string; message: string }[]): Html {
  if (items.length === 0) return html``;
  return html`<div class="error" role="alert"><p><strong>${title}</strong></p><ul>${items.map((i) => html`<li><code>${i.field}</code>: ${i.message}</li>`)}</ul></div>`;
}
