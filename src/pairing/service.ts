// Use cases of pairing (三联系人): propose contacts for every key resident who lacks one, let an
// official confirm all or part, assign by hand, and show coverage, gaps and members' loads —
// the first page a township official sees.
import type { Executor } from '../db/engine.ts';
import { keyCategories, residentInScope, shanghaiDate } from '../ledger/service.ts';
import { birthBounds } from '../ledger/rules.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound, type Lang } from '../platform/errors.ts';
import { regionInScope } from '../regions/service.ts';
import * as repo from './repo.ts';
import { contactRolesOf, proposeContacts, type Candidate, type Gap } from './rules.ts';
import { CONTACT_ROLES, type ContactRole } from './schema.ts';

export interface PairingSettings {
  helpCapacity: number;
  healthCapacity: number;
  livelihoodCapacity: number;
  hotline: string | null;
  keyCategories: string[];
}

export async function settingsOf(ex: Executor, countyCode: string): Promise<PairingSettings> {
  const row = await repo.settingFor(ex, countyCode);
  return {
    helpCapacity: row?.helpCapacity ?? 10,
    healthCapacity: row?.healthCapacity ?? 150,
    livelihoodCapacity: row?.livelihoodCapacity ?? 2000,
    hotline: row?.hotline ?? null,
    keyCategories: row?.keyCategories ?? (await keyCategories(ex, countyCode)),
  };
}

async function keyFilter(ctx: Ctx, ex: Executor, countyCode: string): Promise<repo.KeyFilter> {
  const s = await settingsOf(ex, countyCode);
  return {
    keyCategories: s.keyCategories,
    elderlyBornBy: birthBounds(shanghaiDate(ctx.clock.now()), 65).bornOnOrBefore!,
  };
}

/** A region in scope that lies in one county (coverage above county level sums counties). */
async function countyNode(ex: Executor, actor: Actor, regionId: number) {
  const node = await regionInScope(ex, actor, regionId);
  if (!node) throw notFound();
  if (!node.countyCode) throw new DomainError('pairing.county_only');
  return node as typeof node & { countyCode: string };
}

/**
 * Proposes contacts for every key resident under the region who lacks one; nothing is assigned
 * until an official confirms. Each item says why that member was chosen (or why nobody was).
 * @throws forbidden | not_found | pairing.county_only
 */
export async function proposePairings(ctx: Ctx, actor: Actor, regionId: number) {
  assertCan(actor, 'pairing.write');
  const node = await countyNode(ctx.db, actor, regionId);
  const settings = await settingsOf(ctx.db, node.countyCode);
  const [residents, rows] = await Promise.all([
    repo.keyResidents(ctx.db, node.path, await keyFilter(ctx, ctx.db, node.countyCode)),
    repo.candidates(ctx.db, node.countyCode),
  ]);
  const gaps: Gap[] = [];
  for (const r of residents) {
    const has = { help: r.has_help, health: r.has_health, livelihood: r.has_livelihood };
    for (const role of CONTACT_ROLES) {
      if (!has[role]) {
        gaps.push({
          residentId: r.id,
          householdId: r.household_id,
          gridId: r.grid_id,
          villageId: r.village_id,
          townshipId: r.township_id,
          role,
        });
      }
    }
  }
  const candidates = await toCandidates(ctx.db, rows, settings);
  const proposals = proposeContacts(gaps, candidates);
  const summary = {
    keyResidents: residents.length,
    gaps: gaps.length,
    proposed: proposals.filter((p) => p.memberId !== null).length,
    unfilled: proposals.filter((p) => p.memberId === null).length,
  };
  return ctx.db.transaction(async (tx) => {
    const proposal = await repo.insertProposal(
      tx,
      {
        countyCode: node.countyCode,
        regionId,
        summary,
        createdAt: ctx.clock.now(),
        createdBy: actor.accountId,
      },
      proposals.map((p) => ({
        residentId: p.residentId,
        role: p.role,
        memberId: p.memberId,
        reason: p.reason.zh,
        reasonEn: p.reason.en,
      })),
    );
    await audit(tx, ctx.clock, actor, {
      action: 'pairing.propose',
      targetType: 'pairing_proposal',
      targetId: proposal.id,
      regionId,
      after: summary,
    });
    return { id: proposal.id, ...summary };
  });
}

async function toCandidates(
  ex: Executor,
  rows: repo.CandidateRow[],
  s: PairingSettings,
): Promise<Candidate[]> {
  // A member serving at grid level sits in the grid's village; at village level in that village.
  const parents = await repo.parentsOf(ex, [
    ...new Set(rows.map((r) => r.region_parent).filter((p): p is number => p !== null)),
  ]);
  return rows.map((r) => {
    const villageId =
      r.region_level === 'grid' ? r.region_parent : r.region_level === 'village' ? r.region_id : null;
    const townshipId =
      r.region_level === 'township'
        ? r.region_id
        : villageId === null
          ? null
          : r.region_level === 'grid'
            ? (parents.get(villageId) ?? null)
            : r.region_parent;
    const helpHouseholds = new Set(r.help_households ?? []);
    return {
      memberId: r.id,
      name: r.name,
      fills: contactRolesOf(r.roles),
      villageId,
      townshipId,
      medicOfGrids: r.medic_of ?? [],
      secretaryOfVillages: r.secretary_of ?? [],
      capacity: capacityOf(r.capacity, s),
      load: { help: helpHouseholds.size, health: r.health_load, livelihood: r.livelihood_load },
      helpHouseholds,
    };
  });
}

