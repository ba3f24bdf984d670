/**
 * The default reminder ladder and its timing: pure functions, no clock reads.
 * The policy engine (tenant-configured ladders, channel mix, the law) replaces the
 * constant below; the shape of a step stays.
 */
import { addDays, localParts, zonedTimeToEpoch } from "../zoned-time";

export type StepChannel = "email" | "none";
export type Tone = "friendly" | "second";

export interface LadderStep {
  key: string;
  /** Days after the due date (first step) or after the previous step ran. */
  offsetDays: number;
  channel: StepChannel;
  tone: Tone;
}

/**
 * Two kind emails, then the ladder ends with a "handover ready" moment. Letters, SMS and
 * the call task slot in between when those channels exist; the offsets follow bol.com's
 * practice of a first reminder a few days after the due date.
 */
export const DEFAULT_LADDER: readonly LadderStep[] = [
  { key: "reminder_1", offsetDays: 3, channel: "email", tone: "friendly" },
  { key: "reminder_2", offsetDays: 7, channel: "email", tone: "second" },
  { key: "handover_ready", offsetDays: 14, channel: "none", tone: "second" },
];

/** Local hour at which reminders are planned: mid-morning, far from quiet hours. */
export const SEND_HOUR = 10;
/** The allowed sending window in local time, [start, end). Wki: no contact 20:00-07:00. */
export const WINDOW_START_HOUR = 8;
export const WINDOW_END_HOUR = 20;

/**
 * The first moment at or after `ms` inside the sending window in `tz`:
 * unchanged inside the window, otherwise the next SEND_HOUR.
 */
export function nextSendMoment(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  if (p.hour >= WINDOW_START_HOUR && p.hour < WINDOW_END_HOUR) return ms;
  const day = p.hour < WINDOW_START_HOUR ? p.date : addDays(p.date, 1);
  return zonedTimeToEpoch(day, SEND_HOUR, 0, tz);
}

export interface LadderPosition {
  /** Index of the next step to run. */
  nextStep: number;
  /** Due date of the oldest open invoice when this cycle started. */
  anchorDueDate: string;
  /** When the previous step ran (clock ms), null before the first. */
  lastStepAt: number | null;
}

/** When the next step is due, or null when the ladder is done. Never earlier than `now`'s next window. */
export function plannedAt(ladder: readonly LadderStep[], pos: LadderPosition, tz: string, now: number): number | null {
  const step = ladder[pos.nextStep];
  if (!step) return null;
  const base = pos.lastStepAt === null ? pos.anchorDueDate : localParts(pos.lastStepAt, tz).date;
  const planned = zonedTimeToEpoch(addDays(base, step.offsetDays), SEND_HOUR, 0, tz);
  return nextSendMoment(Math.max(planned, now), tz);
}
