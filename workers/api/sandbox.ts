/**
 * The sandbox outbox: messages kept instead of sent because the tenant (or the deployment) is in
 * sandbox delivery mode, each as it would go out: From and Reply-To, or the SMS sender.
 * `/v1/sandbox/messages` is the tenant-scoped JSON API; `/sandbox` is the browsable local page
 * (development only: it shows every tenant's messages on this machine).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import { html, raw } from "hono/html";
import { debtorIndex, outcomeEvents, sandboxMessages as messages } from "../../schema/d1";
import { createApp } from "../app";
import { db } from "../db";
import { requireApiKey } from "../auth";
import { isDevelopment } from "../clock";
import { bannerFor } from "../banner/view";
import { debtorStub } from "../debtor/stub";
import { ApiError } from "../errors";
import { ProblemSchema } from "./schemas";

const MessageSchema = z
  .object({
    id: z.string(),
    debtor_id: z.string(),
    channel: z.enum(["email", "letter", "sms", "call", "banner"]),
    recipient: z.string(),
    from: z.string().nullable().openapi({ description: "As on the wire: the email From (name and address), the SMS sender (alphanumeric ID or number), the letter's return address. Null: the shop has no sender for this channel yet (see sender_note)." }),
    reply_to: z.string().nullable().openapi({ description: "The email's Reply-To: where \"just reply\" goes." }),
    sender_note: z.string().nullable().openapi({ description: "For the shop: what is missing before this would go out live, or what to know about the sender." }),
    subject: z.string(),
    text: z.string(),
    html_url: z.string(),
    created_at: z.string(),
    sandbox: z.literal(true),
  })
  .openapi("SandboxMessage");

const m = messages;
/** What the outbox shows of a message (its HTML is served on its own page). */
const MESSAGE_COLUMNS = {
  id: m.id,
  tenantId: m.tenantId,
  debtorId: m.debtorId,
  channel: m.channel,
  recipient: m.recipient,
  subject: m.subject,
  text: m.text,
  createdAt: m.createdAt,
  sender: m.sender,
  replyTo: m.replyTo,
  senderNote: m.senderNote,
};

export const sandboxApi = createApp();
sandboxApi.use("*", requireApiKey);

sandboxApi.openapi(
  createRoute({
    method: "get",
    path: "/messages",
    summary: "List sandbox messages",
    description: "Messages kept in sandbox delivery mode, newest first, each as it would have been sent (From, Reply-To, SMS sender).",
    request: { query: z.object({ debtor_id: z.string().max(128).optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }) },
    responses: {
      200: { content: { "application/json": { schema: z.object({ data: z.array(MessageSchema) }) } }, description: "Messages" },
      401: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Missing or invalid API key" },
    },
  }),
  async (c) => {
    const { debtor_id, limit } = c.req.valid("query");
    const tenant = c.get("tenant");
    const results = await db(c.env.DB)
      .select(MESSAGE_COLUMNS)
      .from(m)
      .where(and(eq(m.tenantId, tenant.id), debtor_id === undefined ? undefined : eq(m.debtorId, debtor_id)))
      .orderBy(desc(m.createdAt))
      .limit(limit)
      .all();
    const data = results.map((r) => ({
      id: r.id,
      debtor_id: r.debtorId,
      channel: r.channel,
      recipient: r.recipient,
      from: r.sender,
      reply_to: r.replyTo,
      sender_note: r.senderNote,
      subject: r.subject,
      text: r.text,
      html_url: `/sandbox/${r.id}`,
      created_at: new Date(r.createdAt).toISOString(),
      sandbox: true as const,
    }));
    return c.json({ data }, 200);
  },
);

export const sandboxPages = createApp();
sandboxPages.use("*", async (c, next) => {
  if (!isDevelopment(c.env)) throw new ApiError("not_found", "Not found.");
  await next();
});