/** A member's own capacity counts households as a party member; doctors and secretaries use the county's. */
function capacityOf(own: number | null, s: PairingSettings): Record<ContactRole, number> {
  return { help: own ?? s.helpCapacity, health: s.healthCapacity, livelihood: s.livelihoodCapacity };
}

/** @throws forbidden | not_found */
export async function getProposal(ctx: Ctx, actor: Actor, id: number, lang: Lang = 'zh-CN') {
  assertCan(actor, 'pairing.read');
  const found = await repo.findProposal(ctx.db, id, actor.regionPath);
  if (!found) throw notFound();
  const items = await repo.proposalItems(ctx.db, id);
  // Each reason in the reader's language; items proposed before English was kept have only Chinese.
  return {
    ...found.proposal,
    items: items.map(({ reason_en, ...it }) => ({
      ...it,
      reason: lang === 'en' ? (reason_en ?? it.reason) : it.reason,
    })),
  };
}

/**
 * Confirms a proposal whole ('all') or in part (the item ids accepted); the rest is rejected.
 * Residents who got a contact meanwhile are skipped, never doubled.
 * @throws forbidden | not_found | pairing.proposal_closed
 */
export async function confirmProposal(ctx: Ctx, actor: Actor, id: number, accept: 'all' | number[]) {
  assertCan(actor, 'pairing.write');
  return ctx.db.transaction(async (tx) => {
    const found = await repo.findProposal(tx, id, actor.regionPath);
    if (!found) throw notFound();
    if (found.proposal.status !== 'open') throw new DomainError('pairing.proposal_closed');
    await repo.decideItems(tx, id, accept);
    const now = ctx.clock.now();
    const assigned = await repo.applyAccepted(tx, id, now, shanghaiDate(now), actor.accountId);
    await audit(tx, ctx.clock, actor, {
      action: 'pairing.confirm',
      targetType: 'pairing_proposal',
      targetId: id,
      regionId: found.proposal.regionId,
      after: { accepted: accept === 'all' ? 'all' : accept.length, assigned },
    });
    return { assigned };
  });
}

/**
 * Makes a member a resident's contact in a role, ending whoever held it.
 * @throws forbidden | not_found | validation_failed (the member cannot fill the role)
 */
export async function assignContact(
  ctx: Ctx,
  actor: Actor,
  residentId: number,
  input: { role: ContactRole; memberId: number; reason?: string },
) {
  assertCan(actor, 'pairing.write');
  return ctx.db.transaction(async (tx) => {
    const r = await residentInScope(tx, actor, residentId);
    if (!r) throw notFound();
    const [m] = (await repo.candidates(tx, r.countyCode)).filter((c) => c.id === input.memberId);
    if (!m) throw notFound();
    if (!contactRolesOf(m.roles).includes(input.role))
      throw invalid([{ path: '/memberId', code: 'pairing.role', message: ROLE_MISMATCH[input.role] }]);
    const now = ctx.clock.now();
    await repo.endContacts(tx, residentId, input.role, shanghaiDate(now));
    const row = await repo.insertResponsibility(tx, {
      countyCode: r.countyCode,
      memberId: m.id,
      targetType: 'resident',
      targetId: residentId,
      role: input.role,
      fromDate: shanghaiDate(now),
      source: 'manual',
      reason: input.reason?.trim() || null,
      createdAt: now,
      createdBy: actor.accountId,
    });
    await audit(tx, ctx.clock, actor, {
      action: 'pairing.assign',
      targetType: 'resident',
      targetId: residentId,
      regionId: r.gridId,
      reason: input.reason ?? null,
      after: { role: input.role, memberId: m.id, responsibilityId: row.id },
    });
    return { responsibilityId: row.id };
  });
}

const ROLE_MISMATCH: Record<ContactRole, { zh: string; en: string }> = {
  help: { zh: '包联同志须为党员', en: 'The help contact must be a party member' },
  health: {
    zh: '联户医生须为村医、家庭医生或网格医务人员',
    en: 'The health contact must be a doctor or medical worker',
  },
  livelihood: {
    zh: '村长联系人须为村党组织书记或第一书记',
    en: 'The livelihood contact must be a village secretary or first secretary',
  },
};

/**
 * Key residents with all three contacts and those lacking each, for the region and each child.
 * @throws forbidden | not_found | pairing.county_only
 */
