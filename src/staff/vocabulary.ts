// The staff register's words, shared by the server and the console (web/src/staff/staffApi.ts
// imports this file): pure data, so the browser bundle takes nothing else of the server.
import type { RegionLevel } from '../regions/schema.ts';

/** What a member can be; several at once (a village doctor who is also a party member). */
export const MEMBER_ROLES = [
  'party_member',
  'cadre',
  'village_doctor',
  'family_doctor',
  'grid_medic',
  'village_secretary',
  'first_secretary',
  'grid_leader',
  'grid_member',
  'volunteer',
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * 包联: who answers for what. Roles on regions: county_leader, township_cadre, village_secretary,
 * grid_leader, grid_medic, grid_member; on residents: help (party member), health (doctor),
 * livelihood (village secretary or first secretary).
 */
export const RESPONSIBILITY_ROLES = [
  'county_leader',
  'township_cadre',
  'village_secretary',
  'grid_leader',
  'grid_medic',
  'grid_member',
  'help',
  'health',
  'livelihood',
] as const;
export type ResponsibilityRole = (typeof RESPONSIBILITY_ROLES)[number];

/** The responsibilities held for a region node, and the one level each may sit on. */
export const REGION_ROLE_LEVEL = {
  county_leader: 'county',
  township_cadre: 'township',
  village_secretary: 'village',
  grid_leader: 'grid',
  grid_medic: 'grid',
  grid_member: 'grid',
} as const satisfies Partial<Record<ResponsibilityRole, RegionLevel>>;
export type RegionRole = keyof typeof REGION_ROLE_LEVEL;
export const REGION_ROLES = Object.keys(REGION_ROLE_LEVEL) as RegionRole[];

/** "1+1": a grid has one leader and one medical worker at a time (a new one replaces the old); N members. */
export const ONE_PER_GRID: ReadonlySet<RegionRole> = new Set(['grid_leader', 'grid_medic']);
