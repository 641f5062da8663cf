// Tables of the health ledger (健康管理台账): households, residents, key-population categories,
// colour history, county colour rulesets and door-to-door surveys (敲门行动).
// Every table holding residents' data carries county_code, the future distribution key.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { region } from '../regions/schema.ts';

export const COLOURS = ['green', 'yellow', 'red'] as const;
export const HOUSEHOLD_STATUSES = ['occupied', 'vacant', 'moved_out'] as const;
export const RESIDENT_STATUSES = ['active', 'moved_out', 'deceased'] as const;
export const VACCINATION = ['full', 'partial', 'none'] as const;
export const CONDITION_STATES = ['stable', 'unstable'] as const;

export interface Condition {
  name: string;
  state: (typeof CONDITION_STATES)[number];
}

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const household = pgTable(
  'household',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    gridId: bigint('grid_id', { mode: 'number' })
      .notNull()
      .references(() => region.id),
    address: text('address').notNull(),
    houseNumber: text('house_number'),
    status: text('status', { enum: HOUSEHOLD_STATUSES }).notNull().default('occupied'),
    /** The most severe colour among its active members; null when it has none. Kept current. */
    colour: text('colour', { enum: COLOURS }),
    lastSurveyedAt: ts('last_surveyed_at'),
    note: text('note'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('household_grid_idx').on(t.gridId, t.colour),
    index('household_county_idx').on(t.countyCode),
    uniqueIndex('household_address_uq').on(t.countyCode, t.gridId, t.address),
    check('household_status_ck', sql`${t.status} in ('occupied','vacant','moved_out')`),
    check('household_colour_ck', sql`${t.colour} in ('green','yellow','red')`),
  ],
);

export const resident = pgTable(
  'resident',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    householdId: bigint('household_id', { mode: 'number' })
      .notNull()
      .references(() => household.id),
    /** The household's grid, kept with it: the scope filter is then one join to region. */
    gridId: bigint('grid_id', { mode: 'number' })
      .notNull()
      .references(() => region.id),
    name: text('name').notNull(),
    /** 18-character GB 11643 number; null for a newborn or a lost card (flagged). */
    idNumber: text('id_number'),
    sex: text('sex', { enum: ['M', 'F'] }),
    birthDate: date('birth_date', { mode: 'string' }),
    phones: text('phones')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    categories: text('categories')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    conditions: jsonb('conditions').$type<Condition[]>().notNull().default([]),
    vaccination: text('vaccination', { enum: VACCINATION }),
    pregnancyDueDate: date('pregnancy_due_date', { mode: 'string' }),
    medication: text('medication'),
    notes: text('notes'),
    status: text('status', { enum: RESIDENT_STATUSES }).notNull().default('active'),
    colour: text('colour', { enum: COLOURS }).notNull(),
    colourScore: integer('colour_score').notNull().default(0),
    /** A doctor's or official's override beats the rule until it is lifted. */
    colourOverride: text('colour_override', { enum: COLOURS }),
    colourOverrideReason: text('colour_override_reason'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('resident_id_number_uq')
      .on(t.idNumber)
      .where(sql`${t.idNumber} is not null`),
    index('resident_grid_colour_idx').on(t.gridId, t.colour, t.id),
    /** The ledger list's page and capped count: active residents of a grid and colour, in id order. */
    index('resident_active_grid_colour_idx')
      .on(t.gridId, t.colour, t.id)
      .where(sql`${t.status} = 'active'`),
    index('resident_household_idx').on(t.householdId),
    index('resident_county_idx').on(t.countyCode),
    index('resident_name_idx').on(t.name),
    index('resident_id_tail_idx').on(sql`right(${t.idNumber}, 6)`),
    index('resident_categories_idx').using('gin', t.categories),
    index('resident_phones_idx').using('gin', t.phones),
    check('resident_colour_ck', sql`${t.colour} in ('green','yellow','red')`),
    check('resident_status_ck', sql`${t.status} in ('active','moved_out','deceased')`),
  ],
);

/** Every change of a resident's colour: when, who, from, to, and the rule or the reason. */
export const colourChange = pgTable(
  'colour_change',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    residentId: bigint('resident_id', { mode: 'number' })
      .notNull()
      .references(() => resident.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    fromColour: text('from_colour', { enum: COLOURS }),
    toColour: text('to_colour', { enum: COLOURS }).notNull(),
    /** 'rule' (evaluated), 'override' (set by hand), 'override_lifted'. */
    source: text('source').notNull(),
    score: integer('score'),
    /** The ruleset name@version for a rule; the person's words for an override. */
    reason: text('reason'),
  },
  (t) => [index('colour_change_resident_idx').on(t.residentId, t.at)],
);

/** A county's colour rules; counties without a row use the national default in code. */
export const colourRuleset = pgTable('colour_ruleset', {
  countyCode: text('county_code').primaryKey(),
  rules: jsonb('rules').notNull(),
  version: integer('version').notNull(),
  updatedAt: ts('updated_at').notNull(),
  updatedBy: bigint('updated_by', { mode: 'number' }),
});

/** Key-population categories: the national ones (county_code '') and those a county adds. */
export const category = pgTable(
  'category',
  {
    countyCode: text('county_code').notNull().default(''),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** Whether people in it are key persons (paired, carded). */
    key: boolean('key').notNull().default(true),
    synonyms: text('synonyms')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sort: integer('sort').notNull().default(100),
    /** A retired category is offered for no new entry but stays on the residents who carry it. */
    active: boolean('active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.code] })],
);

export const survey = pgTable(
  'survey',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    householdId: bigint('household_id', { mode: 'number' })
      .notNull()
      .references(() => household.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    surveyorId: bigint('surveyor_id', { mode: 'number' }),
    surveyorName: text('surveyor_name'),
    membersConfirmed: integer('members_confirmed').notNull().default(0),
    membersAdded: integer('members_added').notNull().default(0),
    membersMovedOut: integer('members_moved_out').notNull().default(0),
    colour: text('colour', { enum: COLOURS }),
    note: text('note'),
  },
  (t) => [index('survey_household_idx').on(t.householdId, t.at)],
);
