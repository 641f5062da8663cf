// The database handle as the app uses it, on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, SERVER_URL, type TestDb } from '../../test/helpers/db.ts';
import { sql } from 'drizzle-orm';
import { hotPool, queryHot } from './engine.ts';
import { hotTransaction, prepared } from './prepared.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase(inject('dbTemplate'));
  await t.database.pool.query('create table engine_probe (x int check (x > 0))');
});
afterAll(() => t.close());

describe('the pool', () => {
  it.skipIf(process.platform !== 'linux' || SERVER_URL !== undefined)(
    "runs the embedded database's thread at a lower priority than the event loop's",
    () => {
      // A thread's nice value: field 19 of /proc/<pid>/task/<tid>/stat, counted after the name.
      const nice = (tid: string) => {
        const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      expect(nice(String(process.pid))).toBe(0);
      expect(fs.readdirSync('/proc/self/task').map(nice)).toContain(10);
    },
  );

  it('answers the statements queued behind one the database refuses', async () => {
    const pool = t.database.pool;
    // Queued together on one connection (PGlite has exactly one): a refused insert must not take
    // the connection, and so the statements behind it, down with it.
    const [refused, ...rest] = await Promise.allSettled([
      pool.query('insert into engine_probe values ($1)', [-1]),
      pool.query('insert into engine_probe values ($1)', [1]),
      pool.query({ name: 'engine_probe_insert', text: 'insert into engine_probe values ($1)', values: [2] }),
      pool.query('select count(*)::int as n from engine_probe'),
    ]);
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: '23514' } });
    expect(rest.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    // A named statement that fails, then succeeds, on the same connection.
    await expect(
      pool.query({ name: 'engine_probe_insert', text: 'insert into engine_probe values ($1)', values: [-3] }),
    ).rejects.toMatchObject({ code: '23514' });
    await pool.query({
      name: 'engine_probe_insert',
      text: 'insert into engine_probe values ($1)',
      values: [4],
    });
    const { rows } = await pool.query<{ x: number }>('select x from engine_probe order by x');
    expect(rows.map((r) => r.x)).toEqual([1, 2, 4]);
  });

  it("plans the app's statements with their values; only the hot path keeps generic plans", async () => {
    const mode = async (pool: typeof t.database.pool) =>
      (await pool.query<{ plan_cache_mode: string }>('show plan_cache_mode')).rows[0]!.plan_cache_mode;
    // A generic plan cannot use `path like $1` as an index range: forced on every statement, a
    // county's confirm of 75,000 pairings went from 6 s to 168 s.
    expect(await mode(t.database.pool)).toBe('auto');
    const [hot] = await queryHot<{ plan_cache_mode: string }>(t.database.pool, {
      name: 'engine_probe_mode',
      text: "select current_setting('plan_cache_mode') as plan_cache_mode where $1::int = 1",
      values: [1],
    });
    expect(hot!.plan_cache_mode).toBe('force_generic_plan');
    expect(await mode(t.database.pool)).toBe('auto'); // PGlite's one session: switched back
    if (t.database.engine === 'postgres')
      expect(await mode(hotPool(t.database.pool))).toBe('force_generic_plan');
    else expect(hotPool(t.database.pool)).toBe(t.database.pool);
  });

  it('runs a hot transaction whole or not at all; on PostgreSQL its named statements keep a generic plan', async () => {
    const probe = (tx: Parameters<Parameters<typeof hotTransaction>[1]>[0], x: number) =>
      prepared<{ mode: string }>(
        tx,
        'engine_probe_hot',
        (place) => sql`insert into engine_probe values (${place(x)})
          returning current_setting('plan_cache_mode') as mode`,
      );
    const [row] = await hotTransaction(t.database.db, (tx) => probe(tx, 10));
    // PGlite has one session, shared with everyone: its transaction plans as any other does.
    expect(row!.mode).toBe(t.database.engine === 'postgres' ? 'force_generic_plan' : 'auto');
    const refused: unknown = await hotTransaction(t.database.db, async (tx) => {
      await probe(tx, 11);
      await probe(tx, -1);
    }).catch((err: unknown) => err);
    // (drizzle wraps the server's error on PGlite's path: its cause)
    const cause = (refused as { cause?: unknown }).cause ?? refused;
    expect(cause).toMatchObject({ code: '23514' });
    const { rows } = await t.database.pool.query<{ x: number }>('select x from engine_probe where x >= 10');
    expect(rows.map((r) => r.x)).toEqual([10]);
    // The session goes back to the pool usable.
    expect((await hotTransaction(t.database.db, (tx) => probe(tx, 12))).length).toBe(1);
  });
});
