/**
 * Typed access to D1: every query is built with drizzle over the schema in `schema/d1.ts`, so
 * column names, value types and row types (`$inferSelect`) come from one place that
 * `drizzle-kit` also turns into the migrations (and `npm run db:check` keeps the two in step).
 */
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { is, SQL } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

/** Drizzle over one D1 binding. */
export type Db = DrizzleD1Database;

/** The row a selection (`{ name: table.column, ... }`) reads: each field typed by its column. */
export type RowOf<TSelection> = SelectResultFields<TSelection>;

/** One statement of a `db.batch([...])`. */
export type Statement = BatchItem<"sqlite">;

// One drizzle instance per binding object: building one is cheap, but most requests run a few queries.
const instances = new WeakMap<D1Database, Db>();

/** The typed view of a D1 binding. */
export function db(d1: D1Database): Db {
  let typed = instances.get(d1);
  if (!typed) {
    typed = drizzle(d1);
    instances.set(d1, typed);
  }
  return typed;
}

/**
 * Runs a list of statements built at run time as one D1 batch (one round trip, one implicit
 * transaction). Drizzle's `batch` wants a non-empty tuple; an empty list runs nothing.
 */
export async function runBatch(d: Db, statements: readonly Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first) await d.batch([first, ...rest]);
}

const dialect = new SQLiteAsyncDialect();

/**
 * A drizzle statement (or `sql` template) compiled to a plain D1 statement, for callers that
 * still batch raw D1 statements (the event flush in `workers/debtor/flush.ts`); same SQL, same
 * parameters.
 */
export function toD1(d1: D1Database, statement: SQL | { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = is(statement, SQL) ? dialect.sqlToQuery(statement) : statement.toSQL();
  return d1.prepare(sql).bind(...params);
}
