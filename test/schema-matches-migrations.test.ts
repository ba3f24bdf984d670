/**
 * The drizzle schema the code queries through (schema/d1.ts) describes exactly the database the
 * migrations build: every table, column (type, NOT NULL, default, primary key) and index, read
 * back from a D1 that only ran the migration SQL. A column added to the schema without its
 * migration, or a migration edited by hand, fails here.
 */
import { env } from "cloudflare:workers";
import { is, SQL } from "drizzle-orm";
import { getTableConfig, SQLiteSyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../schema/d1";

interface ColumnShape { name: string; type: string; notNull: boolean; default: string | null; pk: number }
interface IndexShape { name: string; unique: boolean; columns: string[] }
interface TableShape { columns: ColumnShape[]; indexes: IndexShape[] }

const dialect = new SQLiteSyncDialect();

/** How SQLite reports a column default that drizzle declares. */
function defaultSql(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (is(value, SQL)) return dialect.sqlToQuery(value).sql;
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  return String(value);
}

function fromSchema(): Map<string, TableShape> {
  const tables = new Map<string, TableShape>();
  for (const value of Object.values(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const composite = config.primaryKeys[0]?.columns.map((c) => c.name) ?? [];
    tables.set(config.name, {
      columns: config.columns
        .map((c) => ({
          name: c.name,
          type: c.getSQLType(),
          notNull: c.notNull,
          default: defaultSql(c.default),
          pk: c.primary ? 1 : composite.indexOf(c.name) + 1,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      indexes: config.indexes
        .map((i) => ({
          name: i.config.name,
          unique: i.config.unique,
          columns: i.config.columns.map((c) => ("name" in c ? c.name : "?")),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    });
  }
  return tables;
}

async function fromDatabase(): Promise<Map<string, TableShape>> {
  const { results: names } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
  ).all<{ name: string }>();
  const tables = new Map<string, TableShape>();
  for (const { name } of names) {
    const { results: cols } = await env.DB.prepare("SELECT name, type, \"notnull\" AS nn, dflt_value, pk FROM pragma_table_info(?)").bind(name).all<{ name: string; type: string; nn: number; dflt_value: string | null; pk: number }>();
    const { results: idx } = await env.DB.prepare("SELECT name, \"unique\" AS u FROM pragma_index_list(?) WHERE origin = 'c'").bind(name).all<{ name: string; u: number }>();
    const indexes: IndexShape[] = [];
    for (const i of idx) {
      const { results: ic } = await env.DB.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").bind(i.name).all<{ name: string }>();
      indexes.push({ name: i.name, unique: i.u === 1, columns: ic.map((c) => c.name) });
    }
    tables.set(name, {
      columns: cols
        .map((c) => ({ name: c.name, type: c.type.toLowerCase(), notNull: c.nn === 1, default: c.dflt_value, pk: c.pk }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      indexes: indexes.sort((a, b) => a.name.localeCompare(b.name)),
    });
  }
  return tables;
}

describe("the drizzle schema and the migrations", () => {
  it("describe the same tables, columns and indexes", async () => {
    const declared = fromSchema();
    const built = await fromDatabase();
    expect([...built.keys()].sort()).toEqual([...declared.keys()].sort());
    for (const [name, shape] of declared) expect({ table: name, ...built.get(name) }).toEqual({ table: name, ...shape });
  });
});
