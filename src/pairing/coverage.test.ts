// The coverage page reads a rollup kept by triggers; here every kind of change a county makes —
// residents edited, moved, gone; contacts confirmed, replaced, ended; members deactivated; a 65th
// birthday passing; the county's key categories changed — and after each, the page must say what
// counting every key resident and their contacts from scratch says, for the county and each child.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { resident } from '../ledger/schema.ts';
import { member, responsibility } from '../staff/schema.ts';
import { makeCounty, makeMember, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { deferCoverage, rebuildCoverage } from './repo.ts';
import { birthBounds } from '../ledger/rules.ts';
import { shanghaiDate } from '../ledger/service.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let cookie: string;

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

type Line = { key: number; complete: number; lackHelp: number; lackHealth: number; lackLivelihood: number };

/** Coverage counted from scratch: every active key resident under `path` and their open contacts. */
async function fromScratch(path: string, keyCategories: string[]): Promise<Line> {
  const bornBy = birthBounds(shanghaiDate(t.ctx.clock.now()), 65).bornOnOrBefore!;
  const stored = keyCategories.filter((k) => k !== 'elderly');
  const res = await t.ctx.db.execute<Line>(sql`
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
    where g.path like ${path + '%'} and r.status = 'active'
      and (r.colour in ('red', 'yellow') or r.categories && ${sql.param(stored)}::text[]
        or (${keyCategories.includes('elderly')} and r.birth_date <= ${bornBy}))`);
  return res.rows[0]!;
}

/**
 * Rows of the per-resident state the next recount starts from that disagree with the resident's
 * facts now (or are missing): a rollup can be right today and wrong after the next change.
 */
async function staleStates(): Promise<number> {
  const res = await t.ctx.db.execute<{ n: number }>(sql`
    with truth as (
      select r.id, r.grid_id, r.colour in ('red', 'yellow') as red_yellow, r.categories,
        coalesce(r.birth_date <= d.elderly_born_by, false) as elderly,
        coalesce((select bit_or(case x.role when 'help' then 1 when 'health' then 2 else 4 end)
          from responsibility x join member m on m.id = x.member_id and m.active
          where x.target_type = 'resident' and x.target_id = r.id and x.to_date is null), 0)::smallint as contacts
      from resident r, pairing_coverage_state d
      where d.id = 1 and r.status = 'active'
        and (r.colour in ('red', 'yellow') or r.categories <> '{}' or r.birth_date <= d.elderly_born_by)),
    kept as (select resident_id, grid_id, red_yellow, categories, elderly, contacts from pairing_resident_state)
    select count(*)::int as n from ((table truth except table kept) union all (table kept except table truth)) x`);
  return res.rows[0]!.n;
}

let keyCategories: string[] = [];

/** The page for the county and each township and village agrees with the count from scratch. */
async function expectTrue(): Promise<Line> {
  const nodes = [c.county, ...c.townships.flatMap((x) => [x.township, ...x.villages.map((v) => v.village)])];
  let county: Line | undefined;
  for (const node of nodes) {
    const res = await call('GET', `/api/regions/${node.id}/pairing/coverage`);
    expect(res.statusCode).toBe(200);
    const { key, complete, lackHelp, lackHealth, lackLivelihood } = res.json().total as Line;
    expect({ node: node.name, key, complete, lackHelp, lackHealth, lackLivelihood }).toEqual({
      node: node.name,
      ...(await fromScratch(node.path, keyCategories)),
    });
    county ??= { key, complete, lackHelp, lackHealth, lackLivelihood };
  }
  expect(await staleStates()).toBe(0);
  return county!;
}

const addMember = (region: { id: number }, roles: string[], name: string) =>
  makeMember(t.ctx, { countyCode: c.county.countyCode!, name, roles, region });

async function addResident(grid: { id: number }, address: string, name: string, birthDate: string) {
  const res = await call('POST', '/api/residents', {
    name,
    birthDate,
    vaccination: 'full',
    household: { gridId: grid.id, address },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number };
}

/** The county as it is now (paths change when regions move). */
async function refreshed(county: County): Promise<County> {
  const path = async (r: County['county']) =>
    (await t.ctx.db.execute<{ path: string }>(sql`select path from region where id = ${r.id}`)).rows[0]!.path;
  const fix = async <R extends County['county']>(r: R): Promise<R> => ({ ...r, path: await path(r) });
  return {
    county: await fix(county.county),
    townships: await Promise.all(
      county.townships.map(async (x) => ({
        township: await fix(x.township),
        villages: await Promise.all(
          x.villages.map(async (v) => ({
            village: await fix(v.village),
            grids: await Promise.all(v.grids.map(fix)),
          })),
        ),
      })),
    ),
  };
}

/** Moves the clock; the session would lapse over a week, so sign in again. */
async function setClock(iso: string) {
  t.ctx.clock.set(iso);
  cookie = (await signedIn(t, 'official', c.county)).cookie;
}

const village = (ti: number, vi: number) => c.townships[ti]!.villages[vi]!;
let party: { id: number };
let turning65: { id: number };

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 2, gridsPer: 2 });
  cookie = (await signedIn(t, 'official', c.county)).cookie;
  keyCategories = (await call('GET', `/api/regions/${c.county.id}/pairing/settings`)).json().keyCategories;
  for (const [ti, vi] of [
    [0, 0],
    [0, 1],
    [1, 0],
  ] as const) {
    const v = village(ti, vi);
    const p = await addMember(v.village, ['party_member'], `党员${ti}${vi}`);
    if (ti === 0 && vi === 0) party = p;
    await addMember(v.village, ['village_doctor'], `村医${ti}${vi}`);
    const s = await addMember(v.village, ['village_secretary', 'party_member'], `书记${ti}${vi}`);
    await t.ctx.db.insert(responsibility).values({
      countyCode: c.county.countyCode!,
      memberId: s.id,
      targetType: 'region',
      targetId: v.village.id,
      role: 'village_secretary',
      fromDate: '2023-01-01',
      createdAt: t.ctx.clock.now(),
    });
  }
  let n = 0;
  for (const [ti, vi] of [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ] as const) {
    for (const grid of village(ti, vi).grids) {
      await addResident(grid, `${++n}号`, `老人${n}`, '1940-03-0' + ((n % 9) + 1));
      await addResident(grid, `${n}号`, `老伴${n}`, '1943-05-0' + ((n % 9) + 1));
      await addResident(grid, `${++n}号`, `青年${n}`, '1990-06-0' + ((n % 9) + 1));
    }
  }
  // 64 on 5 January 2023, 65 a week later.
  turning65 = await addResident(village(0, 0).grids[1]!, '99号', '将满六十五', '1958-01-10');
});
afterAll(() => t.close());

