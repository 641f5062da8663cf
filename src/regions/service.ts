// Use cases of the region tree (区划与网格): browse within one's subtree, create, rename, move and
// delete nodes with validation, each change audited in its own transaction.
import type { Executor } from '../db/engine.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../db/pg-errors.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import * as repo from './repo.ts';
import {
  LEVEL_NAMES,
  SIGNIFICANT,
  checkCode,
  childLevelOf,
  mayBeRoot,
  maySitUnder,
  nextGridCode,
  parentCodeOf,
} from './rules.ts';
import type { RegionLevel } from './schema.ts';

export interface RegionNode {
  id: number;
  code: string;
  name: string;
  level: RegionLevel;
  parentId: number | null;
  childCount: number;
}

export interface RegionDetail extends RegionNode {
  path: string;
  ancestors: Pick<RegionNode, 'id' | 'code' | 'name' | 'level'>[];
  counts: { townships: number; villages: number; grids: number };
}

const node = (r: repo.RegionWithCount): RegionNode => ({
  id: r.id,
  code: r.code,
  name: r.name,
  level: r.level,
  parentId: r.parentId,
  childCount: r.childCount,
});

/** @throws not_found when the node is missing or outside the actor's subtree. */
export async function getRegion(ctx: Ctx, actor: Actor, id: number): Promise<RegionDetail> {
  assertCan(actor, 'region.read');
  const r = await repo.findById(ctx.db, id, actor.regionPath);
  if (!r) throw notFound();
  const [ancestors, counts] = await Promise.all([
    repo.findAncestors(ctx.db, r.path, actor.regionPath),
    repo.countBelow(ctx.db, r.path),
  ]);
  return {
    ...node(r),
    path: r.path,
    ancestors: ancestors
      .filter((a) => a.id !== r.id)
      .map((a) => ({ id: a.id, code: a.code, name: a.name, level: a.level })),
    counts: { townships: counts.township, villages: counts.village, grids: counts.grid },
  };
}

/** @throws not_found when the node is missing or outside the actor's subtree. */
export async function listChildren(ctx: Ctx, actor: Actor, id: number): Promise<RegionNode[]> {
  assertCan(actor, 'region.read');
  const parent = await repo.findById(ctx.db, id, actor.regionPath);
  if (!parent) throw notFound();
  return (await repo.listChildren(ctx.db, id, actor.regionPath)).map(node);
}

export async function searchRegions(
  ctx: Ctx,
  actor: Actor,
  q: string,
  limit: number,
): Promise<(RegionNode & { trail: string })[]> {
  assertCan(actor, 'region.read');
  if (!q.trim()) return [];
  const hits = await repo.search(ctx.db, actor.regionPath, q, limit);
  const scopeDepth = repo.idsOfPath(actor.regionPath).length;
  const trailIds = (path: string) => repo.idsOfPath(path).slice(Math.max(scopeDepth - 1, 0));
  const names = await repo.namesOf(ctx.db, [...new Set(hits.flatMap((h) => trailIds(h.path)))]);
  return hits.map((h) => ({
    ...node(h),
    trail: trailIds(h.path)
      .map((i) => names.get(i) ?? '')
      .join(' / '),
  }));
}

export interface CreateRegionInput {
  parentId: number | null;
  code?: string;
  name: string;
}

/**
 * Adds a node. The code decides the level and must belong under the parent; a grid's code may be
 * left out and is then the next free number under its village.
 * @throws region.code_invalid | region.parent_mismatch | region.level_invalid | region.code_taken
 *   | region.name_taken | region.root_only | not_found | forbidden | validation_failed
 */
export async function createRegion(ctx: Ctx, actor: Actor, input: CreateRegionInput): Promise<RegionNode> {
  assertCan(actor, 'region.write');
  const name = checkName(input.name);
  return ctx.db.transaction(async (tx) => {
    const parent = input.parentId === null ? null : await repo.findById(tx, input.parentId, actor.regionPath);
    if (input.parentId !== null && !parent) throw notFound();
    if (!parent && actor.role !== 'admin') throw new DomainError('region.root_only');
    const code = input.code?.trim() || (await autoGridCode(tx, parent));
    const checked = checkCode(code);
    if (!checked.ok) throw new DomainError('region.code_invalid', { code, reason: checked.reason });
    if (parent) {
      if (!maySitUnder(checked.level, parent.level)) throw levelError(checked.level, parent.level);
      if (checked.parentCode !== parent.code)
        throw new DomainError('region.parent_mismatch', { code, parent: `${parent.name} ${parent.code}` });
    } else if (!mayBeRoot(checked.level)) {
      throw new DomainError('region.parent_missing', { parent: parentCodeOf(code, checked.level) ?? '' });
    }
    const row = await insertOrExplain(
      tx,
      () =>
        repo.insertRegion(
          tx,
          { code, name, level: checked.level, parent: parent ?? null, countyCode: checked.countyCode },
          ctx.clock.now(),
        ),
      { code, name },
    );
    await audit(tx, ctx.clock, actor, {
      action: 'region.create',
      targetType: 'region',
      targetId: row.id,
      regionId: row.id,
      after: { code, name, level: row.level, parentId: row.parentId },
    });
    return node({ ...row, childCount: 0 });
  });
}

/** @throws not_found | forbidden | region.name_taken | validation_failed */
export async function renameRegion(ctx: Ctx, actor: Actor, id: number, newName: string): Promise<RegionNode> {
  assertCan(actor, 'region.write');
  const name = checkName(newName);
  return ctx.db.transaction(async (tx) => {
    const r = await repo.findById(tx, id, actor.regionPath);
    if (!r) throw notFound();
    if (r.name === name) return node(r);
    await insertOrExplain(tx, () => repo.renameRegion(tx, id, name, ctx.clock.now()), { code: r.code, name });
    await audit(tx, ctx.clock, actor, {
      action: 'region.rename',
      targetType: 'region',
      targetId: id,
      regionId: id,
      before: { name: r.name },
      after: { name },
    });
    return node({ ...r, name });
  });
}

