// Bulk data for the benchmarks, made by the database itself (insert … select from generate_series),
// never row by row: scratch databases, a county's residents, members, contacts, cards and orders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../src/config.ts';
import type { Database } from '../src/db/engine.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { birthBounds } from '../src/ledger/rules.ts';
import { shanghaiDate } from '../src/ledger/service.ts';
import type { Actor } from '../src/platform/access.ts';
import type { Ctx } from '../src/platform/context.ts';
import { openContext } from '../src/server.ts';

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The demo county's code (buildDemoWorld('county', 1)). */
export const COUNTY = '340828';
export type EngineName = 'pglite' | 'postgres';

const SURNAMES = `array['张','王','李','赵','刘','陈','杨','黄','吴','周','徐','孙','胡','朱','高','林','何','郭','马','罗']`;
const GIVEN = `array['桂英','秀兰','建国','志强','玉兰','德明','春花','国华','丽娟','小明','红梅','海涛','淑珍','卫东','金凤','长青']`;

export const load = (): string =>
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join('/')} on ${os.cpus().length} cores`;

export const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function log(msg: string): void {
  process.stderr.write(`    ${msg}\n`);
}

/** Times a step and says so on stderr. */
export async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

export async function reachable(url = PG_URL): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function admin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

export interface BenchDb {
  engine: EngineName;
  ctx: Ctx;
  database: Database;
  /** The connection string (PostgreSQL) or the data folder (PGlite). */
  where: string;
  /** Closes the connection and drops the scratch database. */
  close(): Promise<void>;
  /** Drops the scratch database once `database` (and whoever else opened it) has closed it. */
  drop(): Promise<void>;
}

let scratchSerial = 0;

/**
 * A scratch database: a `lianxin_bench_*` database on the PostgreSQL server, or a temp folder for
 * PGlite (a copy of `template` when given). Closing drops it.
 */
export async function openBenchDb(
  engine: EngineName,
  opts: { template?: string; config?: Partial<Config> } = {},
): Promise<BenchDb> {
  if (engine === 'postgres') {
    const name = `lianxin_bench_${process.pid}_${++scratchSerial}`;
    await admin(`drop database if exists ${name}`);
    await admin(`create database ${name}`);
    return openScratch(name, opts.config);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-bench-'));
  if (opts.template) {
    fs.cpSync(opts.template, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, 'lianxin.lock'), { force: true });
  }
  const { ctx, database } = await openContext({ dataDir, config: opts.config });
  return {
    engine,
    ctx,
    database,
    where: dataDir,
    close: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Opens the scratch PostgreSQL database `name`; closing drops it. */
async function openScratch(name: string, config?: Partial<Config>): Promise<BenchDb> {
  const url = Object.assign(new URL(PG_URL), { pathname: `/${name}` }).toString();
  const { ctx, database } = await openContext({ databaseUrl: url, config });
  return {
    engine: 'postgres',
    ctx,
    database,
    where: url,
    close: async () => {
      await database.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/**
 * A scratch copy of a PostgreSQL bench database (CREATE DATABASE … TEMPLATE: the same pages and
 * planner statistics), to time a run again on the same data. Nobody may be connected to `db`.
 */
export async function copyOf(db: BenchDb): Promise<BenchDb> {
  const name = `lianxin_bench_${process.pid}_${++scratchSerial}`;
  await admin(`create database ${name} template ${new URL(db.where).pathname.slice(1)}`);
  return openScratch(name);
}

/** A PGlite folder migrated and seeded with the demo county, to copy for each scenario (initdb is slow). */
export async function pgliteTemplate(): Promise<{ dir: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-bench-tpl-'));
  const { ctx, database } = await openContext({ dataDir: dir });
  try {
    await seedDemo(ctx, 'county', 1, { content: false });
  } finally {
    await database.close();
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn` on one connection of the pool (session settings stay on it), then releases it. */
export async function withClient<T>(db: BenchDb, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await db.database.pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}

