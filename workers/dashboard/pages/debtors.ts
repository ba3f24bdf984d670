/**
 * Debtors, for credit managers and owners: search by the shop's own customer id (the results
 * show ids and counts only), one debtor's page (contact data, open invoices, the next step and
 * why, pauses and flags, and the timeline with every message as sent and every choice the debtor
 * made), and the protection flags. Every view of a debtor's personal data writes an audit row
 * first. Another tenant's debtor is "not found", like in the API.
 */
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { debtorIndex, invoiceIndex } from "../../../schema/d1";
import type { DebtorView } from "../../api/schemas";
import { db } from "../../db";
import { debtorStub } from "../../debtor/stub";
import { ApiError } from "../../errors";
import { auditAs, type DashContext, type DashEnv, formOf, need, render } from "../context";
import { day, instant, money } from "../copy";
import { csrfField, type Html, table } from "../layout";
import { can } from "../users";

export const debtorPages = new Hono<DashEnv>();

const ID = /^[^\s]{1,128}$/;

debtorPages.get("/app/debtors", async (c) => {
  const ctx = need(c, "debtors.read");
  const w = ctx.copy.debtors;
  const q = (c.req.query("q") ?? "").trim();
  let results: Html = html``;
  if (q && ID.test(q)) {
    // A prefix range on the (tenant, debtor) key: an index seek, never a scan.
    const i = debtorIndex;
    const rows = await db(c.env.DB)
      .select({ debtorId: i.debtorId, openInvoices: i.openInvoices, nextStepAt: i.nextStepAt })
      .from(i)
      .where(and(eq(i.tenantId, ctx.user.tenantId), gte(i.debtorId, q), lt(i.debtorId, sql`${q} || char(1114111)`)))
      .orderBy(asc(i.debtorId))
      .limit(50)
      .all();
    results = rows.length
      ? html`<p role="status">${w.results(rows.length)}</p>${table(
          w.title,
          [w.id, w.open, w.nextStep],
          rows.map((r) => [html`<a href="/app/debtors/${encodeURIComponent(r.debtorId)}">${r.debtorId}</a>`, r.openInvoices, r.nextStepAt ? instant(r.nextStepAt, ctx.locale) : "–"]),
          { numeric: [1] },
        )}`
      : html`<p role="status">${w.noResults}</p>`;
  }
  return render(
    c,
    w.title,
    html`<form class="filters" method="get" action="/app/debtors" role="search"><label for="q">${w.search}</label>
<input id="q" name="q" value="${q}" maxlength="128" autocomplete="off" aria-describedby="q-hint"><button type="submit">${w.find}</button></form>
<p id="q-hint" class="muted">${w.searchHint} ${w.audited}</p>${results}`,
  );
});

/** The debtor of this tenant, or 404: unknown ids never wake (or create) an object. */
async function knownDebtor(c: DashContext, id: string) {
  const tenantId = c.get("page").user.tenantId;
  if (!ID.test(id)) throw new ApiError("not_found", "No such debtor.");
  const known = await db(c.env.DB)
    .select({ one: sql<number>`1` })
    .from(invoiceIndex)
    .where(and(eq(invoiceIndex.tenantId, tenantId), eq(invoiceIndex.debtorId, id)))
    .limit(1)
    .get();
  if (!known) throw new ApiError("not_found", "No such debtor.");
  return debtorStub(c.env, tenantId, id);
}

/** A timeline event in words: its type and the facts worth reading (never raw JSON dumps of everything). */
function eventDetail(e: DebtorView["timeline"][number], id: string, copy: DashEnv["Variables"]["page"]["copy"]): Html {
  const d = e.data as Record<string, unknown>;
  const facts = ["step", "channel", "segment", "reason", "source", "amount_cents", "cost_cents", "until", "date", "instalments", "score", "order_id", "outcome"]
    .filter((k) => d[k] !== undefined && d[k] !== null)
    .map((k) => `${k}: ${typeof d[k] === "object" ? JSON.stringify(d[k]) : String(d[k])}`)
    .join(" · ");
  const outbox = typeof d.outbox_id === "string" && e.type === "reminder.sent" ? d.outbox_id : null;
  return html`${facts}${outbox ? html` · <a href="/app/debtors/${encodeURIComponent(id)}/messages/${encodeURIComponent(outbox)}">${copy.debtors.viewMessage}</a>` : ""}`;
}

