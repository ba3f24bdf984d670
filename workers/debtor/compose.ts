/**
 * What one outbox row says, composed when it is about to be sent: the links that go in it
 * (signed self-service page, short code on paper and in SMS), the agreed instalments, and the
 * rendered message for its channel. The send stage (dispatch.ts) decides when and whether;
 * this module decides what the person reads.
 */
import { debtorLinkSecret, selfServiceUrls, shortLink, signDebtorLink } from "../links";
import type { Channel } from "../policy/policy-schema";
import { localParts } from "../zoned-time";
import type { PolicyState } from "./policy-state";
import { renderMessage, type RenderedMessage } from "./render";
import type { RunContext } from "./run-context";
import type { OutboxDetails } from "./runner";
import type { DebtorRecord, InvoiceRow, OutboxRow } from "./store";

/** How long self-service links in a message stay valid. */
const LINK_TTL_MS = 90 * 24 * 3600_000;

/** What composing a message needs from the debtor's object. */
export interface ComposeContext {
  env: Env;
  rc: RunContext;
  ps: PolicyState;
  tenantId: string;
  debtorId: string;
}

/** Renders `row` for its channel with what is open now; null when the person cannot be reached on it. */
export async function composeMessage(
  ctx: ComposeContext,
  row: OutboxRow,
  details: OutboxDetails,
  debtor: DebtorRecord,
  invoices: InvoiceRow[],
  country: "NL" | "BE",
  now: number,
): Promise<RenderedMessage | null> {
  const channel = row.channel as Channel;
  const secret = debtorLinkSecret(ctx.env);
  const token = secret ? await signDebtorLink(secret, { tenantId: ctx.tenantId, debtorId: ctx.debtorId, exp: now + LINK_TTL_MS, iat: now }) : null;
  let links = token ? selfServiceUrls(ctx.env.PUBLIC_BASE_URL, token) : null;
  // On paper and in an SMS the page gets a short code: nobody types 150 characters, and a long
  // link costs a second SMS segment.
  if (token && links && (channel === "letter" || channel === "sms")) links = { ...links, page: await shortLink(ctx.env.DB, ctx.env.PUBLIC_BASE_URL, ctx.tenantId, token, now) };
  const instalments = ctx.ps.instalments().map((i) => ({ dueDate: i.due_date, amountCents: i.amount_cents }));
  return renderMessage({ channel, tone: row.tone, details, debtor, invoices, rc: ctx.rc, country, links, today: localParts(now, debtor.time_zone).date, instalments });
}
