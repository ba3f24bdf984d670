/**
 * Which channel(s) for an "auto" step: the chance that a contact leads to "payment or
 * arrangement", divided by what the contact costs. Two levels, as the simulator showed they must
 * be: the tenant's segment tells what debtors like this one do on each channel (a Thompson draw
 * from all its outcomes, so exploration fades as evidence grows), and this debtor's own outcomes
 * move that estimate (an ignored email counts against email for them). Learning from outcomes is
 * how "a customer who only pays after a letter gets a letter earlier" (bol.com).
 */
import { CHANNEL_TRAITS } from "./channel-rules";
import { CHANNELS, type Channel } from "./policy-schema";
import { createRng, sampleBeta, type Rng } from "./random";

/** Outcomes of contacts on one channel: trials sent, successes = payment or arrangement after it. */
export interface ChannelStats {
  successes: number;
  trials: number;
}

/** How much a channel intrudes; caps escalation for vulnerable and hardship debtors. */
export const INTRUSIVENESS: Record<Channel, number> = Object.fromEntries(CHANNELS.map((c) => [c, CHANNEL_TRAITS[c].intrusiveness])) as Record<Channel, number>;

/**
 * One contact of this debtor counts as three tenant-wide ones: their own behaviour predicts
 * them better than the average of their segment.
 */
export const HISTORY_WEIGHT = 3;

/**
 * The segment's rate enters a debtor's estimate as this many pseudo-contacts (tenant units). Low,
 * because debtors differ a lot (some only read post, some only their phone): two ignored emails
 * must be enough to try another channel. Tuned with the simulator on the example population (2 closes a little more of the gap there but over-reacts where email suits everyone) and
 * checked on the hold-out one (README, "Simulator").
 */
export const PRIOR_STRENGTH = 4;

/** With no outcomes at all yet, every channel starts here: a new shop follows its ladder's order. */
export const NEUTRAL_RATE = 0.5;

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

/**
 * Below this many outcomes of a channel in the segment its mean is used, not a draw: a draw from
 * a handful of outcomes is mostly noise, and a new shop's choices should follow the evidence it
 * has, not dice. From here on a Thompson draw keeps exploring while the evidence is thin.
 */
export const MIN_TRIALS_TO_DRAW = 50;

/**
 * The segment's success rate on a channel: a Thompson draw from Beta(1 + successes, 1 + failures)
 * over all the tenant's outcomes (its mean while they are few). A channel without outcomes yet is
 * taken to work as well as the segment's channels do on average (`untried`): it is not assumed
 * better than the ones with evidence, so the ladder's own order holds until there is a reason to
 * leave it.
 */
export function tenantRate(prior: ChannelStats | undefined, untried: number, rng: Rng): { sampled: number; mean: number } {
  const p = clean(prior);
  if (p.trials === 0) return { sampled: untried, mean: untried };
  const alpha = 1 + p.successes;
  const beta = 1 + p.trials - p.successes;
  const mean = alpha / (alpha + beta);
  return { sampled: p.trials < MIN_TRIALS_TO_DRAW ? mean : sampleBeta(rng, alpha, beta), mean };
}

/** The segment's success rate over all its channels (the neutral rate when it has none yet). */
export function pooledRate(priors: Partial<Record<Channel, ChannelStats>>): number {
  let successes = 0;
  let trials = 0;
  for (const c of CHANNELS) {
    const p = clean(priors[c]);
    successes += p.successes;
    trials += p.trials;
  }
  return trials === 0 ? NEUTRAL_RATE : (1 + successes) / (2 + trials);
}

/** This debtor's chance on a channel: the segment's rate as a prior, moved by their own outcomes. */
export function debtorEstimate(rate: number, history: ChannelStats | undefined): number {
  const h = clean(history);
  return (PRIOR_STRENGTH * rate + HISTORY_WEIGHT * h.successes) / (PRIOR_STRENGTH + HISTORY_WEIGHT * h.trials);
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
 * Ranks the candidates by their estimated success per euro for this debtor and picks the best
 * `maxChannels` that are neither blocked nor above the intrusiveness cap.
 */
export function chooseChannels(input: ChannelChoiceInput): { chosen: Channel[]; scores: ChannelScore[] } {
  const candidates = [...new Set(input.candidates)];
  const untried = pooledRate(input.priors);
  const scores = candidates.map((channel): ChannelScore => {
    // One stream per channel: a channel's draw does not shift when others are added or blocked.
    const rate = tenantRate(input.priors[channel], untried, createRng(`${input.seed}|${channel}`));
    const sampled = debtorEstimate(rate.sampled, input.history[channel]);
    const rawCost = input.costsCents[channel];
    const costCents = Number.isFinite(rawCost) ? Math.max(0, rawCost) : 0;
    const excluded = exclusionOf(channel, input);
    const score = excluded ? 0 : sampled / Math.max(costCents / 100, COST_FLOOR_EURO);
    const entry: ChannelScore = { channel, sampled, mean: debtorEstimate(rate.mean, input.history[channel]), costCents, score };
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
