/**
 * When to try a webhook delivery again. Pure: the random number comes from the caller.
 *
 * Standard Webhooks' suggested schedule, as waits after each failed attempt: 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, each ±10 % jitter so a merchant's outage does not end in a
 * thundering herd. With the first, immediate attempt that is 10 attempts over about 3.3 days.
 */

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

export const RETRY_DELAYS_MS = [5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The longest delay a Queues message can be retried with (12 h); longer waits are the cron's. */
export const MAX_QUEUE_DELAY_MS = 12 * H;

export type AttemptOutcome =
  | { status: "delivered" }
  | { status: "gone" }
  | { status: "retry"; delayMs: number }
  | { status: "failed" };

/**
 * What follows an attempt: 2xx delivered; 410 Gone stops the endpoint; anything else (3xx, 4xx,
 * 5xx, timeout, network error: `statusCode` null) waits for the next slot until `maxAttempts`.
 */
export function afterAttempt(statusCode: number | null, attemptCount: number, maxAttempts: number, random: number): AttemptOutcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { status: "delivered" };
  if (statusCode === 410) return { status: "gone" };
  if (attemptCount >= maxAttempts) return { status: "failed" };
  const base = RETRY_DELAYS_MS[Math.min(attemptCount, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0];
  return { status: "retry", delayMs: Math.round(base * (0.9 + 0.2 * random)) };
}
