// The SQL of a ledger import: set-based reads and writes of a few thousand rows per statement. Rows
// travel as one array literal per column (db/rowset.ts): PGlite's socket does not take COPY FROM
// STDIN, and the server reads arrays several times faster than the same rows as JSON.
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/engine.ts';
import { rowset, type RowsetColumn } from '../../db/rowset.ts';
import type { Colour } from '../colour.ts';
import type { ResidentRow } from '../repo.ts';

export type Existing = ResidentRow & { gridPath: string };

const RESIDENT_COLUMNS = sql.raw(`r.id, r.county_code as "countyCode", r.household_id as "householdId",
  r.grid_id as "gridId", r.name, r.id_number as "idNumber", r.sex, r.birth_date::text as "birthDate",
  r.phones, r.categories, r.conditions, r.vaccination, r.pregnancy_due_date::text as "pregnancyDueDate",
  r.medication, r.notes, r.status, r.colour, r.colour_score as "colourScore",
  r.colour_override as "colourOverride", r.colour_override_reason as "colourOverrideReason",
  r.created_at as "createdAt", r.updated_at as "updatedAt", g.path as "gridPath"`);

/** Residents with these ID numbers, anywhere (an ID number is unique across the platform). */
export async function residentsByIdNumbers(ex: Executor, ids: string[]): Promise<Existing[]> {
  if (ids.length === 0) return [];
  const res = await ex.execute<Existing>(sql`
    select ${RESIDENT_COLUMNS} from resident r join region g on g.id = r.grid_id
    where r.id_number = any(${sql.param(ids)}::text[])`);
  return res.rows;
}

/** Residents without an ID number in these households, for matching by name. */
export async function residentsWithoutId(ex: Executor, householdIds: number[]): Promise<Existing[]> {
  if (householdIds.length === 0) return [];
  const res = await ex.execute<Existing>(sql`
    select ${RESIDENT_COLUMNS} from resident r join region g on g.id = r.grid_id
    where r.household_id = any(${sql.param(householdIds)}::bigint[]) and r.id_number is null`);
  return res.rows;
}

export interface HouseholdKey {
  c: string;
  g: number;
  a: string;
  n: string | null;
  col: Colour | null;
}

type HouseholdFound = { id: number; grid_id: number; address: string };

/**
 * Existing households by (county, grid, address): the unique key's own order, so each is one probe
 * of its index even while a bulk load has dropped the grid index.
 */
export async function findHouseholds(
  ex: Executor,
  keys: { c: string; g: number; a: string }[],
): Promise<HouseholdFound[]> {
  if (keys.length === 0) return [];
  const res = await ex.execute<HouseholdFound>(sql`
    select h.id, h.grid_id, h.address from household h
    join ${rowset(keys, 'k', [
      ['c', 'text'],
      ['g', 'bigint'],
      ['a', 'text'],
    ])}
      on h.county_code = k.c and h.grid_id = k.g and h.address = k.a`);
  return res.rows;
}

/** Adds households with their colour already known (one that appeared meanwhile is skipped). */
export async function insertHouseholds(
  ex: Executor,
  rows: HouseholdKey[],
  at: Date,
): Promise<HouseholdFound[]> {
  if (rows.length === 0) return [];
  const res = await ex.execute<HouseholdFound>(sql`
    insert into household (county_code, grid_id, address, house_number, colour, created_at, updated_at)
    select c, g, a, n, col, ${at}, ${at}
    from ${rowset(rows, 'x', [
      ['c', 'text'],
      ['g', 'bigint'],
      ['a', 'text'],
      ['n', 'text'],
      ['col', 'text'],
    ])}
    on conflict (county_code, grid_id, address) do nothing
    returning id, grid_id, address`);
  return res.rows;
}

