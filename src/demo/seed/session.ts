// One database session for the whole demo seeding, its queries run one at a time. Seeding is one
// transaction that goes through the real services; some of them issue queries in parallel
// (Promise.all), which a pool spreads over connections but a single session must take in turn.
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Db } from '../../db/engine.ts';
import * as schema from '../../db/schema.ts';

/** Runs `fn` with a Db bound to one connection of `db`'s pool whose queries are queued, not overlapped. */
export async function withOneSession<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  const client = await (db as unknown as { $client: pg.Pool }).$client.connect();
  let tail: Promise<unknown> = Promise.resolve();
  const queued = {
    query(config: pg.QueryConfig, values?: unknown[]) {
      const run = tail.then(() => client.query(config, values));
      tail = run.catch(() => undefined);
      return run;
    },
  };
  try {
    return await fn(drizzle(queued as unknown as pg.PoolClient, { schema }));
  } finally {
    client.release();
  }
}
