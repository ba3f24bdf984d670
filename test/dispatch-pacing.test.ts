/** The dispatch consumer never sends faster than a live provider allows (reliability.md #12). */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffSeconds, Pacer, providerRates } from "../workers/dispatch/consumer";
import { pacerStub } from "../workers/dispatch/pacer-do";

afterEach(() => vi.useRealTimers());

describe("pacing live providers", () => {
  it("spaces a morning burst at the provider's rate: 2 emails a second means 500 ms apart", async () => {
    vi.useFakeTimers();
    const pacer = new Pacer({ email: 2, sms: 1 });
    const times: number[] = [];
    const burst = (async () => {
      for (let i = 0; i < 20; i++) {
        await pacer.wait("email");
        times.push(Date.now());
      }
    })();
    await vi.advanceTimersByTimeAsync(20_000);
    await burst;
    expect(times).toHaveLength(20);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(500);
    // In any one-second window, at most two.
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(2);
  });

  it("paces each provider on its own: SMS does not wait for email", async () => {
    vi.useFakeTimers();
    const pacer = new Pacer({ email: 2, sms: 1 });
    const start = Date.now();
    await pacer.wait("email");
    await pacer.wait("sms");
    expect(Date.now() - start).toBe(0);
  });

  it("paces each channel at its adapter's rate (letters at the slower of Lob's 10/s and Pingen's 2/s); DISPATCH_RATES tunes them", () => {
    expect(providerRates(env)).toMatchObject({ email: 2, sms: 1, letter: 2 });
    expect(Number.isFinite(providerRates(env).call)).toBe(false);
    const tuned = providerRates({ ...env, DISPATCH_RATES: "email=10, sms=3, letter=5" });
    expect(tuned).toMatchObject({ email: 10, sms: 3, letter: 5 });
  });

  it("concurrent consumer invocations share one rate: slots come from the deployment's pacer object", async () => {
    const pacer = pacerStub(env);
    // Three invocations ask for an email slot at once: 0, 500 and 1000 ms apart at 2 a second.
    const waits = (await Promise.all([pacer.reserve("email"), pacer.reserve("email"), pacer.reserve("email")])).sort((a, b) => a - b);
    expect(waits[1]! - waits[0]!).toBeGreaterThanOrEqual(490);
    expect(waits[2]! - waits[1]!).toBeGreaterThanOrEqual(490);
    // The call-centre channel has no provider to protect: no wait.
    expect(await pacer.reserve("call")).toBe(0);
  });

  it("backs off exponentially with jitter when an object cannot be reached", () => {
    expect(backoffSeconds(1, 0.5)).toBe(2);
    expect(backoffSeconds(4, 0.5)).toBe(16);
    expect(backoffSeconds(20, 0.5)).toBe(600);
    expect(backoffSeconds(3, 0)).toBeLessThan(backoffSeconds(3, 1));
  });
});
