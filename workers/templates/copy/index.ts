/**
 * The default copy of every message template, per locale, assembled from one module per locale
 * family per message family. Issue 8 layers a tenant's published edits over these defaults.
 */
import type { TemplateCopy } from "../blocks";
import type { TemplateKey } from "../keys";
import { EN_ARRANGEMENTS } from "./en-arrangements";
import { EN_FOLLOW_UPS } from "./en-follow-ups";
import { EN_LEGAL } from "./en-legal";
import { EN_REMINDERS } from "./en-reminders";
import { FR_ARRANGEMENTS } from "./fr-arrangements";
import { FR_FOLLOW_UPS } from "./fr-follow-ups";
import { FR_LEGAL } from "./fr-legal";
import { FR_REMINDERS } from "./fr-reminders";
import { nlArrangements } from "./nl-arrangements";
import { nlFollowUps } from "./nl-follow-ups";
import { nlLegal } from "./nl-legal";
import { nlReminders } from "./nl-reminders";

/** The locales Kindly writes in. */
export type CopyLocale = "nl-NL" | "nl-BE" | "fr-BE" | "en";

/** Template keys that have editable copy (messages; not the call script or state changes). */
export type CopyKey = Exclude<TemplateKey, "handover-ready" | "call-task">;

const dutch = (region: "NL" | "BE"): Record<CopyKey, TemplateCopy> => ({ ...nlReminders(region), ...nlLegal(region), ...nlFollowUps(region), ...nlArrangements(region) });

const BY_LOCALE: Record<CopyLocale, Record<CopyKey, TemplateCopy>> = {
  "nl-NL": dutch("NL"),
  "nl-BE": dutch("BE"),
  "fr-BE": { ...FR_REMINDERS, ...FR_LEGAL, ...FR_FOLLOW_UPS, ...FR_ARRANGEMENTS },
  en: { ...EN_REMINDERS, ...EN_LEGAL, ...EN_FOLLOW_UPS, ...EN_ARRANGEMENTS },
};

/** True for a key with editable copy. */
export function hasCopy(key: TemplateKey): key is CopyKey {
  return key !== "handover-ready" && key !== "call-task";
}

/** The default copy of a template in a locale. */
export function defaultCopy(key: CopyKey, locale: CopyLocale): TemplateCopy {
  return BY_LOCALE[locale][key];
}
