/**
 * What providers tell us about a message after it left, normalized across Resend, Twilio and the
 * print API, as the DebtorDO takes it over RPC (`channelEvent`). Webhook handlers verify the
 * signature, find the message's route (D1 `message_routes`, by provider message id) and call it.
 */
export type ChannelEventType =
  | "delivered"
  | "opened"
  | "clicked"
  | "bounced"
  | "complained"
  | "failed"
  | "undelivered"
  | "mailed"
  | "in_transit"
  | "returned";

import type { Channel } from "../policy/policy-schema";

export interface ChannelEvent {
  /** The adapter's provider name (resend, twilio, lob ...). */
  provider: string;
  /** The provider's id of this event (deduplicates redelivered webhooks). */
  providerEventId: string;
  outboxId: string;
  channel: Channel;
  type: ChannelEventType;
  /** A hard bounce, an invalid number, a returned letter: the address itself does not work. */
  permanent: boolean;
  occurredAt: number;
  detail?: string;
}

/** Where a sent message belongs, recorded in D1 when the provider accepted it. */
export interface MessageRoute {
  tenantId: string;
  debtorId: string;
  outboxId: string;
  channel: Channel;
}

/** Status order per channel: a status only moves forward (duplicates and late arrivals are no-ops). */
export const STATUS_RANK: Record<ChannelEventType, number> = {
  mailed: 1,
  in_transit: 2,
  delivered: 3,
  opened: 4,
  clicked: 5,
  bounced: 6,
  undelivered: 6,
  failed: 6,
  returned: 6,
  complained: 7,
};
