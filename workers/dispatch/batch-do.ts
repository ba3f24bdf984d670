/**
 * DispatchBatchDO: one provider batch (Resend `/emails/batch`, up to 100 emails under one
 * Idempotency-Key). Its members and their exact bytes are stored here before the provider is
 * called, and the key is derived from the batch id, so every retry (a timeout, a lost answer, a
 * 5xx, an evicted object) sends the same request, which the provider deduplicates.
 *
 * Life of a batch: open (members arrive; a member may still be withdrawn) -> the first call seals
 * it for good -> sent (ids per member), refused (the provider sent nothing: members go alone) or
 * given up -> each member's DebtorDO is told, again on every alarm until all have heard -> the
 * stored bytes are deleted a day later. A member the batch never received (the consumer died
 * between freezing and handing over) is answered "unknown" and the batch seals itself, so a
 * late hand-over cannot add it after its DebtorDO has put it back.
 */
import { DurableObject } from "cloudflare:workers";
import type { BatchResult, SendInput } from "../channels/adapter";
import { channelRegistry, sendBatchBounded } from "../channels/registry";
import { sha256Hex } from "../crypto";
import { debtorStub } from "../debtor/stub";
import type { MemberOutcome } from "./batch-member";

/** Provider attempts before a batch gives up (its members then fail and fall back, as a single send's would). */
export const BATCH_MAX_ATTEMPTS = 8;
/** If nobody runs an open batch (a consumer died), its own alarm does after this. */
const OPEN_TIMEOUT_MS = 30_000;
/** Members that did not hear the outcome are told again after this. */
const REPORT_RETRY_MS = 30_000;
/** Stored bytes and outcomes are kept as long as the provider keeps the key (24 h), then deleted. */
const KEEP_MS = 25 * 3600_000;
/** Members told of the outcome at once. */
const REPORT_PARALLEL = 16;

type Status = "open" | "sealed" | "retry" | "sent" | "refused" | "failed" | "reported";
interface BatchRow {
  channel: string;
  status: Status;
  attempts: number;
  result: string | null;
  [key: string]: SqlStorageValue;
}
interface MemberRow {
  seq: number;
  member: string;
  outbox_id: string;
  tenant_id: string;
  debtor_id: string;
  input: string | null;
  withdrawn: number;
  [key: string]: SqlStorageValue;
}

/** A member handed to a batch: its object and the exact input the adapter sends. */
export interface BatchMember {
  tenantId: string;
  debtorId: string;
  outboxId: string;
  input: SendInput;
}

/** A member's name in its batch: outbox ids are unique per debtor only. */
export const memberKey = (tenantId: string, debtorId: string, outboxId: string) => `${tenantId}/${debtorId}/${outboxId}`;

/** Backoff after the n-th failed batch attempt: 2, 4, 8 ... s, at most 10 minutes, ±20 % jitter. */
export function batchRetryMs(attempt: number, random = Math.random()): number {
  return Math.round(Math.min(2000 * 2 ** (attempt - 1), 600_000) * (0.8 + 0.4 * random));
}

