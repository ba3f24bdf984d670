/** The self-service pages in English (B1). */
import type { SelfServiceCopy } from "./self-service-copy";
import { COPY } from "../../emails/copy";

/** The English copy. */
export const english: SelfServiceCopy = {
  title: (m) => `Your payment to ${m}`,
  intro: (m, total) => `You still have ${total} to pay to ${m}.`,
  nothingOpen: "There is nothing left to pay. Thank you!",
  payEach: "Pay each invoice on its own with the button in the list.",
  bank: {
    heading: "Would you rather pay by bank transfer?",
    text: "Transfer the amount to this account. Add the invoice numbers to your payment.",
    iban: "Account number (IBAN)",
    holder: "Account name",
    reference: "Invoice numbers",
    amount: "Amount",
  },
  plan: { heading: "Your payment plan", date: "Pay by", amount: "Amount", paid: "Paid", next: "Next to pay" },
  alreadyPaid: { heading: "Already paid?", text: "Let us know. We will check if your payment has arrived.", button: COPY.en.options.alreadyPaid },
  paymentDate: {
    heading: "Would you rather pay later?",
    text: "Choose the day you will pay. For example when your salary or benefit arrives. Until that day, you will not get reminders.",
    suggested: "Choose a day:",
    custom: (latest) => `Or choose a day yourself (by ${latest} at the latest)`,
    button: "Choose this day",
    off: "Would you like to pay on another day? Please contact us.",
  },
  arrangement: {
    heading: "Pay in parts?",
    text: "You can also pay part of it each month.",
    label: "Over how many months?",
    option: (n, amount, exact) => `${n} months: ${exact ? "" : "about "}${amount} a month`,
    button: "Ask for a payment plan",
    off: "Would you like to pay in parts? Please contact us. We will see together what is possible.",
  },
  help: {
    heading: "Are you unable to pay?",
    text: (m) => `Let us know. ${m} will contact you. Together we will find a solution.`,
    button: "I can't pay, I need help",
    phone: "Call",
    shopPage: (m) => `Help and tips from ${m}`,
  },
  dispute: {
    heading: "Is something not right?",
    text: "Do you think this invoice is not correct? Tell us what is wrong. We will look into it.",
    label: "What is not right?",
    hint: "1000 characters at most.",
    button: "Send",
  },
  contact: { heading: (m) => `Questions? Contact ${m}`, phone: "Call", hours: "Opening hours", chat: "Chat with us", mail: "Email" },
  contactNoMail: (m) => `Questions? Please contact ${m}.`,
  done: {
    heading: "Thank you",
    alreadyPaid: ["Thank you for letting us know.", "We are checking if your payment has arrived. If something went wrong, we will tell you."],
    paymentDate: (d) => [`Good. You will pay on ${d}.`, "If your payment has not arrived shortly after that day, we will send you a reminder."],
    arrangement: {
      before: "Thank you. This is your payment plan:",
      after: "Please pay each part by the day next to it. If you cannot pay a part on time, please tell us before that day.",
      date: "Pay by",
      amount: "Amount",
    },
    help: (m) => ["Thank you for telling us. That is a good step.", `${m} will contact you. Together we will find a solution.`],
    dispute: ["Thank you for your message.", "We will read what you wrote. Then we will tell you what we will do."],
    noRemindersUntil: (d) => `Until ${d}, you will not get reminders from us.`,
    back: "Back to the overview",
  },
  errors: {
    heading: "That did not work",
    fields: {
      date: () => "Please choose a day in the calendar.",
      date_early: () => "Please choose a day after today.",
      date_late: (latest) => `Please choose a day up to and including ${latest}.`,
      instalments: () => "Please choose a number of months from the list.",
      reason: () => "Please write briefly what is wrong, in 1000 characters at most.",
      other: () => "Something went wrong. Please try again.",
    },
    invalidState: "This is not possible on this page right now. Please contact us and we will help you.",
    back: "Go back and try again",
  },
  expired: {
    title: "This link no longer works",
    paragraphs: [
      "The link may have expired, or it was not copied in full.",
      "Did you get a newer email or letter? Then please use the link in it.",
      "You can also contact the shop. Their details are on your invoice and on their website.",
    ],
  },
};
