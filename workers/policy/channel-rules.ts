/**
 * Every rule about channels, once: what each channel is (how intrusive, whether it counts as a
 * contact, which quiet hours apply, what contact data it needs, its place in the fallback
 * order), who may be reached on it (protected debtors), where a step goes when its channel does
 * not work, which country's law and SMS rules apply, and whether a message may start a legal
 * term. Pure: plain data in, plain data out. The engine, the send stage, the fallback and the
 * arrangement confirmation all call these; none of them keeps a copy.
 */
import type { ContactKind } from "./calendar";
import { CHANNELS, type Channel } from "./policy-schema";

/** What the rules need to know about a channel. A new channel adds one line here (the compiler insists). */
export interface ChannelTraits {
  /** How much it intrudes: the channel mix breaks ties toward the gentler one. */
  intrusiveness: number;
  /** Whether it contacts the person (the contact budget counts it); an in-app banner does not. */
  contact: boolean;
  /** Which quiet hours apply (Belgian calls start an hour later than messages). */
  quietHours: ContactKind;
  /** The debtor's contact field it needs; null: always reachable (the banner shows in the app). */
  needs: "email" | "phone" | "address" | null;
  /** Place in the fallback order (gentlest first); null: never a fallback for another channel. */
  fallbackRank: number | null;
}

export const CHANNEL_TRAITS: Record<Channel, ChannelTraits> = {
  banner: { intrusiveness: 0, contact: false, quietHours: "message", needs: null, fallbackRank: null },
  email: { intrusiveness: 1, contact: true, quietHours: "message", needs: "email", fallbackRank: 1 },
  sms: { intrusiveness: 2, contact: true, quietHours: "message", needs: "phone", fallbackRank: 3 },
  letter: { intrusiveness: 3, contact: true, quietHours: "message", needs: "address", fallbackRank: 2 },
  // A call task is a person phoning: never a silent stand-in for a message that did not go out.
  call: { intrusiveness: 4, contact: true, quietHours: "call", needs: "phone", fallbackRank: null },
};

/** Channels a step falls back to when its own does not reach the person, gentlest first. */
export const FALLBACK_ORDER: Channel[] = CHANNELS.filter((c) => CHANNEL_TRAITS[c].fallbackRank !== null).sort(
  (a, b) => (CHANNEL_TRAITS[a].fallbackRank ?? 0) - (CHANNEL_TRAITS[b].fallbackRank ?? 0),
);

/** Whether a channel counts as contacting the person (the contact budget). */
export const isContact = (c: Channel): boolean => CHANNEL_TRAITS[c].contact;

/** The quiet hours a channel keeps. */
export const quietKindOf = (c: Channel): ContactKind => CHANNEL_TRAITS[c].quietHours;

/** The contact data this rule reads (the merchant's debtor record). */
export interface DebtorContact {
  email?: string;
  phone?: string;
  address?: { country?: "NL" | "BE" } | null;
  locale?: string;
}

/** Whether the debtor's contact data lets this channel reach them. */
export function reachable(channel: Channel, debtor: DebtorContact): boolean {
  const needs = CHANNEL_TRAITS[channel].needs;
  if (needs === null) return true;
  return needs === "address" ? Boolean(debtor.address) : Boolean(debtor[needs]);
}

/** Channels the contact data cannot reach. */
export function unreachableChannels(debtor: DebtorContact): Channel[] {
  return CHANNELS.filter((c) => !reachable(c, debtor));
}

/**
 * A vulnerable debtor, or one in hardship, is never escalated: only the gentlest channels (the
 * in-app banner and email) and channels already used with them in the last 90 days. This is the
 * one meaning of "protected" for channels, used when planning, at send time, for a fallback and
 * for an arrangement confirmation.
 */
export function protectedMayUse(channel: Channel, usedChannels: readonly Channel[]): boolean {
  return CHANNEL_TRAITS[channel].intrusiveness <= CHANNEL_TRAITS.email.intrusiveness || usedChannels.includes(channel);
}

/** How far back "already used with this debtor" looks. */
export const USED_CHANNELS_WINDOW_MS = 90 * 24 * 3600_000;

/** Whether this debtor may be contacted on `channel` at all: reachable, not blocked, not an escalation. */
export function mayUse(channel: Channel, p: { blocked: readonly Channel[]; isProtected: boolean; usedChannels: readonly Channel[] }): boolean {
  return !p.blocked.includes(channel) && (!p.isProtected || protectedMayUse(channel, p.usedChannels));
}

