// Pure rules of the staff register: checking a member's fields, reading the words officials write for
// roles, and which region-level responsibility (包联) may be held on which level of the tree. No I/O.
import type { FieldError } from '../platform/errors.ts';
import { isCalendarDate, maskPhone, normalizeMobile, toHalfWidth } from '../platform/identity.ts';
import { LEVEL_NAMES } from '../regions/rules.ts';
import type { RegionLevel } from '../regions/schema.ts';
import { MEMBER_ROLES, type MemberRole } from './schema.ts';
import { ONE_PER_GRID, REGION_ROLE_LEVEL, REGION_ROLES, type RegionRole } from './vocabulary.ts';

export { ONE_PER_GRID, REGION_ROLE_LEVEL, REGION_ROLES, type RegionRole };

/** Where a member or a team may serve: a county or below (a county code is needed). */
export const SERVING_LEVELS: readonly RegionLevel[] = ['county', 'township', 'village', 'grid'];
export const SERVING_LEVEL_NAMES = {
  zh: '县、乡镇、村（社区）或网格',
  en: 'county, township, village or grid',
};

export const ROLE_NAMES: Record<MemberRole | RegionRole, { zh: string; en: string }> = {
  party_member: { zh: '党员', en: 'party member' },
  cadre: { zh: '干部', en: 'cadre' },
  village_doctor: { zh: '村医', en: 'village doctor' },
  family_doctor: { zh: '家庭医生', en: 'family doctor' },
  grid_medic: { zh: '网格医务人员', en: 'grid medical worker' },
  village_secretary: { zh: '村（社区）书记', en: 'village secretary' },
  first_secretary: { zh: '第一书记', en: 'first secretary' },
  grid_leader: { zh: '网格长', en: 'grid leader' },
  grid_member: { zh: '网格员', en: 'grid member' },
  volunteer: { zh: '志愿者', en: 'volunteer' },
  county_leader: { zh: '县级包联领导', en: 'county leader' },
  township_cadre: { zh: '乡镇包联干部', en: 'township cadre' },
};

/** Whether a region-level role may be held for a node of this level. */
export function roleFitsLevel(role: RegionRole, level: RegionLevel): boolean {
  return REGION_ROLE_LEVEL[role] === level;
}

export function levelName(level: RegionLevel): { zh: string; en: string } {
  return LEVEL_NAMES[level];
}

// The words of 身份/角色/人员类别 cells. Whole words only: 第一书记 is not 书记.
const ROLE_WORDS: Record<string, MemberRole> = {
  党员: 'party_member', 中共党员: 'party_member', 共产党员: 'party_member', 预备党员: 'party_member',
  干部: 'cadre', 机关干部: 'cadre', 下沉干部: 'cadre', 驻村干部: 'cadre', 包村干部: 'cadre',
  村医: 'village_doctor', 乡村医生: 'village_doctor',
  家庭医生: 'family_doctor', 签约医生: 'family_doctor', 签约家庭医生: 'family_doctor',
  网格医务人员: 'grid_medic', 医务人员: 'grid_medic', 网格医生: 'grid_medic',
  书记: 'village_secretary', 村书记: 'village_secretary', 支部书记: 'village_secretary',
  村支书: 'village_secretary', 社区书记: 'village_secretary', 村党组织书记: 'village_secretary',
  第一书记: 'first_secretary', 驻村第一书记: 'first_secretary',
  网格长: 'grid_leader', 网格员: 'grid_member', 志愿者: 'volunteer',
}; // prettier-ignore

/** Example words for messages, one per role. */
export const ROLE_WORD_EXAMPLES =
  '党员、干部、村医、家庭医生、网格医务人员、书记、第一书记、网格长、网格员、志愿者';

const ROLE_SEPARATORS = /[、，,；;/|\s]+/;

/** 党员、网格员；村医 → roles in the order written; words not understood come back as `unknown`. */
export function parseRoles(cell: string): { roles: MemberRole[]; unknown: string[] } {
  const roles: MemberRole[] = [];
  const unknown: string[] = [];
  for (const raw of toHalfWidth(cell).split(ROLE_SEPARATORS)) {
    const word = raw.trim();
    if (!word) continue;
    const role =
      ROLE_WORDS[word] ?? (MEMBER_ROLES as readonly string[]).find((r) => r === word.toLowerCase());
    if (!role) unknown.push(word);
    else if (!roles.includes(role as MemberRole)) roles.push(role as MemberRole);
  }
  return { roles, unknown };
}

export interface MemberFields {
  name: string;
  mobile: string;
  roles: MemberRole[];
  capacity: number | null;
}

export type Checked = { ok: true; value: MemberFields } | { ok: false; errors: FieldError[] };

/** Checks a member's own fields; the mobile comes back normalised (13800138000). */
export function checkMember(input: {
  name?: string;
  mobile?: string;
  roles?: readonly string[];
  capacity?: number | null;
}): Checked {
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) errors.push({ path: '/name', code: 'required' });
  else if (name.length > 50) errors.push({ path: '/name', code: 'too_long', params: { max: 50 } });
  const rawMobile = (input.mobile ?? '').trim();
  const mobile = rawMobile ? normalizeMobile(rawMobile) : undefined;
  if (!rawMobile) errors.push({ path: '/mobile', code: 'required' });
  else if (!mobile) errors.push({ path: '/mobile', code: 'mobile_invalid', params: { value: rawMobile } });
  const roles = [...new Set(input.roles ?? [])];
  if (roles.length === 0) errors.push({ path: '/roles', code: 'required' });
  for (const r of roles) {
    if (!(MEMBER_ROLES as readonly string[]).includes(r))
      errors.push({ path: '/roles', code: 'enum', params: { allowed: MEMBER_ROLES.join(', ') } });
  }
  const capacity = input.capacity ?? null;
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 0 || capacity > 100_000))
    errors.push({ path: '/capacity', code: 'range' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name, mobile: mobile!, roles: roles as MemberRole[], capacity } };
}

/** What the audit trail keeps of a member: the mobile masked. */
export function auditableMember(m: {
  name: string;
  mobile: string;
  roles: string[];
  regionId: number;
  unitId: number | null;
  homeRegionId: number | null;
  accountId: number | null;
  capacity: number | null;
  active: boolean;
}) {
  return {
    name: m.name,
    mobile: maskPhone(m.mobile),
    roles: m.roles,
    regionId: m.regionId,
    unitId: m.unitId,
    homeRegionId: m.homeRegionId,
    accountId: m.accountId,
    capacity: m.capacity,
    active: m.active,
  };
}

/** A date on which a responsibility starts or ends: YYYY-MM-DD that exists. */
export function checkDate(s: string | undefined, path: string): FieldError | undefined {
  if (s === undefined) return undefined;
  return isCalendarDate(s) ? undefined : { path, code: 'format' };
}

/** A responsibility ending today that only starts later ends the day it starts, not before. */
export function endDate(fromDate: string, today: string): string {
  return fromDate > today ? fromDate : today;
}
