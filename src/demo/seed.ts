// Loads a generated demo world into an empty database: the region tree and one account per role,
// then (unless asked not to) a living county: ledger, staff, pairing, orders. All in one transaction,
// so an interrupted first start leaves the database empty and the next start seeds again.
import type { Db } from '../db/engine.ts';
import type { Actor } from '../platform/access.ts';
import * as accounts from '../platform/auth/repo.ts';
import { hashPassword } from '../platform/auth/password.ts';
import type { Ctx } from '../platform/context.ts';
import * as regions from '../regions/repo.ts';
import { checkCode } from '../regions/rules.ts';
import { populate, type RegionRef } from './seed/content.ts';
import { withOneSession } from './seed/session.ts';
import { buildDemoWorld, type DemoScale, type DemoWorld } from './world.ts';

export async function isEmpty(ctx: Ctx): Promise<boolean> {
  return (await regions.countRegions(ctx.db)) === 0;
}

export interface SeedOptions {
  /** false: only the region tree and the sign-ins (an empty ledger, for tests that build their own). */
  content?: boolean;
}

/** Builds and stores the world in one transaction; returns it so callers can print the sign-ins. */
export async function seedDemo(
  ctx: Ctx,
  scale: DemoScale,
  seed = 1,
  opts: SeedOptions = {},
): Promise<DemoWorld> {
  const world = buildDemoWorld(scale, seed);
  const hashes = new Map<string, string>();
  for (const a of world.accounts) {
    if (!hashes.has(a.password)) hashes.set(a.password, await hashPassword(a.password));
  }
  const at = ctx.clock.now();
  return withOneSession(ctx.db, (db) =>
    db.transaction(async (tx) => {
      await regions.insertTree(
        tx,
        world.regions.map((r) => {
          const checked = checkCode(r.code);
          return { ...r, countyCode: checked.ok ? checked.countyCode : null };
        }),
        at,
      );
      const refs = new Map<string, RegionRef>(
        (
          await regions.findByCodes(
            tx,
            world.regions.map((r) => r.code),
          )
        ).map((r) => [r.code, { id: r.id, path: r.path }]),
      );
      const actors = new Map<string, Actor>();
      for (const a of world.accounts) {
        const region = refs.get(a.regionCode)!;
        const row = await accounts.insertAccount(tx, {
          username: a.username,
          displayName: a.displayName,
          mobile: a.mobile,
          role: a.role,
          regionId: region.id,
          passwordHash: hashes.get(a.password)!,
          createdAt: at,
          updatedAt: at,
          passwordChangedAt: at,
        });
        actors.set(a.username, {
          accountId: row.id,
          username: a.username,
          displayName: a.displayName,
          role: a.role,
          regionId: region.id,
          regionPath: region.path,
        });
      }
      if (opts.content === false) return world;
      // The services open their own transactions; on this one they become savepoints, so the demo
      // goes through the real use cases and still commits or rolls back as a whole.
      const inner: Ctx = { ...ctx, db: tx as unknown as Db };
      return { ...world, summary: await populate(inner, world, { regions: refs, actors }) };
    }),
  );
}
