/** The Worker entry: wires the API, the sweep and the Durable Object; nothing else. */
import { api } from "./api";
import { handleDispatchBatch, handleDispatchDeadLetters } from "./dispatch/consumer";
import { handleWebhookBatch } from "./webhooks-out";
import { scheduled } from "./sweep";

export { DebtorDO } from "./debtor/debtor-do";
export { DispatchBatchDO } from "./dispatch/batch-do";
export { DispatchPacerDO } from "./dispatch/pacer-do";

export default {
  fetch: api.fetch,
  scheduled,
  async queue(batch, env) {
    if (batch.queue.startsWith("kindly-dispatch-dlq")) return handleDispatchDeadLetters(batch, env);
    if (batch.queue.startsWith("kindly-dispatch")) return handleDispatchBatch(batch, env);
    if (batch.queue.startsWith("kindly-webhooks")) return handleWebhookBatch(batch, env);
    console.error("message for an unknown queue", batch.queue);
    batch.retryAll();
  },
} satisfies ExportedHandler<Env>;
