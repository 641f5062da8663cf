// All SQL of import jobs. A job is claimed by one instance at a time with a conditional UPDATE (the
// row lock makes a second claimer re-read the row and find it taken); writes made while running are
// conditioned on still owning it.
import { and, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/engine.ts';
import { importJob } from './schema.ts';

export type JobRow = typeof importJob.$inferSelect;
export type JobKind = JobRow['kind'];
export type JobState = JobRow['state'];

export interface Progress {
  rows: number;
  bytes: number;
  total: number;
}

export const RUNNING: JobState[] = ['checking', 'committing'];

/** A report as a poll reads it: counts and flags, the first problems, and how many there are. */
export type StoredReport = Record<string, unknown> & {
  invalid: unknown[];
  invalidCount: number;
  warnings: unknown[];
  warningCount: number;
};

export async function insertJob(ex: Executor, row: typeof importJob.$inferInsert): Promise<void> {
  await ex.insert(importJob).values(row);
}

/** A report with its problem lists cut to the first `shown` (and their full lengths beside them). */
const trimmed = (col: SQL, shown: number) => sql`case when ${col} is null then null else
  (${col} - 'invalid' - 'warnings') || jsonb_build_object(
    'invalid', jsonb_path_query_array(${col}, '$.invalid[0 to $n]', jsonb_build_object('n', ${shown - 1}::int)),
    'invalidCount', jsonb_array_length(coalesce(${col} -> 'invalid', '[]'::jsonb)),
    'warnings', jsonb_path_query_array(${col}, '$.warnings[0 to $n]', jsonb_build_object('n', ${shown - 1}::int)),
    'warningCount', jsonb_array_length(coalesce(${col} -> 'warnings', '[]'::jsonb))) end`;

/** A job as a poll shows it: the reports' problem lists cut to `shown` entries. */
export async function findJob(ex: Executor, id: string, kind: JobKind, shown: number) {
  const [row] = await ex
    .select({
      id: importJob.id,
      kind: importJob.kind,
      accountId: importJob.accountId,
      regionPath: importJob.regionPath,
      target: importJob.target,
      fileName: importJob.fileName,
      filePath: importJob.filePath,
      state: importJob.state,
      progress: importJob.progress,
      check: sql<StoredReport | null>`${trimmed(sql`${importJob.checkReport}`, shown)}`,
      result: sql<StoredReport | null>`${trimmed(sql`${importJob.resultReport}`, shown)}`,
      error: importJob.error,
      owner: importJob.owner,
      heartbeatAt: importJob.heartbeatAt,
    })
    .from(importJob)
    .where(and(eq(importJob.id, id), eq(importJob.kind, kind)));
  return row;
}

/** The whole job, full reports included (the error workbook needs every bad row). */
export async function findFullJob(ex: Executor, id: string, kind: JobKind): Promise<JobRow | undefined> {
  const [row] = await ex
    .select()
    .from(importJob)
    .where(and(eq(importJob.id, id), eq(importJob.kind, kind)));
  return row;
}

/**
 * Takes a checked job (or one whose commit failed) for committing; undefined when it is not in such
 * a state — another request, or another instance, took it first.
 */
export async function claimCommit(
  ex: Executor,
  id: string,
  kind: JobKind,
  owner: string,
  now: Date,
): Promise<JobRow | undefined> {
  const [row] = await ex
    .update(importJob)
    .set({
      state: 'committing',
      owner,
      heartbeatAt: now,
      updatedAt: now,
      error: null,
      resultReport: null,
      progress: sql`jsonb_build_object('rows', 0, 'bytes', 0, 'total', ${importJob.progress} -> 'total')`,
    })
    .where(
      and(
        eq(importJob.id, id),
        eq(importJob.kind, kind),
        or(
          inArray(importJob.state, ['checked', 'rejected']),
          and(eq(importJob.state, 'failed'), sql`${importJob.checkReport} is not null`),
        ),
      ),
    )
    .returning();
  return row;
}

/**
 * Takes over a job whose instance stopped answering: its heartbeat is older than `staleBefore`, or
 * (`deadOwner`, the embedded database, which one process holds at a time) it belongs to an earlier
 * process. A check starts again from its file here; a commit is over — its transaction died with
 * the instance, so nothing was written — and the job is marked failed with `interrupted`.
 * Returns the job as taken, or undefined when it is not stale or another instance took it first.
 */
export async function claimStale(
  ex: Executor,
  o: {
    id: string;
    kind: JobKind;
    owner: string;
    now: Date;
    staleBefore: Date;
    /** An owner not starting with this prefix is certainly dead. */
    deadOwnerUnlessPrefix?: string;
    interrupted: unknown;
  },
): Promise<JobRow | undefined> {
  const dead = o.deadOwnerUnlessPrefix
    ? sql`or ${importJob.owner} is null or left(${importJob.owner}, ${o.deadOwnerUnlessPrefix.length}) <> ${o.deadOwnerUnlessPrefix}`
    : sql``;
  const [row] = await ex
    .update(importJob)
    .set({
      owner: sql`case when ${importJob.state} = 'committing' then null else ${o.owner} end`,
      heartbeatAt: sql`case when ${importJob.state} = 'committing' then null else ${o.now}::timestamptz end`,
      updatedAt: o.now,
      state: sql`case when ${importJob.state} = 'committing' then 'failed' else ${importJob.state} end`,
      error: sql`case when ${importJob.state} = 'committing' then ${JSON.stringify(o.interrupted)}::jsonb else ${importJob.error} end`,
      progress: sql`case when ${importJob.state} = 'checking'
        then jsonb_build_object('rows', 0, 'bytes', 0, 'total', ${importJob.progress} -> 'total')
        else ${importJob.progress} end`,
    })
    .where(
      and(
        eq(importJob.id, o.id),
        eq(importJob.kind, o.kind),
        inArray(importJob.state, RUNNING),
        sql`(${importJob.heartbeatAt} is null or ${importJob.heartbeatAt} < ${o.staleBefore} ${dead})`,
      ),
    )
    .returning();
  return row;
}

/** Progress of a running job, and proof its instance lives; nothing once it is no longer ours. */
export async function saveProgress(
  ex: Executor,
  id: string,
  owner: string,
  progress: Progress,
  now: Date,
): Promise<void> {
  await ex
    .update(importJob)
    .set({ progress, heartbeatAt: now })
    .where(and(eq(importJob.id, id), eq(importJob.owner, owner), inArray(importJob.state, RUNNING)));
}

/** The heartbeat of every job this instance is running. */
export async function beat(ex: Executor, ids: string[], owner: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await ex
    .update(importJob)
    .set({ heartbeatAt: now })
    .where(and(inArray(importJob.id, ids), eq(importJob.owner, owner), inArray(importJob.state, RUNNING)));
}

/**
 * Ends a step: `from` → the state given, with what it produced. Only while the job is still in
 * `from` and ours (a commit's end is written inside its own transaction, so it is ours by then).
 */
export async function finish(
  ex: Executor,
  id: string,
  owner: string,
  from: JobState,
  values: Partial<Pick<JobRow, 'state' | 'progress' | 'checkReport' | 'resultReport' | 'error'>>,
  now: Date,
): Promise<boolean> {
  const rows = await ex
    .update(importJob)
    .set({ ...values, updatedAt: now, owner: null, heartbeatAt: null })
    .where(and(eq(importJob.id, id), eq(importJob.owner, owner), eq(importJob.state, from)))
    .returning({ id: importJob.id });
  return rows.length > 0;
}

/**
 * Forgets jobs untouched since `before` (and not running on a live instance); returns their files
 * for the caller to remove.
 */
export async function deleteExpired(ex: Executor, before: Date, staleBefore: Date): Promise<string[]> {
  const rows = await ex
    .delete(importJob)
    .where(
      and(
        lt(importJob.updatedAt, before),
        sql`(${importJob.state} not in ('checking', 'committing') or ${importJob.heartbeatAt} is null
          or ${importJob.heartbeatAt} < ${staleBefore})`,
      ),
    )
    .returning({ file: importJob.filePath });
  return rows.map((r) => r.file);
}

export async function deleteJob(ex: Executor, id: string): Promise<void> {
  await ex.delete(importJob).where(eq(importJob.id, id));
}