/** The signed-in county official of the demo world, as an Actor for calling services directly. */
export async function countyOfficial(db: BenchDb): Promise<Actor> {
  const { rows } = await db.database.pool.query<{ id: number; display_name: string; region_id: number }>(
    `select id, display_name, region_id from account where username = 'county'`,
  );
  const a = rows[0]!;
  const { rows: r } = await db.database.pool.query<{ path: string }>(
    `select path from region where id = $1`,
    [a.region_id],
  );
  return {
    accountId: Number(a.id),
    username: 'county',
    displayName: a.display_name,
    role: 'official',
    regionId: Number(a.region_id),
    regionPath: r[0]!.path,
  };
}

export interface Shape {
  county: { id: number; path: string };
  townships: { id: number; path: string }[];
  villages: number;
  grids: number;
}

export async function shape(c: pg.ClientBase): Promise<Shape> {
  const { rows } = await c.query<{ id: number; path: string; level: string }>(
    `select id, path, level from region where county_code = $1 and level in ('county','township') order by id`,
    [COUNTY],
  );
  const { rows: n } = await c.query<{ v: number; g: number }>(
    `select count(*) filter (where level = 'village')::int as v, count(*) filter (where level = 'grid')::int as g
     from region where county_code = $1`,
    [COUNTY],
  );
  return {
    county: rows.find((r) => r.level === 'county')!,
    townships: rows.filter((r) => r.level === 'township'),
    villages: n[0]!.v,
    grids: n[0]!.g,
  };
}

/** Born on or before this date ⇒ 65 or older today (Asia/Shanghai), as pairing computes it. */
export function elderlyBornBy(now = new Date()): string {
  return birthBounds(shanghaiDate(now), 65).bornOnOrBefore!;
}

/**
 * `residents` residents in `households` households spread evenly over the county's grids. About 12 %
 * are key: 3 % red, 5 % yellow, 2 % elderly (65+) and green, 2 % with the `chronic` category; the rest
 * are green adults and children under 65 with no category. ID numbers are left empty (no bench
 * here reads them). Inserted in chunks of `chunk` rows.
 */
export async function addResidents(
  c: pg.ClientBase,
  residents: number,
  households = Math.round(residents / 2.5),
  chunk = 250_000,
): Promise<void> {
  await withoutIndexes(c, ['household', 'resident'], () => insertResidents(c, residents, households, chunk));
  await c.query('analyze household');
  await c.query('analyze resident');
}

async function insertResidents(c: pg.ClientBase, residents: number, households: number, chunk: number) {
  const oldBy = elderlyBornBy();
  await c.query(`create temp table if not exists bench_grid as
    select id, row_number() over (order by id)::int - 1 as i from region where level = 'grid' and county_code = '${COUNTY}'`);
  const { rows } = await c.query<{ n: number }>('select count(*)::int as n from bench_grid');
  const grids = rows[0]!.n;
  const { rows: h0 } = await c.query<{ n: number; max: number }>(
    `select count(*)::int as n, coalesce(max(id), 0)::bigint as max from household`,
  );
  const base = h0[0]!.n;
  const lastBefore = Number(h0[0]!.max);
  for (let i = 0; i < households; i += chunk) {
    await c.query(
      `insert into household (county_code, grid_id, address, house_number, status, created_at, updated_at)
       select '${COUNTY}', g.id, (s / 40 + 1) || '组' || (s % 40 + 1) || '号·' || s, null, 'occupied', now(), now()
       from generate_series($1::int, $2::int) s join bench_grid g on g.i = s % ${grids}`,
      [base + i, base + Math.min(i + chunk, households) - 1],
    );
  }
  await c.query(`create temp table bench_hh as
    select id, grid_id, row_number() over (order by id)::int - 1 as k from household
    where id > ${lastBefore}`);
  await c.query('create index on bench_hh (k)');
  for (let i = 0; i < residents; i += chunk) {
    const to = Math.min(i + chunk, residents) - 1;
    await c.query(
      `insert into resident (county_code, household_id, grid_id, name, sex, birth_date, categories, colour, colour_score,
         vaccination, status, created_at, updated_at)
       select '${COUNTY}', h.id, h.grid_id, (${SURNAMES})[1 + s % 20] || (${GIVEN})[1 + (s / 20) % 16],
         case when s % 2 = 0 then 'M' else 'F' end,
         case when b >= 8 and b < 10 then date '${oldBy}' - (1 + (s * 37) % 9000)
              else date '${oldBy}' + 400 + (s * 31) % 21000 end,
         case when b >= 10 and b < 12 then array['chronic'] else '{}'::text[] end,
         case when b < 3 then 'red' when b < 8 then 'yellow' else 'green' end,
         case when b < 3 then 8 when b < 8 then 4 else 0 end,
         'full', 'active', now(), now()
       from (select s, (s::bigint * 7919) % 100 as b from generate_series($1::int, $2::int) s) x
       join bench_hh h on h.k = (s::bigint * ${households} / ${residents})::int`,
      [i, to],
    );
  }
  await c.query('drop table bench_hh');
}

