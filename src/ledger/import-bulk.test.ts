// A large import (an initial load) builds the ledger's secondary indexes at the end instead of row by
// row: the same residents, households and colours as any import, the indexes there afterwards, and
// nothing left behind — indexes included — when it is rolled back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/access.ts';
import { writeLedgerCsv } from '../../test/fixtures/ledger.ts';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { importLedger } from './import.ts';
import { BULK_FOREIGN_KEYS, BULK_INDEXES } from './import/repo.ts';
import { birthBounds } from './rules.ts';
import { shanghaiDate } from './service.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let dir: string;
let good: string;
let bad: string;

const actor = systemActor('test');

async function indexes(): Promise<string[]> {
  const { rows } = await t.ctx.db.execute<{ n: string }>(
    sql`select indexname as n from pg_indexes where indexname = any(${sql.param(BULK_INDEXES)}::text[])`,
  );
  return rows.map((r) => r.n).sort();
}

async function foreignKeys(): Promise<string[]> {
  const { rows } = await t.ctx.db.execute<{ n: string }>(
    sql`select conname as n from pg_constraint where conname = any(${sql.param(BULK_FOREIGN_KEYS)}::text[])`,
  );
  return rows.map((r) => r.n).sort();
}

/** The resident table's triggers that keep the pairing rollup, and whether each is on ('O'). */
async function triggers(): Promise<string[]> {
  const { rows } = await t.ctx.db.execute<{ n: string; on: string }>(sql`select tgname as n, tgenabled as on
    from pg_trigger where tgrelid = 'resident'::regclass and tgname like 'pairing_resident_%' order by tgname`);
  return rows.map((r) => `${r.n} ${r.on}`);
}

const TRIGGERS_ON = ['pairing_resident_del O', 'pairing_resident_ins O', 'pairing_resident_upd O'];

async function counts() {
  const { rows } = await t.ctx.db.execute<{ r: number; h: number; cc: number }>(sql`
    select (select count(*) from resident)::int as r, (select count(*) from household)::int as h,
      (select count(*) from colour_change)::int as cc`);
  return rows[0]!;
}

type Line = { key: number; complete: number; lackHelp: number; lackHealth: number; lackLivelihood: number };

