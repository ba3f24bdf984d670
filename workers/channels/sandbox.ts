/**
 * Sandbox outbox: what a channel without credentials keeps instead of sending, so the local
 * page shows each message exactly as the person would see it. Idempotent per key.
 */
export type SandboxChannel = "email" | "letter" | "sms" | "call" | "banner";

export interface SandboxMessage {
  idempotencyKey: string;
  tenantId: string;
  debtorId: string;
  channel: SandboxChannel;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  outboxId?: string;
}

/** Keeps one rendered message; a second call with the same key changes nothing. */
export async function keepInSandbox(db: D1Database, m: SandboxMessage, now: number): Promise<{ ok: true; providerId: string; sandbox: true }> {
  await db
    .prepare(
      `INSERT OR IGNORE INTO sandbox_messages (id, tenant_id, debtor_id, channel, recipient, subject, html, text, outbox_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(m.idempotencyKey, m.tenantId, m.debtorId, m.channel, m.recipient, m.subject, m.html, m.text, m.outboxId ?? null, now)
    .run();
  return { ok: true, providerId: `sandbox_${m.idempotencyKey.slice(0, 16)}`, sandbox: true };
}

/** Minimal HTML for a plain-text message (SMS, call task), escaped. */
export function textAsHtml(title: string, text: string, lang: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;white-space:pre-wrap">${esc(text)}</body></html>`;
}
