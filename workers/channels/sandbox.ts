/**
 * Sandbox outbox: in sandbox delivery mode every message is rendered and kept here instead of
 * sent, exactly as it would go out (From, Reply-To or SMS sender included), so `/sandbox` and
 * `GET /v1/sandbox/messages` show it. Idempotent per key. Never used in live mode.
 */
import type { Channel } from "../policy/policy-schema";
import type { WireSender } from "./adapter";

export interface SandboxMessage {
  idempotencyKey: string;
  tenantId: string;
  debtorId: string;
  channel: Channel;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  outboxId?: string;
  /** Who it would be from; null with `senderNote` saying what the shop must set up first. */
  sender: WireSender | null;
  senderNote?: string;
}

/** Keeps one rendered message; a second call with the same key changes nothing. */
export async function keepInSandbox(db: D1Database, m: SandboxMessage, now: number): Promise<{ ok: true; providerId: string }> {
  await db
    .prepare(
      `INSERT OR IGNORE INTO sandbox_messages (id, tenant_id, debtor_id, channel, recipient, subject, html, text, outbox_id, created_at, sender, reply_to, sender_note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      m.idempotencyKey, m.tenantId, m.debtorId, m.channel, m.recipient, m.subject, m.html, m.text, m.outboxId ?? null, now,
      m.sender?.from ?? null, m.sender?.replyTo ?? null, m.senderNote ?? m.sender?.note ?? null,
    )
    .run();
  return { ok: true, providerId: `sandbox_${m.idempotencyKey.slice(0, 16)}` };
}

/** Minimal HTML for a plain-text message (SMS, call task), escaped. */
export function textAsHtml(title: string, text: string, lang: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;white-space:pre-wrap">${esc(text)}</body></html>`;
}
