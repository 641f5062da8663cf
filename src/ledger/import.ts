// Importing a county ledger (健康管理台账, .xlsx or .csv) into a village (or any region in scope): the
// file is streamed, every row checked, and then either nothing is written (a dry run), everything
// or nothing (any bad row rolls the whole import back), or only the valid rows. One transaction.
import fs from 'node:fs';
import path from 'node:path';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { notFound, type FieldError } from '../platform/errors.ts';
import { readTableBatches } from '../platform/tabular.ts';
import * as regionRepo from '../regions/repo.ts';
import { LEDGER_COLUMNS } from './import/cells.ts';
import { ImportPass, prepare, type Setup } from './import/pass.ts';
import {
  analyzeLedger,
  BULK_FOREIGN_KEYS,
  BULK_INDEXES,
  createIndexes,
  dropForeignKeys,
  dropIndexes,
  ledgerIsEmpty,
  residentEstimate,
} from './import/repo.ts';
import type { Executor, Tx } from '../db/engine.ts';
import { deferCoverage, rebuildCoverage } from '../pairing/repo.ts';

export interface LedgerImportOptions {
  dryRun?: boolean;
  /** Import the valid rows and report the others; by default any bad row means nothing is imported. */
  validOnly?: boolean;
  /** Create the grids the file names that the village does not have yet. */
  createGrids?: boolean;
  /** The name the user knows the file by (an upload is stored under another). */
  fileName?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Runs last inside the commit's transaction (an import job records its end with the data). */
  onCommit?: (tx: Tx, report: LedgerImportReport) => Promise<void>;
  /**
   * Files of at least this many bytes (and estimated to hold at least as many rows as the ledger
   * already has) are loaded with the ledger's secondary indexes built at the end: the table is
   * locked for the import's duration, which only an initial load may afford. Default 8 MB.
   */
  bulkBytes?: number;
}

export interface ImportProgress {
  rows: number;
  bytes: number;
  total: number;
}

export interface LedgerImportReport {
  rows: number;
  valid: number;
  /** New residents (in a dry run: that a commit would add). */
  imported: number;
  /** Residents already in the ledger, updated (in a dry run: that a commit would update). */
  updated: number;
  households: number;
  gridsCreated: string[];
  invalid: FieldError[];
  warnings: FieldError[];
  committed: boolean;
  dryRun: boolean;
}

/**
 * @throws forbidden | not_found (region outside scope) | import.unreadable | import.header_missing
 */
export async function importLedger(
  ctx: Ctx,
  actor: Actor,
  file: string,
  regionCode: string,
  opts: LedgerImportOptions = {},
): Promise<LedgerImportReport> {
  assertCan(actor, 'ledger.import');
  if (opts.createGrids) assertCan(actor, 'region.write');
  const target = await regionRepo.findByCode(ctx.db, regionCode.trim());
  if (
    !target ||
    !target.path.startsWith(actor.regionPath) ||
    !['county', 'township', 'village', 'grid'].includes(target.level)
  )
    throw notFound();
  const setup = await prepare(ctx.db, target);
  if (opts.dryRun) return run(ctx, ctx.db, actor, file, setup, opts, false);
  let report: LedgerImportReport | undefined;
  const bulk = await isBulk(ctx.db, file, opts.bulkBytes ?? 8 << 20);
  try {
    await ctx.db.transaction(async (tx) => {
      const rebuild = bulk
        ? [...(await dropIndexes(tx, BULK_INDEXES)), ...(await dropForeignKeys(tx, BULK_FOREIGN_KEYS))]
        : [];
      // An initial load recounts the county's pairing coverage once, at the end, not per chunk.
      if (bulk) await deferCoverage(tx, { residentLocked: true });
      // Dropping the indexes locked the resident table: if it holds nobody now, no row of the file
      // can be a resident already, and nobody is looked up by ID number.
      const emptyLedger = bulk && (await ledgerIsEmpty(tx));
      report = await run(ctx, tx, actor, file, setup, opts, true, emptyLedger);
      if (!report.committed) throw new Rollback();
      await createIndexes(tx, rebuild, ctx.engine === 'postgres');
      if (bulk) await rebuildCoverage(tx, target.countyCode!);
      await audit(tx, ctx.clock, actor, {
        action: 'ledger.import',
        targetType: 'region',
        targetId: target.id,
        regionId: target.id,
        after: {
          file: opts.fileName ?? path.basename(file),
          mode: opts.validOnly ? 'valid-only' : 'all-or-nothing',
          rows: report.rows,
          imported: report.imported,
          updated: report.updated,
          invalid: report.invalid.length,
          households: report.households,
          gridsCreated: report.gridsCreated,
        },
      });
      await opts.onCommit?.(tx, report);
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  // PGlite runs no autovacuum: without fresh statistics the ledger's lists would plan badly.
  if (report!.committed && report!.imported + report!.updated > 10_000)
    await analyzeLedger(ctx.db, ctx.engine === 'pglite');
  return report!;
}

class Rollback extends Error {}

/**
 * Whether an import is an initial load: a big file (a CSV row is ~100 bytes, an .xlsx row ~40)
 * bringing at least as many rows as the ledger holds. Rebuilding the indexes then costs less than
 * maintaining them; with a populated ledger it would not, nor may the table be locked that long.
 */
async function isBulk(ex: Executor, file: string, minBytes: number): Promise<boolean> {
  const bytes = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (bytes < minBytes) return false;
  const rows = bytes / (path.extname(file).toLowerCase() === '.xlsx' ? 40 : 100);
  return rows >= (await residentEstimate(ex));
}

/** One pass over the file: every row checked, written in chunks when `write`. */
async function run(
  ctx: Ctx,
  ex: Executor,
  actor: Actor,
  file: string,
  setup: Setup,
  opts: LedgerImportOptions,
  write: boolean,
  emptyLedger = false,
): Promise<LedgerImportReport> {
  const pass = new ImportPass(ctx, ex, actor, setup, opts, write, emptyLedger);
  const batches = readTableBatches(file, LEDGER_COLUMNS, {
    onProgress: (p) => opts.onProgress?.({ rows: p.rows, bytes: p.bytes, total: p.total }),
  });
  for await (const batch of batches) for (const src of batch) await pass.row(src);
  return pass.finish();
}
