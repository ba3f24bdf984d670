/**
 * /sandbox/preview: every template in every language, rendered from its sample data, for
 * marketers and reviewers to read before anything is sent (development only, like /sandbox).
 */
import { html, raw } from "hono/html";
import { ArrangementConfirmation } from "../../emails/arrangement-confirmation";
import { LOCALES, renderArrangementConfirmation, renderPaymentReminder, type Locale } from "../../emails";
import { PaymentReminder } from "../../emails/payment-reminder";
import { renderLetter, ReminderLetter, type LetterProps } from "../../letters";
import { createApp } from "../app";
import { isDevelopment } from "../clock";
import { ApiError } from "../errors";

const TEMPLATES = ["reminder-friendly", "reminder-second", "arrangement-confirmation", "letter-reminder", "letter-nl-fourteen-day", "letter-be-first-reminder"] as const;
type Template = (typeof TEMPLATES)[number];

/** The sample letter for a kind, in a country that kind exists in. */
function letterProps(kind: LetterProps["kind"], locale: Locale): LetterProps {
  const base = ReminderLetter.PreviewProps;
  const country: "NL" | "BE" = kind === "nl_fourteen_day_letter" ? "NL" : kind === "be_first_reminder" ? "BE" : locale.endsWith("BE") ? "BE" : "NL";
  const address = country === "NL" ? { line1: "Dorpsstraat 1", postal_code: "1234 AB", city: "Utrecht", country } : base.recipient.address;
  return { ...base, kind, locale, country, recipient: { ...base.recipient, address }, costs: { announcedCents: kind === "reminder" ? 0 : 4000, termEndDate: base.costs.termEndDate } };
}

/** Renders one template in one language. */
async function render(template: Template, locale: Locale): Promise<string> {
  switch (template) {
    case "reminder-friendly":
    case "reminder-second":
      return (await renderPaymentReminder({ ...PaymentReminder.PreviewProps, locale, tone: template === "reminder-friendly" ? "friendly" : "second", country: locale.endsWith("BE") ? "BE" : "NL" })).html;
    case "arrangement-confirmation":
      return (await renderArrangementConfirmation({ ...ArrangementConfirmation.PreviewProps, locale })).html;
    case "letter-reminder":
      return (await renderLetter(letterProps("reminder", locale))).html;
    case "letter-nl-fourteen-day":
      return (await renderLetter(letterProps("nl_fourteen_day_letter", locale === "en" ? "en" : "nl-NL"))).html;
    case "letter-be-first-reminder":
      return (await renderLetter(letterProps("be_first_reminder", locale === "nl-NL" ? "nl-BE" : locale))).html;
  }
}

export const previews = createApp();
previews.use("*", async (c, next) => {
  if (!isDevelopment(c.env)) throw new ApiError("not_found", "Not found.");
  await next();
});

previews.get("/", (c) =>
  c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Template previews</title>
    <style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1f2937}td,th{padding:.3rem .8rem;text-align:left}a{color:#1e40af}</style></head>
    <body><h1>Template previews</h1><p>Each template in each language, from its sample data.</p>
    <table><thead><tr><th>Template</th>${LOCALES.map((l) => html`<th>${l}</th>`)}</tr></thead><tbody>
    ${TEMPLATES.map((t) => html`<tr><td>${t}</td>${LOCALES.map((l) => html`<td><a href="/sandbox/preview/${t}/${l}">${l}</a></td>`)}</tr>`)}
    </tbody></table></body></html>`),
);

previews.get("/:template/:locale", async (c) => {
  const template = c.req.param("template") as Template;
  const locale = c.req.param("locale") as Locale;
  if (!TEMPLATES.includes(template) || !LOCALES.includes(locale)) throw new ApiError("not_found", "No such template or language.");
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'");
  return c.html(raw(await render(template, locale)));
});
