/**
 * The shop's own voice on what a debtor sees outside messages (the self-service page and the
 * in-app banner): its name, logo and brand colour, and how to reach it (phone, opening hours,
 * chat, email), taken from the account profile (`PATCH /v1/account`). Nothing here says "Kindly".
 * Pure: the caller passes the tenant's details; formatting follows the reader's locale.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import type { AccountProfile, OpeningHours } from "./account-profile";
import { WEEKDAYS } from "./account-profile";

export type VoiceLocale = "nl-NL" | "nl-BE" | "fr-BE" | "en";

/** What the page and banner show of the shop; every URL is https (validated in the profile). */
export interface ShopVoice {
  name: string;
  logoUrl: string | null;
  /** "#rrggbb" with at least 4.5:1 contrast against white text (checked in the profile). */
  brandColour: string | null;
  /** E.164, e.g. "+31201234567". */
  phone: string | null;
  hours: OpeningHours[];
  chatUrl: string | null;
  /** The shop's own page about help with money worries. */
  helpUrl: string | null;
  /** Where an email to the shop goes: its customer-service Reply-To, else the account's contact email. */
  email: string | null;
}

/** The shop's voice from its tenant details. */
export function shopVoice(tenant: { displayName: string; contactEmail: string | null; profile: AccountProfile }): ShopVoice {
  const p = tenant.profile;
  return {
    name: tenant.displayName,
    logoUrl: p.branding?.logo_url ?? null,
    brandColour: p.branding?.brand_colour ?? null,
    phone: p.service?.phone ?? null,
    hours: p.service?.hours ?? [],
    chatUrl: p.service?.chat_url ?? null,
    helpUrl: p.service?.help_url ?? null,
    email: p.email?.reply_to ?? tenant.contactEmail,
  };
}

/**
 * A phone number as the reader dials it: national form when the number is in their country
 * ("020 123 4567"), international otherwise ("+31 20 123 4567"); `tel` is the dialable URI.
 */
export function formatPhone(e164: string, readerCountry: "NL" | "BE"): { display: string; tel: string } {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return { display: e164, tel: `tel:${e164}` };
  return { display: parsed.country === readerCountry ? parsed.formatNational() : parsed.formatInternational(), tel: parsed.getURI() };
}

const INTL_TAG: Record<VoiceLocale, string> = { "nl-NL": "nl-NL", "nl-BE": "nl-BE", "fr-BE": "fr-BE", en: "en-IE" };

/** Short weekday names in the reader's language, Monday first ("ma", "lun.", "Mon"). */
function weekdayNames(locale: VoiceLocale): string[] {
  const f = new Intl.DateTimeFormat(INTL_TAG[locale], { weekday: "short", timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  return WEEKDAYS.map((_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

/**
 * Opening hours as short lines in the reader's language, consecutive days joined into a range:
 * [{ days: mon..fri, 09:00-17:00 }] -> "ma–vr 09:00–17:00" (nl), "lun.–ven. 09:00–17:00" (fr).
 */
export function formatOpeningHours(hours: OpeningHours[], locale: VoiceLocale): string[] {
  const names = weekdayNames(locale);
  return hours.map((h) => {
    const idx = [...new Set(h.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
    const runs: number[][] = [];
    for (const i of idx) {
      const run = runs.at(-1);
      if (run && run.at(-1) === i - 1) run.push(i);
      else runs.push([i]);
    }
    const days = runs.map((r) => (r.length >= 3 ? `${names[r[0] ?? 0]}–${names[r.at(-1) ?? 0]}` : r.map((i) => names[i]).join(", "))).join(", ");
    return `${days} ${h.from}–${h.to}`;
  });
}
