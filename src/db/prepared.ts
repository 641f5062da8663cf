// Named statements with generic plans, for hot paths: filing an order (outside a transaction, on
// the hot pool) and the sweeper's batches (inside a transaction on a hot session of its own).
import { fillPlaceholders, sql, type Param, type Placeholder, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { hotPool, queryHot, type Db, type Executor, type Tx } from './engine.ts';
import * as schema from './schema.ts';

const dialect = new PgDialect();

/** How a statement's builder places each value: as a parameter, or a compiled statement's placeholder. */
export type Place = (value: unknown) => Param | Placeholder;

/** The text of each named statement, compiled once with placeholders for its values. */
const compiled = new Map<string, { sql: string; params: unknown[] }>();

/** The hot session each open hotTransaction runs on. */
const sessions = new WeakMap<Executor, pg.PoolClient>();
/** One drizzle instance per hot session (building one reads the whole schema). */
const onSession = new WeakMap<pg.PoolClient, Db>();

const poolOf = (db: Db) => (db as unknown as { $client: pg.Pool }).$client;

/**
 * A transaction on a hot session (PostgreSQL), where `prepared` statements are named and keep one
 * generic plan for the session's life: a sweep's batch plans nothing after the first. On PGlite
 * (one session, shared) an ordinary transaction.
 */
export async function hotTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = poolOf(db);
  const hot = hotPool(pool);
  if (hot === pool) return db.transaction(fn);
  const client = await hot.connect();
  try {
    let session = onSession.get(client);
    if (!session) onSession.set(client, (session = drizzle(client, { schema }) as unknown as Db));
    return await session.transaction(async (tx) => {
      sessions.set(tx, client);
      return fn(tx);
    });
  } finally {
    client.release();
  }
}

/**
 * Runs a statement of fixed text as a named prepared statement with a generic plan: each session
 * parses and plans it once. On the pool it runs on the hot pool (queryHot in engine.ts); in a
 * hotTransaction, on that transaction's session; in any other transaction, as an ordinary statement.
 * Its text is compiled once too (drizzle building statements cost a tenth of a filing's CPU): each
 * call only fills in the values.
 */
export async function prepared<T extends Record<string, unknown>>(
  ex: Executor,
  name: string,
  build: (place: Place) => SQL,
): Promise<T[]> {
  const session = sessions.get(ex);
  if (!session && !('$client' in ex))
    return (await ex.execute(build((value) => sql.param(value)))).rows as T[];
  // The same text places the same values in the same order every time: numbered placeholders.
  const values: Record<string, unknown> = {};
  let n = 0;
  const query = build((value) => {
    const key = String(n++);
    values[key] = value;
    return sql.placeholder(key);
  });
  let q = compiled.get(name);
  if (!q) {
    q = dialect.sqlToQuery(query);
    compiled.set(name, q);
  }
  const config = { name, text: q.sql, values: fillPlaceholders(q.params, values) };
  if (session) return (await session.query<T>(config)).rows;
  return queryHot<T>(poolOf(ex as Db), config);
}