/**
 * The county's people: per village a secretary (also a party member, no households of their own)
 * and a village doctor, `partyPerVillage` party members; per grid a grid leader (also a party
 * member); a grid medical worker on every other grid; a cadre per township and a county leader —
 * with their region responsibilities. Half the party members belong to a unit with a party
 * organisation (the fourth rung of escalation).
 */
export async function addMembers(c: pg.ClientBase, partyPerVillage = 10): Promise<void> {
  await c.query(`insert into unit (region_id, name, party_org_name, party_org_mobile, created_at, updated_at)
    select id, name || '办事处', name || '机关党支部', '0556' || lpad(id::text, 7, '0'), now(), now()
    from region where county_code = '${COUNTY}' and level = 'township'`);
  const at = (level: string) => `from region r where r.county_code = '${COUNTY}' and r.level = '${level}'`;
  await c.query(`insert into member (county_code, region_id, name, mobile, roles, unit_id, capacity, active, created_at, updated_at)
    select '${COUNTY}', s.region_id, (${SURNAMES})[1 + q % 20] || (${GIVEN})[1 + (q / 20) % 16],
      '139' || lpad((q + coalesce((select max(id) from member), 0))::text, 8, '0'), s.roles, s.unit_id, s.capacity, true, now(), now()
    from (select *, row_number() over (order by ord, region_id, n)::int as q from (
      select r.id as region_id, array['village_secretary','party_member'] as roles, null::bigint as unit_id,
        0 as capacity, 1 as ord, 0 as n ${at('village')}
      union all select r.id, array['village_doctor'], null, null, 2, 0 ${at('village')}
      union all select r.id, array['party_member'], case when n % 2 = 0 then (select u.id from unit u
          join region t on t.id = u.region_id where r.path like t.path || '%') end, null, 3, n
        from region r cross join generate_series(1, ${partyPerVillage}) n
        where r.county_code = '${COUNTY}' and r.level = 'village'
      union all select r.id, array['grid_leader','party_member'], null, null, 4, 0 ${at('grid')}
      union all select r.id, array['grid_medic'], null, null, 5, 0 ${at('grid')} and r.id % 2 = 0
      union all select r.id, array['cadre'], null, null, 6, 0 from region r
        where r.county_code = '${COUNTY}' and r.level in ('township', 'county')) s0) s`);
  // Region responsibilities: who answers for which node.
  await c.query(`insert into responsibility (county_code, member_id, target_type, target_id, role, from_date, created_at)
    select m.county_code, m.id, 'region', m.region_id,
      case when 'village_secretary' = any(m.roles) then 'village_secretary' when 'grid_leader' = any(m.roles) then 'grid_leader'
        when 'grid_medic' = any(m.roles) then 'grid_medic' when r.level = 'township' then 'township_cadre' else 'county_leader' end,
      '2023-01-01', now()
    from member m join region r on r.id = m.region_id
    where m.county_code = '${COUNTY}' and m.roles && array['village_secretary','grid_leader','grid_medic','cadre']`);
  await c.query('analyze member');
  await c.query('analyze responsibility');
}

/**
 * Contacts for key residents as a confirmed pairing would leave them: a party member of the
 * village (round robin), the village doctor, the village secretary — each role for `share` of the
 * key residents (independently), so some gaps remain.
 */
