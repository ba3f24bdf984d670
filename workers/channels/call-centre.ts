/**
 * Call tasks for the shop's own call centre. Kindly never phones anyone: the task (a short, kind
 * script) reaches the shop as the `call_task.created` merchant webhook, which is this adapter's
 * "send". Nothing to configure, so it is always live; it has no provider callbacks.
 */
import { createCallTask } from "../call-tasks";
import type { ChannelAdapter } from "./adapter";

/** The call-centre adapter; with `db` each task is also stored for /v1/call-tasks (workers/call-tasks.ts). */
export function callCentreAdapter(db?: D1Database): ChannelAdapter {
  return {
    channel: "call",
    provider: "call_centre",
    format: "call_task",
    rate: Number.POSITIVE_INFINITY,
    idempotent: true,
    sentEvent: "call_task.created",
    live: () => ({ ok: true }),
    sender: (tenant) => ({ ok: true, sender: { from: tenant.displayName, replies: true, note: "a task for your call centre, delivered as the call_task.created webhook" } }),
    // The event the send stage records is the delivery; the key names the task, which the call
    // centre lists and closes at /v1/call-tasks (its own store, with its own retention).
    send: async (input) => {
      if (!db) return { ok: true, providerId: `task_${input.idempotencyKey.slice(0, 24)}` };
      const locale = /lang="([^"]+)"/.exec(input.message.html)?.[1] ?? "nl-NL";
      const task = await createCallTask(db, {
        tenantId: input.tenantId, debtorId: input.debtorId, outboxId: input.outboxId, idempotencyKey: input.idempotencyKey,
        name: input.recipient.name, phone: input.recipient.phone ?? null, locale, subject: input.message.subject, script: input.message.text,
      }, input.now);
      return { ok: true, providerId: task.providerId };
    },
  };
}
