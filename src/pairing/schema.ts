// Tables of pairing and the connection card (党员+"家"连心卡): proposals an official reviews, the
// county's pairing settings, and cards whose QR token is stored only as a hash.
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { resident } from '../ledger/schema.ts';
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

/**
 * One proposed contact. No foreign keys on purpose: the items are a snapshot written in one
 * statement right after their proposal, from rows just read, and confirming re-checks the resident
 * and the member (applyAccepted). A foreign-key check is a lookup and a row lock per item — for a
 * county's 75,000 items that was most of the time of proposing (12 of 20 s on PGlite).
 */
export const pairingProposalItem = pgTable(
  'pairing_proposal_item',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    proposalId: bigint('proposal_id', { mode: 'number' }).notNull(),
    residentId: bigint('resident_id', { mode: 'number' }).notNull(),
    role: text('role', { enum: CONTACT_ROLES }).notNull(),
    /** Null when nobody suitable is free: the gap stays and the reason says why. */
    memberId: bigint('member_id', { mode: 'number' }),
    reason: text('reason').notNull(),
    /** The reason in English; null on items proposed before it was kept (they show the Chinese). */
    reasonEn: text('reason_en'),
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

/**
 * The coverage rollup, kept by triggers on resident, responsibility and member in the transaction
 * of each change (migration 00NN_pairing_coverage_rollup): for every active resident who is or may
 * become key (red or yellow, any category, or elderly), what was counted — so a change recounts
 * only its residents, and coverage of a county is a sum over a few thousand cells instead of a
 * look at 120,000 residents and their contacts.
 */
export const pairingResidentState = pgTable(
  'pairing_resident_state',
  {
    residentId: bigint('resident_id', { mode: 'number' }).primaryKey(),
    gridId: bigint('grid_id', { mode: 'number' }).notNull(),
    redYellow: boolean('red_yellow').notNull(),
    categories: text('categories').array().notNull(),
    /** Born on or before pairing_coverage_state.elderly_born_by. */
    elderly: boolean('elderly').notNull(),
    /** Open contacts held by active members: 1 help, 2 health, 4 livelihood. */
    contacts: smallint('contacts').notNull(),
  },
  (t) => [index('pairing_state_grid_idx').on(t.gridId, t.contacts)],
);

/**
 * Residents counted per region and kind, at every level: a resident counts in their grid and in
 * each region above it (so a county's page sums its townships' dozen cells each, not 10,000 grid
 * cells). Which kinds are key is decided when reading (the county's settings).
 */
export const pairingCoverageCell = pgTable(
  'pairing_coverage_cell',
  {
    regionId: bigint('region_id', { mode: 'number' }).notNull(),
    redYellow: boolean('red_yellow').notNull(),
    categories: text('categories').array().notNull(),
    elderly: boolean('elderly').notNull(),
    contacts: smallint('contacts').notNull(),
    residents: integer('residents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.redYellow, t.categories, t.elderly, t.contacts] })],
);

/**
 * One row: the day "elderly" in the rollup refers to. Age moves with the calendar, so when a
 * coverage read's day differs, the residents whose 65th birthday lies between are recounted first.
 */
export const pairingCoverageState = pgTable('pairing_coverage_state', {
  id: smallint('id').primaryKey(),
  elderlyBornBy: date('elderly_born_by', { mode: 'string' }),
});