export async function addContacts(c: pg.ClientBase, share = 0.9): Promise<void> {
  const key = `(r.colour in ('red','yellow') or r.categories <> '{}' or r.birth_date <= date '${elderlyBornBy()}')`;
  const pct = Math.round(share * 100);
  await c.query(`create temp table bench_vm as
    select v.id as village,
      array_agg(m.id order by m.id) filter (where m.roles = array['party_member']) as party,
      min(m.id) filter (where 'village_doctor' = any(m.roles)) as doctor,
      min(m.id) filter (where 'village_secretary' = any(m.roles)) as secretary
    from region v join member m on m.region_id = v.id
    where v.county_code = '${COUNTY}' and v.level = 'village' group by v.id`);
  await c.query(`insert into responsibility (county_code, member_id, target_type, target_id, role, from_date, source, created_at)
    select r.county_code, x.member_id, 'resident', r.id, x.role, '2023-01-01', 'auto', now()
    from resident r join region g on g.id = r.grid_id join bench_vm vm on vm.village = g.parent_id
    cross join lateral (values
      ('help', vm.party[1 + (r.household_id % cardinality(vm.party))], abs(hashint8(r.id * 3 + 1)) % 100),
      ('health', vm.doctor, abs(hashint8(r.id * 3 + 2)) % 100),
      ('livelihood', vm.secretary, abs(hashint8(r.id * 3 + 3)) % 100)) x(role, member_id, b)
    where r.county_code = '${COUNTY}' and ${key} and x.b < ${pct}`);
  await c.query('drop table bench_vm');
  await c.query('analyze responsibility');
}

/** The token printed on bench card `i`: valid for the public channel, its hash stored like a real one. */
export const benchToken = (residentId: number): string => `bench${String(residentId).padStart(16, '0')}`;

/** A valid card for each of the first `limit` key residents having a help contact; returns their tokens. */
export async function addCards(c: pg.ClientBase, limit: number): Promise<string[]> {
  const { rows } = await c.query<{ id: number }>(
    `insert into card (county_code, resident_id, token_hash, issued_at)
     select r.county_code, r.id, encode(sha256(convert_to('bench' || lpad(r.id::text, 16, '0'), 'UTF8')), 'hex'), now()
     from resident r where r.county_code = '${COUNTY}' and exists (select 1 from responsibility x
       where x.target_type = 'resident' and x.target_id = r.id and x.role = 'help' and x.to_date is null)
     order by r.id limit ${limit}
     returning resident_id as id`,
  );
  return rows.map((r) => benchToken(Number(r.id)));
}

/**
 * Runs a bulk load with the tables' secondary indexes dropped, then builds them again (much faster
 * than maintaining them row by row, GIN indexes above all). Returns the milliseconds spent building.
 */
export async function withoutIndexes(
  c: pg.ClientBase,
  tables: string[],
  fn: () => Promise<void>,
): Promise<number> {
  await c.query(`set maintenance_work_mem = '512MB'`);
  const indexes = await secondaryIndexes(c, tables);
  for (const ix of indexes) await c.query(`drop index ${ix.name}`);
  await fn();
  const t0 = performance.now();
  for (const ix of indexes) await c.query(ix.def);
  return performance.now() - t0;
}