sandboxPages.get("/", async (c) => {
  const d = db(c.env.DB);
  const e = outcomeEvents;
  // The message's timeline: its events' types in order, as one string (a correlated subquery in SQL).
  const status = sql<string | null>`(SELECT group_concat(type, ' → ') FROM (SELECT e.type FROM ${e} e
          WHERE e.tenant_id = ${m.tenantId} AND e.debtor_id = ${m.debtorId} AND json_extract(e.data, '$.outbox_id') = ${m.outboxId}
          ORDER BY e.occurred_at, e.rowid))`;
  const results = await d
    .select({ ...MESSAGE_COLUMNS, status })
    .from(m)
    .orderBy(desc(m.createdAt))
    .limit(200)
    .all();
  const rows = results.map(
    (r) => html`<tr>
      <td>${new Date(r.createdAt).toISOString().replace("T", " ").slice(0, 16)}</td>
      <td>${r.channel}</td><td>${r.tenantId}</td><td>${r.debtorId}</td>
      <td>${r.sender ?? html`<em>no sender</em>`}${r.replyTo ? html`<br><span class="status">Reply-To: ${r.replyTo}</span>` : ""}${r.senderNote ? html`<br><span class="note">${r.senderNote}</span>` : ""}</td>
      <td>${r.recipient}</td>
      <td><a href="/sandbox/${r.id}">${r.subject}</a></td><td class="status">${r.status ?? ""}</td></tr>`,
  );
  const banners = await d
    .select({ tenantId: debtorIndex.tenantId, debtorId: debtorIndex.debtorId })
    .from(debtorIndex)
    .where(gt(debtorIndex.openInvoices, 0))
    .orderBy(desc(debtorIndex.updatedAt))
    .limit(50)
    .all();
  const bannerRows = banners.map((b) => html`<li><a href="/sandbox/banner/${encodeURIComponent(b.tenantId)}/${encodeURIComponent(b.debtorId)}">${b.tenantId} / ${b.debtorId}</a></li>`);
  return c.html(html`<!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Kindly sandbox outbox</title>
    <style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1f2937}table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e5e7eb}a{color:#1e40af}.status{color:#4b5563;font-size:13px}.note{color:#92400e;font-size:13px}</style></head>
    <body><h1>Sandbox outbox</h1>
    <p>Messages Kindly kept instead of sending, because the shop (or this deployment) is in sandbox delivery mode: email, letters (the A4 page), SMS and call tasks, each from the sender it would go out with. Nothing here reached anyone, and nothing here started a legal term or a cost. Clock times; newest first. Status is the message's timeline.</p>
    ${results.length === 0 ? html`<p><em>Nothing yet.</em> Register an overdue invoice and move the clock (see the README).</p>` : ""}
    <table><thead><tr><th>Time</th><th>Channel</th><th>Tenant</th><th>Debtor</th><th>From</th><th>To</th><th>Subject</th><th>Status</th></tr></thead>
    <tbody>${rows}</tbody></table>
    <h2>In-app banners</h2><p>What the app shows each debtor with open invoices.</p>
    ${banners.length === 0 ? html`<p><em>No debtor has open invoices.</em></p>` : html`<ul>${bannerRows}</ul>`}
    </body></html>`);
});

sandboxPages.get("/banner/:tenant/:debtor", async (c) => {
  const data = await debtorStub(c.env, c.req.param("tenant"), c.req.param("debtor")).bannerView(c.req.param("tenant"));
  if (!data) throw new ApiError("not_found", "Nothing open for this debtor: the app shows no banner.");
  const b = bannerFor(data);
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  return c.html(html`<!doctype html><html lang="${b.locale}"><head><meta charset="utf-8"><title>Banner preview</title></head>
    <body style="font:16px system-ui,sans-serif;background:#f3f4f6;margin:2rem">
    <div style="max-width:24rem;background:#fff;border-radius:12px;padding:16px 18px;box-shadow:0 1px 3px #0002">
      <strong style="display:block;margin-bottom:6px">${b.title}</strong>
      <p style="margin:0 0 12px">${b.text}</p>
      ${b.pay_url ? html`<a href="${b.pay_url}" style="display:inline-block;background:#1e40af;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">${b.pay_label}</a>` : ""}
      <p style="margin:12px 0 0;font-size:14px">${b.actions.map((a) => html`<a href="${a.url}" style="color:#1e40af;margin-right:12px">${a.label}</a>`)}</p>
    </div></body></html>`);
});

sandboxPages.get("/:id", async (c) => {
  const row = await db(c.env.DB).select({ html: m.html }).from(m).where(eq(m.id, c.req.param("id"))).get();
  if (!row) throw new ApiError("not_found", "No such sandbox message.");
  // The stored email is shown as the recipient would see it, but may run no script.
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'");
  return c.html(raw(row.html));
});
