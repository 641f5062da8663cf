// Import jobs for the console: an uploaded file is checked (a dry run) in the background, its
// progress polled, then committed on the user's word. The job table lives in this process's
// memory: a restart forgets jobs (the user uploads again), and with several app instances a
// poll must reach the instance that holds the job. A database table would lift both limits.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { assertCan, type Actor } from '../../platform/access.ts';
import type { Ctx } from '../../platform/context.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import * as regionRepo from '../../regions/repo.ts';
import { importLedger, type ImportProgress, type LedgerImportReport } from '../import.ts';

export type JobState = 'checking' | 'checked' | 'committing' | 'committed' | 'rejected' | 'failed';

export interface ImportJob {
  id: string;
  accountId: number | null;
  regionPath: string;
  regionCode: string;
  fileName: string;
  file: string;
  createGrids: boolean;
  state: JobState;
  progress: ImportProgress;
  check: LedgerImportReport | null;
  result: LedgerImportReport | null;
  error: DomainError | null;
  createdAt: number;
  /** Settles when the current step (check or commit) ends. */
  done: Promise<void>;
}

const jobs = new Map<string, ImportJob>();
const TTL_MS = 2 * 3600_000;

/** Forgets jobs (and their files) older than two hours. */
function sweep(now = Date.now()): void {
  for (const [id, j] of jobs) {
    if (now - j.createdAt > TTL_MS && j.state !== 'checking' && j.state !== 'committing') {
      fs.rmSync(j.file, { force: true });
      jobs.delete(id);
    }
  }
}

/**
 * Checks the capability and the scope before any byte is read: a region outside the caller's
 * subtree is not found.
 * @throws forbidden | not_found
 */
export async function assertImportTarget(ctx: Ctx, actor: Actor, regionCode: string, createGrids: boolean) {
  assertCan(actor, 'ledger.import');
  if (createGrids) assertCan(actor, 'region.write');
  const r = await regionRepo.findByCode(ctx.db, regionCode.trim());
  if (!r || !r.path.startsWith(actor.regionPath)) throw notFound();
  return r;
}

/** Starts checking an uploaded file (a dry run) in the background. */
export function startJob(
  ctx: Ctx,
  actor: Actor,
  o: { file: string; fileName: string; regionCode: string; createGrids: boolean },
): ImportJob {
  sweep();
  const job: ImportJob = {
    id: randomUUID(),
    accountId: actor.accountId,
    regionPath: actor.regionPath,
    regionCode: o.regionCode,
    fileName: o.fileName,
    file: o.file,
    createGrids: o.createGrids,
    state: 'checking',
    progress: { rows: 0, bytes: 0, total: 0 },
    check: null,
    result: null,
    error: null,
    createdAt: Date.now(),
    done: Promise.resolve(),
  };
  jobs.set(job.id, job);
  job.done = step(job, 'checked', () =>
    importLedger(ctx, actor, job.file, job.regionCode, {
      dryRun: true,
      createGrids: job.createGrids,
      fileName: job.fileName,
      onProgress: (p) => (job.progress = p),
    }).then((r) => (job.check = r)),
  );
  return job;
}

/** @throws not_found (another account's job, or one forgotten) */
export function getJob(actor: Actor, id: string): ImportJob {
  const job = jobs.get(id);
  if (!job || job.accountId !== actor.accountId || job.regionPath !== actor.regionPath) throw notFound();
  return job;
}

/**
 * Commits a checked job: all-or-nothing, or only the valid rows.
 * @throws not_found | import.job_state (still checking, or already committed)
 */
export function commitJob(
  ctx: Ctx,
  actor: Actor,
  id: string,
  o: { validOnly: boolean; createGrids?: boolean },
) {
  const job = getJob(actor, id);
  if (job.state !== 'checked' && job.state !== 'rejected')
    throw new DomainError('import.job_state', { state: STATE_WORDS[job.state] });
  job.state = 'committing';
  job.progress = { rows: 0, bytes: 0, total: job.progress.total };
  job.done = step(job, 'committed', async () => {
    const r = await importLedger(ctx, actor, job.file, job.regionCode, {
      validOnly: o.validOnly,
      createGrids: o.createGrids ?? job.createGrids,
      fileName: job.fileName,
      onProgress: (p) => (job.progress = p),
    });
    job.result = r;
    if (!r.committed) job.state = 'rejected';
  });
  return job;
}

async function step(job: ImportJob, next: JobState, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
    if (job.state === 'checking' || job.state === 'committing') job.state = next;
  } catch (err) {
    job.state = 'failed';
    job.error = err instanceof DomainError ? err : new DomainError('internal');
    if (!(err instanceof DomainError)) console.error('ledger import job failed', err);
  }
}

const STATE_WORDS: Record<JobState, { zh: string; en: string }> = {
  checking: { zh: '检查中', en: 'being checked' },
  checked: { zh: '已检查', en: 'checked' },
  committing: { zh: '导入中', en: 'being imported' },
  committed: { zh: '已导入', en: 'already imported' },
  rejected: { zh: '未导入', en: 'rejected' },
  failed: { zh: '已失败', en: 'failed' },
};
