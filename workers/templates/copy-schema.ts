/**
 * The editable blocks as they cross a boundary (an API body, a stored version): a strict zod
 * schema with sizes a message can carry, and the merge of a partial edit over the copy it edits.
 * Pure.
 */
import { z } from "@hono/zod-openapi";
import type { TemplateCopy } from "./blocks";

const line = (max: number, description: string) => z.string().max(max).openapi({ description });

/** Every block, complete (a stored version). */
export const TemplateCopySchema = z
  .strictObject({
    subject: line(200, "Email subject (the lint wants 60 characters or fewer once filled in)."),
    preheader: line(200, "The line a mail app shows after the subject; never an amount."),
    heading: line(200, "The email's title and the letter's subject line."),
    greeting: line(200, 'e.g. "Beste {{name}},".'),
    intro: line(2000, "The first paragraph."),
    body: z.array(z.string().max(2000)).max(10).openapi({ description: "Further paragraphs; one that uses an optional placeholder without a value is left out." }),
    cta: line(80, "The pay button's label when the button pays exactly {{amount}}."),
    signoff: line(300, 'e.g. "Met vriendelijke groet,\\n{{shop_name}}".'),
    sms: line(600, "The SMS text; the crossed-payment line, the help line and the link are added by Kindly."),
  })
  .openapi("TemplateCopy", {
    example: {
      subject: "{{shop_name}}: een vriendelijke herinnering",
      preheader: "Vergeten te betalen? Dat kan iedereen overkomen.",
      heading: "Een vriendelijke herinnering",
      greeting: "Beste {{name}},",
      intro: "De betaaldatum van {{invoice_phrase}} was {{due_date}}. Misschien is het u ontgaan.",
      body: ["U kunt betalen met de knop hieronder. Dat duurt maar even."],
      cta: "Betaal {{amount}}",
      signoff: "Met vriendelijke groet,\n{{shop_name}}",
      sms: "{{shop_name}} heeft een kort bericht voor u over een betaling.",
    },
  });

/** Some blocks: an edit. Blocks left out keep the words of the copy it is based on. */
export const CopyEditSchema = TemplateCopySchema.partial()
  .refine((c) => Object.keys(c).length > 0, { message: "Change at least one block." })
  .openapi("TemplateCopyEdit");

/** A stored copy, or null when it no longer parses (then Kindly's default is used). */
export function parseStoredCopy(json: string): TemplateCopy | null {
  try {
    const parsed = TemplateCopySchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `base` with the blocks `edit` gives. */
export function mergeCopy(base: TemplateCopy, edit: Partial<TemplateCopy>): TemplateCopy {
  const out: TemplateCopy = { ...base, body: [...base.body] };
  for (const [k, v] of Object.entries(edit) as [keyof TemplateCopy, TemplateCopy[keyof TemplateCopy] | undefined][]) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}
