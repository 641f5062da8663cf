// Use cases of the staff register: members (党员、干部、医生、书记、网格员…) in one's subtree, unique by
// mobile within a county, every change audited; deactivating one ends what they answered for, so their
// residents show up as gaps. Then region-level responsibilities (包联) and grid staffing "1+1+N".
import type { Executor } from '../db/engine.ts';
import { shanghaiDate } from '../ledger/service.ts';
import { maskName } from '../ledger/rules.ts';
import { assertCan, can, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import { findAccount } from '../platform/auth/repo.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { regionInScope } from '../regions/service.ts';
import type { RegionRow } from '../regions/repo.ts';
import * as repo from './repo.ts';
import {
  ONE_PER_GRID,
  REGION_ROLE_LEVEL,
  REGION_ROLES,
  ROLE_NAMES,
  SERVING_LEVELS,
  SERVING_LEVEL_NAMES,
  auditableMember,
  checkDate,
  checkMember,
  endDate,
  levelName,
  roleFitsLevel,
  type MemberFields,
  type RegionRole,
} from './rules.ts';
import type { MemberRole } from './schema.ts';

export interface MemberInput {
  name: string;
  mobile: string;
  roles: MemberRole[];
  regionId: number;
  unitId?: number | null;
  homeRegionId?: number | null;
  capacity?: number | null;
  accountId?: number | null;
}
export type MemberPatch = Partial<MemberInput>;

export type MemberView = ReturnType<typeof memberView>;

function memberView(r: repo.MemberWithNames) {
  const m = r.member;
  return {
    id: m.id,
    name: m.name,
    mobile: m.mobile,
    roles: m.roles as MemberRole[],
    countyCode: m.countyCode,
    regionId: m.regionId,
    regionName: r.regionName,
    regionLevel: r.regionLevel,
    unitId: m.unitId,
    unitName: r.unitName,
    unitPartyOrg: r.unitPartyOrg,
    homeRegionId: m.homeRegionId,
    homeRegionName: r.homeRegionName,
    capacity: m.capacity,
    accountId: m.accountId,
    active: m.active,
    openResponsibilities: r.openResponsibilities,
    updatedAt: m.updatedAt,
  };
}

const presentMember = async (ex: Executor, id: number) => memberView((await repo.memberDetail(ex, id, '/'))!);

export interface MemberQuery {
  regionId?: number;
  role?: MemberRole;
  unitId?: number;
  active?: boolean;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** @throws forbidden | not_found (region outside scope) */
export async function listMembers(ctx: Ctx, actor: Actor, q: MemberQuery) {
  assertCan(actor, 'staff.read');
  const path = q.regionId ? (await regionInScope(ctx.db, actor, q.regionId))?.path : actor.regionPath;
  if (!path) throw notFound();
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const filter: repo.MemberFilter = {
    path,
    role: q.role,
    unitId: q.unitId,
    active: q.active,
    q: q.q,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  const [rows, total] = await Promise.all([
    repo.listMembers(ctx.db, filter),
    repo.countMembers(ctx.db, filter),
  ]);
  return { total, page, pageSize, items: rows.map(memberView) };
}

/**
 * A member with what they answer for now (region-level roles and residents; read-only here).
 * @throws forbidden | not_found
 */
export async function getMember(ctx: Ctx, actor: Actor, id: number) {
  assertCan(actor, 'staff.read');
  if (!(await repo.findMember(ctx.db, id, actor.regionPath))) throw notFound();
  const [view, open] = await Promise.all([
    presentMember(ctx.db, id),
    repo.openResponsibilitiesOf(ctx.db, id),
  ]);
  const fullNames = can(actor, 'pii.reveal');
  return {
    ...view,
    responsibilities: open.map((r) => ({
      id: r.responsibility.id,
      targetType: r.responsibility.targetType,
      targetId: r.responsibility.targetId,
      targetName:
        r.responsibility.targetType === 'region'
          ? r.regionName
          : r.residentName && (fullNames ? r.residentName : maskName(r.residentName)),
      targetLevel: r.regionLevel,
      role: r.responsibility.role,
      fromDate: r.responsibility.fromDate,
      source: r.responsibility.source,
    })),
  };
}

/**
 * Registers a member where they serve, in the county of that region.
 * @throws forbidden | not_found (region, unit, home community or account outside scope) |
 *   validation_failed | staff.mobile_taken | staff.account_linked
 */
export async function createMember(ctx: Ctx, actor: Actor, input: MemberInput): Promise<MemberView> {
  assertCan(actor, 'staff.write');
  const fields = checked(input);
  return ctx.db.transaction(async (tx) => {
    const refs = await resolveRefs(tx, actor, input);
    const row = await persistMember(ctx, tx, actor, undefined, {
      ...fields,
      regionId: refs.region.id,
      countyCode: refs.region.countyCode!,
      unitId: input.unitId ?? null,
      homeRegionId: input.homeRegionId ?? null,
      accountId: input.accountId ?? null,
    });
    return presentMember(tx, row.id);
  });
}

/**
 * Edits a member; null clears the unit, home community, capacity or account.
 * @throws forbidden | not_found | validation_failed | staff.mobile_taken | staff.account_linked
 */
export async function updateMember(
  ctx: Ctx,
  actor: Actor,
  id: number,
  patch: MemberPatch,
): Promise<MemberView> {
  assertCan(actor, 'staff.write');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findMember(tx, id, actor.regionPath);
    if (!before) throw notFound();
    const merged = {
      name: patch.name ?? before.name,
      mobile: patch.mobile ?? before.mobile,
      roles: patch.roles ?? (before.roles as MemberRole[]),
      capacity: patch.capacity === undefined ? before.capacity : patch.capacity,
      regionId: patch.regionId ?? before.regionId,
      unitId: patch.unitId === undefined ? before.unitId : patch.unitId,
      homeRegionId: patch.homeRegionId === undefined ? before.homeRegionId : patch.homeRegionId,
      accountId: patch.accountId === undefined ? before.accountId : patch.accountId,
    };
    const fields = checked(merged);
    // Only what changed is checked against the scope: an unchanged unit above the scope stays valid.
    const refs = await resolveRefs(tx, actor, {
      regionId: merged.regionId,
      unitId: merged.unitId !== before.unitId ? merged.unitId : null,
      homeRegionId: merged.homeRegionId !== before.homeRegionId ? merged.homeRegionId : null,
      accountId: merged.accountId !== before.accountId ? merged.accountId : null,
    });
    await persistMember(ctx, tx, actor, before, {
      ...fields,
      regionId: refs.region.id,
      countyCode: refs.region.countyCode!,
      unitId: merged.unitId,
      homeRegionId: merged.homeRegionId,
      accountId: merged.accountId,
    });
    return presentMember(tx, id);
  });
}

/**
 * Deactivates a member and, in the same transaction, ends every responsibility they hold (to_date =
 * today in Shanghai): the residents they answered for become gaps for pairing to fill.
 * @throws forbidden | not_found
 */
export async function deactivateMember(
  ctx: Ctx,
  actor: Actor,
  id: number,
  reason?: string,
): Promise<{ member: MemberView; ended: number }> {
  assertCan(actor, 'staff.write');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findMember(tx, id, actor.regionPath);
    if (!before) throw notFound();
    const today = shanghaiDate(ctx.clock.now());
    const ended = await repo.endOpenResponsibilitiesOf(tx, id, today);
    if (before.active || ended.length) {
      await repo.updateMember(tx, id, { active: false, updatedAt: ctx.clock.now() });
      await audit(tx, ctx.clock, actor, {
        action: 'member.deactivate',
        targetType: 'member',
        targetId: id,
        regionId: before.regionId,
        reason: reason?.trim() || null,
        before: { active: before.active },
        after: {
          active: false,
          ended: ended.map((r) => ({
            id: r.id,
            role: r.role,
            targetType: r.targetType,
            targetId: r.targetId,
          })),
        },
      });
    }
    return { member: await presentMember(tx, id), ended: ended.length };
  });
}

