// Tables of the staff register (人员): work units and their party organisations (单位 / 机关党组织),
// members (党员、干部、医生、书记、网格员…), teams (服务小分队), and responsibility (包联): member M
// answers for node X in role R from a date to a date.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { account } from '../platform/auth/schema.ts';
import { region } from '../regions/schema.ts';
import {
  MEMBER_ROLES,
  RESPONSIBILITY_ROLES,
  type MemberRole,
  type ResponsibilityRole,
} from './vocabulary.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export { MEMBER_ROLES, RESPONSIBILITY_ROLES };
export type { MemberRole, ResponsibilityRole };

export const unit = pgTable(
  'unit',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    /** The region the unit belongs to (a county bureau, a township office); scope follows it. */
    regionId: bigint('region_id', { mode: 'number' })
      .notNull()
      .references(() => region.id),
    parentId: bigint('parent_id', { mode: 'number' }),
    name: text('name').notNull(),
    /** 机关党组织: where a party member reports what they cannot solve. */
    partyOrgName: text('party_org_name'),
    partyOrgContact: text('party_org_contact'),
    partyOrgMobile: text('party_org_mobile'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('unit_region_idx').on(t.regionId)],
);

export const member = pgTable(
  'member',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    /** Where the member serves; their record is visible in that subtree. */
    regionId: bigint('region_id', { mode: 'number' })
      .notNull()
      .references(() => region.id),
    name: text('name').notNull(),
    mobile: text('mobile').notNull(),
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    unitId: bigint('unit_id', { mode: 'number' }).references(() => unit.id),
    /** 双报到: the community where the member lives and also reports. */
    homeRegionId: bigint('home_region_id', { mode: 'number' }).references(() => region.id),
    accountId: bigint('account_id', { mode: 'number' }).references(() => account.id),
    /** Households this member may be paired with; null = the county default. */
    capacity: integer('capacity'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('member_region_idx').on(t.regionId),
    index('member_county_idx').on(t.countyCode),
    index('member_mobile_idx').on(t.countyCode, t.mobile),
    index('member_roles_idx').using('gin', t.roles),
  ],
);

export const team = pgTable(
  'team',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    regionId: bigint('region_id', { mode: 'number' })
      .notNull()
      .references(() => region.id),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('team_region_idx').on(t.regionId)],
);

export const teamMember = pgTable(
  'team_member',
  {
    teamId: bigint('team_id', { mode: 'number' })
      .notNull()
      .references(() => team.id, { onDelete: 'cascade' }),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => member.id),
    leader: boolean('leader').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.memberId] })],
);

/** 包联: who answers for what (RESPONSIBILITY_ROLES), on a region node or a resident. */
export const responsibility = pgTable(
  'responsibility',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => member.id),
    targetType: text('target_type', { enum: ['region', 'resident'] }).notNull(),
    targetId: bigint('target_id', { mode: 'number' }).notNull(),
    role: text('role', { enum: RESPONSIBILITY_ROLES }).notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    /** Null while it stands; set when it ends (member left, reassigned). */
    toDate: date('to_date', { mode: 'string' }),
    /** How it came about: 'manual', or 'auto' with the reason the proposal gave. */
    source: text('source').notNull().default('manual'),
    reason: text('reason'),
    createdAt: ts('created_at').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }),
  },
  (t) => [
    index('resp_target_idx')
      .on(t.targetType, t.targetId, t.role)
      .where(sql`${t.toDate} is null`),
    index('resp_member_idx')
      .on(t.memberId)
      .where(sql`${t.toDate} is null`),
    check('resp_target_ck', sql`${t.targetType} in ('region','resident')`),
  ],
);
