/**
 * Links and tokens that hold up: short codes long enough not to be guessed at the rate limit,
 * links revoked on demand and when a cycle ends, expired links gone, and no response that
 * hands out a long-lived token (a code or link becomes a one-hour session and a clean URL).
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadClock } from "../workers/clock";
import { CODE_ALPHABET, CODE_ENTROPY_BITS, CODE_LENGTH, debtorLinkSecret, newShortCode, shortLink, signDebtorLink } from "../workers/links";
import { call, invoiceBody, newDebtorId, newTenant, openDebtorPage, register } from "./helpers";

const secret = debtorLinkSecret(env) ?? "";
const get = (path: string, ip: string) => exports.default.fetch(`http://kindly.test${path}`, { headers: { "cf-connecting-ip": ip }, redirect: "manual" });

async function debtorWithLink(days = 90) {
  const t = await newTenant();
  const d = newDebtorId();
  const inv = await register(t.key, await invoiceBody(d, 5));
  const now = (await loadClock(env)).now();
  const token = await signDebtorLink(secret, { tenantId: t.id, debtorId: d, exp: now + days * 86_400_000, iat: now });
  const short = new URL(await shortLink(env.DB, "http://kindly.test", t.id, token, now)).pathname;
  return { t, d, inv, token, short };
}

describe("debtor links", () => {
  it("a code or link becomes a session cookie and a redirect to /d: no response carries the long-lived token", async () => {
    const { token, short } = await debtorWithLink();
    for (const path of [short, `/d/${token}`]) {
      const first = await get(path, "192.0.2.1");
      expect(first.status).toBe(303);
      expect(first.headers.get("location")).toBe("/d");
      const cookie = first.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/^__Host-kindly_session=[^;]+; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=Lax/);
      expect(cookie).not.toContain(token);
      expect(await first.text()).not.toContain(token);
    }
    const page = await openDebtorPage(short, { "cf-connecting-ip": "192.0.2.1" });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("49,95");
    expect(html).not.toContain(token);
    expect(html).toContain('action="/d/actions"');
  });

  it("a revoked link and an expired one show the link-gone page", async () => {
    const { t, d, token, short } = await debtorWithLink();
    expect((await openDebtorPage(short, { "cf-connecting-ip": "192.0.2.2" })).status).toBe(200);
    expect((await call(t.key, "POST", `/v1/debtors/${d}/links/revoke`)).status).toBe(200);
    for (const path of [short, `/d/${token}`]) {
      const res = await openDebtorPage(path, { "cf-connecting-ip": "192.0.2.2" });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("49,95");
    }
    const expired = await debtorWithLink(-1);
    expect((await openDebtorPage(`/d/${expired.token}`)).status).toBe(404);
  });

  it("a link stops when its reminder cycle ends (everything paid)", async () => {
    const { t, inv, token } = await debtorWithLink();
    expect((await openDebtorPage(`/d/${token}`)).status).toBe(200);
    await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 });
    expect((await openDebtorPage(`/d/${token}`)).status).toBe(404);
  });
});

describe("short codes", () => {
  it("resolution is rate-limited per client: past the limit a 429 page with Retry-After", async () => {
    let allowed = 0;
    for (let i = 0; i < 40; i++) {
      const res = await get(`/l/${newShortCode()}`, "198.51.100.7");
      if (res.status === 429) {
        expect(res.headers.get("retry-after")).toBe("60");
        break;
      }
      expect(res.status).toBe(404);
      allowed++;
    }
    expect(allowed).toBe(20);
    // Another client is not held back.
    expect((await get(`/l/${newShortCode()}`, "198.51.100.8")).status).toBe(404);
  });

  it("guessing at the rate limit for a day finds none of a million live codes", { timeout: 60_000 }, () => {
    expect(CODE_LENGTH).toBe(15);
    expect(CODE_ENTROPY_BITS).toBeCloseTo(74.3, 1);
    const live = new Set<string>();
    while (live.size < 1_000_000) live.add(newShortCode());
    // One client at the limit (20 a minute) for 24 hours.
    const guesses = 20 * 60 * 24;
    let hits = 0;
    let tried = 0;
    for (let i = 0; i < guesses; i++, tried++) if (live.has(newShortCode())) hits++;
    expect(tried).toBe(28_800);
    expect(hits).toBe(0);
    // Every code uses the unambiguous alphabet only.
    for (const code of [...live].slice(0, 1000)) expect([...code].every((ch) => CODE_ALPHABET.includes(ch))).toBe(true);
    // The README's figure: 10,000 clients at the limit for a year against a million live codes.
    const expected = (20 * 60 * 24 * 365 * 10_000 * 1_000_000) / CODE_ALPHABET.length ** CODE_LENGTH;
    expect(expected).toBeLessThan(1e-5);
  });
});
