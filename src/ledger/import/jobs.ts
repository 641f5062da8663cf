// The ledger's import jobs for the console: an uploaded file checked (a dry run) in the background,
// then committed on the user's word — all or nothing, or only the valid rows. The jobs themselves
// (rows any instance can answer for, taken over when their instance dies) are platform/import-jobs.
import { assertCan, type Actor } from '../../platform/access.ts';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { ImportJobs, type JobKindSpec } from '../../platform/import-jobs/jobs.ts';
import * as regionRepo from '../../regions/repo.ts';
import { importLedger, type LedgerImportReport } from '../import.ts';

export interface LedgerTarget {
  regionCode: string;
  createGrids: boolean;
}

export interface LedgerCommit {
  validOnly: boolean;
  createGrids?: boolean;
}

export type LedgerJobs = ImportJobs<LedgerTarget, LedgerImportReport, LedgerCommit>;

const ledgerKind: JobKindSpec<LedgerTarget, LedgerImportReport, LedgerCommit> = {
  kind: 'ledger',
  capability: 'ledger.import',
  check: (ctx, actor, job, onProgress) =>
    importLedger(ctx, actor, job.file, job.target.regionCode, {
      dryRun: true,
      createGrids: job.target.createGrids,
      fileName: job.fileName,
      onProgress,
    }),
  commit: (ctx, actor, job, o, hooks) =>
    importLedger(ctx, actor, job.file, job.target.regionCode, {
      validOnly: o.validOnly,
      createGrids: o.createGrids ?? job.target.createGrids,
      fileName: job.fileName,
      onProgress: hooks.progress,
      onCommit: hooks.inTransaction,
    }),
};

/** One app instance's ledger import jobs. */
export const ledgerJobs = (ctx: Ctx): LedgerJobs => new ImportJobs(ctx, ledgerKind);

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
