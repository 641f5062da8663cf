// The region tree's use cases on a real database: validation, scope, audit in the same transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvent } from '../platform/audit/schema.ts';
import { DomainError } from '../platform/errors.ts';
import type { Actor } from '../platform/access.ts';
import { makeAccount, makeCounty, testWorld, type County } from '../../test/helpers/world.ts';
import * as regions from './service.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let official: Actor;
let townOfficial: Actor;

const actorAt = async (role: Actor['role'], r: { id: number; path: string }): Promise<Actor> => {
  const a = await makeAccount(t.ctx, role, r);
  return {
    accountId: a.id,
    username: a.username,
    displayName: a.displayName,
    role,
    regionId: r.id,
    regionPath: r.path,
  };
};

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
};

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 2, gridsPer: 2 });
  official = await actorAt('official', c.county);
  townOfficial = await actorAt('official', c.townships[0]!.township);
});
afterAll(() => t.close());

describe('browsing', () => {
  it('a region shows its ancestors within scope and counts below it', async () => {
    const v = c.townships[0]!.villages[0]!.village;
    const d = await regions.getRegion(t.ctx, townOfficial, v.id);
    expect(d.ancestors.map((a) => a.name)).toEqual([c.townships[0]!.township.name]);
    expect(d.counts).toEqual({ townships: 0, villages: 0, grids: 2 });
    const top = await regions.getRegion(t.ctx, official, c.county.id);
    expect(top.counts).toEqual({ townships: 2, villages: 4, grids: 8 });
    expect(top.childCount).toBe(2);
  });

  it("another township's nodes are not found", async () => {
    const other = c.townships[1]!.villages[0]!.village;
    expect(await codeOf(regions.getRegion(t.ctx, townOfficial, other.id))).toBe('not_found');
    expect(await codeOf(regions.listChildren(t.ctx, townOfficial, c.county.id))).toBe('not_found');
    const hits = await regions.searchRegions(t.ctx, townOfficial, '村', 50);
    expect(hits.map((h) => h.id).sort()).toEqual(c.townships[0]!.villages.map((v) => v.village.id).sort());
  });

  it('search by code prefix gives the trail from the scope down', async () => {
    const g = c.townships[0]!.villages[1]!.grids[1]!;
    const [hit] = await regions.searchRegions(t.ctx, townOfficial, g.code, 5);
    expect(hit?.trail).toBe(
      `${c.townships[0]!.township.name} / ${c.townships[0]!.villages[1]!.village.name} / ${g.name}`,
    );
  });
});

describe('changing the tree', () => {
  it('creates a grid with the next free code and audits it', async () => {
    const v = c.townships[0]!.villages[0]!.village;
    const g = await regions.createRegion(t.ctx, townOfficial, { parentId: v.id, name: '新建网格' });
    expect(g).toMatchObject({ level: 'grid', code: `${v.code}003`, parentId: v.id });
    const rows = await t.ctx.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.targetId, String(g.id)));
    expect(rows).toMatchObject([
      { action: 'region.create', actorId: townOfficial.accountId, regionId: g.id },
    ]);
  });

  it.each([
    ['a malformed code', { code: '34082810020X' }, 'region.code_invalid'],
    ['a code under another county', { code: '999999999999' }, 'region.parent_mismatch'],
    ['a village code of a sibling township', { codeFrom: 'sibling' }, 'region.parent_mismatch'],
    ['a taken code', { codeFrom: 'existing' }, 'region.code_taken'],
    ['a sibling name', { name: '1镇2村' }, 'region.name_taken'],
    ['an empty name', { name: '   ' }, 'validation_failed'],
  ])(
    'rejects %s and changes nothing',
    async (_what, over: { code?: string; codeFrom?: string; name?: string }, code) => {
      const tw = c.townships[0]!;
      const before = await t.ctx.db.select().from(auditEvent);
      const codeValue =
        over.codeFrom === 'sibling'
          ? `${c.townships[1]!.township.code.slice(0, 9)}299`
          : over.codeFrom === 'existing'
            ? tw.villages[0]!.village.code
            : (over.code ?? `${tw.township.code.slice(0, 9)}288`);
      const result = await codeOf(
        regions.createRegion(t.ctx, townOfficial, {
          parentId: tw.township.id,
          code: codeValue,
          name: over.name ?? '新村',
        }),
      );
      expect(result).toBe(code);
      expect(await t.ctx.db.select().from(auditEvent)).toHaveLength(before.length);
    },
  );

  it('a grid official may not write regions; a township official may not touch a sibling', async () => {
    const gl = await actorAt('grid_leader', c.townships[0]!.villages[0]!.grids[0]!);
    expect(await codeOf(regions.renameRegion(t.ctx, gl, gl.regionId, 'x'))).toBe('forbidden');
    const sibling = c.townships[1]!.villages[0]!.village;
    expect(await codeOf(regions.renameRegion(t.ctx, townOfficial, sibling.id, 'x'))).toBe('not_found');
    expect(await codeOf(regions.deleteRegion(t.ctx, townOfficial, townOfficial.regionId))).toBe('not_found');
  });

  it('moves a village to another township with its grids, codes and paths following', async () => {
    const v = c.townships[0]!.villages[1]!;
    const target = c.townships[1]!.township;
    const newCode = `${target.code.slice(0, 9)}250`;
    await regions.moveRegion(t.ctx, official, v.village.id, { parentId: target.id, code: newCode });
    const kids = await regions.listChildren(t.ctx, official, v.village.id);
    expect(kids.map((k) => k.code)).toEqual([`${newCode}001`, `${newCode}002`]);
    const d = await regions.getRegion(t.ctx, official, kids[0]!.id);
    expect(d.ancestors.map((a) => a.id)).toEqual([c.county.id, target.id, v.village.id]);
    // The first township's official no longer sees it.
    expect(await codeOf(regions.getRegion(t.ctx, townOfficial, v.village.id))).toBe('not_found');
  });

  it('refuses to move a node under its own descendant', async () => {
    const tw = c.townships[1]!;
    expect(
      await codeOf(
        regions.moveRegion(t.ctx, official, tw.township.id, { parentId: tw.villages[0]!.village.id }),
      ),
    ).toBe('region.cycle');
  });

  it('deletes an empty grid but not a village with grids or a grid with an account', async () => {
    const v = c.townships[1]!.villages[0]!;
    expect(await codeOf(regions.deleteRegion(t.ctx, official, v.village.id))).toBe('region.not_empty');
    await makeAccount(t.ctx, 'grid_member', v.grids[0]!);
    expect(await codeOf(regions.deleteRegion(t.ctx, official, v.grids[0]!.id))).toBe('region.not_empty');
    await regions.deleteRegion(t.ctx, official, v.grids[1]!.id);
    expect(await codeOf(regions.getRegion(t.ctx, official, v.grids[1]!.id))).toBe('not_found');
  });
});
