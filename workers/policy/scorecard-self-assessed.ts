/**
 * Meetlat criteria Kindly cannot observe: the vision behind collection, how the shop measures
 * it, who may pay later, complaints, training and agreements with partners. They are never
 * graded; the tenant states its own position and ambition (`PUT /v1/policy/score/self-assessment`).
 * Positions are worded after the meetlat (seed 000), the NL BNPL code and the Keurmerk SVI.
 */
import type { CriterionDefinition } from "./scorecard-types";

const self = (d: Omit<CriterionDefinition, "basis" | "reads" | "judge">): CriterionDefinition => ({ ...d, basis: "self_assessed", reads: [] });

export const SELF_ASSESSED: CriterionDefinition[] = [
  self({
    key: "vision_on_debt",
    theme: "vision",
    title: "A shared vision on debt and collection",
    positions: {
      laggard: "Collection is a finance task. There is no written view of why customers fall behind or what the shop wants to be for them.",
      on_the_way: "A written vision names social collection, but teams and partners do not yet steer on it.",
      frontrunner: "The board owns the vision; every team and partner knows it, and it decides choices such as help before costs.",
    },
    action: { feasibility: "high", social_impact: "medium" },
    advice: "Write down, with the teams involved, why customers fall behind and what you want to be for them; let the board adopt it.",
  }),
  self({
    key: "customer_value",
    theme: "vision",
    title: "Collection is measured beyond money: satisfaction and customers kept",
    positions: {
      laggard: "Only amounts collected and days outstanding are measured.",
      on_the_way: "Customer satisfaction after contact (e.g. NPS) is measured now and then.",
      frontrunner: "Satisfaction, retention and repeat purchases after collection are measured and steer the process.",
    },
    action: { feasibility: "medium", social_impact: "medium" },
    advice: "Ask a short satisfaction question after each contact and follow retention of customers who were reminded.",
  }),
  self({
    key: "prevention",
    theme: "vision",
    title: "No pay-later for those it would harm",
    positions: {
      laggard: "Anyone can pay later, whatever their age or payment history.",
      on_the_way: "Minors are excluded; a poor payment history sometimes means no pay-later.",
      frontrunner: "No pay-later for minors, for customers with 3 or more late payments in 12 months, or where other pay-later debt is visible (NL BNPL code).",
    },
    action: { feasibility: "medium", social_impact: "high" },
    advice: "Do not offer pay-later to minors or to customers with 3 or more late payments in 12 months; check for other open pay-later debt.",
  }),
  self({
    key: "complaints",
    theme: "policy",
    title: "A complaints procedure customers know",
    positions: {
      laggard: "There is no published complaints procedure.",
      on_the_way: "A procedure exists, but customers do not hear of it when they are reminded.",
      frontrunner: "A published procedure with a set answer time, named on the payment page; complaints are analysed to improve the process.",
    },
    action: { feasibility: "high", social_impact: "medium" },
    advice: "Publish a complaints procedure with an answer time of at most two working days, and link it from your help page.",
  }),
  self({
    key: "staff_training",
    theme: "preconditions",
    title: "People who talk to customers recognise money worries",
    positions: {
      laggard: "Call-centre staff are judged on amounts collected only and have no training on money worries.",
      on_the_way: "Staff had a training on recognising money worries and know where to refer.",
      frontrunner: "Training is repeated, staff are judged on good outcomes for the customer too, and they refer to free help in every hard conversation.",
    },
    action: { feasibility: "high", social_impact: "high" },
    advice: "Train everyone who calls customers to recognise money worries and to refer to free help (geldfit.nl, the municipality, the OCMW/CPAS).",
  }),
  self({
    key: "chain_agreements",
    theme: "preconditions",
    title: "Collection partners work the same social way",
    positions: {
      laggard: "Claims go to a collection agency without agreements on how customers are treated.",
      on_the_way: "The agency has a quality mark, but there are no agreements on tone, arrangements or referral to help.",
      frontrunner: "Written agreements with every partner on tone, arrangements, referral to help and reporting, checked regularly (as the Keurmerk SVI asks).",
    },
    action: { feasibility: "medium", social_impact: "high" },
    advice: "Agree in writing with your collection partner on tone, arrangements, referral to help and reporting, and review it each year.",
  }),
];
