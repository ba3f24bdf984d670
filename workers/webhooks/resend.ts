/**
 * Resend's webhook events ({ type, created_at, data: { email_id, ... } }) mapped to the channel
 * event contract. Pure: no bindings, no clock.
 */
import { z } from "@hono/zod-openapi";
import type { ChannelEventType } from "../debtor/channel-events";

/** The envelope; `data` is read only for the event types Kindly acts on. */
export const ResendEnvelopeSchema = z.object({
  type: z.string().max(100),
  created_at: z.string().max(64).optional(),
  data: z.unknown().optional(),
});

const ResendEmailDataSchema = z.object({
  email_id: z.string().min(1).max(200),
  bounce: z.object({ type: z.string().max(50).optional(), subType: z.string().max(100).optional(), message: z.string().optional() }).partial().optional(),
  failed: z.object({ reason: z.string().optional() }).partial().optional(),
});

/** What one Resend event means for the message, or `ignored` for events that change nothing. */
export type ResendMapping =
  | { kind: "event"; emailId: string; type: ChannelEventType; permanent: boolean; occurredAt: number | null; detail?: string }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; message: string };

/**
 * Event types Kindly acts on. email.sent (we know it was accepted), email.delivery_delayed
 * (Resend keeps trying), email.scheduled/received and contact/domain events change nothing.
 */
const TYPES: Record<string, ChannelEventType> = {
  "email.delivered": "delivered",
  "email.opened": "opened",
  "email.clicked": "clicked",
  "email.bounced": "bounced",
  // Resend refuses to send to an address on its suppression list (after a hard bounce or a complaint).
  "email.suppressed": "bounced",
  "email.complained": "complained",
  "email.failed": "failed",
};

const cut = (s: string | undefined, n = 300) => (s === undefined ? undefined : s.slice(0, n));

/** Epoch ms of an ISO 8601 string, or null. */
export function isoToMs(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Maps a verified Resend payload to a channel event. */
export function mapResendEvent(payload: unknown): ResendMapping {
  const envelope = ResendEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return { kind: "malformed", message: "Not a Resend event envelope." };
  const type = TYPES[envelope.data.type];
  if (!type) return { kind: "ignored", reason: `event type ${envelope.data.type.slice(0, 100)}` };
  const data = ResendEmailDataSchema.safeParse(envelope.data.data);
  if (!data.success) return { kind: "malformed", message: `A ${envelope.data.type} event without data.email_id.` };
  const { bounce, failed, email_id } = data.data;
  // "email.bounced: the recipient's mail server permanently rejected the email" (Resend); only a
  // bounce that says Transient or Undetermined is kept as not permanent.
  const permanent = envelope.data.type === "email.suppressed" || (type === "bounced" && (bounce?.type === undefined || bounce.type === "Permanent"));
  const detail =
    type === "bounced"
      ? cut([envelope.data.type === "email.suppressed" ? "suppressed" : undefined, bounce?.type, bounce?.subType].filter(Boolean).join(" ") || undefined)
      : type === "failed"
        ? cut(failed?.reason)
        : undefined;
  return { kind: "event", emailId: email_id, type, permanent, occurredAt: isoToMs(envelope.data.created_at), ...(detail ? { detail } : {}) };
}