/**
 * Reactivates a member. Responsibilities ended by the deactivation are not restored. (Their mobile
 * cannot have been taken meanwhile: uniqueness counts deactivated members too.)
 * @throws forbidden | not_found
 */
export async function activateMember(ctx: Ctx, actor: Actor, id: number): Promise<MemberView> {
  assertCan(actor, 'staff.write');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findMember(tx, id, actor.regionPath);
    if (!before) throw notFound();
    if (!before.active) {
      await repo.updateMember(tx, id, { active: true, updatedAt: ctx.clock.now() });
      await audit(tx, ctx.clock, actor, {
        action: 'member.activate',
        targetType: 'member',
        targetId: id,
        regionId: before.regionId,
        before: { active: false },
        after: { active: true },
      });
    }
    return presentMember(tx, id);
  });
}

type MemberValues = MemberFields & {
  regionId: number;
  countyCode: string;
  unitId: number | null;
  homeRegionId: number | null;
  accountId: number | null;
};

/**
 * Writes a checked member (new when `before` is undefined) after the uniqueness checks, and audits
 * it. Shared by the service and the import; the caller has resolved the references.
 * @throws staff.mobile_taken | staff.account_linked
 */
export async function persistMember(
  ctx: Ctx,
  tx: Executor,
  actor: Actor,
  before: (repo.MemberRow & { regionPath: string }) | undefined,
  v: MemberValues,
  reason?: string,
): Promise<repo.MemberRow> {
  // The schema has no unique index on (county, mobile): a lock per number keeps two writers apart.
  await repo.lock(tx, `member.mobile:${v.countyCode}:${v.mobile}`);
  const holder = await repo.findMemberByMobile(tx, v.countyCode, v.mobile);
  if (holder && holder.id !== before?.id)
    throw new DomainError('staff.mobile_taken', { where: whereOf(holder, actor) });
  if (v.accountId !== null && v.accountId !== before?.accountId) {
    await repo.lock(tx, `member.account:${v.accountId}`);
    const linked = await repo.findMemberByAccount(tx, v.accountId);
    if (linked && linked.id !== before?.id)
      throw new DomainError('staff.account_linked', { where: whereOf(linked, actor) });
  }
  const now = ctx.clock.now();
  const row = before
    ? await repo.updateMember(tx, before.id, { ...v, updatedAt: now })
    : await repo.insertMember(tx, { ...v, active: true, createdAt: now, updatedAt: now });
  await audit(tx, ctx.clock, actor, {
    action: before ? 'member.update' : 'member.create',
    targetType: 'member',
    targetId: row.id,
    regionId: row.regionId,
    reason: reason ?? null,
    before: before ? auditableMember(before) : undefined,
    after: auditableMember(row),
  });
  return row;
}

