// Opens the database: the embedded PGlite (in a worker thread, served over a private Unix socket)
// or a real PostgreSQL server. Either way the rest of the code sees one node-postgres pool and one
// drizzle instance, so every query runs the same on a laptop and on a province's server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.ts';
import { acquireDataDirLock } from './lock.ts';

export type Engine = 'pglite' | 'postgres';
export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; inside a transaction every query must go through it, never the pool. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a repo can run a query on. */
export type Executor = Db | Tx;

export interface Database {
  engine: Engine;
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

// int8 (counts, ids) as JS numbers: our ids and counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
const INT8_ARRAY = 1016 as Parameters<typeof pg.types.getTypeParser>[0]; // _int8, not among pg's builtins
const parseTextArray = pg.types.getTypeParser(INT8_ARRAY) as (v: string) => (string | null)[];
pg.types.setTypeParser(INT8_ARRAY, (v) => parseTextArray(v).map((x) => (x === null ? null : Number(x))));

export interface OpenOptions {
  dataDir?: string;
  databaseUrl?: string;
  /** Pool size on a real server (PGlite has exactly one session). */
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {}); // an idle client's error surfaces on its next use; don't crash
    await pool.query('select 1');
    // Sessions that plan each named statement once and keep the plan (hot paths only: filing an
    // order). Left to choose, PostgreSQL re-plans them on every call, and planning filing's read cost
    // more than running it. Only these sessions: forced on every statement, generic plans cannot use
    // a prefix pattern (path like $1) as an index range, and the rest of the app slowed thirtyfold.
    const hot = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 4,
      options: '-c plan_cache_mode=force_generic_plan',
    });
    hot.on('error', () => {});
    keepConnectionsOnSqlErrors(hot);
    hotPools.set(pool, hot);
    return wrap('postgres', pool, async () => {
      await hot.end();
      await pool.end();
    });
  }
  if (!opts.dataDir) throw new Error('Either dataDir or databaseUrl is required');
  return openEmbedded(opts.dataDir);
}

const hotPools = new WeakMap<pg.Pool, pg.Pool>();

/**
 * The pool for a hot path's named statements: on PostgreSQL a few sessions that keep one generic
 * plan per statement; on PGlite (one session) the pool itself.
 */
export function hotPool(pool: pg.Pool): pg.Pool {
  return hotPools.get(pool) ?? pool;
}

/**
 * Runs a hot path's named statement with a generic plan, planned once per session: on PostgreSQL
 * on the hot pool; on PGlite, whose one session everything shares, generic plans are switched on
 * around this statement alone (two more round trips inside the worker, far cheaper than planning).
 */
export async function queryHot<T extends pg.QueryResultRow>(pool: pg.Pool, q: pg.QueryConfig): Promise<T[]> {
  const hot = hotPools.get(pool);
  if (hot) return (await hot.query<T>(q)).rows;
  const client = await pool.connect();
  try {
    await client.query('set plan_cache_mode = force_generic_plan');
    return (await client.query<T>(q)).rows;
  } finally {
    await client.query('reset plan_cache_mode').catch(() => {});
    client.release();
  }
}

function wrap(engine: Engine, pool: pg.Pool, close: () => Promise<void>): Database {
  keepConnectionsOnSqlErrors(pool);
  return { engine, pool, db: drizzle(pool, { schema }), close };
}

/**
 * pg-pool's query() throws away the connection whenever a statement fails, even for a refused
 * statement (a unique or check violation) on a healthy connection. On a real server that costs a
 * reconnect; on PGlite, whose socket serves one connection, the replacement was turned away while
 * the old one closed, so the next statement — often another user's — failed with EPIPE. A
 * connection is put back after any statement instead; one that is really broken is dropped by the
 * pool on its own (it checks that a released client can still be queried).
 */
function keepConnectionsOnSqlErrors(pool: pg.Pool): void {
  const query = async (config: string | pg.QueryConfig, values?: unknown[]) => {
    const client = await pool.connect();
    try {
      return await client.query(config, values);
    } finally {
      client.release();
    }
  };
  pool.query = query as unknown as pg.Pool['query'];
}

async function openEmbedded(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireDataDirLock(dataDir);
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-'));
  const worker = new Worker(new URL('./pglite-host.mjs', import.meta.url), {
    workerData: { dataDir: path.join(dataDir, 'pg'), socketPath: path.join(socketDir, '.s.PGSQL.5432') },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready?: boolean; error?: string }) =>
        m.ready ? resolve() : reject(new Error(`PGlite failed to start: ${m.error}`)),
      );
      worker.once('error', reject);
    });
  } catch (err) {
    await worker.terminate();
    releaseLock();
    throw err;
  }
  // One connection: PGlite has a single session, so the pool serialises requests and a
  // transaction holds the session until it ends.
  const pool = new pg.Pool({ host: socketDir, port: 5432, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', () => {});
  const close = async () => {
    await pool.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage('close');
    });
    await worker.terminate();
    fs.rmSync(socketDir, { recursive: true, force: true });
    releaseLock();
  };
  return wrap('pglite', pool, close);
}
