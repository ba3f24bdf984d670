/**
 * DispatchPacerDO: one per deployment (named "dispatch"). It hands out provider slots, so every
 * consumer invocation together stays within each provider's rate (Resend's 2 requests/s is per
 * team, whoever sends), and it knows how far the dispatch queue has got: the newest enqueue time
 * the consumer has handled and when it last handled anything. A row's safety net asks it whether
 * the row's message is still waiting behind others (leave it: no second copy) or was lost (the
 * queue has handled newer messages, or has been idle since).
 */
import { DurableObject } from "cloudflare:workers";
import { channelRegistry } from "../channels/registry";
import { Pacer } from "./consumer";

/** A message handled this much later than ours was enqueued shows ours is not just behind. */
const PASSED_MS = 5_000;
/** A queue that handled nothing for this long is idle, not backed up. */
const IDLE_MS = 30_000;

export class DispatchPacerDO extends DurableObject<Env> {
  private readonly pacer = new Pacer(channelRegistry(this.env).rates());
  private progress: { newest: number; at: number } | null = null;

  /** Milliseconds to wait before the next request to `channel`'s provider (the slot is taken). */
  async reserve(channel: string): Promise<number> {
    return this.pacer.reserve(channel, Date.now());
  }

  /** The consumer handled messages enqueued up to `newest` (ms). */
  async consumed(newest: number): Promise<void> {
    const p = await this.load();
    const next = { newest: Math.max(p.newest, newest), at: Date.now() };
    this.progress = next;
    // One row write per consumer invocation at most; nothing when neither moved much.
    if (next.newest > p.newest || next.at - p.at > 5_000) await this.ctx.storage.put("progress", next);
  }

  /** Whether a message enqueued at `enqueuedAt` (ms) and still not handled is lost rather than waiting in a backlog. */
  async lost(enqueuedAt: number): Promise<boolean> {
    const p = await this.load();
    if (p.newest > enqueuedAt + PASSED_MS) return true;
    return Date.now() - p.at > IDLE_MS;
  }

  private async load(): Promise<{ newest: number; at: number }> {
    this.progress ??= (await this.ctx.storage.get<{ newest: number; at: number }>("progress")) ?? { newest: 0, at: 0 };
    return this.progress;
  }
}

/** The deployment's pacer. */
export function pacerStub(env: Pick<Env, "DISPATCH_PACER">): DurableObjectStub<DispatchPacerDO> {
  return env.DISPATCH_PACER.get(env.DISPATCH_PACER.idFromName("dispatch"));
}
