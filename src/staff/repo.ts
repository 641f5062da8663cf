// All SQL of the staff register. Reads take the caller's scope path: a member, team or region-level
// responsibility is in scope when its region is; a unit outside it is not found.
import { and, asc, eq, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/engine.ts';
import { resident } from '../ledger/schema.ts';
import { region } from '../regions/schema.ts';
import { member, responsibility, team, teamMember, unit } from './schema.ts';

export type MemberRow = typeof member.$inferSelect;
export type UnitRow = typeof unit.$inferSelect;
export type TeamRow = typeof team.$inferSelect;
export type ResponsibilityRow = typeof responsibility.$inferSelect;

const home = alias(region, 'home_region');
const under = (path: string) => like(region.path, `${path}%`);
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Serialises writers on one key (a county's mobile, a grid's leader) until the transaction ends. */
export async function lock(ex: Executor, key: string): Promise<void> {
  await ex.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

// ---------------------------------------------------------------------------------------------------
// Members

export async function findMember(ex: Executor, id: number, scopePath: string) {
  const [row] = await ex
    .select({ member, regionPath: region.path })
    .from(member)
    .innerJoin(region, eq(region.id, member.regionId))
    .where(and(eq(member.id, id), under(scopePath)));
  return row && { ...row.member, regionPath: row.regionPath };
}

/** Unscoped: one member per mobile in a county, wherever in the county they serve. */
export async function findMemberByMobile(ex: Executor, countyCode: string, mobile: string) {
  const [row] = await ex
    .select({ member, regionPath: region.path })
    .from(member)
    .innerJoin(region, eq(region.id, member.regionId))
    .where(and(eq(member.countyCode, countyCode), eq(member.mobile, mobile)));
  return row && { ...row.member, regionPath: row.regionPath };
}

/** Unscoped: one member per account. */
export async function findMemberByAccount(ex: Executor, accountId: number) {
  const [row] = await ex
    .select({ member, regionPath: region.path })
    .from(member)
    .innerJoin(region, eq(region.id, member.regionId))
    .where(eq(member.accountId, accountId));
  return row && { ...row.member, regionPath: row.regionPath };
}

export async function insertMember(ex: Executor, values: typeof member.$inferInsert): Promise<MemberRow> {
  const [row] = await ex.insert(member).values(values).returning();
  return row!;
}

export async function updateMember(
  ex: Executor,
  id: number,
  values: Partial<typeof member.$inferInsert>,
): Promise<MemberRow> {
  const [row] = await ex.update(member).set(values).where(eq(member.id, id)).returning();
  return row!;
}

export interface MemberFilter {
  /** The subtree to list (already checked to be inside the caller's scope). */
  path: string;
  role?: string;
  unitId?: number;
  active?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

function memberWhere(f: MemberFilter): SQL {
  const where: (SQL | undefined)[] = [under(f.path)];
  if (f.role) where.push(sql`${member.roles} @> array[${f.role}]::text[]`);
  if (f.unitId !== undefined) where.push(eq(member.unitId, f.unitId));
  if (f.active !== undefined) where.push(eq(member.active, f.active));
  const q = f.q?.trim();
  if (q) {
    where.push(
      /^\d{3,11}$/.test(q)
        ? like(member.mobile, `%${q}%`)
        : like(member.name, `%${escapeLike(q.replace(/\s+/g, ' '))}%`),
    );
  }
  return and(...where)!;
}

const openCount = sql<number>`(select count(*) from responsibility r
  where r.member_id = "member"."id" and r.to_date is null)`.mapWith(Number);

const memberColumns = {
  member,
  regionName: region.name,
  regionLevel: region.level,
  unitName: unit.name,
  unitPartyOrg: unit.partyOrgName,
  homeRegionName: home.name,
  openResponsibilities: openCount,
};

/** Members with their region, unit and home community by name, and how much they answer for. */
const membersWithNames = (ex: Executor) =>
  ex
    .select(memberColumns)
    .from(member)
    .innerJoin(region, eq(region.id, member.regionId))
    .leftJoin(unit, eq(unit.id, member.unitId))
    .leftJoin(home, eq(home.id, member.homeRegionId));

export type MemberWithNames = NonNullable<Awaited<ReturnType<typeof memberDetail>>>;

export async function listMembers(ex: Executor, f: MemberFilter) {
  return membersWithNames(ex)
    .where(memberWhere(f))
    .orderBy(asc(member.name), asc(member.id))
    .limit(f.limit)
    .offset(f.offset);
}

export async function countMembers(ex: Executor, f: MemberFilter): Promise<number> {
  const [row] = await ex
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(member)
    .innerJoin(region, eq(region.id, member.regionId))
    .where(memberWhere(f));
  return row?.n ?? 0;
}

export async function memberDetail(ex: Executor, id: number, scopePath: string) {
  const [row] = await membersWithNames(ex).where(and(eq(member.id, id), under(scopePath)));
  return row;
}

// ---------------------------------------------------------------------------------------------------
// Responsibilities (包联)

/** A member's open responsibilities with what they are for: a region's or a resident's name. */
export async function openResponsibilitiesOf(ex: Executor, memberId: number) {
  const target = alias(region, 'target_region');
  return ex
    .select({
      responsibility,
      regionName: target.name,
      regionLevel: target.level,
      residentName: resident.name,
    })
    .from(responsibility)
    .leftJoin(target, and(eq(responsibility.targetType, 'region'), eq(target.id, responsibility.targetId)))
    .leftJoin(
      resident,
      and(eq(responsibility.targetType, 'resident'), eq(resident.id, responsibility.targetId)),
    )
    .where(and(eq(responsibility.memberId, memberId), isNull(responsibility.toDate)))
    .orderBy(asc(responsibility.targetType), asc(responsibility.role), asc(responsibility.id));
}

/** Ends every open responsibility of a member (never before it started); returns the ended rows. */
export async function endOpenResponsibilitiesOf(ex: Executor, memberId: number, today: string) {
  return ex
    .update(responsibility)
    .set({ toDate: sql`greatest(${responsibility.fromDate}, ${today}::date)` })
    .where(and(eq(responsibility.memberId, memberId), isNull(responsibility.toDate)))
    .returning();
}

export async function insertResponsibility(
  ex: Executor,
  values: typeof responsibility.$inferInsert,
): Promise<ResponsibilityRow> {
  const [row] = await ex.insert(responsibility).values(values).returning();
  return row!;
}

/** A region-level responsibility whose region lies in the scope (resident ones are pairing's). */
export async function findRegionResponsibility(ex: Executor, id: number, scopePath: string) {
  const [row] = await ex
    .select({ responsibility, regionName: region.name, memberName: member.name })
    .from(responsibility)
    .innerJoin(region, eq(region.id, responsibility.targetId))
    .innerJoin(member, eq(member.id, responsibility.memberId))
    .where(and(eq(responsibility.id, id), eq(responsibility.targetType, 'region'), under(scopePath)));
  return row;
}

/** Who holds a role for a region now, with their names. */
export async function openHolders(ex: Executor, regionId: number, role: string) {
  return ex
    .select({ responsibility, memberName: member.name })
    .from(responsibility)
    .innerJoin(member, eq(member.id, responsibility.memberId))
    .where(
      and(
        eq(responsibility.targetType, 'region'),
        eq(responsibility.targetId, regionId),
        eq(responsibility.role, role as ResponsibilityRow['role']),
        isNull(responsibility.toDate),
      ),
    );
}

export async function setToDate(ex: Executor, id: number, toDate: string): Promise<ResponsibilityRow> {
  const [row] = await ex.update(responsibility).set({ toDate }).where(eq(responsibility.id, id)).returning();
  return row!;
}

/** The grids under a path (a grid's own path included), with their village's name. */
export async function gridsUnder(ex: Executor, path: string) {
  const village = alias(region, 'village');
  return ex
    .select({
      id: region.id,
      code: region.code,
      name: region.name,
      villageId: village.id,
      villageName: village.name,
    })
    .from(region)
    .leftJoin(village, eq(village.id, region.parentId))
    .where(and(under(path), eq(region.level, 'grid')))
    .orderBy(asc(region.code));
}

/** Open grid_leader / grid_medic / grid_member responsibilities on the grids under a path. */
export async function gridHolders(ex: Executor, path: string) {
  return ex
    .select({
      id: responsibility.id,
      gridId: responsibility.targetId,
      role: responsibility.role,
      fromDate: responsibility.fromDate,
      memberId: member.id,
      name: member.name,
      mobile: member.mobile,
      active: member.active,
    })
    .from(responsibility)
    .innerJoin(member, eq(member.id, responsibility.memberId))
    .innerJoin(region, eq(region.id, responsibility.targetId))
    .where(
      and(
        eq(responsibility.targetType, 'region'),
        inArray(responsibility.role, ['grid_leader', 'grid_medic', 'grid_member']),
        isNull(responsibility.toDate),
        under(path),
        eq(region.level, 'grid'),
      ),
    )
    .orderBy(asc(responsibility.fromDate), asc(responsibility.id));
}

/** The county, township and village nodes under a path (its own node included), tree order. */
export async function nodesAboveGrids(ex: Executor, path: string) {
  return ex
    .select({
      id: region.id,
      code: region.code,
      name: region.name,
      level: region.level,
      parentId: region.parentId,
    })
    .from(region)
    .where(and(under(path), inArray(region.level, ['county', 'township', 'village'])))
    .orderBy(asc(region.path));
}

/** Open county_leader / township_cadre / village_secretary responsibilities on the nodes under a path. */
export async function nodeHolders(ex: Executor, path: string) {
  return ex
    .select({
      id: responsibility.id,
      regionId: responsibility.targetId,
      role: responsibility.role,
      fromDate: responsibility.fromDate,
      memberId: member.id,
      name: member.name,
      mobile: member.mobile,
    })
    .from(responsibility)
    .innerJoin(member, eq(member.id, responsibility.memberId))
    .innerJoin(region, eq(region.id, responsibility.targetId))
    .where(
      and(
        eq(responsibility.targetType, 'region'),
        inArray(responsibility.role, ['county_leader', 'township_cadre', 'village_secretary']),
        isNull(responsibility.toDate),
        under(path),
      ),
    )
    .orderBy(asc(responsibility.fromDate), asc(responsibility.id));
}

// ---------------------------------------------------------------------------------------------------
// Units

/** Units a node may use: those of the node's subtree and of the regions above it (county bureaus). */
const usableFrom = (path: string) => or(under(path), sql`${path} like ${region.path} || '%'`)!;

export async function findUnit(ex: Executor, id: number, scopePath: string) {
  const [row] = await ex
    .select({ unit, regionPath: region.path })
    .from(unit)
    .innerJoin(region, eq(region.id, unit.regionId))
    .where(and(eq(unit.id, id), under(scopePath)));
  return row && { ...row.unit, regionPath: row.regionPath };
}

/** A unit in the subtree or above it: what a member serving there may belong to. */
export async function findUsableUnit(ex: Executor, id: number, path: string) {
  const [row] = await ex
    .select({ unit, regionPath: region.path })
    .from(unit)
    .innerJoin(region, eq(region.id, unit.regionId))
    .where(and(eq(unit.id, id), usableFrom(path)));
  return row && { ...row.unit, regionPath: row.regionPath };
}

export async function listUnits(ex: Executor, path: string, q?: string) {
  const where = [usableFrom(path)];
  if (q?.trim()) where.push(like(unit.name, `%${escapeLike(q.trim())}%`));
  return ex
    .select({ unit, regionName: region.name, regionPath: region.path })
    .from(unit)
    .innerJoin(region, eq(region.id, unit.regionId))
    .where(and(...where))
    .orderBy(sql`length(${region.path})`, asc(unit.name), asc(unit.id));
}

export async function findUnitByName(ex: Executor, regionId: number, name: string) {
  const [row] = await ex
    .select()
    .from(unit)
    .where(and(eq(unit.regionId, regionId), eq(unit.name, name)));
  return row;
}

/** The ids of a unit and every unit above it (for refusing cycles). */
export async function unitChain(ex: Executor, id: number): Promise<number[]> {
  const res = await ex.execute<{ id: number }>(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from ${unit} where id = ${id}
      union all
      select u.id, u.parent_id, up.depth + 1 from ${unit} u join up on u.id = up.parent_id where up.depth < 100)
    select id from up`);
  return res.rows.map((r) => Number(r.id));
}

export async function insertUnit(ex: Executor, values: typeof unit.$inferInsert): Promise<UnitRow> {
  const [row] = await ex.insert(unit).values(values).returning();
  return row!;
}

export async function updateUnit(ex: Executor, id: number, values: Partial<typeof unit.$inferInsert>) {
  const [row] = await ex.update(unit).set(values).where(eq(unit.id, id)).returning();
  return row!;
}

// ---------------------------------------------------------------------------------------------------
// Teams

export async function findTeam(ex: Executor, id: number, scopePath: string) {
  const [row] = await ex
    .select({ team, regionName: region.name, regionPath: region.path })
    .from(team)
    .innerJoin(region, eq(region.id, team.regionId))
    .where(and(eq(team.id, id), under(scopePath)));
  return row && { ...row.team, regionName: row.regionName, regionPath: row.regionPath };
}

export async function listTeams(ex: Executor, path: string, active?: boolean) {
  return ex
    .select({ team, regionName: region.name })
    .from(team)
    .innerJoin(region, eq(region.id, team.regionId))
    .where(and(under(path), active === undefined ? undefined : eq(team.active, active)))
    .orderBy(sql`length(${region.path})`, asc(team.name), asc(team.id));
}

export async function findActiveTeamByName(ex: Executor, regionId: number, name: string) {
  const [row] = await ex
    .select()
    .from(team)
    .where(and(eq(team.regionId, regionId), eq(team.name, name), eq(team.active, true)));
  return row;
}

export async function teamMembers(ex: Executor, teamIds: number[]) {
  if (teamIds.length === 0) return [];
  return ex
    .select({
      teamId: teamMember.teamId,
      leader: teamMember.leader,
      memberId: member.id,
      name: member.name,
      mobile: member.mobile,
      roles: member.roles,
      active: member.active,
    })
    .from(teamMember)
    .innerJoin(member, eq(member.id, teamMember.memberId))
    .where(inArray(teamMember.teamId, teamIds))
    .orderBy(sql`${teamMember.leader} desc`, asc(member.name), asc(member.id));
}

export async function insertTeam(ex: Executor, values: typeof team.$inferInsert): Promise<TeamRow> {
  const [row] = await ex.insert(team).values(values).returning();
  return row!;
}

export async function updateTeam(ex: Executor, id: number, values: Partial<typeof team.$inferInsert>) {
  await ex.update(team).set(values).where(eq(team.id, id));
}

/** Adds a member to a team or changes their leader flag; a new leader replaces the old one. */
export async function putTeamMember(ex: Executor, teamId: number, memberId: number, leader: boolean) {
  if (leader) await ex.update(teamMember).set({ leader: false }).where(eq(teamMember.teamId, teamId));
  await ex
    .insert(teamMember)
    .values({ teamId, memberId, leader })
    .onConflictDoUpdate({ target: [teamMember.teamId, teamMember.memberId], set: { leader } });
}

export async function deleteTeamMember(ex: Executor, teamId: number, memberId: number): Promise<boolean> {
  const rows = await ex
    .delete(teamMember)
    .where(and(eq(teamMember.teamId, teamId), eq(teamMember.memberId, memberId)))
    .returning();
  return rows.length > 0;
}
