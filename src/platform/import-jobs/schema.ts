// Import jobs of the console (导入任务): an uploaded file checked, then committed on the user's word.
// Kept in the database so that any app instance can answer a poll and a restart forgets nothing.
import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const IMPORT_JOB_KINDS = ['ledger', 'members'] as const;
export const IMPORT_JOB_STATES = [
  'checking',
  'checked',
  'committing',
  'committed',
  'rejected',
  'failed',
] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const importJob = pgTable(
  'import_job',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: IMPORT_JOB_KINDS }).notNull(),
    /** Only this account, on the same scope, may see or commit the job. */
    accountId: bigint('account_id', { mode: 'number' }),
    regionPath: text('region_path').notNull(),
    /** Who started it ({accountId, username, displayName, role, regionId, regionPath}): a check re-run elsewhere acts as them. */
    actor: jsonb('actor').notNull(),
    /** Where it goes and how: {regionCode, createGrids} or {regionCode, createUnits}. */
    target: jsonb('target').notNull(),
    fileName: text('file_name').notNull(),
    /** The upload on disk (platform/uploads.ts); removed with the job. */
    filePath: text('file_path').notNull(),
    state: text('state', { enum: IMPORT_JOB_STATES }).notNull(),
    /** {rows, bytes, total}, written at most twice a second. */
    progress: jsonb('progress').notNull(),
    checkReport: jsonb('check_report'),
    resultReport: jsonb('result_report'),
    /** {code, params} of the DomainError that ended it. */
    error: jsonb('error'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** The app instance running a check or commit, and when it last said it still is. */
    owner: text('owner'),
    heartbeatAt: ts('heartbeat_at'),
  },
  (t) => [
    index('import_job_updated_idx').on(t.updatedAt),
    check('import_job_kind_ck', sql`${t.kind} in ('ledger','members')`),
    check(
      'import_job_state_ck',
      sql`${t.state} in ('checking','checked','committing','committed','rejected','failed')`,
    ),
  ],
);
