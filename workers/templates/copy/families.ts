/** Which template keys each copy family holds; the copy modules are typed against these lists. */
import type { TemplateKey } from "../keys";

/** Reminders before and after the due date, including the gentle variants. */
export type ReminderKey = Extract<TemplateKey, "pre-due-nudge" | "reminder-friendly" | "reminder-second" | "reminder-letter" | "reminder-sms" | "reminder-gentle" | "reminder-help" | "reminder-letter-help">;
/** Messages around a legal notice: the NL 14-day letter, the BE first reminder, the final notice. */
export type LegalKey = Extract<TemplateKey, "nl-fourteen-day-letter" | "be-first-reminder" | "final-notice">;
/** Follow-ups to what the debtor did: said they paid, or paid. */
export type FollowUpKey = Extract<TemplateKey, "already-paid-follow-up" | "payment-thanks">;
/** Messages about an arrangement. */
export type ArrangementKey = Extract<TemplateKey, "arrangement-confirmation" | "instalment-reminder" | "instalment-missed">;