/**
 * Moves a node (with its subtree) under another parent of the right level. A grid gets the next
 * free number under its new village unless a code is given; any other node needs its new code,
 * since its statistics-bureau code names its parent. Descendants' codes follow.
 * @throws not_found | forbidden | region.cycle | region.level_invalid | region.parent_mismatch
 *   | region.code_invalid | region.code_taken | region.name_taken
 */
export async function moveRegion(
  ctx: Ctx,
  actor: Actor,
  id: number,
  input: { parentId: number; code?: string },
): Promise<RegionNode> {
  assertCan(actor, 'region.write');
  return ctx.db.transaction(async (tx) => {
    const r = await repo.findById(tx, id, actor.regionPath);
    const parent = await repo.findById(tx, input.parentId, actor.regionPath);
    // The actor's own root cannot leave their scope.
    if (!r || !parent || r.path === actor.regionPath) throw notFound();
    if (parent.path.startsWith(r.path)) throw new DomainError('region.cycle');
    if (!maySitUnder(r.level, parent.level)) throw levelError(r.level, parent.level);
    if (parent.id === r.parentId && !input.code) return node(r);
    const code =
      input.code?.trim() ||
      (r.level === 'grid' ? nextGridCode(parent.code, await repo.childCodes(tx, parent.id)) : '');
    const checked = checkCode(code);
    if (!checked.ok) throw new DomainError('region.code_invalid', { code, reason: checked.reason });
    if (checked.level !== r.level || checked.parentCode !== parent.code)
      throw new DomainError('region.parent_mismatch', { code, parent: `${parent.name} ${parent.code}` });
    await insertOrExplain(
      tx,
      () => repo.moveSubtree(tx, r, parent, code, SIGNIFICANT[r.level], ctx.clock.now()),
      { code, name: r.name },
    );
    await audit(tx, ctx.clock, actor, {
      action: 'region.move',
      targetType: 'region',
      targetId: id,
      regionId: id,
      before: { parentId: r.parentId, code: r.code },
      after: { parentId: parent.id, code },
    });
    return node({ ...r, parentId: parent.id, code });
  });
}

/**
 * Deletes an empty node: no children, and no accounts or other data attached to it.
 * @throws not_found | forbidden | region.not_empty
 */
export async function deleteRegion(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  assertCan(actor, 'region.write');
  await ctx.db.transaction(async (tx) => {
    const r = await repo.findById(tx, id, actor.regionPath);
    if (!r || r.path === actor.regionPath) throw notFound();
    if (r.childCount > 0) throw new DomainError('region.not_empty', { name: r.name });
    try {
      await tx.transaction(async (sp) => repo.deleteRegion(sp, id));
    } catch (err) {
      // Any table that points at the region (accounts now, households later) keeps it alive.
      if (isForeignKeyViolation(err)) throw new DomainError('region.not_empty', { name: r.name });
      throw err;
    }
    await audit(tx, ctx.clock, actor, {
      action: 'region.delete',
      targetType: 'region',
      targetId: id,
      regionId: r.parentId,
      before: { code: r.code, name: r.name, level: r.level, parentId: r.parentId },
    });
  });
}

/** The scope root an account sees, for "me". */
export async function scopeRoot(ex: Executor, regionId: number): Promise<RegionNode | undefined> {
  const r = await repo.findById(ex, regionId, '/');
  return r && node(r);
}

export function checkName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw invalid([{ path: '/name', code: 'required' }]);
  if (name.length > 50) throw invalid([{ path: '/name', code: 'too_long', params: { max: 50 } }]);
  return name;
}

async function autoGridCode(ex: Executor, parent: repo.RegionRow | null | undefined): Promise<string> {
  if (parent && childLevelOf(parent.level) === 'grid')
    return nextGridCode(parent.code, await repo.childCodes(ex, parent.id));
  throw invalid([{ path: '/code', code: 'required' }]);
}

function levelError(child: RegionLevel, parent: RegionLevel): DomainError {
  return new DomainError('region.level_invalid', {
    child: LEVEL_NAMES[child],
    parent: LEVEL_NAMES[parent],
  });
}

/** Runs a write in a savepoint and turns unique violations into the user's words. */
async function insertOrExplain<T>(
  tx: Executor,
  write: () => Promise<T>,
  what: { code: string; name: string },
): Promise<T> {
  try {
    return await tx.transaction(async () => write());
  } catch (err) {
    if (isUniqueViolation(err, 'region_sibling_name_uq'))
      throw new DomainError('region.name_taken', { name: what.name });
    if (isUniqueViolation(err)) throw new DomainError('region.code_taken', { code: what.code });
    throw err;
  }
}

/** For other features: a region by id if it lies inside the actor's subtree (no capability check). */
export async function regionInScope(
  ex: Executor,
  actor: Actor,
  id: number,
): Promise<repo.RegionRow | undefined> {
  return repo.findById(ex, id, actor.regionPath);
}

/**
 * Where a grid lies, for people: its township's, village's and own names (第一镇 / 东门村 / 第一网格),
 * the last three of its path — every village has a 第一网格. Names of regions are not private.
 */
export async function gridPlace(ex: Executor, gridPath: string): Promise<string[]> {
  const ids = repo.idsOfPath(gridPath).slice(-3);
  const names = await repo.namesOf(ex, ids);
  return ids.map((id) => names.get(id) ?? '');
}
