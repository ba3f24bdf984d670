/**
 * The dashboard's words in Dutch and English (copy-nl.ts, copy-en.ts), and how numbers, money
 * and dates are written in each. Every page takes its words from here; nothing is hard-coded.
 */
import { EN } from "./copy-en";
import { NL } from "./copy-nl";
import type { DashboardLocale } from "./users";

export type DashCopy = typeof EN;

/** The words for a dashboard language. */
export function words(locale: DashboardLocale): DashCopy {
  return locale === "en" ? EN : NL;
}

const intl = (locale: DashboardLocale) => (locale === "en" ? "en-GB" : "nl-NL");

/** Euros from cents. */
export function money(cents: number, locale: DashboardLocale): string {
  return new Intl.NumberFormat(intl(locale), { style: "currency", currency: "EUR" }).format(cents / 100);
}

/** A share as a percentage, or "–" when there is nothing to divide by. */
export function percent(part: number, whole: number, locale: DashboardLocale, digits = 0): string {
  if (whole <= 0) return "–";
  return new Intl.NumberFormat(intl(locale), { style: "percent", maximumFractionDigits: digits, minimumFractionDigits: digits }).format(part / whole);
}

/** A plain number. */
export function number(n: number, locale: DashboardLocale, digits = 0): string {
  return new Intl.NumberFormat(intl(locale), { maximumFractionDigits: digits }).format(n);
}

/** A calendar day ("2026-11-23") as "23 nov 2026". */
export function day(date: string, locale: DashboardLocale): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(intl(locale), { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant in Amsterdam time. */
export function instant(ms: number, locale: DashboardLocale): string {
  return new Intl.DateTimeFormat(intl(locale), { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Amsterdam" }).format(new Date(ms));
}

/** The sign-in email in the user's language. */
export function signinEmail(locale: DashboardLocale, v: { name: string; shop: string; url: string; minutes: number; email: string }): { subject: string; html: string; text: string } {
  const w = words(locale).email;
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const lines = w.body(v.name, v.shop, v.minutes);
  const [hello = "", ...rest] = lines;
  const text = [hello, "", rest[0] ?? "", "", v.url, "", ...rest.slice(1)].join("\n");
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${esc(w.subject(v.shop))}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;color:#1f2937;max-width:36rem;margin:2rem auto;padding:0 1rem">
<p>${esc(hello)}</p><p>${esc(rest[0] ?? "")}</p>
<p><a href="${esc(v.url)}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:.75rem 1.25rem;border-radius:8px;text-decoration:none;font-weight:600">${esc(w.button)}</a></p>
<p style="word-break:break-all;color:#4b5563;font-size:14px">${esc(v.url)}</p>${rest.slice(1).map((l) => `<p>${esc(l)}</p>`).join("")}</body></html>`;
  return { subject: w.subject(v.shop), html, text };
}
