// Importing a county ledger (健康管理台账, .xlsx or .csv) into a village (or any region in scope): the
// file is streamed, every row checked, and then either nothing is written (a dry run), everything
// or nothing (any bad row rolls the whole import back), or only the valid rows. One transaction.
import path from 'node:path';
import { and, inArray, like } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { assertCan, can, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, notFound, type FieldError } from '../platform/errors.ts';
import { readTableDetailed, type DetailedRow } from '../platform/tabular.ts';
import * as regionRepo from '../regions/repo.ts';
import { nextGridCode } from '../regions/rules.ts';
import { region } from '../regions/schema.ts';
import * as repo from './repo.ts';
import { countyRules, type CountyRules } from './service.ts';
import { Writer } from './import/apply.ts';
import { LEDGER_COLUMNS, categoryWords } from './import/cells.ts';
import { GridIndex, type GridRef, type VillageRef } from './import/grids.ts';
import { analyzeLedger } from './import/repo.ts';
import { Carry, checkRow, headerText, personKey, type LedgerRow, type RowContext } from './import/rows.ts';

export interface LedgerImportOptions {
  dryRun?: boolean;
  /** Import the valid rows and report the others; by default any bad row means nothing is imported. */
  validOnly?: boolean;
  /** Create the grids the file names that the village does not have yet. */
  createGrids?: boolean;
  /** The name the user knows the file by (an upload is stored under another). */
  fileName?: string;
  onProgress?: (p: ImportProgress) => void;
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

const CHUNK = 5000;

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
  if (!target || !target.path.startsWith(actor.regionPath) || !['county', 'township', 'village', 'grid'].includes(target.level))
    throw notFound();
  const setup = await prepare(ctx.db, target);
  if (opts.dryRun) return run(ctx, ctx.db, actor, file, setup, opts, false);
  let report: LedgerImportReport | undefined;
  try {
    await ctx.db.transaction(async (tx) => {
      report = await run(ctx, tx, actor, file, setup, opts, true);
      if (!report.committed) throw new Rollback();
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
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  // PGlite runs no autovacuum: without fresh statistics the ledger's lists would plan badly.
  if (report!.committed && report!.imported + report!.updated > 10_000) await analyzeLedger(ctx.db);
  return report!;
}

class Rollback extends Error {}

interface Setup {
  target: regionRepo.RegionRow;
  grids: GridIndex;
  rules: Map<string, CountyRules>;
  rowContext: Omit<RowContext, 'today'>;
}

async function prepare(ex: Executor, target: regionRepo.RegionRow): Promise<Setup> {
  // A grid as the target: its village's grids are read too, so that 第一网格 can be checked against it.
  const scopePath = target.level === 'grid' ? target.path.replace(/\d+\/$/, '') : target.path;
  const nodes = await ex
    .select()
    .from(region)
    .where(and(like(region.path, `${scopePath}%`), inArray(region.level, ['village', 'grid'])));
  const villages: VillageRef[] = nodes.filter((n) => n.level === 'village');
  const grids: GridRef[] = nodes
    .filter((n) => n.level === 'grid')
    .map((g) => ({ id: g.id, code: g.code, name: g.name, countyCode: g.countyCode!, villageId: g.parentId! }));
  const home =
    target.level === 'village' ? target : villages.find((v) => v.id === target.parentId && target.level === 'grid');
  const only = target.level === 'grid' ? grids.find((g) => g.id === target.id) : undefined;
  const index = new GridIndex(grids, villages, home ?? null, only ?? null);
  const counties = [...new Set([target.countyCode!, ...grids.map((g) => g.countyCode)])];
  const rules = new Map<string, CountyRules>();
  for (const c of counties) rules.set(c, await countyRules(ex, c));
  const cats = await repo.categoriesFor(ex, target.countyCode!);
  return {
    target,
    grids: index,
    rules,
    rowContext: {
      grids: index,
      categories: categoryWords(cats),
      categoryCodes: new Set(cats.map((c) => c.code)),
      rulesOf: (c) => rules.get(c) ?? rules.get(target.countyCode!)!,
    },
  };
}

/** The pass over the file: check each row, write in chunks (one in flight while the next is read). */
async function run(
  ctx: Ctx,
  ex: Executor,
  actor: Actor,
  file: string,
  setup: Setup,
  opts: LedgerImportOptions,
  write: boolean,
): Promise<LedgerImportReport> {
  const now = ctx.clock.now();
  const rowCtx: RowContext = { ...setup.rowContext, today: now };
  const invalid: FieldError[] = [];
  const warnings: FieldError[] = [];
  const seen = new Map<string, number>();
  const carry = new Carry();
  const gridsCreated: string[] = [];
  let writer: Writer | undefined;
  let rows = 0;
  let valid = 0;
  let chunk: LedgerRow[] = [];
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batch = chunk;
    chunk = [];
    await inflight;
    const mayWrite = opts.validOnly || invalid.length === 0;
    inflight = writer!.flush(batch, mayWrite).then((r) => {
      invalid.push(...r.errors);
      warnings.push(...r.warnings);
      valid -= r.errors.length;
    });
    inflight.catch(() => {}); // awaited below; this only keeps Node from calling it unhandled
  };
  let lastYield = performance.now();
  for await (const src of readTableDetailed(file, LEDGER_COLUMNS, {
    onProgress: (p) => opts.onProgress?.({ rows: p.rows, bytes: p.bytes, total: p.total }),
  })) {
    writer ??= new Writer(ex, {
      actor,
      write,
      mayOverride: can(actor, 'ledger.colour_override'),
      rulesOf: rowCtx.rulesOf,
      now,
      idColumn: headerText(src, 'idNumber'),
      colourColumn: headerText(src, 'colour'),
    });
    let checked = checkRow(src, carry, rowCtx);
    if (checked.kind === 'bad' && checked.newGrid && opts.createGrids && setup.grids.homeVillage) {
      await createGrid(ctx, ex, actor, setup, checked.newGrid, write, gridsCreated);
      checked = checkRow(src, carry, rowCtx);
    }
    if (checked.kind === 'skip') continue;
    rows++;
    if (checked.kind === 'bad') invalid.push(...checked.errors);
    else {
      const first = seen.get(personKey(checked.value));
      if (first !== undefined) invalid.push(duplicate(src, first));
      else {
        seen.set(personKey(checked.value), src.row);
        valid++;
        warnings.push(...checked.warnings);
        chunk.push(checked.value);
        if (chunk.length >= CHUNK) await flush();
      }
    }
    // Checking is CPU work on the main thread: let HTTP breathe every few milliseconds.
    if (performance.now() - lastYield > 8) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
  }
  if (chunk.length) await flush();
  await inflight;
  invalid.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const committed = write && (opts.validOnly || invalid.length === 0);
  return {
    rows,
    valid,
    imported: !write || committed ? (writer?.imported ?? 0) : 0,
    updated: !write || committed ? (writer?.updated ?? 0) : 0,
    households: !write || committed ? (writer?.householdsCreated ?? 0) : 0,
    gridsCreated,
    invalid,
    warnings,
    committed,
    dryRun: !write,
  };
}

function duplicate(src: DetailedRow, first: number): FieldError {
  const key = src.values.idNumber ? 'idNumber' : 'name';
  return { row: src.row, path: headerText(src, key), code: 'duplicate', params: { row: first } };
}

/** --create-grids: a grid the village lacks is added under it (in a dry run, only imagined). */
async function createGrid(
  ctx: Ctx,
  ex: Executor,
  actor: Actor,
  setup: Setup,
  label: string,
  write: boolean,
  created: string[],
): Promise<void> {
  const village = setup.grids.homeVillage!;
  const name = label.trim().slice(0, 50);
  if (!write) {
    setup.grids.add({ id: -1 - created.length, code: '', name, countyCode: setup.target.countyCode!, villageId: village.id });
    created.push(name);
    return;
  }
  const code = nextGridCode(village.code, await regionRepo.childCodes(ex, village.id));
  const row = await regionRepo.insertRegion(
    ex,
    { code, name, level: 'grid', parent: village, countyCode: setup.target.countyCode },
    ctx.clock.now(),
  );
  setup.grids.add({ id: row.id, code, name, countyCode: row.countyCode!, villageId: village.id });
  created.push(name);
  await audit(ex, ctx.clock, actor, {
    action: 'region.create',
    targetType: 'region',
    targetId: row.id,
    regionId: row.id,
    reason: '导入台账时创建 / created by a ledger import',
    after: { code, name, level: 'grid', parentId: village.id },
  });
}
