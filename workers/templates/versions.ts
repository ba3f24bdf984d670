/**
 * A tenant's template versions in D1 (`template_versions`): every save is a new, immutable
 * version; one version per template and locale is published, and that is what messages say
 * (Kindly's default when none is). Used by the API and, for the dashboard, with its own actor.
 */
import type { TemplateCopy } from "./blocks";
import { defaultCopy, type CopyKey, type CopyLocale } from "./copy";
import { parseStoredCopy } from "./copy-schema";

/** A stored version. Version 0 is Kindly's default copy (never stored). */
export interface TemplateVersion {
  template: CopyKey;
  locale: CopyLocale;
  version: number;
  status: "draft" | "published" | "superseded" | "default";
  copy: TemplateCopy;
  basedOn: number;
  note: string | null;
  actor: string;
  createdAt: number | null;
  publishedAt: number | null;
  publishedBy: string | null;
}

type Row = {
  template_key: string; locale: string; version: number; status: "draft" | "published" | "superseded"; copy: string; based_on: number;
  note: string | null; actor: string; created_at: number; published_at: number | null; published_by: string | null;
};

const COLUMNS = "template_key, locale, version, status, copy, based_on, note, actor, created_at, published_at, published_by";

function fromRow(r: Row): TemplateVersion {
  const key = r.template_key as CopyKey;
  const locale = r.locale as CopyLocale;
  return {
    template: key, locale, version: r.version, status: r.status,
    // A row that no longer parses (a schema change) reads as Kindly's default rather than breaking.
    copy: parseStoredCopy(r.copy) ?? defaultCopy(key, locale),
    basedOn: r.based_on, note: r.note, actor: r.actor, createdAt: r.created_at, publishedAt: r.published_at, publishedBy: r.published_by,
  };
}

/** Kindly's default copy as "version 0". */
export function defaultVersion(key: CopyKey, locale: CopyLocale): TemplateVersion {
  return { template: key, locale, version: 0, status: "default", copy: defaultCopy(key, locale), basedOn: 0, note: null, actor: "kindly", createdAt: null, publishedAt: null, publishedBy: null };
}

/** Every version of a template in a locale, newest first. */
export async function listVersions(db: D1Database, tenantId: string, key: CopyKey, locale: CopyLocale): Promise<TemplateVersion[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM template_versions WHERE tenant_id = ? AND template_key = ? AND locale = ? ORDER BY version DESC LIMIT 200`).bind(tenantId, key, locale).all<Row>();
  return results.map(fromRow);
}

/** One version (0: Kindly's default), or null. */
export async function getVersion(db: D1Database, tenantId: string, key: CopyKey, locale: CopyLocale, version: number): Promise<TemplateVersion | null> {
  if (version === 0) return defaultVersion(key, locale);
  const row = await db.prepare(`SELECT ${COLUMNS} FROM template_versions WHERE tenant_id = ? AND template_key = ? AND locale = ? AND version = ?`).bind(tenantId, key, locale, version).first<Row>();
  return row ? fromRow(row) : null;
}

/** The published version, or Kindly's default. */
export async function liveVersion(db: D1Database, tenantId: string, key: CopyKey, locale: CopyLocale): Promise<TemplateVersion> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM template_versions WHERE tenant_id = ? AND template_key = ? AND locale = ? AND status = 'published'`).bind(tenantId, key, locale).first<Row>();
  return row ? fromRow(row) : defaultVersion(key, locale);
}

/** Published version numbers and counts per template and locale, for the list of templates. */
export async function versionCounts(db: D1Database, tenantId: string): Promise<Map<string, { published: number; latest: number; drafts: number }>> {
  const { results } = await db
    .prepare(
      `SELECT template_key, locale, MAX(CASE WHEN status = 'published' THEN version ELSE 0 END) AS published, MAX(version) AS latest, SUM(status = 'draft') AS drafts
       FROM template_versions WHERE tenant_id = ? GROUP BY template_key, locale`,
    )
    .bind(tenantId)
    .all<{ template_key: string; locale: string; published: number; latest: number; drafts: number }>();
  return new Map(results.map((r) => [`${r.template_key}|${r.locale}`, { published: r.published, latest: r.latest, drafts: r.drafts }]));
}

/** Saves `copy` as the next version (a draft). The number is taken in the insert itself, so two saves never share one. */
export async function saveVersion(db: D1Database, v: { tenantId: string; key: CopyKey; locale: CopyLocale; copy: TemplateCopy; basedOn: number; note: string | null; actor: string; now: number }): Promise<TemplateVersion> {
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db
        .prepare(
          `INSERT INTO template_versions (tenant_id, template_key, locale, version, status, copy, based_on, note, actor, created_at)
           SELECT ?1, ?2, ?3, COALESCE(MAX(version), 0) + 1, 'draft', ?4, ?5, ?6, ?7, ?8 FROM template_versions WHERE tenant_id = ?1 AND template_key = ?2 AND locale = ?3
           RETURNING ${COLUMNS}`,
        )
        .bind(v.tenantId, v.key, v.locale, JSON.stringify(v.copy), v.basedOn, v.note, v.actor, v.now)
        .first<Row>();
      if (!row) throw new Error("template version not stored");
      return fromRow(row);
    } catch (err) {
      // Two saves at the same instant picked the same number: the loser takes the next one.
      if (attempt < 2 && /UNIQUE|PRIMARY KEY/i.test(String(err))) continue;
      throw err;
    }
  }
}

/**
 * Publishes `version` (an older one too: a roll-back): the published one before it becomes
 * superseded, in one transaction, so there is always at most one.
 */
export async function publishVersion(db: D1Database, tenantId: string, key: CopyKey, locale: CopyLocale, version: number, actor: string, now: number): Promise<void> {
  await db.batch([
    db.prepare("UPDATE template_versions SET status = 'superseded' WHERE tenant_id = ? AND template_key = ? AND locale = ? AND status = 'published' AND version != ?").bind(tenantId, key, locale, version),
    db.prepare("UPDATE template_versions SET status = 'published', published_at = ?, published_by = ? WHERE tenant_id = ? AND template_key = ? AND locale = ? AND version = ?").bind(now, actor, tenantId, key, locale, version),
  ]);
}

/** Goes back to Kindly's default copy: the published version becomes superseded. */
export async function unpublish(db: D1Database, tenantId: string, key: CopyKey, locale: CopyLocale): Promise<number> {
  const res = await db.prepare("UPDATE template_versions SET status = 'superseded' WHERE tenant_id = ? AND template_key = ? AND locale = ? AND status = 'published'").bind(tenantId, key, locale).run();
  return res.meta.changes;
}

/** The published copy of every template and locale, keyed "template|locale" (for the run context). */
export function publishedCopyStatement(db: D1Database, tenantId: string): D1PreparedStatement {
  return db.prepare("SELECT template_key, locale, version, copy FROM template_versions WHERE tenant_id = ? AND status = 'published'").bind(tenantId);
}

/** Parses the rows of `publishedCopyStatement`. */
export function publishedCopies(rows: { template_key: string; locale: string; version: number; copy: string }[]): Record<string, { version: number; copy: TemplateCopy }> {
  const out: Record<string, { version: number; copy: TemplateCopy }> = {};
  for (const r of rows) {
    const copy = parseStoredCopy(r.copy);
    if (copy) out[`${r.template_key}|${r.locale}`] = { version: r.version, copy };
  }
  return out;
}