/** Names the member in a conflict only when the actor may see them. */
function whereOf(m: { id: number; name: string; regionPath: string }, actor: Actor): string {
  return m.regionPath.startsWith(actor.regionPath) ? `#${m.id} ${m.name}` : '—';
}

function checked(input: Parameters<typeof checkMember>[0]): MemberFields {
  const r = checkMember(input);
  if (!r.ok) throw invalid(r.errors);
  return r.value;
}

/**
 * The region a member serves (in scope, county level or below), and the other references, each
 * checked to be visible to the actor. Null or undefined references are not looked up.
 * @throws not_found | validation_failed
 */
export async function resolveRefs(
  tx: Executor,
  actor: Actor,
  r: { regionId: number; unitId?: number | null; homeRegionId?: number | null; accountId?: number | null },
): Promise<{ region: RegionRow }> {
  const region = await regionInScope(tx, actor, r.regionId);
  if (!region) throw notFound();
  if (!SERVING_LEVELS.includes(region.level) || !region.countyCode)
    throw invalid([{ path: '/regionId', code: 'region_level', params: { allowed: SERVING_LEVEL_NAMES } }]);
  if (r.unitId != null && !(await repo.findUsableUnit(tx, r.unitId, actor.regionPath))) throw notFound();
  if (r.homeRegionId != null) {
    const home = await regionInScope(tx, actor, r.homeRegionId);
    if (!home) throw notFound();
    if (home.level !== 'village')
      throw invalid([
        { path: '/homeRegionId', code: 'region_level', params: { allowed: levelName('village') } },
      ]);
  }
  if (r.accountId != null && !(await findAccount(tx, r.accountId, actor.regionPath))) throw notFound();
  return { region };
}

// ---------------------------------------------------------------------------------------------------
// Region-level responsibilities and grid staffing

const holderView = (h: { id: number; memberId: number; name: string; mobile: string; fromDate: string }) => ({
  responsibilityId: h.id,
  memberId: h.memberId,
  name: h.name,
  mobile: h.mobile,
  fromDate: h.fromDate,
});

/**
 * "1+1+N" for every grid under a region: its grid leader, grid medical worker and grid members as
 * the open responsibilities say, and which of the leader and the medic is missing.
 * @throws forbidden | not_found
 */
