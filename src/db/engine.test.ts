// The database handle as the app uses it, on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDb } from '../../test/helpers/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase(inject('dbTemplate'));
  await t.database.pool.query('create table engine_probe (x int check (x > 0))');
});
afterAll(() => t.close());

describe('the pool', () => {
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
});