/** Raises the colour of households this import created, when later rows bring a worse one. */
export async function setHouseholdColours(ex: Executor, rows: { id: number; col: Colour }[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.execute(sql`
    update household h set colour = v.col from ${rowset(rows, 'v', [
      ['id', 'bigint'],
      ['col', 'text'],
    ])}
    where h.id = v.id`);
}

/** Households people were imported into are occupied, whatever they were. */
export async function occupy(ex: Executor, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await ex.execute(sql`
    update household set status = 'occupied', updated_at = ${at}
    where id = any(${sql.param(ids)}::bigint[]) and status <> 'occupied'`);
}

export async function nextResidentIds(ex: Executor, n: number): Promise<number[]> {
  if (n === 0) return [];
  // The identity's sequence by name: pg_get_serial_sequence per row would cost more than the insert.
  const res = await ex.execute<{ id: number }>(
    sql`select nextval('resident_id_seq'::regclass)::bigint as id from generate_series(1, ${n})`,
  );
  return res.rows.map((r) => Number(r.id));
}

/**
 * The first of `n` consecutive resident ids, drawn in one step: only for a transaction holding the
 * resident table locked (an initial load), since nobody else can then draw from its sequence.
 */
export async function reserveResidentIds(ex: Executor, n: number): Promise<number> {
  const res = await ex.execute<{ first: number }>(sql`
    select setval('resident_id_seq'::regclass, nextval('resident_id_seq'::regclass) + ${n}::bigint - 1)
      - ${n}::bigint + 1 as first`);
  return Number(res.rows[0]!.first);
}

/** One resident as written by an import (keys are the column names). */
export interface ResidentRecord {
  id: number;
  county_code: string;
  household_id: number;
  grid_id: number;
  name: string;
  id_number: string | null;
  sex: string | null;
  birth_date: string | null;
  phones: string[];
  categories: string[];
  conditions: unknown;
  vaccination: string | null;
  pregnancy_due_date: string | null;
  medication: string | null;
  notes: string | null;
  status: string;
  colour: Colour;
  colour_score: number;
  colour_override: Colour | null;
  colour_override_reason: string | null;
}

const RESIDENT_CELLS: RowsetColumn<ResidentRecord>[] = [
  ['id', 'bigint'],
  ['county_code', 'text'],
  ['household_id', 'bigint'],
  ['grid_id', 'bigint'],
  ['name', 'text'],
  ['id_number', 'text'],
  ['sex', 'text'],
  ['birth_date', 'date'],
  ['phones', 'text[]'],
  ['categories', 'text[]'],
  ['conditions', 'jsonb'],
  ['vaccination', 'text'],
  ['pregnancy_due_date', 'date'],
  ['medication', 'text'],
  ['notes', 'text'],
  ['status', 'text'],
  ['colour', 'text'],
  ['colour_score', 'int'],
  ['colour_override', 'text'],
  ['colour_override_reason', 'text'],
];

/** Inserts new residents (ids drawn beforehand from the sequence). */
export async function insertResidents(ex: Executor, rows: ResidentRecord[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await ex.execute(sql`
    insert into resident (id, county_code, household_id, grid_id, name, id_number, sex, birth_date, phones,
      categories, conditions, vaccination, pregnancy_due_date, medication, notes, status, colour, colour_score,
      colour_override, colour_override_reason, created_at, updated_at)
    select id, county_code, household_id, grid_id, name, id_number, sex, birth_date, phones,
      categories, conditions, vaccination, pregnancy_due_date, medication, notes, status, colour,
      colour_score, colour_override, colour_override_reason, ${at}, ${at}
    from ${rowset(rows, 'x', RESIDENT_CELLS)}`);
}

/** Overwrites existing residents with their merged values (moving household keeps the history). */
export async function updateResidents(ex: Executor, rows: ResidentRecord[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await ex.execute(sql`
    update resident r set county_code = v.county_code, household_id = v.household_id, grid_id = v.grid_id,
      name = v.name, id_number = v.id_number, sex = v.sex, birth_date = v.birth_date, phones = v.phones,
      categories = v.categories, conditions = v.conditions, vaccination = v.vaccination,
      pregnancy_due_date = v.pregnancy_due_date, medication = v.medication, notes = v.notes,
      status = v.status, colour = v.colour, colour_score = v.colour_score,
      colour_override = v.colour_override, colour_override_reason = v.colour_override_reason, updated_at = ${at}
    from ${rowset(rows, 'v', RESIDENT_CELLS)}
    where r.id = v.id`);
}

export interface ColourChangeRecord {
  c: string;
  r: number;
  f: Colour | null;
  t: Colour;
  s: string;
  n: number;
  why: string;
}

export async function insertColourChanges(
  ex: Executor,
  rows: ColourChangeRecord[],
  at: Date,
  actor: { id: number | null; name: string },
): Promise<void> {
  if (rows.length === 0) return;
  await ex.execute(sql`
    insert into colour_change (county_code, resident_id, at, actor_id, actor_name, from_colour, to_colour,
      source, score, reason)
    select c, r, ${at}, ${actor.id}::bigint, ${actor.name}, f, t, s, n, why
    from ${rowset(rows, 'x', [
      ['c', 'text'],
      ['r', 'bigint'],
      ['f', 'text'],
      ['t', 'text'],
      ['s', 'text'],
      ['n', 'int'],
      ['why', 'text'],
    ])}`);
}

/** A household takes the most severe colour of its active members (null with none). */
export async function refreshHouseholdColours(ex: Executor, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await ex.execute(sql`
    update household h set colour = c.colour from (
      select k.id, (select case max(case r.colour when 'red' then 2 when 'yellow' then 1 else 0 end)
          when 2 then 'red' when 1 then 'yellow' when 0 then 'green' end
        from resident r where r.household_id = k.id and r.status = 'active') as colour
      from unnest(${sql.param(ids)}::bigint[]) as k(id)) c
    where h.id = c.id and h.colour is distinct from c.colour`);
}

/**
 * Planner statistics after a big import. PGlite runs no autovacuum, so the visibility map that
 * index-only scans need is set here too; a server's autovacuum does that part itself.
 */
export async function analyzeLedger(ex: Executor, vacuum: boolean): Promise<void> {
  if (vacuum) await ex.execute(sql`vacuum (analyze) household, resident, colour_change`);
  else await ex.execute(sql`analyze household, resident, colour_change`);
}

/**
 * Secondary indexes a large import builds once at the end instead of maintaining row by row (several
 * times faster at a million rows). Those the import itself reads by — primary keys, the ID number,
 * the household address, the household's members — stay.
 */
export const BULK_INDEXES = [
  'resident_grid_colour_idx',
  'resident_active_grid_colour_idx',
  'resident_county_idx',
  'resident_name_idx',
  'resident_id_tail_idx',
  'resident_categories_idx',
  'resident_phones_idx',
  'colour_change_resident_idx',
  'household_grid_idx',
  'household_county_idx',
];

/**
 * Foreign keys a large import checks once at the end (one join per key, when the constraint is
 * added again) instead of one lookup per row.
 */
export const BULK_FOREIGN_KEYS = [
  'resident_household_id_household_id_fk',
  'resident_grid_id_region_id_fk',
  'household_grid_id_region_id_fk',
  'colour_change_resident_id_resident_id_fk',
];

/** Drops the foreign keys (inside the caller's transaction); returns the statements adding them again. */
export async function dropForeignKeys(ex: Executor, names: string[]): Promise<string[]> {
  const res = await ex.execute<{ name: string; tbl: string; def: string }>(sql`
    select conname as name, conrelid::regclass::text as tbl, pg_get_constraintdef(oid) as def
    from pg_constraint where contype = 'f' and conname = any(${sql.param(names)}::text[])`);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const tbl = (s: string) =>
    s
      .split('.')
      .map((p) => (p.startsWith('"') ? p : q(p)))
      .join('.');
  for (const fk of res.rows)
    await ex.execute(sql.raw(`alter table ${tbl(fk.tbl)} drop constraint ${q(fk.name)}`));
  return res.rows.map((fk) => `alter table ${tbl(fk.tbl)} add constraint ${q(fk.name)} ${fk.def}`);
}

/** Whether the resident table holds nobody at all (in any county). */
export async function ledgerIsEmpty(ex: Executor): Promise<boolean> {
  const res = await ex.execute<{ empty: boolean }>(sql`select not exists (select from resident) as empty`);
  return res.rows[0]!.empty;
}

/** Residents in the ledger as the planner last counted them (cheap; 0 when never counted). */
export async function residentEstimate(ex: Executor): Promise<number> {
  const res = await ex.execute<{ n: number }>(
    sql`select greatest(reltuples, 0)::bigint as n from pg_class where oid = 'resident'::regclass`,
  );
  return Number(res.rows[0]?.n ?? 0);
}

/** Drops the indexes (inside the caller's transaction: a rollback brings them back); returns their definitions. */
export async function dropIndexes(ex: Executor, names: string[]): Promise<string[]> {
  const res = await ex.execute<{ name: string; def: string }>(sql`
    select indexname as name, indexdef as def from pg_indexes
    where schemaname = current_schema() and indexname = any(${sql.param(names)}::text[])`);
  for (const ix of res.rows) await ex.execute(sql.raw(`drop index "${ix.name.replace(/"/g, '""')}"`));
  return res.rows.map((ix) => ix.def);
}

/**
 * Builds indexes (and adds constraints) again from their definitions, each in one pass over its
 * table. A server sorts in 128 MB; PGlite keeps its own 32 MB, since its heap never shrinks.
 */
export async function createIndexes(ex: Executor, defs: string[], roomy: boolean): Promise<void> {
  if (defs.length === 0) return;
  if (roomy) await ex.execute(sql`set local maintenance_work_mem = '128MB'`);
  for (const def of defs) await ex.execute(sql.raw(def));
}