debtorPages.get("/app/debtors/:id", async (c) => {
  const ctx = need(c, "debtors.read");
  const { copy, locale } = ctx;
  const w = copy.debtors;
  const id = c.req.param("id");
  const stub = await knownDebtor(c, id);
  const result = await stub.getDebtor(ctx.user.tenantId);
  if (!result.ok) throw new ApiError("not_found", "No such debtor.");
  // Personal data follows: the audit row is written before the page is.
  await auditAs(c, "debtor.viewed", id);
  const v = result.value;
  const address = v.address ? [v.address.line1, v.address.line2, `${v.address.postal_code} ${v.address.city}`, v.address.country].filter(Boolean).join(", ") : "–";
  const contact = table(w.contact, [w.name, v.name], [[w.email, v.email ?? "–"], [w.phone, v.phone ?? "–"], [w.address, address]]);
  const invoices = v.open_invoices.length
    ? table(w.invoicesTitle, [w.reference, w.due, w.outstanding], v.open_invoices.map((i) => [i.merchant_invoice_id, day(i.due_date, locale), money(i.outstanding_cents, locale)]), { numeric: [2] })
    : html`<p>${copy.common.none}</p>`;
  const n = v.next_step;
  const next = n
    ? table(w.nextTitle, [copy.policy.step, `${n.key} (${n.channels.join(", ") || n.channel})`], [
        [w.at, instant(Date.parse(n.at), locale)],
        [w.segmentReasons, `${n.why.segment}${n.why.segment_reasons.length ? `: ${n.why.segment_reasons.join("; ")}` : ""} → ${n.why.ladder}`],
        [w.limits, n.why.limits.join("; ") || "–"],
        [w.scores, n.why.channel_scores.map((s) => `${s.channel} ${(s.expected_success * 100).toFixed(1)}% / ${money(s.cost_cents, locale)}${s.excluded ? ` (${s.excluded})` : ""}`).join("; ") || "–"],
      ])
    : html`<p>${v.paused ? `${v.paused.kind}` : w.nothingPlanned}</p>`;
  const flagsForm = can(ctx.user.role, "debtors.write")
    ? html`<form method="post" action="/app/debtors/${encodeURIComponent(id)}/flags">${csrfField(ctx.csrf)}<fieldset><legend>${w.pausesTitle}</legend>
<label class="check"><input type="checkbox" name="vulnerable" value="1"${v.flags.vulnerable ? raw(" checked") : ""}> ${w.vulnerable}</label>
<label class="check"><input type="checkbox" name="hardship" value="1"${v.flags.hardship ? raw(" checked") : ""}> ${w.hardship}</label></fieldset>
<button type="submit">${w.flagsSave}</button></form>`
    : html`<p>${w.vulnerable}: ${v.flags.vulnerable ? copy.common.yes : copy.common.no} · ${w.hardship}: ${v.flags.hardship ? copy.common.yes : copy.common.no}</p>`;
  const pauses = v.pauses.length ? html`<ul>${v.pauses.map((p) => html`<li>${p.kind}: ${p.from.slice(0, 10)} – ${p.until?.slice(0, 10) ?? "…"}</li>`)}</ul>` : html``;
  const timeline = table(
    w.timelineTitle,
    [w.when, w.what, w.detail],
    v.timeline.map((e) => [instant(Date.parse(e.at), locale), e.type, eventDetail(e, id, copy)]),
  );
  return render(
    c,
    `${w.title}: ${id}`,
    html`<p class="muted">${w.audited}</p><section aria-labelledby="contact-h"><h2 id="contact-h">${w.contact}</h2>${contact}</section>
<section aria-labelledby="inv-h"><h2 id="inv-h">${w.invoicesTitle}</h2>${invoices}</section>
<section aria-labelledby="next-h"><h2 id="next-h">${w.nextTitle}</h2>${next}</section>
<section aria-labelledby="flags-h"><h2 id="flags-h">${w.pausesTitle}</h2>${pauses}${flagsForm}</section>
<section aria-labelledby="tl-h"><h2 id="tl-h">${w.timelineTitle}</h2>${timeline}</section>`,
  );
});

debtorPages.post("/app/debtors/:id/flags", async (c) => {
  const ctx = need(c, "debtors.write");
  const id = c.req.param("id");
  const stub = await knownDebtor(c, id);
  const form = await formOf(c);
  const flags = { vulnerable: form.vulnerable === "1", hardship: form.hardship === "1" };
  const result = await stub.setFlags(ctx.user.tenantId, flags);
  if (!result.ok) throw new ApiError("not_found", "No such debtor.");
  await auditAs(c, "debtor.flags_changed", id, flags);
  return c.redirect(`/app/debtors/${encodeURIComponent(id)}`, 303);
});

debtorPages.get("/app/debtors/:id/messages/:outbox", async (c) => {
  const ctx = need(c, "debtors.read");
  const id = c.req.param("id");
  const outbox = c.req.param("outbox");
  const stub = await knownDebtor(c, id);
  const m = /^[A-Za-z0-9_]{1,100}$/.test(outbox) ? await stub.sentMessage(ctx.user.tenantId, outbox) : null;
  if (!m) throw new ApiError("not_found", "No such message.");
  await auditAs(c, "debtor.message_viewed", id, { outbox_id: outbox });
  // The message in a sandboxed frame: no scripts, no forms, no access to the dashboard.
  return render(
    c,
    `${ctx.copy.debtors.messageTitle}: ${m.subject}`,
    html`<p>${m.channel} · ${m.step} · ${m.status}</p><iframe class="message" title="${m.subject}" sandbox srcdoc="${m.html}"></iframe>
<details><summary>Text</summary><pre class="text">${m.text}</pre></details><p><a href="/app/debtors/${encodeURIComponent(id)}">${ctx.copy.common.back}</a></p>`,
  );
});