describe('the coverage rollup stays true', () => {
  it('before any pairing: every key resident is a gap', async () => {
    const county = await expectTrue();
    expect(county).toMatchObject({ complete: 0, key: 16 });
  });

  it('after proposals are confirmed, whole and in part', async () => {
    const first = (await call('POST', `/api/regions/${village(0, 0).village.id}/pairing/proposals`)).json();
    await call('POST', `/api/pairing/proposals/${first.id}/confirm`, { accept: 'all' });
    const second = (await call('POST', `/api/regions/${c.county.id}/pairing/proposals`)).json();
    const p = (await call('GET', `/api/pairing/proposals/${second.id}`)).json();
    const some = p.items
      .filter((i: { role: string; member_id: number | null }) => i.role !== 'help' && i.member_id)
      .map((i: { id: number }) => i.id);
    await call('POST', `/api/pairing/proposals/${second.id}/confirm`, { accept: some });
    const county = await expectTrue();
    expect(county.complete).toBeGreaterThan(0);
    expect(county.complete).toBeLessThan(county.key);
  });

  it('when residents are edited, recoloured, moved, leave or die — one by one or many at once', async () => {
    const ids = (await t.ctx.db.select({ id: resident.id }).from(resident).orderBy(resident.id)).map(
      (r) => r.id,
    );
    // A young resident becomes yellow; an old one gets a category (still key); one moves out.
    await t.ctx.db.update(resident).set({ colour: 'yellow' }).where(eq(resident.id, ids[2]!));
    await t.ctx.db
      .update(resident)
      .set({ categories: ['chronic'] })
      .where(eq(resident.id, ids[0]!));
    expect((await call('PATCH', `/api/residents/${ids[1]}`, { status: 'moved_out' })).statusCode).toBe(200);
    await expectTrue();
    // A paired resident's household moves to another township's grid; several at once change.
    await t.ctx.db
      .update(resident)
      .set({ gridId: village(1, 1).grids[0]!.id })
      .where(eq(resident.id, ids[3]!));
    await t.ctx.db.execute(sql`update resident set colour = 'red', birth_date = '1999-09-09'
      where id = any(${sql.param(ids.slice(4, 9))}::bigint[])`);
    await t.ctx.db.update(resident).set({ status: 'deceased' }).where(eq(resident.id, ids[9]!));
    await expectTrue();
  });

  it('when contacts are replaced, ended or removed, and members deactivated', async () => {
    const paired = await t.ctx.db.execute<{ target_id: number; id: number }>(sql`
      select target_id, id from responsibility where target_type = 'resident' and to_date is null order by id`);
    const [a, b, d] = paired.rows;
    const doctor = await addMember(village(0, 0).village, ['village_doctor'], '新村医');
    expect(
      (await call('PUT', `/api/residents/${a!.target_id}/contacts/health`, { memberId: doctor.id }))
        .statusCode,
    ).toBe(200);
    await t.ctx.db.update(responsibility).set({ toDate: '2023-01-05' }).where(eq(responsibility.id, b!.id));
    await t.ctx.db.delete(responsibility).where(eq(responsibility.id, d!.id));
    await expectTrue();
    await t.ctx.db.update(member).set({ active: false }).where(eq(member.id, party.id));
    const without = await expectTrue();
    await t.ctx.db.update(member).set({ active: true }).where(eq(member.id, party.id));
    const back = await expectTrue();
    expect(without.lackHelp).toBeGreaterThan(back.lackHelp);
  });

  it('when a grid moves to another village, and a village to another township', async () => {
    const grid = village(0, 0).grids[0]!;
    await t.ctx.db.execute(sql`update region set name = '迁入网格' where id = ${grid.id}`);
    const gridMove = await call('POST', `/api/regions/${grid.id}/move`, {
      parentId: village(1, 1).village.id,
    });
    expect(gridMove.json()).toMatchObject({ parentId: village(1, 1).village.id });
    await expectTrue();
    const township = c.townships[1]!.township;
    const villageMove = await call('POST', `/api/regions/${village(0, 1).village.id}/move`, {
      parentId: township.id,
      code: `${township.code.slice(0, 9)}299`,
    });
    expect(villageMove.json()).toMatchObject({ parentId: township.id });
    c = await refreshed(c);
    await expectTrue();
  });

  it('when a 65th birthday passes, and when the clock goes back', async () => {
    const before = await expectTrue();
    await setClock('2023-01-12T08:00:00+08:00');
    const after = await expectTrue();
    expect(after.key).toBe(before.key + 1);
    await setClock('2023-01-05T08:00:00+08:00');
    expect((await expectTrue()).key).toBe(before.key);
    expect(turning65.id).toBeGreaterThan(0);
  });

  it("when the county's key categories change", async () => {
    keyCategories = ['chronic'];
    const res = await call('PUT', `/api/regions/${c.county.id}/pairing/settings`, { keyCategories });
    expect(res.statusCode).toBe(200);
    await expectTrue();
    keyCategories = (
      await call('PUT', `/api/regions/${c.county.id}/pairing/settings`, {
        keyCategories: ['elderly', 'chronic'],
      })
    ).json().keyCategories;
    await expectTrue();
  });

  it('when two officials add contacts to the same residents at the same moment', async () => {
    const gaps = (await call('GET', `/api/regions/${c.county.id}/pairing/gaps?limit=50`)).json() as {
      residentId: number;
    }[];
    const doctor = await addMember(village(1, 0).village, ['village_doctor', 'party_member'], '双岗');
    await Promise.all(
      (['help', 'health'] as const).map((role) =>
        t.ctx.db.transaction(async (tx) => {
          await tx.insert(responsibility).values(
            gaps.map((g) => ({
              countyCode: c.county.countyCode!,
              memberId: doctor.id,
              targetType: 'resident' as const,
              targetId: g.residentId,
              role,
              fromDate: '2023-01-05',
              createdAt: t.ctx.clock.now(),
            })),
          );
        }),
      ),
    );
    await expectTrue();
  });

  it('when a bulk writer defers the rollup and recounts the county once before it commits', async () => {
    const before = await expectTrue();
    const at = t.ctx.clock.now();
    const doctor = await addMember(village(0, 1).village, ['village_doctor'], '批量村医');
    await t.ctx.db.transaction(async (tx) => {
      await deferCoverage(tx);
      // Many residents at once (copies of everyone, some now red), recoloured, moved, one gone;
      // contacts added and ended; a member deactivated — none of it recounted meanwhile.
      await tx.execute(sql`insert into resident (county_code, household_id, grid_id, name, sex, birth_date,
          categories, colour, colour_score, vaccination, status, created_at, updated_at)
        select county_code, household_id, grid_id, name || '乙', sex, birth_date, categories,
          case when id % 3 = 0 then 'red' else colour end, colour_score, vaccination, status, ${at}, ${at}
        from resident where county_code = ${c.county.countyCode!}`);
      await tx.execute(sql`update resident set colour = 'yellow' where name like '青年%乙'`);
      await tx.execute(sql`update resident set grid_id = ${village(1, 1).grids[1]!.id}
        where id = (select min(id) from resident where name like '老人%乙')`);
      await tx.execute(
        sql`delete from resident where id = (select max(id) from resident where name like '老伴%乙')`,
      );
      // Of those counted before the transaction, one moves and gains a category, one dies.
      await tx.execute(sql`update resident set grid_id = ${village(1, 0).grids[0]!.id}, categories = '{disabled}'
        where id = (select min(id) from resident where name like '老人%' and name not like '%乙')`);
      await tx.execute(sql`update resident set status = 'deceased'
        where id = (select max(id) from resident where name like '老人%' and name not like '%乙')`);
      await tx.execute(sql`insert into responsibility (county_code, member_id, target_type, target_id, role, from_date, created_at)
        select county_code, ${doctor.id}, 'resident', id, 'health', '2023-01-05', ${at}
        from resident where name like '%乙'`);
      await tx.execute(sql`update responsibility set to_date = '2023-01-05'
        where id = (select min(id) from responsibility where target_type = 'resident' and to_date is null)`);
      await tx.update(member).set({ active: false }).where(eq(member.id, party.id));
      await rebuildCoverage(tx, c.county.countyCode!);
    });
    const after = await expectTrue();
    expect(after.key).toBeGreaterThan(before.key);
    await t.ctx.db.update(member).set({ active: true }).where(eq(member.id, party.id));
    await expectTrue();
  });
});
