// Bulk writing for the demo: ids drawn from a table's sequence up front, then rows inserted ~1,000 a
// statement, each chunk sent as one array literal per column (db/rowset.ts).
import { getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/engine.ts';
import { rowset, type RowsetColumn } from '../../db/rowset.ts';

const CHUNK = 1000;

/** `n` fresh ids of a table's identity column, so rows can point at each other before they exist. */
export async function reserveIds(ex: Executor, table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  const res = await ex.execute<{ id: number }>(
    sql`select nextval(pg_get_serial_sequence(${table}, 'id'))::bigint as id from generate_series(1, ${n})`,
  );
  return res.rows.map((r) => Number(r.id));
}

/**
 * Inserts rows in order, ~1,000 a statement. Every row must set the same columns (those of the
 * first row); a column left out takes its default.
 */
export async function insertAll<T extends PgTable>(ex: Executor, table: T, rows: T['$inferInsert'][]) {
  const first = rows[0] as Record<string, unknown> | undefined;
  if (!first) return;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in first);
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const shape: RowsetColumn<Record<string, unknown>>[] = columns.map(([, c]) => [c.name, c.getSQLType()]);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((row) => {
      const r = row as Record<string, unknown>;
      return Object.fromEntries(columns.map(([key, c]) => [c.name, r[key] ?? null]));
    });
    await ex.execute(sql`insert into ${table} (${names}) select ${names} from ${rowset(chunk, 'x', shape)}`);
  }
}

/**
 * Refreshes the planner's statistics of tables just filled. The embedded database runs no
 * autovacuum, so without this a table planned as empty is scanned whole inside every subquery.
 */
export async function analyze(ex: Executor, tables: string[]): Promise<void> {
  await ex.execute(sql.raw(`analyze ${tables.map((t) => `"${t}"`).join(', ')}`));
}

/** A map lookup that must succeed: the demo built both sides, so a miss is a bug. */
export function must<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const v = map.get(key);
  if (v === undefined) throw new Error(`demo seeding: no ${what} for ${String(key)}`);
  return v;
}
