/**
 * What a step may announce and charge under the debtor's country's law. Costs are never
 * chargeable before the legal term has passed, and never unless the tenant enabled them.
 */
import type { EngineState, StepCosts } from "./engine-types";
import { beDamagesCap, beEarliestCostsDate, beReminderFeeAllowed } from "./law-be";
import { bikCosts, nlCostsMayBeCharged, nlPostalDeliveryDate, nlTermEndDate } from "./law-nl";
import type { Channel, Step, TenantPolicy } from "./policy-schema";
import { addDays } from "../zoned-time";

const NONE: StepCosts = { announcedCents: 0, chargeableCents: 0, termEndDate: null, basis: null };

/** NL: the 14-day letter's term ends 14 days after presumed delivery (extended past weekends and holidays). */
export function nlTermEndForPosting(postedOn: string): string {
  return nlTermEndDate(nlPostalDeliveryDate(postedOn));
}

/** Dutch VAT rate on collection costs, for a creditor that cannot deduct VAT. */
export const NL_VAT_PERCENT = 21;

/**
 * BIK costs on `principalCents`, with 21% VAT on top only when the creditor cannot deduct VAT
 * (`costs.vat_on_costs`; the 14-day letter then says so). Belgian damages are compensation, not a
 * service: no VAT there.
 */
export function nlCollectionCosts(policy: TenantPolicy, principalCents: number): number {
  const bik = bikCosts(principalCents);
  return policy.costs.vat_on_costs ? Math.round((bik * (100 + NL_VAT_PERCENT)) / 100) : bik;
}

/** What a 14-day letter (NL) or first reminder (BE) announces for `principalCents`, by law and policy. */
export function announcedCosts(kind: string, country: "NL" | "BE", policy: TenantPolicy, principalCents: number): number {
  if (principalCents <= 0) return 0;
  if (kind === "nl_fourteen_day_letter" && country === "NL") return policy.costs.nl_bik_enabled ? nlCollectionCosts(policy, principalCents) : 0;
  if (kind === "be_first_reminder" && country === "BE") return policy.costs.be_damages_enabled ? beDamagesCap(principalCents) : 0;
  return 0;
}

/** The principal still open of the invoices the notice covered. */
function coveredPrincipal(state: EngineState): number {
  const covered = new Set(state.legal.announced?.invoiceIds ?? []);
  return state.openInvoices.filter((i) => covered.has(i.id)).reduce((s, i) => s + Math.max(0, i.outstandingCents), 0);
}

/** Costs for `step` sent on `day` (the debtor's calendar day); `channels` are the step's chosen channels. */
export function stepCosts(step: Step, state: EngineState, policy: TenantPolicy, day: string, channels: Channel[] = []): StepCosts {
  // Costs are computed on the sum of the principals still open (domain.md: several claims, one reminder).
  const principal = state.openInvoices.reduce((s, i) => s + Math.max(0, i.outstandingCents), 0);
  if (principal <= 0) return NONE;
  return state.country === "NL" ? nlCosts(step, state, policy, day, principal) : beCosts(step, state, policy, day, principal, channels);
}

function nlCosts(step: Step, state: EngineState, policy: TenantPolicy, day: string, principal: number): StepCosts {
  const basis = "BIK scale (art. 6:96 BW), only after the 14-day letter's term";
  if (step.kind === "nl_fourteen_day_letter") {
    // The letter states the euro amount owed if the term passes; it charges nothing itself.
    return { announcedCents: policy.costs.nl_bik_enabled ? nlCollectionCosts(policy, principal) : 0, chargeableCents: 0, termEndDate: nlTermEndForPosting(day), basis };
  }
  const posted = state.legal.fourteenDayLetterPostedOn;
  if (!posted) return NONE;
  const termEndDate = nlTermEndForPosting(posted);
  const may = nlCostsMayBeCharged({ termEndDate, today: day, tenantEnabled: policy.costs.nl_bik_enabled });
  // Never more than the letter announced, and only on what it covered that is still open.
  const announced = state.legal.announced?.cents ?? 0;
  const covered = coveredPrincipal(state);
  return { announcedCents: 0, chargeableCents: may && announced > 0 && covered > 0 ? Math.min(announced, nlCollectionCosts(policy, covered)) : 0, termEndDate, basis };
}

function beCosts(step: Step, state: EngineState, policy: TenantPolicy, day: string, principal: number, channels: Channel[]): StepCosts {
  const basis = "Book XIX CEL: free first reminder, 14 days' wait, capped damages";
  if (step.kind === "be_first_reminder") {
    const damages = policy.costs.be_damages_enabled ? beDamagesCap(principal) : 0;
    const channel = channels.includes("letter") ? "letter" : "email";
    return { announcedCents: damages, chargeableCents: 0, termEndDate: addDays(beEarliestCostsDate(day, channel), -1), basis };
  }
  const first = state.legal.beFirstReminder;
  if (!first) return NONE;
  const earliest = beEarliestCostsDate(first.sentOn, first.channel);
  if (day < earliest) return { ...NONE, termEndDate: addDays(earliest, -1), basis };
  const fee = policy.costs.be_later_reminder_fee_cents;
  const feeAllowed = fee > 0 && beReminderFeeAllowed(2, fee, 0);
  // Damages never above what the first reminder announced, on what it covered that is still open.
  const announced = state.legal.announced?.cents ?? 0;
  const covered = coveredPrincipal(state);
  const owed = policy.costs.be_damages_enabled && announced > 0 && covered > 0 ? Math.min(announced, beDamagesCap(covered)) : 0;
  return { announcedCents: 0, chargeableCents: owed + (feeAllowed ? fee : 0), termEndDate: addDays(earliest, -1), basis };
}
