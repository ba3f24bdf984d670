/**
 * The one clock. In production it is the real time. In development and tests
 * (KINDLY_ENV=development) an offset kept in D1 is added, so a whole ladder can be
 * played out in seconds by moving time forward (POST /dev/clock).
 */
export interface Clock {
  /** Current time in epoch milliseconds, as the business logic should see it. */
  now(): number;
  /** Offset between clock time and real time; alarms are armed at clock time - offset. */
  readonly offsetMs: number;
}

export const realClock: Clock = { now: () => Date.now(), offsetMs: 0 };

/** A clock `offsetMs` ahead of real time (the real clock when the offset is 0). */
export function offsetClock(offsetMs: number): Clock {
  return offsetMs ? { now: () => Date.now() + offsetMs, offsetMs } : realClock;
}

/** Whether this deployment allows moving time (never in production). */
export function isDevelopment(env: Pick<Env, "KINDLY_ENV">): boolean {
  return env.KINDLY_ENV === "development";
}

/** Reads the clock for this request or alarm run. */
export async function loadClock(env: Pick<Env, "KINDLY_ENV" | "DB">): Promise<Clock> {
  if (!isDevelopment(env)) return realClock;
  const row = await env.DB.prepare("SELECT offset_ms FROM dev_clock WHERE id = 1").first<{ offset_ms: number }>();
  return offsetClock(row?.offset_ms ?? 0);
}

/** Moves the development clock forward by `ms` (never backwards: that would replay history). */
export async function advanceClock(env: Pick<Env, "DB">, ms: number): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO dev_clock (id, offset_ms) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET offset_ms = offset_ms + ?1 RETURNING offset_ms",
  )
    .bind(ms)
    .first<{ offset_ms: number }>();
  return row?.offset_ms ?? ms;
}
