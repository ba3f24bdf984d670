/**
 * Email channel: Resend when RESEND_API_KEY is set, otherwise sandbox mode, which keeps the
 * rendered message in D1 so it can be read at /sandbox. Both are idempotent per key:
 * Resend dedups on its Idempotency-Key for 24 h, the sandbox on its primary key.
 */
import { Resend } from "resend";
import { keepInSandbox } from "./sandbox";

export interface OutgoingEmail {
  /** Stable per outbox row: a retried send carries the same key. */
  idempotencyKey: string;
  tenantId: string;
  debtorId: string;
  outboxId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export type SendResult =
  | { ok: true; providerId: string; sandbox: boolean }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

/** Whether email goes to Resend (false: sandbox outbox). */
export function emailIsLive(env: Pick<Env, "RESEND_API_KEY">): boolean {
  return typeof env.RESEND_API_KEY === "string" && env.RESEND_API_KEY.length > 0;
}

/** Sends one email through Resend or keeps it in the sandbox outbox. */
export async function sendEmail(env: Env, msg: OutgoingEmail, now: number): Promise<SendResult> {
  if (!emailIsLive(env)) return keepInSandbox(env.DB, { ...msg, channel: "email", recipient: msg.to, outboxId: msg.outboxId }, now);
  const resend = new Resend(env.RESEND_API_KEY, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : undefined);
  const { data, error, headers } = await resend.emails.send(
    {
      from: env.EMAIL_FROM,
      to: [msg.to],
      subject: msg.subject,
      html: msg.html,
      text: msg.text,
      // Tags let delivery webhooks find their way back to the debtor and the outbox row.
      tags: [
        { name: "tenant", value: tagValue(msg.tenantId) },
        { name: "debtor", value: tagValue(msg.debtorId) },
        { name: "outbox", value: msg.outboxId },
      ],
    },
    { idempotencyKey: msg.idempotencyKey },
  );
  if (data) return { ok: true, providerId: data.id, sandbox: false };
  const status = error && "statusCode" in error ? (error.statusCode as number | null) : null;
  // No status (network), 409 (same key still in flight at Resend), 429 and 5xx are worth retrying.
  const retryable = status === null || status === 409 || status === 429 || status >= 500;
  const result: SendResult = { ok: false, retryable, error: `${status ?? "network"}: ${error?.message ?? "unknown error"}` };
  // A rate limit is not the message's fault: wait as long as Resend asks (default 1 s).
  const retryAfter = Number(headers?.["retry-after"] ?? 1);
  return status === 429 ? { ...result, retryAfterMs: Math.max(1, Number.isFinite(retryAfter) ? retryAfter : 1) * 1000 } : result;
}

/** Resend tag values allow ASCII letters, digits, '_' and '-' only. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);
}
