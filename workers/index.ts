/** The Worker entry: wires the API, the sweep and the Durable Object; nothing else. */
import { api } from "./api";
import { scheduled } from "./sweep";

export { DebtorDO } from "./debtor/debtor-do";

export default {
  fetch: api.fetch,
  scheduled,
} satisfies ExportedHandler<Env>;
