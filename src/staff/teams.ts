// Service teams (服务小分队、暖心服务队): named groups of members serving a region, one of them the leader
// (队长). Teams are dispatched orders later; here they are formed, renamed, staffed and disbanded.
import type { Executor } from '../db/engine.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { regionInScope } from '../regions/service.ts';
import * as repo from './repo.ts';
import { SERVING_LEVEL_NAMES, SERVING_LEVELS } from './rules.ts';
import type { MemberRole } from './schema.ts';

type TeamMemberRow = Awaited<ReturnType<typeof repo.teamMembers>>[number];

function teamView(t: repo.TeamRow, regionName: string, members: TeamMemberRow[]) {
  const people = members.map((m) => ({
    memberId: m.memberId,
    name: m.name,
    mobile: m.mobile,
    roles: m.roles as MemberRole[],
    leader: m.leader,
    active: m.active,
  }));
  return {
    id: t.id,
    name: t.name,
    regionId: t.regionId,
    regionName,
    active: t.active,
    createdAt: t.createdAt,
    leader: people.find((p) => p.leader) ?? null,
    members: people,
  };
}
export type TeamView = ReturnType<typeof teamView>;

/**
 * The teams of a region's subtree with their members, leader first.
 * @throws forbidden | not_found (region outside scope)
 */
export async function listTeams(
  ctx: Ctx,
  actor: Actor,
  q: { regionId?: number; active?: boolean } = {},
): Promise<TeamView[]> {
  assertCan(actor, 'staff.read');
  const path = q.regionId ? (await regionInScope(ctx.db, actor, q.regionId))?.path : actor.regionPath;
  if (!path) throw notFound();
  const teams = await repo.listTeams(ctx.db, path, q.active);
  const members = await repo.teamMembers(
    ctx.db,
    teams.map((t) => t.team.id),
  );
  return teams.map((t) =>
    teamView(
      t.team,
      t.regionName,
      members.filter((m) => m.teamId === t.team.id),
    ),
  );
}

/**
 * Forms a team in a region, optionally with its first members and leader.
 * @throws forbidden | not_found (region or a member outside scope) | validation_failed |
 *   staff.team_name_taken | staff.member_inactive | staff.county_mismatch
 */
export async function createTeam(
  ctx: Ctx,
  actor: Actor,
  input: { name: string; regionId: number; memberIds?: number[]; leaderId?: number | null },
): Promise<TeamView> {
  assertCan(actor, 'staff.write');
  const name = checkName(input.name);
  return ctx.db.transaction(async (tx) => {
    const region = await regionInScope(tx, actor, input.regionId);
    if (!region) throw notFound();
    if (!SERVING_LEVELS.includes(region.level) || !region.countyCode)
      throw invalid([{ path: '/regionId', code: 'region_level', params: { allowed: SERVING_LEVEL_NAMES } }]);
    await assertNameFree(tx, region.id, name);
    const row = await repo.insertTeam(tx, {
      countyCode: region.countyCode,
      regionId: region.id,
      name,
      active: true,
      createdAt: ctx.clock.now(),
    });
    await audit(tx, ctx.clock, actor, {
      action: 'team.create',
      targetType: 'team',
      targetId: row.id,
      regionId: region.id,
      after: { name, regionId: region.id },
    });
    const ids = [...new Set([...(input.memberIds ?? []), ...(input.leaderId ? [input.leaderId] : [])])];
    for (const memberId of ids)
      await putMember(ctx, tx, actor, row, { memberId, leader: memberId === input.leaderId });
    return present(tx, row.id);
  });
}

/**
 * Renames a team, or disbands it (active false) and forms it again (active true).
 * @throws forbidden | not_found | validation_failed | staff.team_name_taken
 */
