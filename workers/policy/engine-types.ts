/** The plain data the policy engine reads and returns (no bindings, no clock). */
import type { Country } from "./calendar";
import type { ChannelScore, ChannelStats } from "./channel-mix";
import type { Channel, Step, Tone } from "./policy-schema";
import type { SegmentFacts } from "./segments";

/** Why reminders are held back. Timed pauses end by themselves; the others until lifted. */
export type PauseKind = "already_paid" | "payment_date" | "arrangement" | "help" | "dispute" | "debt_counselling" | "breathing_space";

export interface Pause {
  kind: PauseKind;
  from: number;
  /** Clock ms when the pause ends by itself; null: until lifted (dispute resolved, arrangement missed). */
  until: number | null;
}

/** A message that reached (or was handed to) the debtor; what the contact budget counts. */
export interface Contact {
  at: number;
  channel: Channel;
}

export interface LadderPosition {
  /** The ladder the cycle is on; null before the first step. */
  ladderKey: string | null;
  /** Index of the next step in that ladder. */
  nextStep: number;
  /** Non-optional steps already taken this cycle (used when the segment, and so the ladder, changes). */
  stepsTaken: number;
  /** Due date of the oldest open invoice when the cycle started. */
  anchorDueDate: string;
  /** Clock ms of the previous step, null before the first. */
  lastStepAt: number | null;
}

export interface EngineState {
  country: Country;
  timeZone: string;
  /** Minutes after SEND_HOUR this debtor's steps are planned: spreads a morning burst over time. */
  sendMinute: number;
  facts: SegmentFacts;
  openInvoices: { id: string; dueDate: string; outstandingCents: number }[];
  position: LadderPosition;
  contacts: Contact[];
  pauses: Pause[];
  /** The shop has a handover partner: only then does a final notice before handover go out. */
  handoverPartner?: boolean;
  /** Opted out, bounced, returned, or no contact data for it. */
  blocked: Channel[];
  /**
   * Channels the person could be reached on but the shop cannot send on now (no credentials, no
   * valid sender in live mode), with the reason. A step that has nothing else waits for them.
   */
  unavailable?: Partial<Record<Channel, string>>;
  /** Channels used this cycle; protected debtors are never escalated beyond them. */
  usedChannels: Channel[];
  history: Partial<Record<Channel, ChannelStats>>;
  /** Tenant-wide outcomes per segment key and channel (from D1). */
  priors: Record<string, Partial<Record<Channel, ChannelStats>>>;
  legal: {
    /** Day (debtor's zone) the NL 14-day letter was posted this cycle. */
    fourteenDayLetterPostedOn: string | null;
    /** The BE first reminder of this cycle. */
    beFirstReminder: { sentOn: string; channel: "email" | "letter" } | null;
    /**
     * What that letter or first reminder announced, and for which invoices: costs may never be
     * more than announced, nor counted on invoices the notice did not cover.
     */
    announced: { cents: number; invoiceIds: string[] } | null;
  };
}

/** Costs the step may announce or charge, by the law of the debtor's country. */
export interface StepCosts {
  /** Stated in a 14-day letter / BE first reminder: owed if the term passes unpaid. */
  announcedCents: number;
  /** May be charged with this step (only after the legal term, only if the tenant enabled it). */
  chargeableCents: number;
  /** Last day of the legal term this step starts or relies on. */
  termEndDate: string | null;
  basis: string | null;
}

export interface Explanation {
  segment: { key: string; matched: string[] };
  ladder: string;
  step: string;
  channelScores: ChannelScore[] | null;
  limits: string[];
}

export type Plan =
  | { kind: "done"; reason: string }
  | { kind: "paused"; pause: PauseKind; since: number }
  /** The step's channels cannot send for the shop yet; looked at again at `at` (and after any change). */
  | { kind: "waiting"; step: string; reason: string; at: number }
  | {
      kind: "step";
      /** Earliest allowed moment (clock ms, >= now). */
      at: number;
      ladderKey: string;
      stepIndex: number;
      step: Step;
      channels: Channel[];
      tone: Tone;
      costs: StepCosts;
      acknowledgeAlreadyPaid: boolean;
      explanation: Explanation;
    };
