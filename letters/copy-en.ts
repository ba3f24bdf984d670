/** English letter copy, for English-speaking debtors in the Netherlands and Belgium. */
import { NL_FOURTEEN_DAY_WORDING } from "../workers/policy/law-nl";
import type { LetterContext, LetterCopy } from "./letter-copy";

const what = (merchant: string, count: number) =>
  count === 1 ? `your invoice from ${merchant}` : `your ${count} invoices from ${merchant}`;
const whatCtx = (c: LetterContext) => what(c.merchant, c.invoiceCount);

/** English letter text. */
export const englishLetter: LetterCopy = {
  subject: {
    reminder: (m, n) => `A friendly reminder about ${what(m, n)}`,
    nl_fourteen_day_letter: (m, n) => `Reminder about ${what(m, n)}`,
    be_first_reminder: (m, n) => `First reminder about ${what(m, n)}`,
  },
  datePlace: (date, place) => (place ? `${place}, ${date}` : date),
  referenceLabel: "Our reference:",
  enterpriseNumberLabel: "Enterprise number:",
  intro: {
    friendly: (c) =>
      `We have not yet received payment for ${whatCtx(c)}. Perhaps it slipped your mind. That can happen to anyone.`,
    neutral: (c) => `According to our records, payment for ${whatCtx(c)} has not arrived yet.`,
    clear: (c) => `We have asked you before to pay ${whatCtx(c)}. We have not received that payment yet.`,
  },
  totalLine: (total) => `The total is ${total}.`,
  crossed: "Already paid? Then your payment and this letter may have crossed. In that case, you do not need to do anything.",
  acknowledgeAlreadyPaid: (where) =>
    "You told us that you have already paid. Thank you for letting us know. Your payment and this letter may have crossed: " +
    "we have not received your payment yet. Could you please check? " +
    (where ? `You can also send us proof of payment via ${where}.` : "You can also send us proof of payment."),
  pay: {
    heading: "How to pay",
    online: "Pay online with this link:",
    selfService: "On this page you can tell us that you have already paid, choose another payment date or ask for a payment plan:",
    contact: (email) => `Would you rather talk to a person? Email ${email}.`,
    contactByPost: "Would you rather talk to a person? Write to us at the address at the top of this letter.",
  },
  fourteenDay: {
    term: NL_FOURTEEN_DAY_WORDING.en,
    costs: (amount) =>
      `If you pay within these 14 days, you pay nothing extra. If you do not pay in time, you will also have to pay collection costs of ${amount}.`,
    noCosts: "We will not charge collection costs or any other extra costs.",
    consequence:
      "If we have no payment or agreement from you after these 14 days, we may hand your invoice over to a collection agency. " +
      "We would rather not do that. Is paying hard right now? Please contact us. Together we will find a solution.",
  },
  beFirstReminder: {
    free: "This is a first reminder. It is free of charge.",
    creditor: (name, nr) => `This letter comes from ${name}, enterprise number ${nr}.`,
    about: "The table below shows which invoice this is about, what it is for and when it was due.",
    term: (endDate) =>
      endDate
        ? `You have 14 days to pay. Please pay by ${endDate} at the latest.`
        : "You have 14 days to pay. The 14 days start on the third working day after we sent this letter.",
    damages: (amount) => `If you do not pay within these 14 days, damages of ${amount} will be added.`,
    noDamages: "Even if you pay later, we will not charge damages or extra costs.",
  },
};
