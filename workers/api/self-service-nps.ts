/**
 * The one NPS question on the debtor's page after a cycle that ended well (seed 002: bol.com asks
 * for an NPS score after contact), when the tenant asks for feedback (`nps_after_cycle`). The
 * Durable Object decides whether it is open (workers/debtor/cycle.ts) and stores one answer per
 * cycle. No scripts: eleven radio buttons in a fieldset, an optional comment, one button.
 */
import { z } from "@hono/zod-openapi";
import { html } from "hono/html";
import type { Locale } from "../../emails/copy";
import type { SelfServiceView } from "../debtor/self-service-types";

/** Longest comment kept, in characters. */
export const MAX_NPS_COMMENT = 1000;

interface NpsCopy {
  heading: string;
  question: (shop: string) => string;
  low: string;
  high: string;
  comment: string;
  send: string;
  thanks: string;
  thanksText: string;
  closed: string;
  back: string;
}

const NL: NpsCopy = {
  heading: "Mogen we u iets vragen?",
  question: (shop) => `Hoe groot is de kans dat u ${shop} aanraadt aan familie of vrienden?`,
  low: "0 = heel klein",
  high: "10 = heel groot",
  comment: "Wilt u nog iets zeggen over ons contact? (Dat hoeft niet.)",
  send: "Verstuur",
  thanks: "Bedankt voor uw antwoord",
  thanksText: "Wij lezen elk antwoord. Zo kunnen we het beter doen.",
  closed: "Deze vraag is niet meer open. Bedankt dat u wilde helpen.",
  back: "Terug",
};

const COPY: Record<Locale, NpsCopy> = {
  "nl-NL": NL,
  "nl-BE": { ...NL, question: (shop) => `Hoe groot is de kans dat u ${shop} aanraadt aan familie of vrienden?` },
  "fr-BE": {
    heading: "Pouvons-nous vous poser une question ?",
    question: (shop) => `Quelle est la probabilité que vous recommandiez ${shop} à votre famille ou à vos amis ?`,
    low: "0 = très faible",
    high: "10 = très élevée",
    comment: "Voulez-vous ajouter quelque chose sur notre contact ? (Ce n'est pas obligatoire.)",
    send: "Envoyer",
    thanks: "Merci pour votre réponse",
    thanksText: "Nous lisons chaque réponse. Elle nous aide à mieux faire.",
    closed: "Cette question n'est plus ouverte. Merci d'avoir voulu nous aider.",
    back: "Retour",
  },
  en: {
    heading: "May we ask you something?",
    question: (shop) => `How likely is it that you would recommend ${shop} to family or friends?`,
    low: "0 = not at all likely",
    high: "10 = extremely likely",
    comment: "Is there anything you want to tell us about our contact? (You do not have to.)",
    send: "Send",
    thanks: "Thank you for your answer",
    thanksText: "We read every answer. It helps us do better.",
    closed: "This question is no longer open. Thank you for wanting to help.",
    back: "Back",
  },
};

/** The words of the NPS form and its answers, per locale. */
export const npsCopy = (locale: Locale): NpsCopy => COPY[locale];

/** The question as a form posting to `action`. */
export function npsBlock(view: SelfServiceView, action: string) {
  const copy = COPY[view.locale];
  const options = Array.from({ length: 11 }, (_, n) => html`<label class="nps-n"><input type="radio" name="score" value="${n}" required>${n}</label>`);
  return html`<section id="nps" aria-labelledby="nps-h"><h2 id="nps-h">${copy.heading}</h2>
<form method="post" action="${action}"><fieldset><legend>${copy.question(view.shop.name)}</legend>
<p class="hint" id="nps-scale">${copy.low} · ${copy.high}</p><div class="dates" aria-describedby="nps-scale">${options}</div></fieldset>
<label for="nps-comment">${copy.comment}</label><textarea id="nps-comment" name="comment" rows="3" maxlength="${MAX_NPS_COMMENT}"></textarea>
<button type="submit">${copy.send}</button></form></section>`;
}

/** The body of `POST /d/:token/nps`, as JSON or as form fields (the score arrives as text). */
export const NpsBodySchema = z.strictObject({
  score: z.preprocess((v) => (typeof v === "string" && /^\d{1,2}$/.test(v) ? Number(v) : v), z.number().int().min(0).max(10)),
  comment: z
    .string()
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(MAX_NPS_COMMENT, `At most ${MAX_NPS_COMMENT} characters.`))
    .optional(),
});