export async function updateTeam(
  ctx: Ctx,
  actor: Actor,
  id: number,
  patch: { name?: string; active?: boolean },
): Promise<TeamView> {
  assertCan(actor, 'staff.write');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findTeam(tx, id, actor.regionPath);
    if (!before) throw notFound();
    const name = patch.name === undefined ? before.name : checkName(patch.name);
    const active = patch.active ?? before.active;
    // A team formed again must not clash with one formed meanwhile under its name.
    if (active && (name !== before.name || !before.active))
      await assertNameFree(tx, before.regionId, name, id);
    if (name !== before.name || active !== before.active) {
      await repo.updateTeam(tx, id, { name, active });
      await audit(tx, ctx.clock, actor, {
        action: active === before.active ? 'team.rename' : active ? 'team.activate' : 'team.deactivate',
        targetType: 'team',
        targetId: id,
        regionId: before.regionId,
        before: { name: before.name, active: before.active },
        after: { name, active },
      });
    }
    return present(tx, id);
  });
}

/**
 * Adds a member to a team, or changes whether they lead it; a new leader replaces the old one.
 * @throws forbidden | not_found (team or member) | staff.team_inactive | staff.member_inactive |
 *   staff.county_mismatch
 */
export async function addTeamMember(
  ctx: Ctx,
  actor: Actor,
  teamId: number,
  input: { memberId: number; leader?: boolean },
): Promise<TeamView> {
  assertCan(actor, 'staff.write');
  return ctx.db.transaction(async (tx) => {
    const t = await repo.findTeam(tx, teamId, actor.regionPath);
    if (!t) throw notFound();
    if (!t.active) throw new DomainError('staff.team_inactive', { name: t.name });
    await putMember(ctx, tx, actor, t, { memberId: input.memberId, leader: input.leader ?? false });
    return present(tx, teamId);
  });
}

/**
 * Takes a member off a team.
 * @throws forbidden | not_found (team, or the member is not on it)
 */
export async function removeTeamMember(
  ctx: Ctx,
  actor: Actor,
  teamId: number,
  memberId: number,
): Promise<void> {
  assertCan(actor, 'staff.write');
  await ctx.db.transaction(async (tx) => {
    const t = await repo.findTeam(tx, teamId, actor.regionPath);
    if (!t || !(await repo.deleteTeamMember(tx, teamId, memberId))) throw notFound();
    await audit(tx, ctx.clock, actor, {
      action: 'team.member_remove',
      targetType: 'team',
      targetId: teamId,
      regionId: t.regionId,
      after: { memberId },
    });
  });
}

async function putMember(
  ctx: Ctx,
  tx: Executor,
  actor: Actor,
  t: repo.TeamRow,
  input: { memberId: number; leader: boolean },
): Promise<void> {
  const m = await repo.findMember(tx, input.memberId, actor.regionPath);
  if (!m) throw notFound();
  if (!m.active) throw new DomainError('staff.member_inactive', { name: m.name });
  if (m.countyCode !== t.countyCode)
    throw new DomainError('staff.county_mismatch', { what: { zh: '小分队', en: 'team' } });
  await repo.putTeamMember(tx, t.id, m.id, input.leader);
  await audit(tx, ctx.clock, actor, {
    action: 'team.member_add',
    targetType: 'team',
    targetId: t.id,
    regionId: t.regionId,
    after: { memberId: m.id, name: m.name, leader: input.leader },
  });
}

async function present(ex: Executor, id: number): Promise<TeamView> {
  const t = (await repo.findTeam(ex, id, '/'))!;
  return teamView(t, t.regionName, await repo.teamMembers(ex, [id]));
}

function checkName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw invalid([{ path: '/name', code: 'required' }]);
  if (name.length > 50) throw invalid([{ path: '/name', code: 'too_long', params: { max: 50 } }]);
  return name;
}

/** Two active teams of one region may not share a name (disbanded ones may). */
async function assertNameFree(tx: Executor, regionId: number, name: string, self?: number): Promise<void> {
  await repo.lock(tx, `team.name:${regionId}:${name}`);
  const other = await repo.findActiveTeamByName(tx, regionId, name);
  if (other && other.id !== self) throw new DomainError('staff.team_name_taken', { name });
}
