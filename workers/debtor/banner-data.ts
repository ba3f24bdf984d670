/**
 * The in-app banner's data, read from the DO's own tables only (no D1 on this hot path): the
 * merchant's name is cached in the DO whenever a run context is loaded.
 */
import type { BannerData } from "../banner/view";
import { debtorLinkSecret, selfServiceUrls, signDebtorLink } from "../links";
import type { DebtorStore } from "./store";

const DAY_MS = 24 * 3600_000;
/** Links in banners expire on a day boundary, so the same day's banner (and its ETag) is stable. */
const LINK_DAYS = 30;

/** What the banner shows, or null when nothing is open. */
export async function bannerData(store: DebtorStore, env: Env, tenantId: string, debtorId: string, now: number): Promise<BannerData | null> {
  const debtor = store.debtor();
  const open = store.openInvoices();
  if (!debtor || open.length === 0) return null;
  const totalCents = open.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0);
  const secret = debtorLinkSecret(env);
  const exp = (Math.floor(now / DAY_MS) + LINK_DAYS) * DAY_MS;
  const selfServiceUrl = secret ? selfServiceUrls(env.PUBLIC_BASE_URL, await signDebtorLink(secret, { tenantId, debtorId, exp })).page : null;
  const country = debtor.address?.country ?? (debtor.locale.endsWith("BE") ? "BE" : ((store.meta("tenant_country") as "NL" | "BE" | null) ?? "NL"));
  return {
    locale: debtor.locale,
    country,
    merchantName: store.meta("tenant_display_name") ?? "",
    totalCents,
    invoiceCount: open.length,
    oldestDueDate: open[0]?.due_date ?? "",
    payUrl: open[0]?.pay_url ?? null,
    selfServiceUrl,
    version: `${open.map((i) => `${i.id}:${i.paid_cents}`).join(",")}|${exp}`,
  };
}
