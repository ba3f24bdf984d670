/**
 * The in-app banner: what the DebtorDO knows (BannerData) turned into what an app shows (Banner).
 * Pure: no bindings, no clock. The only links are the merchant's pay URL and the debtor's own
 * self-service page (its "already paid" and "help" sections), both http(s) only, because a web
 * shop may put them straight into an <a href>.
 */
import type { Locale } from "../../emails/copy";
import { formatMoney } from "../../emails/format";
import { BANNER_COPY } from "./copy";

/** What the DebtorDO's `bannerView(tenantId)` returns while the debtor has something open. */
export interface BannerData {
  locale: Locale;
  country: "NL" | "BE";
  merchantName: string;
  /** Sum still outstanding over the open invoices, in cents. */
  totalCents: number;
  invoiceCount: number;
  /** YYYY-MM-DD of the oldest open invoice's due date. */
  oldestDueDate: string;
  payUrl: string | null;
  /** The debtor's self-service page (`{PUBLIC_BASE_URL}/d/{token}`), or null when links are off. */
  selfServiceUrl: string | null;
  /** Changes whenever anything above changes; with the locale it makes the ETag. */
  version: string;
}

/** What the app reports about a banner it showed; `at` is an ISO instant (UTC), absent: "now" by the DO's clock. */
export interface BannerEvent {
  type: "impression" | "click" | "dismiss";
  at?: string;
}

/** One button under the banner text; `url` opens the self-service page at its section. */
export interface BannerAction {
  kind: "already_paid" | "help";
  label: string;
  url: string;
}

/** The JSON body of `GET /v1/banner` (200). */
export interface Banner {
  locale: Locale;
  title: string;
  text: string;
  total_cents: number;
  total_formatted: string;
  invoice_count: number;
  pay_url: string | null;
  /** Button text for `pay_url`; null when there is no pay URL. */
  pay_label: string | null;
  actions: BannerAction[];
  dismissible: true;
}

// Bump when the copy or the Banner shape changes, so every cached banner is fetched again.
const BANNER_REVISION = "banner-v1";

/** The URL if it is an absolute http(s) URL, else null (never a javascript: or data: link). */
function webUrl(url: string | null): URL | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u : null;
  } catch {
    return null;
  }
}

function section(page: URL, id: string): string {
  const u = new URL(page);
  u.hash = id;
  return u.toString();
}

/** The localized banner for a debtor with something open. */
export function bannerFor(data: BannerData): Banner {
  const copy = BANNER_COPY[data.locale];
  const total = formatMoney(data.totalCents, data.locale);
  const pay = webUrl(data.payUrl);
  const page = webUrl(data.selfServiceUrl);
  const actions: BannerAction[] = page
    ? [
        { kind: "already_paid", label: copy.alreadyPaid, url: section(page, "already-paid") },
        { kind: "help", label: copy.help, url: section(page, "help") },
      ]
    : [];
  return {
    locale: data.locale,
    title: copy.title(data.invoiceCount),
    text: copy.text(data.merchantName, total, data.invoiceCount),
    total_cents: data.totalCents,
    total_formatted: total,
    invoice_count: data.invoiceCount,
    pay_url: pay ? pay.toString() : null,
    pay_label: pay ? copy.pay(total) : null,
    actions,
    dismissible: true,
  };
}

/**
 * The weak ETag of a debtor's banner: a hash of the revision, tenant, debtor, data version and
 * locale. Tenant and debtor are in it so an app that reuses a stored ETag after switching
 * customers can never get a 304 for someone else's banner.
 */
export async function bannerEtag(tenantId: string, debtorId: string, data: Pick<BannerData, "version" | "locale">): Promise<string> {
  const input = [BANNER_REVISION, tenantId, debtorId, data.version, data.locale].join("\n");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input)));
  let bin = "";
  for (const b of digest.subarray(0, 16)) bin += String.fromCharCode(b);
  return `W/"${btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}"`;
}

/** Whether an If-None-Match header matches `etag` (weak comparison, RFC 9110 §13.1.2). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === wanted);
}
