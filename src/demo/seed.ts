// Loads a generated demo world into an empty database: the region tree and one account per role.
import * as accounts from '../platform/auth/repo.ts';
import { hashPassword } from '../platform/auth/password.ts';
import type { Ctx } from '../platform/context.ts';
import * as regions from '../regions/repo.ts';
import { checkCode } from '../regions/rules.ts';
import { buildDemoWorld, type DemoScale, type DemoWorld } from './world.ts';

export async function isEmpty(ctx: Ctx): Promise<boolean> {
  return (await regions.countRegions(ctx.db)) === 0;
}

/** Builds and stores the world in one transaction; returns it so callers can print the sign-ins. */
/** `opts` is accepted for the benchmarks; this version seeds regions and accounts only. */
export async function seedDemo(
  ctx: Ctx,
  scale: DemoScale,
  seed = 1,
  _opts: { content?: boolean } = {},
): Promise<DemoWorld> {
  const world = buildDemoWorld(scale, seed);
  const hashes = new Map<string, string>();
  for (const a of world.accounts) {
    if (!hashes.has(a.password)) hashes.set(a.password, await hashPassword(a.password));
  }
  const at = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await regions.insertTree(
      tx,
      world.regions.map((r) => {
        const checked = checkCode(r.code);
        return { ...r, countyCode: checked.ok ? checked.countyCode : null };
      }),
      at,
    );
    const ids = new Map(
      (
        await regions.findByCodes(
          tx,
          world.accounts.map((a) => a.regionCode),
        )
      ).map((r) => [r.code, r.id]),
    );
    for (const a of world.accounts) {
      await accounts.insertAccount(tx, {
        username: a.username,
        displayName: a.displayName,
        mobile: a.mobile,
        role: a.role,
        regionId: ids.get(a.regionCode)!,
        passwordHash: hashes.get(a.password)!,
        createdAt: at,
        updatedAt: at,
        passwordChangedAt: at,
      });
    }
  });
  return world;
}
