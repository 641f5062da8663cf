// Work units (单位) and their party organisations (机关党组织), where a party member reports what they
// cannot solve. One sees the units of one's subtree and, read-only, those of the regions above it
// (the county bureaus whose cadres are sent down); one edits only the units of one's subtree.
import type { Executor } from '../db/engine.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound, type FieldError } from '../platform/errors.ts';
import { maskPhone, normalizePhone } from '../platform/identity.ts';
import { regionInScope } from '../regions/service.ts';
import * as repo from './repo.ts';

export interface UnitInput {
  name: string;
  regionId: number;
  parentId?: number | null;
  partyOrgName?: string | null;
  partyOrgContact?: string | null;
  /** A mobile or a landline with its area code (an office phone). */
  partyOrgMobile?: string | null;
}
export type UnitPatch = Partial<Omit<UnitInput, 'regionId'>>;

const unitView = (u: repo.UnitRow, regionName: string, editable: boolean) => ({
  id: u.id,
  name: u.name,
  regionId: u.regionId,
  regionName,
  parentId: u.parentId,
  partyOrgName: u.partyOrgName,
  partyOrgContact: u.partyOrgContact,
  partyOrgMobile: u.partyOrgMobile,
  /** False for a unit of a region above one's scope: usable for members, not editable. */
  editable,
});
export type UnitView = ReturnType<typeof unitView>;

/**
 * Units usable in a region: those of its subtree and of the regions above it, nearest-up first.
 * @throws forbidden | not_found (region outside scope)
 */
export async function listUnits(
  ctx: Ctx,
  actor: Actor,
  q: { regionId?: number; q?: string } = {},
): Promise<UnitView[]> {
  assertCan(actor, 'staff.read');
  const path = q.regionId ? (await regionInScope(ctx.db, actor, q.regionId))?.path : actor.regionPath;
  if (!path) throw notFound();
  const rows = await repo.listUnits(ctx.db, path, q.q);
  return rows.map((r) => unitView(r.unit, r.regionName, r.regionPath.startsWith(actor.regionPath)));
}

/**
 * @throws forbidden | not_found (region or parent unit not visible) | validation_failed |
 *   staff.unit_name_taken
 */
export async function createUnit(ctx: Ctx, actor: Actor, input: UnitInput): Promise<UnitView> {
  assertCan(actor, 'staff.write');
  const fields = checkUnit(input);
  return ctx.db.transaction(async (tx) => {
    const region = await regionInScope(tx, actor, input.regionId);
    if (!region) throw notFound();
    if (input.parentId != null && !(await repo.findUsableUnit(tx, input.parentId, actor.regionPath)))
      throw notFound();
    const row = await insertUnit(ctx, tx, actor, {
      ...fields,
      regionId: region.id,
      parentId: input.parentId ?? null,
    });
    return unitView(row, region.name, true);
  });
}

/**
 * Adds a checked unit under a name free in its region, audited (also used by the member import).
 * @throws staff.unit_name_taken
 */
export async function insertUnit(
  ctx: Ctx,
  tx: Executor,
  actor: Actor,
  v: Omit<repo.UnitRow, 'id' | 'createdAt' | 'updatedAt'>,
  reason?: string,
): Promise<repo.UnitRow> {
  await assertNameFree(tx, v.regionId, v.name);
  const now = ctx.clock.now();
  const row = await repo.insertUnit(tx, { ...v, createdAt: now, updatedAt: now });
  await audit(tx, ctx.clock, actor, {
    action: 'unit.create',
    targetType: 'unit',
    targetId: row.id,
    regionId: row.regionId,
    reason: reason ?? null,
    after: auditable(row),
  });
  return row;
}

/**
 * Renames a unit, moves it under another (never under itself or its sub-units), or changes its
 * party organisation's contact; null clears a field.
 * @throws forbidden | not_found | validation_failed | staff.unit_name_taken | staff.unit_cycle
 */
export async function updateUnit(ctx: Ctx, actor: Actor, id: number, patch: UnitPatch): Promise<UnitView> {
  assertCan(actor, 'staff.write');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findUnit(tx, id, actor.regionPath);
    if (!before) throw notFound();
    const fields = checkUnit({
      name: patch.name ?? before.name,
      partyOrgName: patch.partyOrgName === undefined ? before.partyOrgName : patch.partyOrgName,
      partyOrgContact: patch.partyOrgContact === undefined ? before.partyOrgContact : patch.partyOrgContact,
      partyOrgMobile: patch.partyOrgMobile === undefined ? before.partyOrgMobile : patch.partyOrgMobile,
    });
    const parentId = patch.parentId === undefined ? before.parentId : patch.parentId;
    if (parentId !== null && parentId !== before.parentId) {
      if (!(await repo.findUsableUnit(tx, parentId, actor.regionPath))) throw notFound();
      if ((await repo.unitChain(tx, parentId)).includes(id)) throw new DomainError('staff.unit_cycle');
    }
    if (fields.name !== before.name) await assertNameFree(tx, before.regionId, fields.name);
    const row = await repo.updateUnit(tx, id, { ...fields, parentId, updatedAt: ctx.clock.now() });
    await audit(tx, ctx.clock, actor, {
      action: 'unit.update',
      targetType: 'unit',
      targetId: id,
      regionId: before.regionId,
      before: auditable(before),
      after: auditable(row),
    });
    const region = await regionInScope(tx, actor, row.regionId);
    return unitView(row, region?.name ?? '', true);
  });
}

/** What the audit trail keeps of a unit: the phone masked like every other. */
const auditable = (u: repo.UnitRow) => ({
  name: u.name,
  parentId: u.parentId,
  partyOrgName: u.partyOrgName,
  partyOrgContact: u.partyOrgContact,
  partyOrgMobile: u.partyOrgMobile && maskPhone(u.partyOrgMobile),
});

async function assertNameFree(tx: Executor, regionId: number, name: string): Promise<void> {
  await repo.lock(tx, `unit.name:${regionId}:${name}`);
  if (await repo.findUnitByName(tx, regionId, name)) throw new DomainError('staff.unit_name_taken', { name });
}

/**
 * A unit's own fields, trimmed; the party organisation's phone normalised.
 * @throws validation_failed
 */
export function checkUnit(input: Omit<UnitPatch, 'parentId'>) {
  const errors: FieldError[] = [];
  const text = (s: string | null | undefined) => s?.trim().replace(/\s+/g, ' ') || null;
  const name = text(input.name) ?? '';
  if (!name) errors.push({ path: '/name', code: 'required' });
  else if (name.length > 100) errors.push({ path: '/name', code: 'too_long', params: { max: 100 } });
  let partyOrgMobile = text(input.partyOrgMobile);
  if (partyOrgMobile) {
    const p = normalizePhone(partyOrgMobile);
    if (p.ok) partyOrgMobile = p.phone;
    else errors.push({ path: '/partyOrgMobile', code: p.code, message: p.message });
  }
  if (errors.length) throw invalid(errors);
  return {
    name,
    partyOrgName: text(input.partyOrgName),
    partyOrgContact: text(input.partyOrgContact),
    partyOrgMobile,
  };
}
