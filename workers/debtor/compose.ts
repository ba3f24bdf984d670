/**
 * What one outbox row says, composed when it is about to be sent: the links that go in it
 * (signed self-service page on the shop's own link domain when it has one, short code on paper
 * and in SMS), the debtor's payment number, what came before (the last message, an "I already
 * paid"), the agreed instalments, and the rendered message for its channel. The send stage
 * decides when and whether; this module decides what the person reads.
 */
import { openNps } from "./cycle";
import { debtorLinkSecret, selfServiceUrls, shortLink, signDebtorLink } from "../links";
import { paymentDigitsFor } from "../payments/references";
import type { Channel } from "../policy/policy-schema";
import { SERVICE_MESSAGE_KINDS } from "../templates/keys";
import { localParts } from "../zoned-time";
import type { PolicyState } from "./policy-state";
import { renderMessage, type RenderedMessage, type RenderInput } from "./render";
import type { RunContext } from "./run-context";
import type { OutboxDetails } from "./runner";
import type { DebtorRecord, DebtorStore, InvoiceRow, OutboxRow } from "./store";

/** How long self-service links in a message stay valid. */
const LINK_TTL_MS = 90 * 24 * 3600_000;

/** What composing a message needs from the debtor's object. */
export interface ComposeContext {
  env: Env;
  rc: RunContext;
  ps: PolicyState;
  store: DebtorStore;
  tenantId: string;
  debtorId: string;
}

/** Where links to the debtor's page point: the shop's own link domain (https) when set, else Kindly's public URL. */
export function linkBaseUrl(env: Pick<Env, "PUBLIC_BASE_URL">, rc: RunContext): string {
  const domain = rc.tenant.profile.links?.domain;
  return domain ? `https://${domain}` : env.PUBLIC_BASE_URL;
}

/**
 * The debtor's payment number, kept in the object once D1 has it. A message written while D1 is
 * unreachable goes out without the bank-transfer block (the pay button still works) rather than
 * not at all.
 */
async function debtorPaymentDigits(ctx: ComposeContext, now: number): Promise<string | null> {
  const kept = ctx.store.meta("payment_digits");
  if (kept) return kept;
  try {
    const digits = await paymentDigitsFor(ctx.env.DB, ctx.tenantId, ctx.debtorId, now);
    ctx.store.setMeta("payment_digits", digits);
    return digits;
  } catch (err) {
    console.error("payment reference not available", ctx.debtorId, err);
    return null;
  }
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
  print?: RenderInput["print"],
): Promise<RenderedMessage | null> {
  const channel = row.channel as Channel;
  const base = linkBaseUrl(ctx.env, ctx.rc);
  const secret = debtorLinkSecret(ctx.env);
  const token = secret ? await signDebtorLink(secret, { tenantId: ctx.tenantId, debtorId: ctx.debtorId, exp: now + LINK_TTL_MS, iat: now }) : null;
  const urls = token ? selfServiceUrls(base, token) : null;
  // After a cycle that ended well the thank-you's link opens the page at the NPS question (cycle.ts).
  const links = urls && details.kind === "payment_thanks" && openNps({ store: ctx.store }, now) ? { ...urls, page: `${urls.page}#nps` } : urls;
  // On paper and in an SMS the page gets a short code: nobody types 150 characters, and a long
  // link costs a second SMS segment.
  const short = token && (channel === "letter" || channel === "sms") ? await shortLink(ctx.env.DB, base, ctx.tenantId, token, now) : null;
  const paymentDigits = channel === "email" || channel === "letter" ? await debtorPaymentDigits(ctx, now) : null;
  const instalments = ctx.ps.instalments().map((i) => ({ seq: i.seq, dueDate: i.due_date, amountCents: i.amount_cents }));
  const cycle = /^ob_c(\d+)_/.exec(row.id)?.[1];
  const ladder = ctx.store.ladder();
  const last = ctx.store.lastSentMessage(`ob_c${cycle ?? ladder?.cycle ?? 0}_`, row.id, SERVICE_MESSAGE_KINDS);
  const reported = ctx.ps.pauseRows().filter((p) => p.kind === "already_paid").at(-1);
  const history = {
    previous: last ? { date: localParts(last.at, debtor.time_zone).date, channel: last.channel as "email" | "letter" | "sms" | "call" } : null,
    reportedPaidOn: reported ? localParts(reported.from_at, debtor.time_zone).date : null,
  };
  return renderMessage({
    channel, tone: row.tone, details, debtor, invoices, rc: ctx.rc, country, links, shortLink: short,
    today: localParts(now, debtor.time_zone).date, instalments, history, paymentDigits, ...(print ? { print } : {}),
  });
}
