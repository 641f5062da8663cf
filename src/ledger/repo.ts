// All SQL of the ledger. Reads take the caller's scope path; a household or resident outside it
// is not found.
import {
  and,
  asc,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  like,
  lt,
  lte,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { region } from '../regions/schema.ts';
import type { Colour } from './colour.ts';
import { category, colourChange, colourRuleset, household, resident, survey } from './schema.ts';

export type HouseholdRow = typeof household.$inferSelect;
export type ResidentRow = typeof resident.$inferSelect;
export type CategoryRow = typeof category.$inferSelect;

/** The grids under a path, as a subquery: the scope filter of every resident query. */
const gridsUnder = (path: string) =>
  sql`(select ${region.id} from ${region} where ${region.path} like ${path + '%'} and ${region.level} = 'grid')`;

export async function categoriesFor(ex: Executor, countyCode: string): Promise<CategoryRow[]> {
  return ex
    .select()
    .from(category)
    .where(or(eq(category.countyCode, ''), eq(category.countyCode, countyCode)))
    .orderBy(asc(category.sort), asc(category.code));
}

export async function insertCategory(ex: Executor, row: typeof category.$inferInsert): Promise<CategoryRow> {
  const [inserted] = await ex.insert(category).values(row).returning();
  return inserted!;
}

export async function updateCategory(
  ex: Executor,
  countyCode: string,
  code: string,
  values: Partial<Pick<CategoryRow, 'nameZh' | 'nameEn' | 'key' | 'synonyms' | 'active'>>,
): Promise<CategoryRow | undefined> {
  const [row] = await ex
    .update(category)
    .set(values)
    .where(and(eq(category.countyCode, countyCode), eq(category.code, code)))
    .returning();
  return row;
}

/** Serialises changes to one county's categories (their names must stay distinct). */
export async function lockCountyCategories(ex: Executor, countyCode: string): Promise<void> {
  await ex.execute(sql`select pg_advisory_xact_lock(hashtext(${'category:' + countyCode}))`);
}

export async function rulesetFor(ex: Executor, countyCode: string) {
  const [row] = await ex.select().from(colourRuleset).where(eq(colourRuleset.countyCode, countyCode));
  return row;
}

export async function upsertRuleset(ex: Executor, row: typeof colourRuleset.$inferInsert): Promise<void> {
  await ex
    .insert(colourRuleset)
    .values(row)
    .onConflictDoUpdate({
      target: colourRuleset.countyCode,
      set: { rules: row.rules, version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy },
    });
}

export async function findHousehold(
  ex: Executor,
  id: number,
  scopePath: string,
): Promise<(HouseholdRow & { gridPath: string; gridName: string }) | undefined> {
  const [row] = await ex
    .select({ household, gridPath: region.path, gridName: region.name })
    .from(household)
    .innerJoin(region, eq(region.id, household.gridId))
    .where(and(eq(household.id, id), like(region.path, `${scopePath}%`)));
  return row && { ...row.household, gridPath: row.gridPath, gridName: row.gridName };
}

export async function findHouseholdByAddress(ex: Executor, gridId: number, address: string) {
  const [row] = await ex
    .select()
    .from(household)
    .where(and(eq(household.gridId, gridId), eq(household.address, address)));
  return row;
}

export async function insertHousehold(
  ex: Executor,
  values: typeof household.$inferInsert,
): Promise<HouseholdRow> {
  const [row] = await ex.insert(household).values(values).returning();
  return row!;
}

export async function updateHousehold(
  ex: Executor,
  id: number,
  values: Partial<typeof household.$inferInsert>,
): Promise<void> {
  await ex.update(household).set(values).where(eq(household.id, id));
}

/** A household takes the most severe colour of its active members (null with none). */
export async function refreshHouseholdColours(ex: Executor, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await ex.execute(sql`
    update ${household} h set colour = (
      select case max(case r.colour when 'red' then 2 when 'yellow' then 1 else 0 end)
        when 2 then 'red' when 1 then 'yellow' when 0 then 'green' end
      from ${resident} r where r.household_id = h.id and r.status = 'active')
    where h.id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`);
}

export async function householdMembers(ex: Executor, householdId: number): Promise<ResidentRow[]> {
  return ex.select().from(resident).where(eq(resident.householdId, householdId)).orderBy(asc(resident.id));
}

export async function findResident(
  ex: Executor,
  id: number,
  scopePath: string,
): Promise<(ResidentRow & { gridPath: string }) | undefined> {
  const [row] = await ex
    .select({ resident, gridPath: region.path })
    .from(resident)
    .innerJoin(region, eq(region.id, resident.gridId))
    .where(and(eq(resident.id, id), like(region.path, `${scopePath}%`)));
  return row && { ...row.resident, gridPath: row.gridPath };
}

/** Unscoped: one resident per ID number across the platform. */
export async function findResidentByIdNumber(
  ex: Executor,
  idNumber: string,
): Promise<(ResidentRow & { gridPath: string }) | undefined> {
  const [row] = await ex
    .select({ resident, gridPath: region.path })
    .from(resident)
    .innerJoin(region, eq(region.id, resident.gridId))
    .where(eq(resident.idNumber, idNumber));
  return row && { ...row.resident, gridPath: row.gridPath };
}

export async function insertResident(
  ex: Executor,
  values: typeof resident.$inferInsert,
): Promise<ResidentRow> {
  const [row] = await ex.insert(resident).values(values).returning();
  return row!;
}

export async function updateResident(
  ex: Executor,
  id: number,
  values: Partial<typeof resident.$inferInsert>,
): Promise<void> {
  await ex.update(resident).set(values).where(eq(resident.id, id));
}

export async function insertColourChanges(
  ex: Executor,
  rows: (typeof colourChange.$inferInsert)[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await ex.insert(colourChange).values(rows.slice(i, i + 1000));
}

export async function colourHistory(ex: Executor, residentId: number) {
  return ex
    .select()
    .from(colourChange)
    .where(eq(colourChange.residentId, residentId))
    .orderBy(desc(colourChange.at), desc(colourChange.id));
}

export interface ResidentFilter {
  /** Path of the region to list under (already checked to be inside the caller's scope). */
  path: string;
  colour?: Colour[];
  category?: string[];
  /** Born on or before / after these dates (age bands turned into dates by the service). */
  bornOnOrBefore?: string;
  bornAfter?: string;
  surveyed?: 'yes' | 'no' | 'stale';
  staleBefore?: Date;
  q?: string;
  status?: 'active' | 'moved_out' | 'deceased' | 'all';
  sort: 'id' | 'name' | 'birthDate' | 'colour';
  desc: boolean;
  limit: number;
  offset: number;
  /** Elderly is derived from the birth date, not stored: born on or before this date. */
  elderlyBornBy: string;
}

function residentWhere(f: ResidentFilter, opts: { scoped: boolean } = { scoped: true }): SQL {
  const where: (SQL | undefined)[] = [
    opts.scoped ? sql`${resident.gridId} in ${gridsUnder(f.path)}` : sql`true`,
  ];
  if (f.status !== 'all') where.push(eq(resident.status, f.status ?? 'active'));
  if (f.colour?.length) where.push(inArray(resident.colour, f.colour));
  if (f.category?.length) {
    const stored = f.category.filter((c) => c !== 'elderly');
    const any: SQL[] = [];
    if (stored.length) any.push(sql`${resident.categories} && ${sql.param(stored)}::text[]`);
    if (f.category.includes('elderly')) any.push(lte(resident.birthDate, f.elderlyBornBy));
    where.push(or(...any));
  }
  if (f.bornOnOrBefore) where.push(lte(resident.birthDate, f.bornOnOrBefore));
  if (f.bornAfter) where.push(gt(resident.birthDate, f.bornAfter));
  if (f.surveyed === 'yes') where.push(isNotNull(household.lastSurveyedAt));
  if (f.surveyed === 'no') where.push(isNull(household.lastSurveyedAt));
  if (f.surveyed === 'stale' && f.staleBefore)
    where.push(or(isNull(household.lastSurveyedAt), lt(household.lastSurveyedAt, f.staleBefore)));
  const q = f.q?.trim();
  if (q) {
    if (/^\d{11}$/.test(q)) where.push(sql`${resident.phones} @> array[${q}]::text[]`);
    else if (/^\d{4,6}[\dXx]?$/.test(q) || /^\d{3,5}[Xx]$/.test(q))
      where.push(sql`right(${resident.idNumber}, ${q.length}) = ${q.toUpperCase()}`);
    else if (/^\d{18}$|^\d{17}[Xx]$/.test(q)) where.push(eq(resident.idNumber, q.toUpperCase()));
    else where.push(like(resident.name, `${q.replace(/[\\%_]/g, '\\$&')}%`));
  }
  return and(...where)!;
}

const SORTS = {
  id: resident.id,
  name: resident.name,
  birthDate: resident.birthDate,
  colour: sql`case ${resident.colour} when 'red' then 2 when 'yellow' then 1 else 0 end`,
};

export async function countResidents(ex: Executor, f: ResidentFilter): Promise<number> {
  const needsHousehold = f.surveyed !== undefined;
  const base = ex.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(resident);
  const [row] = await (needsHousehold
    ? base.innerJoin(household, eq(household.id, resident.householdId)).where(residentWhere(f))
    : base.where(residentWhere(f)));
  return row?.n ?? 0;
}

export async function insertSurvey(ex: Executor, values: typeof survey.$inferInsert) {
  const [row] = await ex.insert(survey).values(values).returning();
  return row!;
}

export async function surveysOf(ex: Executor, householdId: number) {
  return ex.select().from(survey).where(eq(survey.householdId, householdId)).orderBy(desc(survey.at));
}

/**
 * Survey coverage of each child of a region: households known, surveyed at all, surveyed since
 * `since`. One pass over the households of the subtree, grouped by the child they fall under.
 */
export async function surveyCoverage(ex: Executor, parentPath: string, since: Date) {
  const depth = parentPath.split('/').filter(Boolean).length;
  const rows = await ex.execute<{ child_id: number; known: number; surveyed: number; recent: number }>(sql`
    select nullif(split_part(g.path, '/', ${depth + 2}), '')::bigint as child_id,
           count(*)::int as known,
           count(h.last_surveyed_at)::int as surveyed,
           count(*) filter (where h.last_surveyed_at >= ${since})::int as recent
    from ${household} h join ${region} g on g.id = h.grid_id
    where g.path like ${parentPath + '%'} and h.status <> 'moved_out'
    group by 1`);
  return rows.rows;
}

export async function householdsNeedingSurvey(ex: Executor, path: string, staleBefore: Date, limit: number) {
  return ex
    .select({ household, gridName: region.name })
    .from(household)
    .innerJoin(region, eq(region.id, household.gridId))
    .where(
      and(
        like(region.path, `${path}%`),
        sql`${household.status} <> 'moved_out'`,
        or(isNull(household.lastSurveyedAt), lt(household.lastSurveyedAt, staleBefore)),
      ),
    )
    .orderBy(sql`${household.lastSurveyedAt} nulls first`, asc(household.id))
    .limit(limit);
}

/** What the colour rules need of every active resident in a county. */
export async function residentsForRules(ex: Executor, countyCode: string) {
  return ex
    .select({
      id: resident.id,
      householdId: resident.householdId,
      birthDate: resident.birthDate,
      conditions: resident.conditions,
      vaccination: resident.vaccination,
      categories: resident.categories,
      colour: resident.colour,
      colourScore: resident.colourScore,
      colourOverride: resident.colourOverride,
    })
    .from(resident)
    .where(and(eq(resident.countyCode, countyCode), eq(resident.status, 'active')));
}

/** Sets many residents' colour and score in a few statements. */
export async function setColours(
  ex: Executor,
  rows: { id: number; colour: Colour; score: number }[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await ex.execute(sql`
      update ${resident} r set colour = v.colour, colour_score = v.score, updated_at = ${at}
      from (values ${sql.join(
        chunk.map((c) => sql`(${c.id}::bigint, ${c.colour}, ${c.score}::int)`),
        sql`, `,
      )}) as v(id, colour, score)
      where r.id = v.id`);
  }
}

/**
 * One page of an export, in id order after `afterId` (keyset paging: a deep page costs what the
 * first does), with the household and grid a ledger sheet shows.
 */
export async function residentsForExport(ex: Executor, f: ResidentFilter, afterId: number, limit: number) {
  return ex
    .select({
      resident,
      address: household.address,
      houseNumber: household.houseNumber,
      lastSurveyedAt: household.lastSurveyedAt,
      gridName: region.name,
    })
    .from(resident)
    .innerJoin(household, eq(household.id, resident.householdId))
    .innerJoin(region, eq(region.id, resident.gridId))
    .where(and(residentWhere(f), gt(resident.id, afterId)))
    .orderBy(asc(resident.id))
    .limit(limit);
}

/** How far a list's total is counted: beyond it the console shows "10,000+". */
export const COUNT_CAP = 10_000;

/**
 * The total for a list, counted no further than `cap` (+1 to know it was reached): at a million
 * residents a township's count touches ~80 k rows, which alone costs more than the page.
 */
export async function countResidentsCapped(
  ex: Executor,
  f: ResidentFilter,
  cap = COUNT_CAP,
): Promise<{ total: number; capped: boolean }> {
  const base = ex.select({ one: sql`1` }).from(resident);
  const inner = (
    f.surveyed !== undefined
      ? base.innerJoin(household, eq(household.id, resident.householdId)).where(residentWhere(f))
      : base.where(residentWhere(f))
  )
    .limit(cap + 1)
    .as('capped');
  const [row] = await ex.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(inner);
  const n = row?.n ?? 0;
  return { total: Math.min(n, cap), capped: n > cap };
}

/** The household and grid a ledger row shows, joined to a page's residents chosen by id. */
async function pageRows(ex: Executor, ids: SQLWrapper | number[], order: SQL[]) {
  return ex
    .select({
      resident,
      address: household.address,
      lastSurveyedAt: household.lastSurveyedAt,
      gridName: region.name,
    })
    .from(resident)
    .innerJoin(household, eq(household.id, resident.householdId))
    .innerJoin(region, eq(region.id, resident.gridId))
    .where(inArray(resident.id, ids))
    .orderBy(...order);
}

/**
 * The same page as listResidents, with the page's ids chosen from the resident table alone before
 * the household and grid are joined to those few rows: the planner otherwise joins every matching
 * resident to its household before sorting.
 */
export async function listResidentsPage(ex: Executor, f: ResidentFilter) {
  const order = [f.desc ? desc(SORTS[f.sort]) : asc(SORTS[f.sort]), asc(resident.id)];
  const base = ex.select({ id: resident.id }).from(resident);
  const ids = (
    f.surveyed !== undefined
      ? base.innerJoin(household, eq(household.id, resident.householdId)).where(residentWhere(f))
      : base.where(residentWhere(f))
  )
    .orderBy(...order)
    .limit(f.limit)
    .offset(f.offset);
  return pageRows(ex, ids, order);
}

/** Whether a list can be paged by {@link listResidentsByGrid}: active residents in id order. */
export const pagesByGrid = (f: ResidentFilter): boolean =>
  f.sort === 'id' && (f.status ?? 'active') === 'active';

/**
 * A page of active residents in id order, walked grid by grid and colour by colour on the partial
 * (grid_id, colour, id) index: each grid of the scope gives at most `offset + limit` ids after the
 * cursor (`after`, the last id of the previous page: keyset paging, a deep page costs what the
 * first does), and the page is the smallest of those. The scope is still the grids under the path.
 */
export async function listResidentsByGrid(ex: Executor, f: ResidentFilter, after?: number) {
  const colours = f.colour?.length ? f.colour : ['green', 'yellow', 'red'];
  const rest = residentWhere({ ...f, colour: undefined, status: 'all' }, { scoped: false });
  const take = f.offset + f.limit;
  const cursor =
    after === undefined
      ? sql`true`
      : f.desc
        ? sql`${resident.id} < ${after}`
        : sql`${resident.id} > ${after}`;
  const dir = f.desc ? sql`desc` : sql`asc`;
  const joinHousehold =
    f.surveyed !== undefined ? sql`join ${household} on ${household.id} = ${resident.householdId}` : sql``;
  const { rows } = await ex.execute<{ id: string | number }>(sql`
    select x.id from ${region} g
    cross join unnest(${sql.param(colours)}::text[]) c(colour)
    cross join lateral (
      select ${resident.id} as id from ${resident} ${joinHousehold}
      where ${resident.gridId} = g.id and ${resident.colour} = c.colour and ${resident.status} = 'active'
        and ${cursor} and ${rest}
      order by ${resident.id} ${dir} limit ${take}) x
    where g.path like ${f.path + '%'} and g.level = 'grid'
    order by x.id ${dir} limit ${f.limit} offset ${f.offset}`);
  if (rows.length === 0) return [];
  const order = [f.desc ? desc(resident.id) : asc(resident.id)];
  return pageRows(
    ex,
    rows.map((r) => Number(r.id)),
    order,
  );
}
