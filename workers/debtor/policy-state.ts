/**
 * The DebtorDO's policy state: flags, pauses, contacts, channel history, blocked channels,
 * the legal milestones of the current cycle and arrangements. Synchronous, like store.ts.
 */
import type { ChannelStats } from "../policy/channel-mix";
import type { Contact, Pause, PauseKind } from "../policy/engine-types";
import { unreachableChannels, type DebtorContact } from "../policy/channel-rules";
import type { Channel } from "../policy/policy-schema";

/** Schema v2: run after the v1 DDL, inside blockConcurrencyWhile. */
export function migratePolicyTables(sql: SqlStorage): void {
  const version = Number(sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'policy_schema'").toArray()[0]?.value ?? 0);
  if (version >= 2) return;
  sql.exec(`
    ALTER TABLE ladder ADD COLUMN ladder_key TEXT;
    ALTER TABLE ladder ADD COLUMN steps_taken INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ladder ADD COLUMN last_channels TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE ladder ADD COLUMN credited INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ladder ADD COLUMN segment_key TEXT;
    ALTER TABLE ladder ADD COLUMN last_plan TEXT;
    ALTER TABLE ladder ADD COLUMN nl_letter_posted_on TEXT;
    ALTER TABLE ladder ADD COLUMN be_first_reminder TEXT;
    ALTER TABLE outbox ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE outbox ADD COLUMN rendered TEXT;
    CREATE TABLE IF NOT EXISTS pauses (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, from_at INTEGER NOT NULL, until_at INTEGER, lifted_at INTEGER, data TEXT NOT NULL DEFAULT '{}');
    CREATE TABLE IF NOT EXISTS contacts (at INTEGER NOT NULL, channel TEXT NOT NULL, outbox_id TEXT NOT NULL PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS channel_history (channel TEXT PRIMARY KEY, successes INTEGER NOT NULL, trials INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS blocked_channels (channel TEXT PRIMARY KEY, reason TEXT NOT NULL, since INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS instalments (seq INTEGER PRIMARY KEY, due_date TEXT NOT NULL, amount_cents INTEGER NOT NULL, status TEXT NOT NULL);
  `);
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('policy_schema', '2')");
}

/** Schema v3: provider delivery status, and when a row was handed to the dispatch queue; v4: announced costs; v5: sandbox milestones. */
export function migrateChannelTables(sql: SqlStorage): void {
  const version = Number(sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'channel_schema'").toArray()[0]?.value ?? 0);
  if (version < 3) {
    sql.exec("ALTER TABLE outbox ADD COLUMN delivery_status TEXT");
    sql.exec("ALTER TABLE outbox ADD COLUMN queued_at INTEGER");
  }
  if (version < 4) sql.exec("ALTER TABLE ladder ADD COLUMN legal_costs TEXT");
  // v5: whether this cycle's legal milestones belong to a sandbox message (never chargeable for real).
  if (version < 5) sql.exec("ALTER TABLE ladder ADD COLUMN legal_mode TEXT");
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('channel_schema', '5')");
}

export type PauseRow = { id: number; kind: PauseKind; from_at: number; until_at: number | null; lifted_at: number | null; data: string };
export type InstalmentRow = { seq: number; due_date: string; amount_cents: number; status: "due" | "paid" | "missed" };

const WEEK_MS = 7 * 24 * 3600_000;

/** Typed access to the policy tables. */
export class PolicyState {
  constructor(private readonly sql: SqlStorage) {}

  flags(): { hardship: boolean; vulnerable: boolean } {
    const get = (k: string) => this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", k).toArray()[0]?.value === "1";
    return { hardship: get("flag_hardship"), vulnerable: get("flag_vulnerable") };
  }
  setFlag(name: "hardship" | "vulnerable", on: boolean): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", `flag_${name}`, on ? "1" : "0");
  }

  /** Pauses not lifted, including timed ones that have ended (they still shape wording). */
  pauses(): Pause[] {
    return this.pauseRows().map((p) => ({ kind: p.kind, from: p.from_at, until: p.until_at }));
  }
  pauseRows(): PauseRow[] {
    return this.sql.exec<PauseRow>("SELECT * FROM pauses WHERE lifted_at IS NULL ORDER BY from_at").toArray();
  }
  addPause(kind: PauseKind, from: number, until: number | null, data: Record<string, unknown> = {}): void {
    this.sql.exec("INSERT INTO pauses (kind, from_at, until_at, data) VALUES (?, ?, ?, ?)", kind, from, until, JSON.stringify(data));
  }
  liftPauses(kinds: PauseKind[], at: number): number {
    const marks = kinds.map(() => "?").join(", ");
    return this.sql.exec(`UPDATE pauses SET lifted_at = ? WHERE lifted_at IS NULL AND kind IN (${marks})`, at, ...kinds).rowsWritten;
  }

  /** Contacts in the last `weeks` weeks: enough for any budget window. */
  contacts(now: number, weeks = 4): Contact[] {
    return this.sql.exec<{ at: number; channel: Channel }>("SELECT at, channel FROM contacts WHERE at > ? ORDER BY at", now - weeks * WEEK_MS).toArray();
  }
  addContact(at: number, channel: Channel, outboxId: string): void {
    this.sql.exec("INSERT OR IGNORE INTO contacts (at, channel, outbox_id) VALUES (?, ?, ?)", at, channel, outboxId);
  }
  /**
   * Contacts that actually went out (their message was sent), at the time they went out, except
   * those of one step (`exceptPrefix`): what the send-time budget check counts against.
   */
  sentContacts(now: number, exceptPrefix: string, weeks = 4): Contact[] {
    return this.sql
      .exec<{ at: number; channel: Channel }>(
        `SELECT c.at, c.channel FROM contacts c JOIN outbox o ON o.id = c.outbox_id
         WHERE o.status = 'sent' AND c.at > ? AND substr(c.outbox_id, 1, ?) != ? ORDER BY c.at`,
        now - weeks * WEEK_MS, exceptPrefix.length, exceptPrefix,
      )
      .toArray();
  }
  /** A decided contact went out at `at`: the budget counts it from then. */
  moveContact(outboxId: string, at: number): void {
    this.sql.exec("UPDATE contacts SET at = ? WHERE outbox_id = ?", at, outboxId);
  }
  /** A contact that did not happen (the message failed) gives its place in the budget back. */
  removeContact(outboxId: string): void {
    this.sql.exec("DELETE FROM contacts WHERE outbox_id = ?", outboxId);
  }
  channelsUsedSince(t: number): Channel[] {
    return this.sql.exec<{ channel: Channel }>("SELECT DISTINCT channel FROM contacts WHERE at >= ?", t).toArray().map((r) => r.channel);
  }

  history(): Partial<Record<Channel, ChannelStats>> {
    const out: Partial<Record<Channel, ChannelStats>> = {};
    for (const r of this.sql.exec<{ channel: Channel; successes: number; trials: number }>("SELECT * FROM channel_history").toArray()) {
      out[r.channel] = { successes: r.successes, trials: r.trials };
    }
    return out;
  }
  /** A message went out on `channel`: one more trial. */
  recordTrial(channel: Channel): void {
    this.bump(channel, 0, 1);
  }
  /** The debtor paid or arranged after a message on `channel` (its trial was counted at send time). */
  recordSuccess(channel: Channel): void {
    this.bump(channel, 1, 0);
  }
  private bump(channel: Channel, successes: number, trials: number): void {
    this.sql.exec(
      `INSERT INTO channel_history (channel, successes, trials) VALUES (?, ?, ?)
       ON CONFLICT (channel) DO UPDATE SET successes = successes + excluded.successes, trials = trials + excluded.trials`,
      channel, successes, trials,
    );
  }

  /** Vulnerable or in hardship: never escalated, never handed over. */
  isProtected(): boolean {
    const f = this.flags();
    return f.hardship || f.vulnerable;
  }

  /** Channels that cannot be used for this debtor: no contact data for them, or blocked. */
  unavailable(debtor: DebtorContact): Set<Channel> {
    return new Set<Channel>([...unreachableChannels(debtor), ...this.blocked().map((b) => b.channel)]);
  }

  blocked(): { channel: Channel; reason: string }[] {
    return this.sql.exec<{ channel: Channel; reason: string }>("SELECT channel, reason FROM blocked_channels").toArray();
  }
  block(channel: Channel, reason: string, at: number): void {
    this.sql.exec("INSERT OR REPLACE INTO blocked_channels (channel, reason, since) VALUES (?, ?, ?)", channel, reason, at);
  }
  unblock(channel: Channel): void {
    this.sql.exec("DELETE FROM blocked_channels WHERE channel = ?", channel);
  }

  instalments(): InstalmentRow[] {
    return this.sql.exec<InstalmentRow>("SELECT * FROM instalments ORDER BY seq").toArray();
  }
  replaceInstalments(rows: Omit<InstalmentRow, "status">[]): void {
    this.sql.exec("DELETE FROM instalments");
    for (const r of rows) this.sql.exec("INSERT INTO instalments (seq, due_date, amount_cents, status) VALUES (?, ?, ?, 'due')", r.seq, r.due_date, r.amount_cents);
  }
  setInstalmentStatus(seq: number, status: InstalmentRow["status"]): void {
    this.sql.exec("UPDATE instalments SET status = ? WHERE seq = ?", status, seq);
  }
}