export async function coverage(ctx: Ctx, actor: Actor, regionId: number) {
  assertCan(actor, 'pairing.read');
  const node = await countyNode(ctx.db, actor, regionId);
  const bornBy = birthBounds(shanghaiDate(ctx.clock.now()), 65).bornOnOrBefore!;
  let rows = await repo.coverageByChild(ctx.db, node, bornBy);
  if (!rows[0]?.day_ok) {
    // The first read of a day: those who turned 65 since the rollup's day are counted again.
    await repo.alignCoverageDay(ctx.db, bornBy);
    rows = await repo.coverageByChild(ctx.db, node, bornBy);
  }
  const line = (r: repo.CoverageRow) => ({
    key: r.key,
    complete: r.complete,
    lackHelp: r.lack_help,
    lackHealth: r.lack_health,
    lackLivelihood: r.lack_livelihood,
    coverage: r.key ? r.complete / r.key : null,
  });
  // The node's own cells count everyone under it; each child's, those under that child.
  const total = rows.find((r) => r.child_id === null)!;
  return {
    region: { id: node.id, name: node.name, level: node.level },
    total: line(total),
    children: rows
      .filter((r) => r.child_id !== null)
      .map((r) => ({ id: Number(r.child_id), name: r.name!, level: r.level!, ...line(r) })),
  };
}

/** Key residents lacking a contact (one role or any), reddest first. */
export async function gaps(ctx: Ctx, actor: Actor, regionId: number, role: ContactRole | null, limit = 200) {
  assertCan(actor, 'pairing.read');
  const node = await countyNode(ctx.db, actor, regionId);
  const rows = await repo.gapList(
    ctx.db,
    node.path,
    await keyFilter(ctx, ctx.db, node.countyCode),
    role,
    limit,
  );
  return rows.map((r) => ({
    residentId: r.id,
    name: r.name,
    colour: r.colour,
    address: r.address,
    gridName: r.grid_name,
    lacking: CONTACT_ROLES.filter((x) => !r[`has_${x}`]),
  }));
}

/** Members over their capacity, and members who could be contacts but answer for nobody. */
export async function memberLoads(ctx: Ctx, actor: Actor, regionId: number) {
  assertCan(actor, 'pairing.read');
  const node = await countyNode(ctx.db, actor, regionId);
  const s = await settingsOf(ctx.db, node.countyCode);
  const rows = await repo.memberLoads(ctx.db, node.path);
  const view = rows.map((m) => {
    const fills = contactRolesOf(m.roles);
    const load = { help: m.help_households, health: m.health, livelihood: m.livelihood };
    const cap = capacityOf(m.capacity, s);
    return {
      memberId: m.id,
      name: m.name,
      fills,
      load,
      capacity: cap,
      over: fills.filter((f) => load[f] > cap[f]),
      idle: fills.every((f) => load[f] === 0),
    };
  });
  return { overCapacity: view.filter((v) => v.over.length > 0), idle: view.filter((v) => v.idle) };
}

/** A resident's three contacts and the chain of responsibility above them. */
export async function contactsOf(ctx: Ctx, actor: Actor, residentId: number) {
  assertCan(actor, 'pairing.read');
  const r = await residentInScope(ctx.db, actor, residentId);
  if (!r) throw notFound();
  const chain = await repo.chainOf(ctx.db, residentId);
  return {
    contacts: Object.fromEntries(
      CONTACT_ROLES.map((role) => {
        const c = chain.find((x) => x.role === role);
        return [role, c ? { memberId: c.member_id, name: c.name, mobile: c.mobile } : null];
      }),
    ) as Record<ContactRole, { memberId: number; name: string; mobile: string } | null>,
    chain: chain.map((c) => ({
      level: c.level,
      role: c.role,
      memberId: c.member_id,
      name: c.name,
      mobile: c.mobile,
      partyOrg: c.unit_party_org ? { name: c.unit_party_org, mobile: c.unit_party_mobile } : null,
    })),
  };
}

/** @throws forbidden | not_found | pairing.county_only */
export async function getSettings(ctx: Ctx, actor: Actor, regionId: number) {
  assertCan(actor, 'pairing.read');
  const node = await countyNode(ctx.db, actor, regionId);
  return { countyCode: node.countyCode, ...(await settingsOf(ctx.db, node.countyCode)) };
}

/** @throws forbidden | not_found | pairing.county_only */
export async function updateSettings(
  ctx: Ctx,
  actor: Actor,
  regionId: number,
  patch: Partial<PairingSettings>,
) {
  assertCan(actor, 'pairing.write');
  return ctx.db.transaction(async (tx) => {
    const node = await countyNode(tx, actor, regionId);
    const before = await settingsOf(tx, node.countyCode);
    const after = { ...before, ...patch };
    await repo.upsertSetting(tx, { countyCode: node.countyCode, ...after, updatedAt: ctx.clock.now() });
    await audit(tx, ctx.clock, actor, {
      action: 'pairing.settings',
      targetType: 'pairing_setting',
      targetId: node.countyCode,
      regionId,
      before,
      after,
    });
    return { countyCode: node.countyCode, ...after };
  });
}

/** For the service loop: the resident's contacts and the chain above them, unscoped. */
export async function chainForResident(ex: Executor, residentId: number) {
  return repo.chainOf(ex, residentId);
}