export class DispatchBatchDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The provider call in progress in this instance, so concurrent callers wait for it instead of calling twice. */
  private calling: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS batch (id INTEGER PRIMARY KEY CHECK (id = 1), batch_id TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, result TEXT);
      CREATE TABLE IF NOT EXISTS members (seq INTEGER PRIMARY KEY, member TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL, debtor_id TEXT NOT NULL, outbox_id TEXT NOT NULL, input TEXT, withdrawn INTEGER NOT NULL DEFAULT 0);
    `);
  }

  private batch(): BatchRow | null {
    return this.sql.exec<BatchRow>("SELECT channel, status, attempts, result FROM batch WHERE id = 1").toArray()[0] ?? null;
  }

  private setStatus(status: Status, result: string | null = null, attempts?: number): void {
    this.sql.exec("UPDATE batch SET status = ?, result = COALESCE(?, result), attempts = COALESCE(?, attempts) WHERE id = 1", status, result, attempts ?? null);
  }

  /** Stores members and their bytes; false when the batch is already sealed (they must go elsewhere). */
  async freeze(batchId: string, channel: string, members: BatchMember[]): Promise<{ accepted: string[] }> {
    const b = this.batch();
    if (b && b.status !== "open") return { accepted: [] };
    this.ctx.storage.transactionSync(() => {
      if (!b) this.sql.exec("INSERT INTO batch (id, batch_id, channel, status, attempts) VALUES (1, ?, ?, 'open', 0)", batchId, channel);
      // A member withdrawn (or asked about) before it arrived keeps its tombstone: it is not sent.
      for (const m of members) {
        this.sql.exec("INSERT OR IGNORE INTO members (member, tenant_id, debtor_id, outbox_id, input) VALUES (?, ?, ?, ?, ?)", memberKey(m.tenantId, m.debtorId, m.outboxId), m.tenantId, m.debtorId, m.outboxId, JSON.stringify(m.input));
      }
    });
    if (!b) await this.ctx.storage.setAlarm(Date.now() + OPEN_TIMEOUT_MS);
    const accepted = new Set(this.sql.exec<{ member: string }>("SELECT member FROM members WHERE withdrawn = 0 AND input IS NOT NULL").toArray().map((r) => r.member));
    return { accepted: members.map((m) => memberKey(m.tenantId, m.debtorId, m.outboxId)).filter((k) => accepted.has(k)) };
  }

  /** Calls the provider now if the batch has no final answer yet, then tells every member. */
  async run(): Promise<Status | "empty"> {
    const b = this.batch();
    if (!b) return "empty";
    if (b.status === "open" || b.status === "sealed" || b.status === "retry") await this.call();
    await this.report();
    return this.batch()?.status ?? "empty";
  }

  /**
   * A member's object wants it withdrawn (paid, paused, blocked). Before the first provider call
   * it is dropped; after it, the bytes are fixed: the answer is the outcome (one more attempt is
   * made at once if the last one failed), or none yet if the provider still gives no answer.
   */
  async withdraw(member: string): Promise<{ withdrawn: true } | { withdrawn: false; outcome: MemberOutcome | null }> {
    const b = this.batch();
    const m = this.member(member);
    if (!b || !m || ((b.status === "open" || b.status === "sealed") && b.attempts === 0)) {
      this.tombstone(member, b);
      return { withdrawn: true };
    }
    if (m.withdrawn) return { withdrawn: true };
    if (b.status === "retry" || b.status === "sealed" || b.status === "open") await this.call();
    return { withdrawn: false, outcome: this.outcomeOf(member) };
  }

  /** The safety net of a member: unknown here (never received: it goes elsewhere), or the batch is moved on. */
  async nudge(member: string): Promise<{ unknown: boolean; outcome: MemberOutcome | null }> {
    const b = this.batch();
    const m = this.member(member);
    if (!b || !m || m.withdrawn) {
      // Sealed first, so a hand-over still on its way cannot add it after this answer.
      this.tombstone(member, b);
      return { unknown: true, outcome: null };
    }
    if (b.status === "open" || b.status === "sealed") await this.call();
    return { unknown: false, outcome: this.outcomeOf(member) };
  }

  override async alarm(): Promise<void> {
    const b = this.batch();
    if (!b) return;
    if (b.status === "reported") {
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.run();
  }

  private member(member: string): MemberRow | null {
    return this.sql.exec<MemberRow>("SELECT * FROM members WHERE member = ?", member).toArray()[0] ?? null;
  }

  private tombstone(member: string, b: BatchRow | null): void {
    this.ctx.storage.transactionSync(() => {
      if (!b) this.sql.exec("INSERT INTO batch (id, batch_id, channel, status, attempts) VALUES (1, '', '', 'sealed', 0)");
      else if (b.status === "open") this.setStatus("sealed");
      this.sql.exec("INSERT INTO members (member, tenant_id, debtor_id, outbox_id, input, withdrawn) VALUES (?, '', '', '', NULL, 1) ON CONFLICT (member) DO UPDATE SET withdrawn = 1", member);
    });
  }

  /** One provider attempt (or waits for the one in progress); never two at once in this instance. */
  private async call(): Promise<void> {
    if (this.calling) return this.calling;
    this.calling = this.attempt().finally(() => {
      this.calling = null;
    });
    return this.calling;
  }

  private async attempt(): Promise<void> {
    const b = this.batch();
    if (!b || !["open", "sealed", "retry"].includes(b.status)) return;
    const members = this.sql.exec<MemberRow>("SELECT * FROM members WHERE withdrawn = 0 AND input IS NOT NULL ORDER BY seq").toArray();
    // From the first attempt on, the members and their order are fixed: a retry is the same request.
    this.setStatus("sealed", null, b.attempts + 1);
    if (members.length === 0) return this.setStatus("sent", JSON.stringify({ ok: true, providerIds: [] }));
    const adapter = channelRegistry(this.env).forChannel(b.channel);
    const batchId = this.sql.exec<{ batch_id: string }>("SELECT batch_id FROM batch WHERE id = 1").one().batch_id;
    const key = await sha256Hex(`kindly-batch\u0000${batchId}`);
    const result: BatchResult = adapter
      ? await sendBatchBounded(adapter, members.map((m) => JSON.parse(m.input as string) as SendInput), key)
      : { ok: false, retryable: false, refused: true, error: `no provider is registered for ${b.channel}` };
    if (result.ok) {
      const ids = Object.fromEntries(members.map((m, i) => [m.member, result.providerIds[i] ?? ""]));
      return this.setStatus("sent", JSON.stringify({ ok: true, ids }));
    }
    const attempts = b.attempts + 1;
    if (result.retryable && (attempts < BATCH_MAX_ATTEMPTS || result.retryAfterMs !== undefined)) {
      this.setStatus("retry", JSON.stringify(result));
      await this.ctx.storage.setAlarm(Date.now() + (result.retryAfterMs ?? batchRetryMs(attempts)));
      return;
    }
    this.setStatus(result.refused ? "refused" : "failed", JSON.stringify(result));
  }

  private outcomeOf(member: string): MemberOutcome | null {
    const b = this.batch();
    if (!b?.result || !["sent", "refused", "failed", "reported"].includes(b.status)) return null;
    const r = JSON.parse(b.result) as { ok: true; ids: Record<string, string> } | Extract<BatchResult, { ok: false }>;
    if (!r.ok) return r;
    const id = r.ids[member];
    return id ? { ok: true, providerId: id } : null;
  }

  /** Tells every member's object the outcome; members that could not be reached hear it again at the next alarm. */
  private async report(): Promise<void> {
    const b = this.batch();
    if (!b || !["sent", "refused", "failed"].includes(b.status)) return;
    const members = this.sql.exec<MemberRow>("SELECT * FROM members WHERE withdrawn = 0 AND input IS NOT NULL ORDER BY seq").toArray();
    const batchId = this.sql.exec<{ batch_id: string }>("SELECT batch_id FROM batch WHERE id = 1").one().batch_id;
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < members.length) {
        const m = members[next++];
        const outcome = m ? this.outcomeOf(m.member) : null;
        if (!m || !outcome) continue;
        try {
          await debtorStub(this.env, m.tenant_id, m.debtor_id).batchOutcome(m.tenant_id, m.outbox_id, batchId, outcome);
        } catch (err) {
          failed++;
          console.error("batch: a member's object did not hear the outcome; telling it again later", m.outbox_id, err);
        }
      }
    };
    await Promise.all(Array.from({ length: REPORT_PARALLEL }, worker));
    if (failed > 0) {
      await this.ctx.storage.setAlarm(Date.now() + REPORT_RETRY_MS);
      return;
    }
    this.setStatus("reported");
    await this.ctx.storage.setAlarm(Date.now() + KEEP_MS);
  }
}
