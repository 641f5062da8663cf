// Factories for the staff register: a member serving in a region, inserted straight through the repo
// (no scope or audit), with a name and a unique mobile unless the test gives them.
import type { Ctx } from '../../src/platform/context.ts';
import type { RegionRow } from '../../src/regions/repo.ts';
import * as staffRepo from '../../src/staff/repo.ts';
import type { MemberRole } from '../../src/staff/schema.ts';

let serial = 0;

/** makeMember(ctx, grid, { roles: ['party_member'] }) → the member row (active, in the region's county). */
export async function makeMember(
  ctx: Ctx,
  region: Pick<RegionRow, 'id' | 'countyCode'>,
  over: { roles: MemberRole[]; name?: string; mobile?: string; unitId?: number | null },
): Promise<staffRepo.MemberRow> {
  serial++;
  const now = ctx.clock.now();
  return staffRepo.insertMember(ctx.db, {
    countyCode: region.countyCode!,
    regionId: region.id,
    name: over.name ?? `成员${serial}`,
    // 166…: a range tests seldom type by hand, so factory numbers do not clash with a test's own.
    mobile: over.mobile ?? `166${String(serial).padStart(8, '0')}`,
    roles: over.roles,
    unitId: over.unitId ?? null,
    active: true,
    createdAt: now,
    updatedAt: now,
  });
}
