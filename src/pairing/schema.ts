// Tables of pairing and the connection card (党员+"家"连心卡): proposals an official reviews, the
// county's pairing settings, and cards whose QR token is stored only as a hash.
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { resident } from '../ledger/schema.ts';
import { member } from '../staff/schema.ts';
import { region } from '../regions/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const CONTACT_ROLES = ['help', 'health', 'livelihood'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const pairingSetting = pgTable('pairing_setting', {
  countyCode: text('county_code').primaryKey(),
  /** Households one party member may answer for (遇事无助找同志). */
  helpCapacity: integer('help_capacity').notNull().default(10),
  /** Key residents one doctor may answer for. */
  healthCapacity: integer('health_capacity').notNull().default(150),
  /** Key residents one village secretary may answer for. */
  livelihoodCapacity: integer('livelihood_capacity').notNull().default(2000),
  /** The county's 24-hour hotline printed on every card. */
  hotline: text('hotline'),
  /** Which categories make a resident "key" beyond red and yellow (default: every key category). */
  keyCategories: text('key_categories').array(),
  updatedAt: ts('updated_at').notNull(),
});

export const pairingProposal = pgTable(
  'pairing_proposal',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    regionId: bigint('region_id', { mode: 'number' })
      .notNull()
      .references(() => region.id),
    status: text('status', { enum: ['open', 'confirmed', 'discarded'] })
      .notNull()
      .default('open'),
    summary: jsonb('summary').notNull(),
    createdAt: ts('created_at').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }),
    decidedAt: ts('decided_at'),
  },
  (t) => [index('proposal_region_idx').on(t.regionId)],
);

export const pairingProposalItem = pgTable(
  'pairing_proposal_item',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    proposalId: bigint('proposal_id', { mode: 'number' })
      .notNull()
      .references(() => pairingProposal.id, { onDelete: 'cascade' }),
    residentId: bigint('resident_id', { mode: 'number' })
      .notNull()
      .references(() => resident.id),
    role: text('role', { enum: CONTACT_ROLES }).notNull(),
    /** Null when nobody suitable is free: the gap stays and the reason says why. */
    memberId: bigint('member_id', { mode: 'number' }).references(() => member.id),
    reason: text('reason').notNull(),
    decision: text('decision', { enum: ['pending', 'accepted', 'rejected'] })
      .notNull()
      .default('pending'),
  },
  (t) => [index('proposal_item_idx').on(t.proposalId)],
);

export const card = pgTable(
  'card',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    residentId: bigint('resident_id', { mode: 'number' })
      .notNull()
      .references(() => resident.id),
    /** SHA-256 of the random token in the QR code; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    issuedAt: ts('issued_at').notNull(),
    issuedBy: bigint('issued_by', { mode: 'number' }),
    revokedAt: ts('revoked_at'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    uniqueIndex('card_token_uq').on(t.tokenHash),
    index('card_resident_idx')
      .on(t.residentId)
      .where(sql`${t.revokedAt} is null`),
  ],
);
