/**
 * /sandbox/preview: every template of the registry in every language and on each of its channels,
 * rendered from its sample data (a Dutch, Flemish or Walloon shop, amounts from the law functions),
 * for marketers and reviewers to read before anything is sent (development only, like /sandbox).
 * `/sandbox/preview/templates.json` is the registry's typed description of every template.
 */
import { html, raw } from "hono/html";
import { createApp } from "../app";
import { isDevelopment } from "../clock";
import { ApiError } from "../errors";
import { hasCopy, type CopyLocale } from "../templates/copy";
import { isTemplateKey, MESSAGE_TEMPLATE_KEYS, TEMPLATE_DEFS } from "../templates/keys";
import { describeTemplates, renderSample, TEMPLATE_LOCALES } from "../templates/registry";
import { buildMessage } from "../templates/model";
import { sampleInput, sampleLetterParties } from "../templates/samples";
import { renderLetterPdf } from "../../letters/pdf";

const CHANNELS = ["email", "letter", "sms"] as const;
type PreviewChannel = (typeof CHANNELS)[number];

export const previews = createApp();
previews.use("*", async (c, next) => {
  if (!isDevelopment(c.env)) throw new ApiError("not_found", "Not found.");
  await next();
});

previews.get("/", (c) => {
  const keys = MESSAGE_TEMPLATE_KEYS.filter(hasCopy);
  return c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Template previews</title>
    <style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1f2937}td,th{padding:.3rem .8rem;text-align:left;vertical-align:top}a{color:#1e40af}small{color:#4b5563}</style></head>
    <body><h1>Template previews</h1><p>Each template in each language and channel, from its sample data. <a href="/sandbox/preview/templates.json">The registry as JSON</a>.</p>
    <table><thead><tr><th>Template</th>${TEMPLATE_LOCALES.map((l) => html`<th>${l}</th>`)}</tr></thead><tbody>
    ${keys.map((t) => html`<tr><td><strong>${t}</strong><br><small>${TEMPLATE_DEFS[t].purpose}</small></td>${TEMPLATE_LOCALES.map((l) => html`<td>${CHANNELS.map((ch) => html`<a href="/sandbox/preview/${t}/${l}?channel=${ch}">${ch}</a> `)}<a href="/sandbox/preview/${t}/${l}?channel=letter&amp;format=pdf">pdf</a></td>`)}</tr>`)}
    </tbody></table></body></html>`);
});

previews.get("/templates.json", (c) => c.json(describeTemplates()));

previews.get("/:template/:locale", async (c) => {
  const template = c.req.param("template");
  const locale = c.req.param("locale") as CopyLocale;
  const channel = (c.req.query("channel") ?? "email") as PreviewChannel;
  if (!isTemplateKey(template) || !hasCopy(template) || !TEMPLATE_LOCALES.includes(locale) || !CHANNELS.includes(channel)) {
    throw new ApiError("not_found", "No such template, language or channel.");
  }
  // ?channel=letter&format=pdf: the letter as the PDF a print service that takes one gets.
  if (channel === "letter" && c.req.query("format") === "pdf") {
    const input = sampleInput(template, locale, "letter");
    const { sample: _, ...plain } = input;
    const pdf = await renderLetterPdf({ model: buildMessage(plain), ...sampleLetterParties(input) });
    return c.body(new Uint8Array(pdf), 200, { "content-type": "application/pdf", "content-disposition": `inline; filename="${template}-${locale}.pdf"` });
  }
  const rendered = await renderSample(template, locale, channel);
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'");
  return c.html(raw(rendered.html));
});