export async function gridStaffing(ctx: Ctx, actor: Actor, regionId: number) {
  assertCan(actor, 'staff.read');
  const node = await regionInScope(ctx.db, actor, regionId);
  if (!node) throw notFound();
  const [grids, holders] = await Promise.all([
    repo.gridsUnder(ctx.db, node.path),
    repo.gridHolders(ctx.db, node.path),
  ]);
  const byGrid = new Map<number, typeof holders>();
  for (const h of holders) byGrid.set(h.gridId, [...(byGrid.get(h.gridId) ?? []), h]);
  const rows = grids.map((g) => {
    const held = byGrid.get(g.id) ?? [];
    const leader = held.find((h) => h.role === 'grid_leader');
    const medic = held.find((h) => h.role === 'grid_medic');
    const missing: RegionRole[] = [];
    if (!leader) missing.push('grid_leader');
    if (!medic) missing.push('grid_medic');
    return {
      ...g,
      leader: leader ? holderView(leader) : null,
      medic: medic ? holderView(medic) : null,
      members: held.filter((h) => h.role === 'grid_member').map(holderView),
      missing,
    };
  });
  return {
    region: { id: node.id, code: node.code, name: node.name, level: node.level },
    summary: {
      grids: rows.length,
      complete: rows.filter((r) => r.missing.length === 0).length,
      withoutLeader: rows.filter((r) => !r.leader).length,
      withoutMedic: rows.filter((r) => !r.medic).length,
    },
    grids: rows,
  };
}

/** The region-level role held on each level above the grids (the county leader, the township cadre…). */
const NODE_ROLE = {
  county: 'county_leader',
  township: 'township_cadre',
  village: 'village_secretary',
} as const satisfies Partial<Record<RegionRow['level'], RegionRole>>;

/**
 * Who answers for the region and each township and village under it — the county leader in charge,
 * the township cadres in charge, the village secretary — and which of them has nobody.
 * @throws forbidden | not_found
 */
export async function nodeResponsibilities(ctx: Ctx, actor: Actor, regionId: number) {
  assertCan(actor, 'staff.read');
  const node = await regionInScope(ctx.db, actor, regionId);
  if (!node) throw notFound();
  const [nodes, holders] = await Promise.all([
    repo.nodesAboveGrids(ctx.db, node.path),
    repo.nodeHolders(ctx.db, node.path),
  ]);
  const byNode = new Map<string, typeof holders>();
  for (const h of holders) {
    const key = `${h.regionId}:${h.role}`;
    byNode.set(key, [...(byNode.get(key) ?? []), h]);
  }
  const rows = nodes.map((n) => {
    const role = NODE_ROLE[n.level as keyof typeof NODE_ROLE];
    const held = byNode.get(`${n.id}:${role}`) ?? [];
    return { ...n, role, holders: held.map(holderView), missing: !held.length };
  });
  return {
    region: { id: node.id, code: node.code, name: node.name, level: node.level },
    summary: { nodes: rows.length, missing: rows.filter((r) => r.missing).length },
    nodes: rows,
  };
}

export interface AssignInput {
  memberId: number;
  regionId: number;
  role: RegionRole;
  /** YYYY-MM-DD; today in Shanghai by default. */
  fromDate?: string;
  reason?: string;
}

const responsibilityView = (r: repo.ResponsibilityRow, memberName: string, targetName: string) => ({
  id: r.id,
  memberId: r.memberId,
  memberName,
  targetType: r.targetType,
  targetId: r.targetId,
  targetName,
  role: r.role,
  fromDate: r.fromDate,
  toDate: r.toDate,
  source: r.source,
  reason: r.reason,
});
export type ResponsibilityView = ReturnType<typeof responsibilityView>;

/**
 * Member M answers for region X in a role held on X's level. A grid has one leader and one medic:
 * a new one ends the previous holder's responsibility the day the new one starts. Assigning what the
 * member already holds changes nothing.
 * @throws forbidden | not_found | validation_failed | staff.role_level | staff.member_inactive |
 *   staff.county_mismatch
 */
