// Tables of the region tree: county → township → village/community → grid (区划与网格).
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  pgTable,
  text,
  timestamp,
  unique,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const region = pgTable(
  'region',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    /** 12-digit 统计用区划代码; a grid has its village's code plus 3 digits. */
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    level: text('level', { enum: REGION_LEVELS }).notNull(),
    parentId: bigint('parent_id', { mode: 'number' }).references((): AnyPgColumn => region.id),
    /** Materialised path of ids, '/1/7/42/': a subtree is one prefix scan. */
    path: text('path').notNull(),
    /** First 6 digits of the code (null above county level); the distribution key for Citus. */
    countyCode: text('county_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('region_path_idx').using('btree', t.path.op('text_pattern_ops')),
    index('region_parent_idx').on(t.parentId),
    index('region_name_idx').on(t.name),
    unique('region_sibling_name_uq').on(t.parentId, t.name),
    check('region_level_ck', sql`${t.level} in ('province','city','county','township','village','grid')`),
  ],
);
