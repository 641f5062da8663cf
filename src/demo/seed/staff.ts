// Stores the demo staff register in bulk in the caller's transaction: units with their party
// organisations, members (the demo sign-ins linked to theirs), teams and region responsibilities.
import type { Executor } from '../../db/engine.ts';
import { member, responsibility, team, teamMember, unit } from '../../staff/schema.ts';
import { addDays, shanghaiYmd } from '../people.ts';
import type { DemoStaff } from '../staffing.ts';
import { insertAll, must, reserveIds } from './bulk.ts';

/** Staff were registered and given their grids this many days before the demo's today. */
export const STAFF_AGE_DAYS = 120;

export interface StoredStaff {
  /** Member ids, index for index with DemoStaff.members. */
  memberIds: number[];
  teamIds: number[];
}

export async function storeStaff(
  ex: Executor,
  staff: DemoStaff,
  o: { regionIds: ReadonlyMap<string, number>; accountIds: ReadonlyMap<string, number>; now: Date },
): Promise<StoredStaff> {
  const since = new Date(o.now.getTime() - STAFF_AGE_DAYS * 86_400_000);
  const fromDate = addDays(shanghaiYmd(o.now), -STAFF_AGE_DAYS);
  const region = (code: string) => must(o.regionIds, code, 'region');
  const [unitIds, memberIds, teamIds] = await Promise.all([
    reserveIds(ex, 'unit', staff.units.length),
    reserveIds(ex, 'member', staff.members.length),
    reserveIds(ex, 'team', staff.teams.length),
  ]);
  const unitId = (i: number | null) => (i === null ? null : unitIds[i]!);
  await insertAll(
    ex,
    unit,
    staff.units.map((u, i) => ({
      id: unitIds[i]!,
      regionId: region(u.regionCode),
      name: u.name,
      partyOrgName: u.partyOrgName,
      partyOrgContact: u.partyOrgContact,
      partyOrgMobile: u.partyOrgMobile,
      createdAt: since,
      updatedAt: since,
    })),
  );
  await insertAll(
    ex,
    member,
    staff.members.map((m, i) => ({
      id: memberIds[i]!,
      countyCode: m.regionCode.slice(0, 6),
      regionId: region(m.regionCode),
      name: m.name,
      mobile: m.mobile,
      roles: m.roles,
      unitId: unitId(m.unit),
      homeRegionId: m.homeRegionCode === null ? null : region(m.homeRegionCode),
      accountId: m.account === null ? null : must(o.accountIds, m.account, 'account'),
      active: true,
      createdAt: since,
      updatedAt: since,
    })),
  );
  await insertAll(
    ex,
    team,
    staff.teams.map((t, i) => ({
      id: teamIds[i]!,
      countyCode: t.regionCode.slice(0, 6),
      regionId: region(t.regionCode),
      name: t.name,
      createdAt: since,
    })),
  );
  await insertAll(
    ex,
    teamMember,
    staff.teams.flatMap((t, i) =>
      t.members.map((m) => ({ teamId: teamIds[i]!, memberId: memberIds[m.member]!, leader: m.leader })),
    ),
  );
  await insertAll(
    ex,
    responsibility,
    staff.duties.map((d) => ({
      countyCode: d.regionCode.slice(0, 6),
      memberId: memberIds[d.member]!,
      targetType: 'region' as const,
      targetId: region(d.regionCode),
      role: d.role,
      fromDate,
      source: 'manual',
      createdAt: since,
    })),
  );
  return { memberIds, teamIds };
}
