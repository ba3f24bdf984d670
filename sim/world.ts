/**
 * The simulated debtors and everything chance decides for them, drawn from seeded streams
 * keyed by debtor and cycle. Every policy meets the same debtors and the same draws (common
 * random numbers): a difference in outcome comes from the policy, not from luck.
 */
import { createRng, sampleNormal, type Rng } from "../workers/policy/random";
import { countryOf, type Amount, type Delay, type Persona, type Population, type SimLocale } from "./population";

/** Contacts per cycle with draws of their own; later contacts reuse the last (ladders are shorter). */
export const MAX_CONTACTS = 16;
const DAY_MS = 24 * 3600_000;

export interface SimDebtor {
  index: number;
  id: string;
  persona: number;
  locale: SimLocale;
  country: "NL" | "BE";
  timeZone: string;
  reach: { email: boolean; phone: boolean; address: boolean };
  emailBounces: boolean;
  addressWrong: boolean;
  vulnerable: boolean;
  firstInvoice: boolean;
  /** Clock ms of late payments in the year before the simulation starts. */
  lateBefore: number[];
  /** Day of the year (0-based) the first simulated invoice falls due. */
  firstDueDay: number;
}

/** What chance decides in one cycle (one overdue invoice), before any policy acts. */
export interface CycleDraws {
  amountCents: number;
  /** Days from this cycle's close to the next invoice's due date. */
  gapDays: number;
  /** Days after the due date the debtor pays by themselves, or null. */
  unpromptedDays: number | null;
  payday: boolean;
  crossed: boolean;
  dispute: { days: number; upheld: boolean } | null;
  /** Per contact number: the uniform the response chance is compared with, and so on. */
  response: Float64Array;
  delayDays: Float64Array;
  complaint: Float64Array;
  help: Float64Array;
  arrangement: Float64Array;
}

/** Picks an index by weights with one uniform draw. */
export function pickWeighted(weights: readonly number[], u: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** A delay in days. */
export function sampleDelay(d: Delay, rng: Rng): number {
  switch (d.kind) {
    case "fixed":
      return d.days;
    case "exponential":
      return -d.mean_days * Math.log(1 - rng());
    case "lognormal":
      return d.median_days * Math.exp(d.sigma * sampleNormal(rng));
    case "uniform":
      return d.min_days + (d.max_days - d.min_days) * rng();
  }
}

function sampleAmount(a: Amount, rng: Rng): number {
  if (a.kind === "choice") return a.values[pickWeighted(a.values.map((v) => v.weight), rng())]?.cents ?? 100;
  const cents = Math.round(a.median_cents * Math.exp(a.sigma * sampleNormal(rng)));
  return Math.max(100, Math.min(a.max_cents ?? Number.MAX_SAFE_INTEGER, cents));
}

const ZONE: Record<"NL" | "BE", string> = { NL: "Europe/Amsterdam", BE: "Europe/Brussels" };

/** Draws debtor `index` of the population under `seed`. */
export function drawDebtor(population: Population, seed: string, index: number): SimDebtor {
  const rng = createRng(`${seed}|debtor|${index}`);
  const personaIndex = pickWeighted(population.personas.map((p) => p.share), rng());
  const persona = population.personas[personaIndex] as Persona;
  const locales = Object.entries(persona.locales) as [SimLocale, number][];
  const locale = locales[pickWeighted(locales.map(([, w]) => w), rng())]?.[0] ?? "nl-NL";
  const country = countryOf(locale);
  const late = pickWeighted(persona.late_payments_12m, rng());
  const start = Date.UTC(population.year, 0, 1);
  const lateBefore = Array.from({ length: late }, () => start - Math.floor(rng() * 365) * DAY_MS).sort((a, b) => a - b);
  const email = rng() < persona.contact_data.email;
  const phone = rng() < persona.contact_data.phone;
  const address = rng() < persona.contact_data.address;
  return {
    index,
    id: `d${index}`,
    persona: personaIndex,
    locale,
    country,
    timeZone: ZONE[country],
    reach: { email, phone, address },
    emailBounces: rng() < persona.email_bounce,
    addressWrong: rng() < persona.wrong_address,
    vulnerable: rng() < persona.vulnerable,
    firstInvoice: late === 0 && rng() < 0.3,
    lateBefore,
    firstDueDay: Math.floor(rng() * 365),
  };
}

/** Draws cycle `cycle` of `debtor`: the same for every policy. */
export function drawCycle(population: Population, seed: string, debtor: SimDebtor, cycle: number): CycleDraws {
  const persona = population.personas[debtor.persona] as Persona;
  const rng = createRng(`${seed}|cycle|${debtor.index}|${cycle}`);
  const amountCents = sampleAmount(persona.amount, rng);
  const gapDays = (-365 / persona.invoices_per_year) * Math.log(1 - rng());
  const unprompted = rng() < persona.unprompted.probability;
  const unpromptedDays = sampleDelay(persona.unprompted.delay, rng);
  const payday = rng() < persona.payday.probability;
  const crossed = rng() < persona.crossed_payment;
  const disputes = rng() < persona.dispute.probability;
  const disputeDays = sampleDelay(persona.dispute.resolution, rng);
  const upheld = rng() < persona.dispute.upheld_share;
  const arrays = { response: new Float64Array(MAX_CONTACTS), delayDays: new Float64Array(MAX_CONTACTS), complaint: new Float64Array(MAX_CONTACTS), help: new Float64Array(MAX_CONTACTS), arrangement: new Float64Array(MAX_CONTACTS) };
  for (let k = 0; k < MAX_CONTACTS; k++) {
    arrays.response[k] = rng();
    arrays.delayDays[k] = sampleDelay(persona.response_delay, rng);
    arrays.complaint[k] = rng();
    arrays.help[k] = rng();
    arrays.arrangement[k] = rng();
  }
  return {
    amountCents,
    gapDays,
    unpromptedDays: unprompted ? unpromptedDays : null,
    payday,
    crossed,
    dispute: disputes ? { days: disputeDays, upheld } : null,
    ...arrays,
  };
}
