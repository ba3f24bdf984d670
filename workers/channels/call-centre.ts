/**
 * Call tasks for the shop's own call centre. Kindly never phones anyone: the task (a short, kind
 * script) reaches the shop as the `call_task.created` merchant webhook, which is this adapter's
 * "send". Nothing to configure, so it is always live; it has no provider callbacks.
 */
import type { ChannelAdapter } from "./adapter";

/** The call-centre adapter. */
export function callCentreAdapter(): ChannelAdapter {
  return {
    channel: "call",
    provider: "call_centre",
    format: "call_task",
    rate: Number.POSITIVE_INFINITY,
    idempotent: true,
    sentEvent: "call_task.created",
    live: () => ({ ok: true }),
    sender: (tenant) => ({ ok: true, sender: { from: tenant.displayName, replies: true, note: "a task for your call centre, delivered as the call_task.created webhook" } }),
    // The event the send stage records is the delivery; the key names the task.
    send: async (input) => ({ ok: true, providerId: `task_${input.idempotencyKey.slice(0, 24)}` }),
  };
}
