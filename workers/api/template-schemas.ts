/** The zod schemas of /v1/templates: they validate requests and describe every answer in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { BLOCK_NAMES } from "../templates/blocks";
import { CopyEditSchema, TemplateCopySchema } from "../templates/copy-schema";
import type { LintResult } from "../templates/lint";
import type { TemplateVersion } from "../templates/versions";

export const LOCALE_VALUES = ["nl-NL", "nl-BE", "fr-BE", "en"] as const;
const Locale = z.enum(LOCALE_VALUES);
const Block = z.enum([...BLOCK_NAMES, "copy"]);

export const TemplateParams = z.object({
  key: z.string().max(64).openapi({ param: { name: "key", in: "path" }, example: "reminder-friendly" }),
  locale: z.string().max(64).openapi({ param: { name: "locale", in: "path" }, example: "nl-NL" }),
});
export const VersionParams = TemplateParams.extend({
  version: z.string().max(64).openapi({ param: { name: "version", in: "path" }, example: "2", description: "A version number; 0 is Kindly's default copy." }),
});

export const LintSchema = z
  .object({
    ok: z.boolean().openapi({ description: "No problems: the copy may be published and used in an experiment." }),
    problems: z.array(
      z.object({
        block: Block,
        code: z.enum([
          "malformed_placeholder", "unknown_placeholder", "placeholder_not_available", "missing_placeholder", "empty_block", "subject_too_long",
          "amount_on_lock_screen", "literal_amount", "sms_over_budget", "threatening_words", "readability_below_b1", "help_first",
        ]),
        message: z.string(),
      }),
    ),
    measures: z.object({
      subject_chars: z.number().int(),
      sms_segments: z.number().int(),
      sms_budget: z.number().int(),
      sms_encoding: z.enum(["GSM-7", "UCS-2"]),
      readability: z.number(),
      readability_formula: z.string(),
      readability_target: z.number(),
    }),
  })
  .openapi("CopyLint");

const VersionFields = {
  template: z.string(),
  locale: Locale,
  version: z.number().int().openapi({ description: "0: Kindly's default copy." }),
  status: z.enum(["draft", "published", "superseded", "default"]),
  based_on: z.number().int(),
  note: z.string().nullable(),
  actor: z.string().openapi({ description: 'Who saved it: "api_key:<key id>", "user:<id>" (dashboard) or "kindly" (the default).' }),
  created_at: z.string().nullable(),
  published_at: z.string().nullable(),
  published_by: z.string().nullable(),
};
export const VersionSummarySchema = z.object(VersionFields).openapi("TemplateVersionSummary");
export const VersionSchema = z.object({ ...VersionFields, copy: TemplateCopySchema, lint: LintSchema }).openapi("TemplateVersion");

export const TemplateSummarySchema = z
  .object({
    key: z.string(),
    purpose: z.string(),
    channels: z.array(z.enum(["email", "letter", "sms"])),
    editable_blocks: z.record(z.string(), z.array(z.string())).openapi({ description: "Per channel, the blocks that channel shows." }),
    placeholders: z.array(z.object({ name: z.string(), description: z.string() })),
    locked_blocks: z.array(z.string()).openapi({ description: "Rendered by Kindly around the words, whatever the copy says." }),
    locales: z.array(
      z.object({
        locale: Locale,
        published_version: z.number().int().openapi({ description: "0: Kindly's default copy is live." }),
        latest_version: z.number().int(),
        drafts: z.number().int(),
        experiments: z.array(z.string()).openapi({ description: "Running experiments on this template and locale." }),
      }),
    ),
  })
  .openapi("TemplateSummary");

export const TemplateLocaleSchema = z
  .object({
    template: z.string(),
    locale: Locale,
    live: VersionSchema.openapi({ description: "What messages say now: the published version, or Kindly's default (version 0)." }),
    versions: z.array(VersionSummarySchema),
    experiments: z.array(z.string()),
  })
  .openapi("TemplateLocale");

export const SaveVersionBody = z
  .strictObject({
    copy: CopyEditSchema.openapi({ description: "The blocks you change; blocks left out keep the words of `based_on`." }),
    based_on: z.number().int().min(0).optional().openapi({ description: "The version you edited (0: Kindly's default). Defaults to the live version." }),
    note: z.string().max(500).optional().openapi({ description: "What changed and why, for the history." }),
  })
  .openapi("SaveTemplateVersion", { example: { copy: { intro: "Uw betaling van {{amount}} voor {{invoice_phrase}} staat nog open. Dat kan gebeuren." }, note: "Warmer opening" } });

export const PreviewQuery = z.object({
  channel: z.enum(["email", "letter", "sms"]).default("email"),
  version: z.string().regex(/^\d+$/, { message: "A version number." }).optional().openapi({ description: "A version (0: Kindly's default). Default: the live copy." }),
  experiment: z.string().max(64).optional().openapi({ description: "With `variant`: that variant's words." }),
  variant: z.string().max(32).optional(),
  country: z.enum(["NL", "BE"]).optional().openapi({ description: "The sample's country (law, help places, the shop); a legal template keeps its own." }),
  format: z.enum(["json", "html"]).default("json").openapi({ description: "html: the email, the letter's printable A4 page or the SMS as a page, to open in a browser." }),
});

export const PreviewBody = z
  .strictObject({
    channel: z.enum(["email", "letter", "sms"]).default("email"),
    country: z.enum(["NL", "BE"]).optional(),
    based_on: z.number().int().min(0).optional().openapi({ description: "The version the edit starts from; default the live copy." }),
    copy: CopyEditSchema.optional().openapi({ description: "Unsaved changes to preview and lint." }),
  })
  .openapi("PreviewRequest", { example: { channel: "sms", copy: { sms: "{{shop_name}}: een vraag over uw betaling." } } });

export const PreviewSchema = z
  .object({
    template: z.string(),
    locale: Locale,
    written_locale: Locale.openapi({ description: "The language it is written in (a Dutch 14-day letter stays Dutch)." }),
    country: z.enum(["NL", "BE"]),
    channel: z.enum(["email", "letter", "sms"]),
    version: z.number().int().nullable().openapi({ description: "The version shown; null for unsaved changes or a variant." }),
    experiment: z.string().nullable(),
    variant: z.string().nullable(),
    subject: z.string(),
    html: z.string().openapi({ description: "The email, the letter's printable A4 page, or the SMS as a small page." }),
    text: z.string(),
    sms: z.object({ segments: z.number().int(), encoding: z.enum(["GSM-7", "UCS-2"]), units: z.number().int(), budget: z.number().int() }).nullable(),
    lint: LintSchema,
  })
  .openapi("TemplatePreview");

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A version as the API shows it. */
export function versionView(v: TemplateVersion, lint: LintResult) {
  return { ...versionSummary(v), copy: v.copy, lint };
}

/** A version without its copy, for lists. */
export function versionSummary(v: TemplateVersion) {
  return {
    template: v.template, locale: v.locale, version: v.version, status: v.status, based_on: v.basedOn, note: v.note, actor: v.actor,
    created_at: iso(v.createdAt), published_at: iso(v.publishedAt), published_by: v.publishedBy,
  };
}