/** Definitions of a table's indexes that back no constraint, to drop before a bulk load. */
async function secondaryIndexes(
  c: pg.ClientBase,
  tables: string[],
): Promise<{ name: string; def: string }[]> {
  const { rows } = await c.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def from pg_indexes i
     where i.schemaname = 'public' and i.tablename = any($1)
       and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`,
    [tables],
  );
  return rows;
}

export interface OrderMix {
  /** Orders to make, in chunks of a million (fewer if `budgetMs` runs out). */
  total: number;
  /** Share still open (dispatched / accepted / in progress), the rest closed over three years. */
  openShare: number;
  /** Open orders already past their acceptance deadline, so due for escalation by the sweeper. */
  overdue?: number;
  budgetMs?: number;
}

/**
 * Orders filed by card from key residents with a help contact, assigned to that contact, each with
 * its assignee in order_party (and the grid leader too for the overdue ones). Secondary indexes are
 * dropped for the load and rebuilt after, foreign-key triggers are off during it (PostgreSQL only:
 * session_replication_role). Returns how many were made and how long the load and the indexes took.
 */
export async function addOrders(
  c: pg.ClientBase,
  mix: OrderMix,
): Promise<{ orders: number; loadMs: number; indexMs: number }> {
  const t0 = performance.now();
  await c.query(`set work_mem = '256MB'`);
  await c.query(`create temp table bench_pick as
    select row_number() over (order by r.id)::int - 1 as i, r.id, r.grid_id, x.member_id, l.member_id as leader
    from resident r join responsibility x on x.target_type = 'resident' and x.target_id = r.id and x.role = 'help' and x.to_date is null
    left join responsibility l on l.target_type = 'region' and l.target_id = r.grid_id and l.role = 'grid_leader' and l.to_date is null
    where r.county_code = '${COUNTY}'`);
  const { rows } = await c.query<{ n: number }>('select count(*)::int as n from bench_pick');
  const picks = rows[0]!.n;
  let made = 0;
  let loadMs = 0;
  const indexMs = await withoutIndexes(c, ['service_order', 'order_party'], async () => {
    await c.query(`set session_replication_role = replica`);
    made = await insertOrders(c, mix, picks, t0);
    await c.query(`set session_replication_role = default`);
    loadMs = performance.now() - t0;
  });
  await c.query('analyze service_order');
  await c.query('analyze order_party');
  await c.query('drop table bench_pick');
  return { orders: made, loadMs, indexMs };
}

async function insertOrders(c: pg.ClientBase, mix: OrderMix, picks: number, t0: number): Promise<number> {
  const needs = `array['medicine','errand','meals','other','medicine','errand','consultation','fever']`;
  const openEvery = mix.openShare > 0 ? Math.round(1 / mix.openShare) : 0;
  const overdue = mix.overdue ?? 0;
  let made = 0;
  const chunk = 1_000_000;
  while (made < mix.total && (!mix.budgetMs || performance.now() - t0 < mix.budgetMs)) {
    const to = Math.min(made + chunk, mix.total) - 1;
    // s: the order's serial. Open ones are every openEvery-th; the first `overdue` open ones are overdue
    // for acceptance (filed 3 to 5 hours ago, accept within 2 hours) and so due now.
    await c.query(
      `insert into service_order (county_code, resident_id, grid_id, need_code, urgency, channel, description, state,
         assignee_member_id, accept_due_at, resolve_due_at, next_check_at, reminded_at, escalation_level,
         overdue_accept, overdue_resolve, accepted_at, resolved_at, closed_at, solved, rating, created_at, updated_at)
       select '${COUNTY}', p.id, p.grid_id, (${needs})[1 + s % 8], case when s % 50 = 0 then 'urgent' else 'normal' end,
         'card', null, x.state, p.member_id, x.t + interval '2 hours', x.t + interval '1 day',
         case when not x.open then null when x.k < ${overdue} then now() - interval '1 minute' - (x.k % 600) * interval '1 second'
           else x.t + interval '90 minutes' end,
         null, case when not x.open and s % 20 = 0 then 1 else 0 end, not x.open and s % 20 = 0, false,
         case when x.state <> 'dispatched' then x.t + interval '30 minutes' end,
         case when not x.open then x.t + interval '5 hours' end,
         case when not x.open then x.t + interval '1 day' end,
         case when not x.open then true end, case when not x.open then 4 + s % 2 end, x.t, x.t
       from (select s, open, k,
           case when not open then 'closed' when k < ${overdue} then 'dispatched'
             else (array['dispatched','accepted','in_progress'])[1 + k % 3] end as state,
           case when not open then now() - interval '1 day' - (s % 94608000) * interval '1 second'
             when k < ${overdue} then now() - interval '3 hours' - (k % 7200) * interval '1 second'
             else now() - (k % 3600) * interval '1 second' end as t
         from (select s, ${openEvery ? `s % ${openEvery} = 0` : 'false'} as open,
           ${openEvery ? `s / ${openEvery}` : '0'} as k from generate_series($1::bigint, $2::bigint) s) y) x
       join bench_pick p on p.i = (x.s * 7919) % ${picks}`,
      [made, to],
    );
    made = to + 1;
    log(`orders: ${made.toLocaleString('en')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await c.query(`insert into order_party (order_id, member_id, level, reason, since)
    select o.id, o.assignee_member_id, 0, 'assignee', o.created_at from service_order o`);
  await c.query(`insert into order_party (order_id, member_id, level, reason, since)
    select o.id, p.leader, 1, 'escalation', o.accept_due_at from service_order o join bench_pick p on p.id = o.resident_id
    where o.overdue_accept and p.leader is not null and p.leader <> o.assignee_member_id`);
  return made;
}
