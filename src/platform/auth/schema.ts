// Tables for staff accounts and their sessions (账号与会话).
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { region } from '../../regions/schema.ts';

export const ROLES = [
  'admin',
  'official',
  'supervisor',
  'secretary',
  'grid_leader',
  'grid_member',
  'doctor',
  'party_member',
  'team_member',
  'operator',
] as const;
export type Role = (typeof ROLES)[number];

export const account = pgTable(
  'account',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    username: text('username').notNull().unique(),
    mobile: text('mobile').unique(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** The region node whose subtree this account sees and acts on. */
    regionId: bigint('region_id', { mode: 'number' })
      .notNull()
      .references(() => region.id),
    active: boolean('active').notNull().default(true),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('account_region_idx').on(t.regionId),
    check(
      'account_role_ck',
      sql`${t.role} in ('admin','official','supervisor','secretary','grid_leader','grid_member','doctor','party_member','team_member','operator')`,
    ),
  ],
);

export const session = pgTable(
  'session',
  {
    /** SHA-256 of the cookie token: a stolen table does not yield usable cookies. */
    id: text('id').primaryKey(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => account.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('session_account_idx').on(t.accountId), index('session_expires_idx').on(t.expiresAt)],
);
