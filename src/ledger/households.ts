// Households and the door-to-door survey (敲门行动 / 梳网清格): a household page with its members,
// recording a survey, and survey coverage per region with the households still to visit.
import type { Actor } from '../platform/access.ts';
import { assertCan } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { gridPlace, listChildren, regionInScope } from '../regions/service.ts';
import type { Colour } from './colour.ts';
import * as repo from './repo.ts';
import { presentResident } from './service.ts';

/** @throws forbidden | not_found */
export async function getHousehold(ctx: Ctx, actor: Actor, id: number) {
  assertCan(actor, 'ledger.read');
  const hh = await repo.findHousehold(ctx.db, id, actor.regionPath);
  if (!hh) throw notFound();
  const [members, surveys, place] = await Promise.all([
    repo.householdMembers(ctx.db, id),
    repo.surveysOf(ctx.db, id),
    gridPlace(ctx.db, hh.gridPath),
  ]);
  const { gridPath: _p, ...rest } = hh;
  return {
    ...rest,
    place,
    members: members.map((m) => presentResident(m, actor, ctx.clock.now())),
    surveys: surveys.map((s) => ({
      id: s.id,
      at: s.at,
      surveyorName: s.surveyorName,
      membersConfirmed: s.membersConfirmed,
      membersAdded: s.membersAdded,
      membersMovedOut: s.membersMovedOut,
      colour: s.colour,
      note: s.note,
    })),
  };
}

export interface HouseholdPatch {
  address?: string;
  houseNumber?: string | null;
  status?: repo.HouseholdRow['status'];
  note?: string | null;
  gridId?: number;
}

/**
 * Edits a household; moving it to another grid moves its members with it.
 * @throws forbidden | not_found | validation_failed | ledger.household_not_empty
 */
export async function updateHousehold(ctx: Ctx, actor: Actor, id: number, patch: HouseholdPatch) {
  assertCan(actor, 'ledger.write');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findHousehold(tx, id, actor.regionPath);
    if (!before) throw notFound();
    let gridId = before.gridId;
    let countyCode = before.countyCode;
    if (patch.gridId && patch.gridId !== before.gridId) {
      const grid = await regionInScope(tx, actor, patch.gridId);
      if (!grid) throw notFound();
      if (grid.level !== 'grid') throw invalid([{ path: '/gridId', code: 'format' }]);
      gridId = grid.id;
      countyCode = grid.countyCode!;
    }
    const address = patch.address === undefined ? before.address : patch.address.trim().replace(/\s+/g, ' ');
    if (!address) throw invalid([{ path: '/address', code: 'required' }]);
    const members = await repo.householdMembers(tx, id);
    if (patch.status === 'moved_out' && members.some((m) => m.status === 'active'))
      throw new DomainError('ledger.household_not_empty');
    const values = {
      address,
      houseNumber: patch.houseNumber === undefined ? before.houseNumber : patch.houseNumber?.trim() || null,
      status: patch.status ?? before.status,
      note: patch.note === undefined ? before.note : patch.note?.trim() || null,
      gridId,
      countyCode,
      updatedAt: ctx.clock.now(),
    };
    await repo.updateHousehold(tx, id, values);
    if (gridId !== before.gridId) {
      for (const m of members)
        await repo.updateResident(tx, m.id, { gridId, countyCode, updatedAt: ctx.clock.now() });
    }
    await audit(tx, ctx.clock, actor, {
      action: 'household.update',
      targetType: 'household',
      targetId: id,
      regionId: gridId,
      before: {
        address: before.address,
        houseNumber: before.houseNumber,
        status: before.status,
        gridId: before.gridId,
      },
      after: { address: values.address, houseNumber: values.houseNumber, status: values.status, gridId },
    });
    return { ...before, ...values };
  });
}

export interface SurveyInput {
  membersConfirmed: number;
  membersAdded?: number;
  membersMovedOut?: number;
  colour?: Colour | null;
  note?: string | null;
}

/** Records that a household was visited in the survey (who, when, what was confirmed). */
export async function recordSurvey(ctx: Ctx, actor: Actor, householdId: number, input: SurveyInput) {
  assertCan(actor, 'ledger.write');
  return ctx.db.transaction(async (tx) => {
    const hh = await repo.findHousehold(tx, householdId, actor.regionPath);
    if (!hh) throw notFound();
    const at = ctx.clock.now();
    const row = await repo.insertSurvey(tx, {
      countyCode: hh.countyCode,
      householdId,
      at,
      surveyorId: actor.accountId,
      surveyorName: actor.displayName,
      membersConfirmed: input.membersConfirmed,
      membersAdded: input.membersAdded ?? 0,
      membersMovedOut: input.membersMovedOut ?? 0,
      colour: input.colour ?? hh.colour,
      note: input.note?.trim() || null,
    });
    await repo.updateHousehold(tx, householdId, { lastSurveyedAt: at, updatedAt: at });
    await audit(tx, ctx.clock, actor, {
      action: 'household.survey',
      targetType: 'household',
      targetId: householdId,
      regionId: hh.gridId,
      after: { surveyId: row.id, membersConfirmed: row.membersConfirmed, colour: row.colour },
    });
    return row;
  });
}

/**
 * Survey coverage under a region, per child (township, village or grid): households known,
 * surveyed, surveyed within the last `staleDays`; plus the region's own totals.
 * @throws forbidden | not_found
 */
export async function surveyCoverage(ctx: Ctx, actor: Actor, regionId: number, staleDays = 30) {
  assertCan(actor, 'ledger.read');
  const node = await regionInScope(ctx.db, actor, regionId);
  if (!node) throw notFound();
  const since = new Date(ctx.clock.now().getTime() - staleDays * 86_400_000);
  const [rows, children] = await Promise.all([
    repo.surveyCoverage(ctx.db, node.path, since),
    node.level === 'grid' ? Promise.resolve([]) : listChildren(ctx, actor, regionId),
  ]);
  const byChild = new Map(rows.map((r) => [r.child_id === null ? node.id : Number(r.child_id), r]));
  const line = (known = 0, surveyed = 0, recent = 0) => ({
    known,
    surveyed,
    recent,
    coverage: known ? surveyed / known : null,
  });
  const total = rows.reduce((a, r) => ({ k: a.k + r.known, s: a.s + r.surveyed, r: a.r + r.recent }), {
    k: 0,
    s: 0,
    r: 0,
  });
  return {
    region: { id: node.id, name: node.name, level: node.level },
    staleDays,
    total: line(total.k, total.s, total.r),
    children: children.map((c) => {
      const r = byChild.get(c.id);
      return { id: c.id, name: c.name, level: c.level, ...line(r?.known, r?.surveyed, r?.recent) };
    }),
  };
}

/** Households never surveyed or not within `staleDays`, oldest first. */
export async function householdsToSurvey(
  ctx: Ctx,
  actor: Actor,
  regionId: number,
  staleDays = 30,
  limit = 100,
) {
  assertCan(actor, 'ledger.read');
  const node = await regionInScope(ctx.db, actor, regionId);
  if (!node) throw notFound();
  const since = new Date(ctx.clock.now().getTime() - staleDays * 86_400_000);
  const rows = await repo.householdsNeedingSurvey(ctx.db, node.path, since, limit);
  return rows.map((r) => ({ ...r.household, gridName: r.gridName }));
}
