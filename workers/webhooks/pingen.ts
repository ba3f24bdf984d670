/**
 * Pingen's letter webhooks (JSON:API, one category per webhook: issues, sent, undeliverable,
 * delivered), signed with the HMAC-SHA256 of the raw body in the `Signature` header (hex), and
 * mapped to the channel event contract. Pure: no bindings, no clock.
 *
 *   { "data": { "type": "webhook_sent", "id": "<event uuid>", "attributes": { "reason", "created_at" },
 *               "relationships": { "letter": { "data": { "type": "letters", "id": "<letter uuid>" } },
 *                                  "event": { "data": { "type": "letters_events", "id": "<uuid>" } } } },
 *     "included": [ { "type": "letters", ... }, { "type": "letters_events", "attributes": { "code", "name", "emitted_at" } } ] }
 */
import { z } from "zod";
import type { ChannelEventType } from "../debtor/channel-events";
import { hexToBytes, hmac, timingSafeEqual, type VerifyResult } from "./verify";

/**
 * How old a signed event may be. Pingen signs the body only, with no timestamp header; the event's
 * own `created_at` inside the signed body dates it. A day lets a redelivery after an outage of ours
 * through; a replay within that day is stopped by its receipt (kept 7 days, webhook_receipts).
 */
export const PINGEN_EVENT_TOLERANCE_MS = 24 * 3600_000;

const Ref = z.object({ data: z.object({ type: z.string().max(64), id: z.string().min(1).max(200) }) });
const PingenEvent = z.object({
  data: z.object({
    type: z.string().max(64),
    id: z.string().min(1).max(200),
    attributes: z.object({ reason: z.string().max(1000).nullish(), created_at: z.string().max(64) }).loose(),
    relationships: z.object({ letter: Ref, event: Ref.optional() }).loose(),
  }),
  included: z.array(z.object({ type: z.string(), id: z.string(), attributes: z.record(z.string(), z.unknown()).optional() }).loose()).optional(),
});

/** Pingen's dates are ISO 8601 with a numeric offset ("2024-04-26T09:54:38+0200"). */
export function pingenDateMs(value: string): number | null {
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Checks `Signature` (hex HMAC-SHA256 of the raw body with the webhook's signing key) and the event's age. */
export async function verifyPingen(input: { secret: string | undefined; signature: string | undefined; body: Uint8Array; nowMs: number }): Promise<VerifyResult> {
  if (!input.secret) return { ok: false, reason: "missing_secret" };
  if (!input.signature) return { ok: false, reason: "missing_headers" };
  const given = hexToBytes(input.signature.trim());
  const expected = await hmac("SHA-256", new TextEncoder().encode(input.secret), input.body);
  if (!given || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  const parsed = PingenEvent.safeParse(parseJson(input.body));
  const created = parsed.success ? pingenDateMs(parsed.data.data.attributes.created_at) : null;
  if (created === null) return { ok: false, reason: "invalid" };
  return Math.abs(input.nowMs - created) > PINGEN_EVENT_TOLERANCE_MS ? { ok: false, reason: "stale" } : { ok: true };
}

/** Webhook categories and what they mean for a letter. */
const TYPES: Record<string, { type: ChannelEventType; permanent: boolean }> = {
  // Handed over to the post (or a tracking number arrived): the posting event legal terms count from.
  webhook_sent: { type: "mailed", permanent: false },
  webhook_delivered: { type: "delivered", permanent: false },
  // Returned by the post: the address does not work (a new address lifts the block).
  webhook_undeliverable: { type: "returned", permanent: true },
  // The letter cannot be printed as it is (content in a restricted area, no credits...): not posted,
  // and it may still go out once the platform fixes it in Pingen; nothing about the debtor's address.
  webhook_issues: { type: "failed", permanent: false },
};

export type PingenMapping =
  | { kind: "event"; eventId: string; letterId: string; type: ChannelEventType; permanent: boolean; occurredAt: number | null; detail: string }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; message: string };

/** Maps a verified Pingen webhook body to a channel event. */
export function mapPingenEvent(payload: unknown): PingenMapping {
  const parsed = PingenEvent.safeParse(payload);
  if (!parsed.success) return { kind: "malformed", message: "Not a Pingen webhook." };
  const { data, included } = parsed.data;
  const mapped = TYPES[data.type];
  if (!mapped) return { kind: "ignored", reason: `webhook type ${data.type}` };
  // When it happened at the post: the letter event's emitted_at, else when Pingen made the webhook.
  const eventRef = data.relationships.event?.data.id;
  const letterEvent = included?.find((i) => i.type === "letters_events" && i.id === eventRef)?.attributes;
  const emitted = typeof letterEvent?.emitted_at === "string" ? pingenDateMs(letterEvent.emitted_at) : null;
  const code = typeof letterEvent?.code === "string" ? letterEvent.code : null;
  return {
    kind: "event",
    eventId: data.id,
    letterId: data.relationships.letter.data.id,
    type: mapped.type,
    permanent: mapped.permanent,
    occurredAt: emitted ?? pingenDateMs(data.attributes.created_at),
    detail: [data.type.replace(/^webhook_/, ""), code, data.attributes.reason].filter(Boolean).join(": ").slice(0, 300),
  };
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return null;
  }
}
