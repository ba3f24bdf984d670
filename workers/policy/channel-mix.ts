/**
 * Which channel(s) for an "auto" step: Beta-Bernoulli Thompson sampling on the chance that a
 * contact leads to "payment or arrangement", divided by what the contact costs. Learning from
 * outcomes is how "a customer who only pays after a letter gets a letter earlier" (bol.com).
 */
import { CHANNEL_TRAITS } from "./channel-rules";
import { CHANNELS, type Channel } from "./policy-schema";
import { createRng, sampleBeta } from "./random";

/** Outcomes of contacts on one channel: trials sent, successes = payment or arrangement after it. */
export interface ChannelStats {
  successes: number;
  trials: number;
}

/** How much a channel intrudes; caps escalation for vulnerable and hardship debtors. */
export const INTRUSIVENESS: Record<Channel, number> = Object.fromEntries(CHANNELS.map((c) => [c, CHANNEL_TRAITS[c].intrusiveness])) as Record<Channel, number>;

/**
 * One contact of this debtor counts as three tenant-wide ones: their own behaviour predicts
 * them better than the average of their segment, and it is scarce (a handful of contacts).
 */
export const HISTORY_WEIGHT = 3;

/**
 * Tenant-wide stats enter as at most this many pseudo-trials (mean kept). Thousands of trials
 * in D1 would otherwise drown any one debtor's history, however it is weighted.
 */
export const PRIOR_MAX_TRIALS = 10;

/**
 * Cost floor in euro. Below EUR 0.50 a channel's price is not what limits us: the contact
 * budget (two a week) and the debtor's patience are. So banner (0), email (~1 ct) and SMS
 * (~8 ct) compete on their chance of working alone, free channels never score infinitely,
 * and only letters (~EUR 1.20) and calls (~EUR 3) have to earn their price.
 */
export const COST_FLOOR_EURO = 0.5;

/** Input to `chooseChannels`; stats may be missing for channels never tried. */
export interface ChannelChoiceInput {
  candidates: Channel[];
  maxChannels: number;
  priors: Partial<Record<Channel, ChannelStats>>;
  history: Partial<Record<Channel, ChannelStats>>;
  costsCents: Record<Channel, number>;
  /** Opted out, bounced, returned or not reachable: never chosen. */
  blocked: Channel[];
  /** Channels with INTRUSIVENESS above this are excluded (vulnerable and hardship debtors). */
  allowedMaxIntrusiveness?: number;
  seed: string;
}

/** How one candidate scored; `excluded` says why a channel could not be chosen. */
export interface ChannelScore {
  channel: Channel;
  sampled: number;
  mean: number;
  costCents: number;
  score: number;
  excluded?: string;
}

/** Counts made safe: stored stats can be stale or inconsistent, the sampler needs 0 <= s <= t. */
function clean(stats: ChannelStats | undefined): ChannelStats {
  const trials = stats && Number.isFinite(stats.trials) ? Math.max(0, stats.trials) : 0;
  const successes = stats && Number.isFinite(stats.successes) ? Math.min(Math.max(0, stats.successes), trials) : 0;
  return { successes, trials };
}

/** Beta posterior from a uniform Beta(1, 1), the capped tenant prior and the weighted history. */
export function posterior(prior: ChannelStats | undefined, history: ChannelStats | undefined): { alpha: number; beta: number } {
  const p = clean(prior);
  const h = clean(history);
  const shrink = p.trials > PRIOR_MAX_TRIALS ? PRIOR_MAX_TRIALS / p.trials : 1;
  const alpha = 1 + p.successes * shrink + HISTORY_WEIGHT * h.successes;
  const beta = 1 + (p.trials - p.successes) * shrink + HISTORY_WEIGHT * (h.trials - h.successes);
  return { alpha, beta };
}

function exclusionOf(channel: Channel, input: ChannelChoiceInput): string | undefined {
  if (input.blocked.includes(channel)) return "blocked: opted out, bounced, returned or not reachable";
  const cap = input.allowedMaxIntrusiveness;
  if (cap !== undefined && INTRUSIVENESS[channel] > cap) {
    return `too intrusive for this debtor (${channel} is ${INTRUSIVENESS[channel]}, the cap is ${cap})`;
  }
  return undefined;
}

/**
 * Ranks the candidates by a Thompson draw of success per euro and picks the best
 * `maxChannels` that are neither blocked nor above the intrusiveness cap.
 */
export function chooseChannels(input: ChannelChoiceInput): { chosen: Channel[]; scores: ChannelScore[] } {
  const candidates = [...new Set(input.candidates)];
  const scores = candidates.map((channel): ChannelScore => {
    const { alpha, beta } = posterior(input.priors[channel], input.history[channel]);
    // One stream per channel: a channel's draw does not shift when others are added or blocked.
    const sampled = sampleBeta(createRng(`${input.seed}|${channel}`), alpha, beta);
    const rawCost = input.costsCents[channel];
    const costCents = Number.isFinite(rawCost) ? Math.max(0, rawCost) : 0;
    const excluded = exclusionOf(channel, input);
    const score = excluded ? 0 : sampled / Math.max(costCents / 100, COST_FLOOR_EURO);
    const entry: ChannelScore = { channel, sampled, mean: alpha / (alpha + beta), costCents, score };
    return excluded ? { ...entry, excluded } : entry;
  });
  const limit = Number.isFinite(input.maxChannels) ? Math.max(0, Math.floor(input.maxChannels)) : 0;
  const chosen = scores
    .filter((s) => s.excluded === undefined)
    // Ties go to the gentler channel, then to a fixed order, so the result is deterministic.
    .sort((x, y) => y.score - x.score || INTRUSIVENESS[x.channel] - INTRUSIVENESS[y.channel] || CHANNELS.indexOf(x.channel) - CHANNELS.indexOf(y.channel))
    .slice(0, limit)
    .map((s) => s.channel);
  return { chosen, scores };
}

/** Records one outcome on a channel; returns new stats and leaves the input untouched. */
export function updateStats(
  stats: Partial<Record<Channel, ChannelStats>>,
  channel: Channel,
  success: boolean,
): Partial<Record<Channel, ChannelStats>> {
  const current = stats[channel] ?? { successes: 0, trials: 0 };
  return { ...stats, [channel]: { successes: current.successes + (success ? 1 : 0), trials: current.trials + 1 } };
}