/**
 * The channel a step falls back to after `tried` did not reach the person: the first in the
 * fallback order that was not tried, is not blocked or unavailable, and does not escalate a
 * protected debtor. Null: nothing is left.
 */
export function fallbackChannel(tried: readonly Channel[], p: { blocked: readonly Channel[]; isProtected: boolean; usedChannels: readonly Channel[] }): Channel | null {
  return FALLBACK_ORDER.find((c) => !tried.includes(c) && mayUse(c, p)) ?? null;
}

/** Country calling codes Kindly serves, for the SMS sender rules of the destination. */
const CALLING_CODES: Record<string, "NL" | "BE"> = { "+31": "NL", "+32": "BE" };

/** The country of an E.164 number, when it is one Kindly knows (NL, BE), else null. */
export function phoneCountry(e164: string): "NL" | "BE" | null {
  return CALLING_CODES[e164.slice(0, 3)] ?? null;
}

/**
 * The country whose law, holidays and quiet hours apply to a debtor: where their letters go,
 * else a Belgian locale (nl-BE, fr-BE), else the shop's own country.
 */
export function debtorCountry(debtor: DebtorContact, tenantCountry: "NL" | "BE"): "NL" | "BE" {
  return debtor.address?.country ?? (debtor.locale?.endsWith("BE") ? "BE" : tenantCountry);
}

/**
 * Destinations where an alphanumeric sender ID ("DeSpaak") may be used without registering it
 * first, per Twilio's SMS guidelines for the Netherlands and Belgium. Replies to such a sender
 * are impossible (no STOP by SMS), and generic names (INFO, SMS, NOTICE...) are blocked by the
 * carriers, which account-profile validation does not catch; a shop that needs replies sets
 * only its number.
 */
export const ALPHANUMERIC_SENDER_COUNTRIES: ReadonlySet<string> = new Set(["NL", "BE"]);

/** Generic sender IDs the Dutch and Belgian carriers block. */
const GENERIC_SENDER_IDS = new Set(["INFO", "SMS", "NOTICE", "VERIFY", "NOTIFY", "ALERT", "MESSAGE", "TEXT"]);

/** Who an SMS is from, and whether the person can answer it (STOP). */
export interface SmsSender {
  from: string;
  kind: "alphanumeric" | "shop_number" | "platform";
  replies: boolean;
}

/**
 * The shop's SMS sender for one destination: its alphanumeric sender ID where the destination
 * country allows it, else its own number, else the platform's number (or messaging service).
 * Null: nothing to send from.
 */
export function smsSenderFor(shop: { sender_id?: string; from_number?: string } | undefined, platform: string | null, destination: string): SmsSender | null {
  const country = phoneCountry(destination);
  const id = shop?.sender_id?.trim();
  if (id && country && ALPHANUMERIC_SENDER_COUNTRIES.has(country) && !GENERIC_SENDER_IDS.has(id.toUpperCase())) {
    return { from: id, kind: "alphanumeric", replies: false };
  }
  if (shop?.from_number) return { from: shop.from_number, kind: "shop_number", replies: true };
  return platform ? { from: platform, kind: "platform", replies: true } : null;
}

/** The legal milestone a sent message starts, if any. */
export type Milestone = "nl_fourteen_day_letter" | "be_first_reminder";

/**
 * Which messages start a legal term. NL: the 14-day letter counts when posted (Kindly has no
 * record of a debtor's consent to electronic notices, art. 6:96 lid 6 BW requires "schriftelijk"
 * and allows e-mail only with that consent). BE: the Book XIX first reminder may be a letter or
 * an email. Nothing else (an SMS, a call) starts a term.
 */
export function milestoneOf(kind: string, channel: Channel): Milestone | null {
  if (kind === "nl_fourteen_day_letter" && channel === "letter") return "nl_fourteen_day_letter";
  if (kind === "be_first_reminder" && (channel === "email" || channel === "letter")) return "be_first_reminder";
  return null;
}

/** Whether messages go to the providers or stay in the sandbox outbox. */
export type DeliveryMode = "live" | "sandbox";

/**
 * The delivery mode for one tenant. A deployment-wide `DELIVERY_MODE=sandbox` wins over every
 * tenant (a staging copy with real addresses can never send); otherwise the tenant's own choice,
 * and without one: sandbox in development, live in production. Nothing but a tenant's explicit
 * choice (or production) makes a message live.
 */
export function deliveryMode(tenantChoice: DeliveryMode | undefined, development: boolean, deploymentOverride: string | undefined): DeliveryMode {
  if (deploymentOverride === "sandbox") return "sandbox";
  return tenantChoice ?? (development ? "sandbox" : "live");
}
