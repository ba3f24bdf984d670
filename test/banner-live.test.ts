/** The banner end to end: the DebtorDO keeps the KV index in step, and the fast path never wakes it. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bannerIndexKey } from "../workers/banner/index-kv";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

async function token(key: string, debtorId: string): Promise<string> {
  const res = await call(key, "POST", `/v1/debtors/${debtorId}/banner-token`, {});
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe("the in-app banner, end to end", () => {
  it("shows open invoices, then 204 once everything is paid (the KV index follows the debtor)", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const inv = await register(t.key, await invoiceBody(d, -1));
    expect(await env.BANNER_INDEX.get(bannerIndexKey(t.id, d))).not.toBeNull();

    const bannerToken = await token(t.key, d);
    const res = await call(null, "GET", "/v1/banner", undefined, { authorization: `Bearer ${bannerToken}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total_cents: number; pay_url: string; actions: { kind: string; url: string }[] };
    expect(body.total_cents).toBe(4995);
    expect(body.actions.map((a) => a.kind)).toEqual(expect.arrayContaining(["already_paid", "help"]));
    expect(res.headers.get("etag")).toBeTruthy();

    await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 });
    expect(await env.BANNER_INDEX.get(bannerIndexKey(t.id, d))).toBeNull();
    const after = await call(null, "GET", "/v1/banner", undefined, { authorization: `Bearer ${bannerToken}` });
    expect(after.status).toBe(204);
  });

  it("a banner token is not an API key, and a merchant key is not a banner token", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const bannerToken = await token(t.key, d);
    expect((await call(bannerToken, "GET", `/v1/debtors/${d}`)).status).toBe(401);
    expect((await call(null, "GET", "/v1/banner", undefined, { authorization: `Bearer ${t.key}` })).status).toBe(401);
  });

  it("impressions and dismissals reach the debtor's timeline", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const bannerToken = await token(t.key, d);
    for (const type of ["impression", "dismiss"]) {
      const res = await call(null, "POST", "/v1/banner/events", { type }, { authorization: `Bearer ${bannerToken}` });
      expect(res.status).toBe(202);
    }
    const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { timeline: { type: string }[] };
    expect(view.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(["banner.impression", "banner.dismiss"]));
  });
});
