// All SQL of the region tree. Every read takes the caller's scope path and filters by it, so a
// node outside the subtree is simply not found.
import { and, asc, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { region, type RegionLevel } from './schema.ts';

export type RegionRow = typeof region.$inferSelect;
export type RegionWithCount = RegionRow & { childCount: number };

const inScope = (scopePath: string) => like(region.path, `${scopePath}%`);

// Written out in full: inside the subquery drizzle would print region.id unqualified.
const childCount = sql<number>`(select count(*) from region c where c.parent_id = "region"."id")`.mapWith(
  Number,
);

export async function findById(
  ex: Executor,
  id: number,
  scopePath: string,
): Promise<RegionWithCount | undefined> {
  const [row] = await ex
    .select({ ...allColumns, childCount })
    .from(region)
    .where(and(eq(region.id, id), inScope(scopePath)));
  return row;
}

/** Unscoped: for rules that must see the whole tree (unique codes, parents by code). */
export async function findByCode(ex: Executor, code: string): Promise<RegionRow | undefined> {
  const [row] = await ex.select().from(region).where(eq(region.code, code));
  return row;
}

export async function findByCodes(ex: Executor, codes: string[]): Promise<RegionRow[]> {
  if (codes.length === 0) return [];
  return ex.select().from(region).where(inArray(region.code, codes));
}

export async function listChildren(
  ex: Executor,
  parentId: number,
  scopePath: string,
): Promise<RegionWithCount[]> {
  return ex
    .select({ ...allColumns, childCount })
    .from(region)
    .where(and(eq(region.parentId, parentId), inScope(scopePath)))
    .orderBy(asc(region.code));
}

export async function childCodes(ex: Executor, parentId: number): Promise<string[]> {
  const rows = await ex.select({ code: region.code }).from(region).where(eq(region.parentId, parentId));
  return rows.map((r) => r.code);
}

/** The nodes named in a path, root first, keeping only those inside the scope. */
export async function findAncestors(ex: Executor, path: string, scopePath: string): Promise<RegionRow[]> {
  const ids = idsOfPath(path);
  if (ids.length === 0) return [];
  const rows = await ex
    .select()
    .from(region)
    .where(and(inArray(region.id, ids), inScope(scopePath)));
  return rows.sort((a, b) => a.path.length - b.path.length);
}

export async function countBelow(ex: Executor, path: string): Promise<Record<RegionLevel, number>> {
  const rows = await ex
    .select({ level: region.level, n: sql<number>`count(*)`.mapWith(Number) })
    .from(region)
    .where(and(like(region.path, `${path}%`), sql`${region.path} <> ${path}`))
    .groupBy(region.level);
  const counts = { province: 0, city: 0, county: 0, township: 0, village: 0, grid: 0 };
  for (const r of rows) counts[r.level] = r.n;
  return counts;
}

export async function search(
  ex: Executor,
  scopePath: string,
  q: string,
  limit: number,
): Promise<RegionWithCount[]> {
  const text = q.trim();
  const match = /^\d+$/.test(text)
    ? like(region.code, `${text}%`)
    : or(like(region.name, `%${escapeLike(text)}%`), like(region.code, `${text}%`));
  return ex
    .select({ ...allColumns, childCount })
    .from(region)
    .where(and(inScope(scopePath), match))
    .orderBy(sql`length(${region.path})`, asc(region.code))
    .limit(limit);
}

/** Names of the nodes with these ids, for building trails. */
export async function namesOf(ex: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .select({ id: region.id, name: region.name })
    .from(region)
    .where(inArray(region.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface NewRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parent: Pick<RegionRow, 'id' | 'path'> | null;
  countyCode: string | null;
}

export async function insertRegion(ex: Executor, n: NewRegion, at: Date): Promise<RegionRow> {
  const [{ id }] = (
    await ex.execute<{ id: number }>(
      sql`select nextval(pg_get_serial_sequence('region', 'id'))::bigint as id`,
    )
  ).rows as [{ id: number }];
  const path = `${n.parent?.path ?? '/'}${id}/`;
  const [row] = await ex
    .insert(region)
    .values({
      id,
      code: n.code,
      name: n.name,
      level: n.level,
      parentId: n.parent?.id ?? null,
      path,
      countyCode: n.countyCode,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row!;
}

export async function renameRegion(ex: Executor, id: number, name: string, at: Date): Promise<void> {
  await ex.update(region).set({ name, updatedAt: at }).where(eq(region.id, id));
}

/**
 * Moves a node and its whole subtree: the paths take the new parent's prefix, and the codes
 * take the moved node's new leading digits (`significant` of them).
 */
export async function moveSubtree(
  ex: Executor,
  node: Pick<RegionRow, 'id' | 'path' | 'code'>,
  newParent: Pick<RegionRow, 'id' | 'path'>,
  newCode: string,
  significant: number,
  at: Date,
): Promise<void> {
  const newPath = `${newParent.path}${node.id}/`;
  const code = sql`${newCode.slice(0, significant)} || substr(code, ${significant + 1})`;
  await ex.execute(sql`
    update ${region} set
      path = ${newPath} || substr(path, ${node.path.length + 1}),
      code = ${code},
      county_code = case when level in ('province', 'city') then null else substr(${code}, 1, 6) end,
      parent_id = case when id = ${node.id} then ${newParent.id}::bigint else parent_id end,
      updated_at = ${at}
    where path like ${node.path + '%'}`);
}

export async function deleteRegion(ex: Executor, id: number): Promise<void> {
  await ex.delete(region).where(eq(region.id, id));
}

export function idsOfPath(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const allColumns = {
  id: region.id,
  code: region.code,
  name: region.name,
  level: region.level,
  parentId: region.parentId,
  path: region.path,
  countyCode: region.countyCode,
  createdAt: region.createdAt,
  updatedAt: region.updatedAt,
};

export interface TreeRow {
  code: string;
  name: string;
  level: RegionLevel;
  countyCode: string | null;
  /** Parent by code: an existing region, or one earlier in the same batch. */
  parentCode: string | null;
}

/**
 * Inserts many nodes at once, parents before children, in chunks. Ids are drawn from the
 * sequence first so each path can be built without a round trip per row.
 */
export async function insertTree(ex: Executor, rows: TreeRow[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const parentCodes = [...new Set(rows.map((r) => r.parentCode).filter((c): c is string => c !== null))];
  const known = new Map(
    (await findByCodes(ex, parentCodes)).map((r) => [r.code, { id: r.id, path: r.path }]),
  );
  const ids = (
    await ex.execute<{ id: number }>(
      sql`select nextval(pg_get_serial_sequence('region', 'id'))::bigint as id from generate_series(1, ${rows.length})`,
    )
  ).rows.map((r) => Number(r.id));
  const values = rows.map((r, i) => {
    const parent = r.parentCode === null ? null : known.get(r.parentCode);
    if (r.parentCode !== null && !parent) throw new Error(`Parent ${r.parentCode} of ${r.code} is not known`);
    const id = ids[i]!;
    const path = `${parent?.path ?? '/'}${id}/`;
    known.set(r.code, { id, path });
    return {
      id,
      code: r.code,
      name: r.name,
      level: r.level,
      parentId: parent?.id ?? null,
      path,
      countyCode: r.countyCode,
      createdAt: at,
      updatedAt: at,
    };
  });
  for (let i = 0; i < values.length; i += 1000) await ex.insert(region).values(values.slice(i, i + 1000));
  return values.length;
}

export async function countRegions(ex: Executor): Promise<number> {
  const [row] = await ex.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(region);
  return row?.n ?? 0;
}
