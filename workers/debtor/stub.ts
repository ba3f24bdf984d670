/** The one way to reach a DebtorDO: named by tenant and debtor, so tenants never share an object. */
import type { DebtorDO } from "./debtor-do";

/** The typed RPC stub of (tenant, debtor)'s Durable Object. */
export function debtorStub(env: Pick<Env, "DEBTOR">, tenantId: string, debtorId: string): DurableObjectStub<DebtorDO> {
  // Tenant ids never contain "/", so the name cannot be forged across tenants.
  return env.DEBTOR.get(env.DEBTOR.idFromName(`${tenantId}/${debtorId}`));
}
