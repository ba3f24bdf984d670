/**
 * The in-app banner's data: the debtor's situation (self-service-view.ts) with the pay action
 * computed against the debtor's page, and how long a dismissal holds. The caller passes a run
 * context that may be a few minutes old (the DebtorDO keeps one), so the banner's hot path
 * does not read D1 on every app open.
 */
import { dismissUntil } from "../banner/dismiss";
import type { BannerData } from "../banner/view";
import { debtorLinkSecret, selfServiceUrls, signDebtorLink } from "../links";
import { shopVoice } from "../shop-voice";
import { localParts } from "../zoned-time";
import type { ActionDeps } from "./actions";
import { instalmentOptions, latestPaymentDate, situation, situationPay } from "./self-service-view";

const DAY_MS = 24 * 3600_000;
/** Links in banners expire on a day boundary, so the same day's banner (and its ETag) is stable. */
const LINK_DAYS = 30;

/** What the banner shows, or null when nothing is open. */
export async function bannerData(d: ActionDeps, env: Env, tenantId: string, debtorId: string, now: number): Promise<BannerData | null> {
  const s = situation(d, now);
  if (!s || s.state.kind === "nothing_open") return null;
  const secret = debtorLinkSecret(env);
  const exp = (Math.floor(now / DAY_MS) + LINK_DAYS) * DAY_MS;
  const selfServiceUrl = secret ? selfServiceUrls(env.PUBLIC_BASE_URL, await signDebtorLink(secret, { tenantId, debtorId, exp })).page : null;
  const tz = s.debtor.time_zone;
  const latest = latestPaymentDate(d, localParts(now, tz).date);
  const rules = d.rc.policy.arrangements;
  return {
    locale: s.debtor.locale,
    country: s.country,
    postalCode: s.debtor.address?.postal_code ?? null,
    shop: shopVoice(d.rc.tenant),
    invoices: s.invoices,
    totalCents: s.totalCents,
    state: s.state,
    pay: situationPay(s, d, debtorId, selfServiceUrl),
    selfServiceUrl,
    offers: {
      paymentDate: latest !== null && latest > localParts(now, tz).date,
      arrangement: instalmentOptions({ arrangement: { enabled: rules.enabled, maxInstalments: rules.max_instalments, minInstalmentCents: rules.min_instalment_cents }, totalCents: s.totalCents }).length > 0,
    },
    dismissUntil: dismissUntil(s.state, now, tz),
  };
}