export async function assignRegionRole(
  ctx: Ctx,
  actor: Actor,
  input: AssignInput,
): Promise<{ responsibility: ResponsibilityView; ended: ResponsibilityView[] }> {
  assertCan(actor, 'staff.write');
  if (!REGION_ROLES.includes(input.role))
    throw invalid([{ path: '/role', code: 'enum', params: { allowed: REGION_ROLES.join(', ') } }]);
  const badDate = checkDate(input.fromDate, '/fromDate');
  if (badDate) throw invalid([badDate]);
  return ctx.db.transaction(async (tx) => {
    const target = await regionInScope(tx, actor, input.regionId);
    const m = await repo.findMember(tx, input.memberId, actor.regionPath);
    if (!target || !m) throw notFound();
    assertAssignable(input.role, target, m);
    const exclusive = ONE_PER_GRID.has(input.role);
    if (exclusive) await repo.lock(tx, `responsibility:${target.id}:${input.role}`);
    const holders = await repo.openHolders(tx, target.id, input.role);
    const same = holders.find((h) => h.responsibility.memberId === m.id);
    if (same)
      return { responsibility: responsibilityView(same.responsibility, m.name, target.name), ended: [] };
    const fromDate = input.fromDate ?? shanghaiDate(ctx.clock.now());
    const ended: ResponsibilityView[] = [];
    for (const h of exclusive ? holders : []) {
      const row = await repo.setToDate(tx, h.responsibility.id, endDate(h.responsibility.fromDate, fromDate));
      await auditEnd(ctx, tx, actor, row, `由 #${m.id} ${m.name} 接替 / replaced`);
      ended.push(responsibilityView(row, h.memberName, target.name));
    }
    const row = await repo.insertResponsibility(tx, {
      countyCode: target.countyCode!,
      memberId: m.id,
      targetType: 'region',
      targetId: target.id,
      role: input.role,
      fromDate,
      source: 'manual',
      reason: input.reason?.trim() || null,
      createdAt: ctx.clock.now(),
      createdBy: actor.accountId,
    });
    await audit(tx, ctx.clock, actor, {
      action: 'responsibility.assign',
      targetType: 'responsibility',
      targetId: row.id,
      regionId: target.id,
      reason: row.reason,
      after: {
        memberId: m.id,
        role: row.role,
        regionId: target.id,
        fromDate,
        replaced: ended.map((e) => e.id),
      },
    });
    return { responsibility: responsibilityView(row, m.name, target.name), ended };
  });
}

/** The role fits the region's level; the member is active and serves in the region's county. */
function assertAssignable(role: RegionRole, target: RegionRow, m: repo.MemberRow): void {
  if (!roleFitsLevel(role, target.level))
    throw new DomainError('staff.role_level', {
      role: ROLE_NAMES[role],
      level: levelName(REGION_ROLE_LEVEL[role]),
    });
  if (!m.active) throw new DomainError('staff.member_inactive', { name: m.name });
  if (m.countyCode !== target.countyCode)
    throw new DomainError('staff.county_mismatch', { what: { zh: '所选区划', en: 'region' } });
}

/**
 * Ends a region-level responsibility today (never before it started).
 * @throws forbidden | not_found (also for a resident's contact: pairing ends those) |
 *   staff.responsibility_ended
 */
export async function endResponsibility(
  ctx: Ctx,
  actor: Actor,
  id: number,
  reason?: string,
): Promise<ResponsibilityView> {
  assertCan(actor, 'staff.write');
  return ctx.db.transaction(async (tx) => {
    const found = await repo.findRegionResponsibility(tx, id, actor.regionPath);
    if (!found) throw notFound();
    const r = found.responsibility;
    if (r.toDate) throw new DomainError('staff.responsibility_ended', { toDate: r.toDate });
    const row = await repo.setToDate(tx, id, endDate(r.fromDate, shanghaiDate(ctx.clock.now())));
    await auditEnd(ctx, tx, actor, row, reason?.trim() || null);
    return responsibilityView(row, found.memberName, found.regionName);
  });
}

async function auditEnd(
  ctx: Ctx,
  tx: Executor,
  actor: Actor,
  r: repo.ResponsibilityRow,
  reason: string | null,
) {
  await audit(tx, ctx.clock, actor, {
    action: 'responsibility.end',
    targetType: 'responsibility',
    targetId: r.id,
    regionId: r.targetType === 'region' ? r.targetId : null,
    reason,
    before: { toDate: null },
    after: { memberId: r.memberId, role: r.role, toDate: r.toDate },
  });
}
