/**
 * Free text a debtor writes (a dispute reason, an SMS reply) stays in the debtor's own object:
 * the event that flows to D1 (and on to reports and webhooks) carries only a reference
 * (`note_id`). The merchant still reads the text in the debtor's timeline and export; erasure
 * wipes it with the object.
 */
import { randomToken } from "../crypto";

/** Versioned, idempotent DDL for the notes table; run with the object's other migrations. */
export function migrateNotes(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL)");
}

/** Longest note kept, in characters. */
export const MAX_NOTE_LENGTH = 1000;

/** Keeps a note and returns its id, for the event's `note_id`. */
export function addNote(sql: SqlStorage, kind: "dispute_reason" | "reply", body: string, at: number): string {
  const id = `note_${randomToken(16)}`;
  sql.exec("INSERT INTO notes (id, kind, body, at) VALUES (?, ?, ?, ?)", id, kind, body.slice(0, MAX_NOTE_LENGTH), at);
  return id;
}

/** Every note, oldest first (the export). */
export function allNotes(sql: SqlStorage): { id: string; kind: string; body: string; at: number }[] {
  return sql.exec<{ id: string; kind: string; body: string; at: number }>("SELECT id, kind, body, at FROM notes ORDER BY at, id").toArray();
}

/**
 * An event's data with its note reference resolved, for the merchant's own views: a reply's text
 * as `body`, a dispute's as `reason` (the fields these events always had).
 */
export function withNoteText(sql: SqlStorage, data: Record<string, unknown>): Record<string, unknown> {
  if (typeof data.note_id !== "string") return data;
  const note = sql.exec<{ kind: string; body: string }>("SELECT kind, body FROM notes WHERE id = ?", data.note_id).toArray()[0];
  return { ...data, [note?.kind === "reply" ? "body" : "reason"]: note?.body ?? null };
}