/** The coverage page of each region of the county, and what counting every key resident from scratch says. */
async function coverage(): Promise<{ page: Line; scratch: Line }[]> {
  const { cookie } = await signedIn(t, 'official', c.county);
  const get = (url: string) => t.app.inject({ url, headers: { cookie } });
  const keyCategories: string[] = (await get(`/api/regions/${c.county.id}/pairing/settings`)).json()
    .keyCategories;
  const stored = keyCategories.filter((k) => k !== 'elderly');
  const bornBy = birthBounds(shanghaiDate(t.ctx.clock.now()), 65).bornOnOrBefore!;
  const v = c.townships[0]!.villages[0]!;
  const out = [];
  for (const node of [c.county, c.townships[0]!.township, v.village]) {
    const { key, complete, lackHelp, lackHealth, lackLivelihood } = (
      await get(`/api/regions/${node.id}/pairing/coverage`)
    ).json().total as Line;
    const { rows } = await t.ctx.db.execute<Line>(sql`
      select count(*)::int as "key",
        count(*) filter (where f.help and f.health and f.livelihood)::int as "complete",
        count(*) filter (where not f.help)::int as "lackHelp",
        count(*) filter (where not f.health)::int as "lackHealth",
        count(*) filter (where not f.livelihood)::int as "lackLivelihood"
      from resident r join region g on g.id = r.grid_id
      cross join lateral (
        select coalesce(bool_or(x.role = 'help'), false) as help, coalesce(bool_or(x.role = 'health'), false) as health,
          coalesce(bool_or(x.role = 'livelihood'), false) as livelihood
        from responsibility x join member m on m.id = x.member_id and m.active
        where x.target_type = 'resident' and x.target_id = r.id and x.to_date is null) f
      where g.path like ${node.path + '%'} and r.status = 'active'
        and (r.colour in ('red', 'yellow') or r.categories && ${sql.param(stored)}::text[]
          or (${keyCategories.includes('elderly')} and r.birth_date <= ${bornBy}))`);
    out.push({ page: { key, complete, lackHelp, lackHealth, lackLivelihood }, scratch: rows[0]! });
  }
  return out;
}

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 3 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-bulk-'));
  const grids = c.townships[0]!.villages[0]!.grids.map((g) => g.code);
  good = path.join(dir, 'good.csv');
  await writeLedgerCsv(good, 300, grids);
  bad = path.join(dir, 'bad.csv');
  const text = fs.readFileSync(good, 'utf8').replace(/\r\n/g, '\n').split('\n');
  text[150] = text[150]!.replace(/,(\d{17}[\dX]),/, ',123,'); // an ID number that cannot be
  fs.writeFileSync(bad, text.join('\n'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a large import', () => {
  it('rolls back whole, its indexes with it', async () => {
    const report = await importLedger(t.ctx, actor, bad, c.county.code, { bulkBytes: 1 });
    expect(report.committed).toBe(false);
    expect(report.invalid.map((e) => e.row)).toEqual([151]);
    expect(await counts()).toEqual({ r: 0, h: 0, cc: 0 });
    expect(await indexes()).toEqual([...BULK_INDEXES].sort());
    expect(await triggers()).toEqual(TRIGGERS_ON);
    expect(await foreignKeys()).toEqual([...BULK_FOREIGN_KEYS].sort());
  });

  it('loads every row into the households it has or creates, and builds the indexes again', async () => {
    // A vacant household at the first rows' address (幸福路1号 in the first grid), and nobody in
    // the ledger: an initial load looks nobody up beforehand, yet must move them into it.
    const grid = c.townships[0]!.villages[0]!.grids[0]!;
    const { rows: made } = await t.ctx.db.execute<{ id: number }>(sql`
      insert into household (county_code, grid_id, address, status, created_at, updated_at)
      select county_code, id, '幸福路1号', 'vacant', now(), now() from region where id = ${grid.id} returning id`);
    const vacant = Number(made[0]!.id);
    const report = await importLedger(t.ctx, actor, good, c.county.code, { bulkBytes: 1 });
    expect(report).toMatchObject({ rows: 300, valid: 300, imported: 300, updated: 0, committed: true });
    expect(await indexes()).toEqual([...BULK_INDEXES].sort());
    expect(await triggers()).toEqual(TRIGGERS_ON);
    expect(await foreignKeys()).toEqual([...BULK_FOREIGN_KEYS].sort());
    const n = await counts();
    expect(n.r).toBe(300);
    expect(n.h).toBe(report.households + 1);
    const { rows: home } = await t.ctx.db.execute<{
      status: string;
      colour: string | null;
      people: number;
    }>(sql`
      select h.status, h.colour, (select count(*)::int from resident r where r.household_id = h.id) as people
      from household h where h.id = ${vacant}`);
    expect(home[0]!.status).toBe('occupied');
    expect(home[0]!.people).toBeGreaterThan(0);
    expect(home[0]!.colour).not.toBeNull();
    expect(n.cc).toBeGreaterThanOrEqual(300);
    // The ids were drawn as one block: the sequence stands past them, for the next person added by hand.
    const { rows: seq } = await t.ctx.db.execute<{ next: number; top: number }>(sql`
      select nextval('resident_id_seq'::regclass)::int as next, (select max(id) from resident)::int as top`);
    expect(seq[0]!.next).toBeGreaterThan(seq[0]!.top);
    // What the console lists through those indexes.
    const { cookie } = await signedIn(t, 'official', c.county);
    const list = await t.app.inject({ url: '/api/residents?colour=red&pageSize=200', headers: { cookie } });
    const { rows } = await t.ctx.db.execute<{ n: number }>(
      sql`select count(*)::int as n from resident where colour = 'red' and status = 'active'`,
    );
    expect(list.json().total).toBe(rows[0]!.n);
  });

  it('updates the residents it already holds, never duplicating them', async () => {
    const before = await counts();
    const report = await importLedger(t.ctx, actor, good, c.county.code, { bulkBytes: 1 });
    expect(report).toMatchObject({ rows: 300, imported: 0, updated: 300, committed: true });
    expect((await counts()).r).toBe(before.r);
    expect(await indexes()).toEqual([...BULK_INDEXES].sort());
    expect(await triggers()).toEqual(TRIGGERS_ON);
    expect(await foreignKeys()).toEqual([...BULK_FOREIGN_KEYS].sort());
  });

  it('leaves the pairing coverage what counting every resident from scratch says', async () => {
    // The initial load recounts the county once at the end; the page must agree all the same.
    const lines = await coverage();
    expect(lines.map((l) => l.page)).toEqual(lines.map((l) => l.scratch));
    expect(lines[0]!.page.key).toBeGreaterThan(0);
    // And a load rolled back leaves it as it was.
    expect((await importLedger(t.ctx, actor, bad, c.county.code, { bulkBytes: 1 })).committed).toBe(false);
    expect((await coverage()).map((l) => l.page)).toEqual(lines.map((l) => l.scratch));
  });
});
