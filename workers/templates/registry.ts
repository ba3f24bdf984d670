/**
 * The template registry: for every key, what it is for, its channels, its editable blocks and
 * placeholders, and sample data per locale; and one call that renders any template on any of its
 * channels. Previews, snapshots, the readability report and (issue 8) the copy editor read this.
 */
import { BLOCK_NAMES, type TemplateCopy } from "./blocks";
import { defaultCopy, hasCopy, type CopyKey, type CopyLocale } from "./copy";
import { PLACEHOLDERS, TEMPLATE_DEFS, TEMPLATE_KEYS, type Placeholder, type TemplateChannel, type TemplateKey } from "./keys";
import { buildMessage, type MessageInput } from "./model";
import { renderEmail, renderPostedLetter, renderSms, type RenderedText } from "./render-message";
import { sampleInput, sampleLetterParties } from "./samples";

/** The locales every template is written in. */
export const TEMPLATE_LOCALES: readonly CopyLocale[] = ["nl-NL", "nl-BE", "fr-BE", "en"];

/** Which editable blocks each channel shows: letters have no subject or preheader, an SMS only its text. */
export const CHANNEL_BLOCKS: Record<Exclude<TemplateChannel, "call">, readonly (keyof TemplateCopy)[]> = {
  email: BLOCK_NAMES.filter((b) => b !== "sms"),
  letter: ["heading", "greeting", "intro", "body", "signoff"],
  sms: ["sms"],
};

/** What the registry tells about one template. */
export interface TemplateDescription {
  key: TemplateKey;
  purpose: string;
  channels: readonly TemplateChannel[];
  /** The blocks a marketer may edit, per channel. */
  editableBlocks: Partial<Record<TemplateChannel, readonly (keyof TemplateCopy)[]>>;
  placeholders: { name: Placeholder; description: string }[];
  /** Always rendered by code, whatever the copy says. */
  lockedBlocks: string[];
  /** Sent only when the shop has a handover partner. */
  needsHandoverPartner: boolean;
  /** The default copy per locale (null for the call script and state changes). */
  copy: Record<CopyLocale, TemplateCopy> | null;
  /** Sample data per locale, as the preview and the snapshots use it. */
  samples: Record<CopyLocale, MessageInput> | null;
}

const LOCKED_BLOCKS = ["invoice table and amounts", "crossed-payment line", "help line (free debt help for the debtor's region)", "pay action", "bank transfer details and EPC QR code", "contact details", "legal notice of the step's kind (NL 14-day text, BE Book XIX content, costs)"];

/** Describes every template in the registry. */
export function describeTemplates(): TemplateDescription[] {
  return TEMPLATE_KEYS.map((key) => {
    const def = TEMPLATE_DEFS[key];
    const withCopy = hasCopy(key);
    const editableBlocks: TemplateDescription["editableBlocks"] = {};
    for (const ch of def.channels) if (ch !== "call") editableBlocks[ch] = CHANNEL_BLOCKS[ch];
    return {
      key,
      purpose: def.purpose,
      channels: def.channels,
      editableBlocks,
      placeholders: def.placeholders.map((name) => ({ name, description: PLACEHOLDERS[name] })),
      lockedBlocks: withCopy ? LOCKED_BLOCKS : [],
      needsHandoverPartner: "needsHandoverPartner" in def && def.needsHandoverPartner === true,
      copy: withCopy ? Object.fromEntries(TEMPLATE_LOCALES.map((l) => [l, defaultCopy(key, l)])) as Record<CopyLocale, TemplateCopy> : null,
      samples: withCopy ? Object.fromEntries(TEMPLATE_LOCALES.map((l) => [l, withoutSample(sampleInput(key, l, "email"))])) as Record<CopyLocale, MessageInput> : null,
    };
  });
}

function withoutSample(i: ReturnType<typeof sampleInput>): MessageInput {
  const { sample: _, ...input } = i;
  return input;
}

/** Renders a template's sample in a locale on a channel (previews, snapshots, readability). */
export async function renderSample(key: CopyKey, locale: CopyLocale, channel: Exclude<TemplateChannel, "call">, copy?: TemplateCopy): Promise<RenderedText> {
  const input = sampleInput(key, locale, channel);
  const model = buildMessage({ ...withoutSample(input), ...(copy ? { copy } : {}) });
  if (channel === "email") return renderEmail(model);
  if (channel === "letter") return renderPostedLetter(model, sampleLetterParties(input));
  return renderSms(model, 2);
}

/**
 * What the debtor reads of a template's sample message, as prose: the filled-in words plus the
 * locked sentences (legal notice, crossed-payment line, help intro); no tables, links or amounts
 * lists. The 14-day letter is taken on paper, where its legal text is, in the language it is
 * written in. Readability is scored on it.
 */
export function sampleProse(key: CopyKey, locale: CopyLocale): { text: string; locale: CopyLocale } {
  const m = buildMessage(withoutSample(sampleInput(key, locale, key === "nl-fourteen-day-letter" ? "letter" : "email")));
  return { text: [m.copy.intro, ...m.copy.body, ...(m.legal ?? []).map((p) => p.text), m.crossed, m.help.intro].filter(Boolean).join(" "), locale: m.input.locale };
}
