/**
 * Lob's letter events ({ id: "evt_...", event_type: { id: "letter.mailed" }, body: { id: "ltr_..." } })
 * mapped to the channel event contract. Pure: no bindings, no clock.
 */
import { z } from "@hono/zod-openapi";
import type { ChannelEventType } from "../debtor/channel-events";
import { isoToMs } from "./resend";

export const LobEventSchema = z.object({
  id: z.string().min(1).max(200),
  date_created: z.string().max(64).optional(),
  event_type: z.object({ id: z.string().max(100) }),
  body: z.unknown().optional(),
});

const LobLetterSchema = z.object({ id: z.string().min(1).max(200) });

/**
 * USPS tracking events of a letter. letter.created/rendered_* say nothing about delivery;
 * in_local_area and re-routed are still on the way.
 */
const TYPES: Record<string, ChannelEventType> = {
  "letter.mailed": "mailed",
  "letter.in_transit": "in_transit",
  "letter.in_local_area": "in_transit",
  "letter.re-routed": "in_transit",
  "letter.processed_for_delivery": "delivered",
  "letter.delivered": "delivered",
  "letter.returned_to_sender": "returned",
};

export type LobMapping =
  | { kind: "event"; eventId: string; letterId: string; type: ChannelEventType; permanent: boolean; occurredAt: number | null; detail: string }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; message: string };

/** Maps a verified Lob payload to a channel event. */
export function mapLobEvent(payload: unknown): LobMapping {
  const event = LobEventSchema.safeParse(payload);
  if (!event.success) return { kind: "malformed", message: "Not a Lob event." };
  const eventType = event.data.event_type.id;
  const type = TYPES[eventType];
  if (!type) return { kind: "ignored", reason: `event type ${eventType}` };
  const letter = LobLetterSchema.safeParse(event.data.body);
  if (!letter.success) return { kind: "malformed", message: `A ${eventType} event without body.id.` };
  return {
    kind: "event",
    eventId: event.data.id,
    letterId: letter.data.id,
    type,
    // A returned letter: the address does not work (a new address lifts the block).
    permanent: type === "returned",
    occurredAt: isoToMs(event.data.date_created),
    detail: eventType,
  };
}
