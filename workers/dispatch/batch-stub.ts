/** The one way to reach a provider batch's Durable Object: named by its batch id. */
import type { DispatchBatchDO } from "./batch-do";

/** The typed RPC stub of batch `batchId`. */
export function batchStub(env: Pick<Env, "DISPATCH_BATCH">, batchId: string): DurableObjectStub<DispatchBatchDO> {
  return env.DISPATCH_BATCH.get(env.DISPATCH_BATCH.idFromName(batchId));
}
