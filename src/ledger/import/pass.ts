// One pass over a ledger file: each row checked (household cells carried down, duplicates caught),
// the good ones written a chunk at a time with one chunk in flight while the next is read, and
// the main thread given back to HTTP every few milliseconds.
import { and, inArray, like } from 'drizzle-orm';
import type { Executor } from '../../db/engine.ts';
import { can, type Actor } from '../../platform/access.ts';
import { audit } from '../../platform/audit/service.ts';
import type { Ctx } from '../../platform/context.ts';
import type { FieldError } from '../../platform/errors.ts';
import { nextTurn, Pacer } from '../../platform/pacer.ts';
import type { DetailedRow } from '../../platform/tabular.ts';
import * as regionRepo from '../../regions/repo.ts';
import { nextGridCode } from '../../regions/rules.ts';
import { region } from '../../regions/schema.ts';
import type { LedgerImportOptions, LedgerImportReport } from '../import.ts';
import * as repo from '../repo.ts';
import { countyRules, type CountyRules } from '../service.ts';
import { Writer } from './apply.ts';
import { categoryWords } from './cells.ts';
import { GridIndex, type GridRef, type VillageRef } from './grids.ts';
import { Carry, checkRow, headerText, personKey, type LedgerRow, type RowContext } from './rows.ts';
import { SeenPeople } from './seen.ts';

// Rows written per chunk. Each chunk is a few round trips whose every step waits for the main thread
// to come back from checking rows, so PostgreSQL loads faster in bigger chunks (1 M rows: the
// reading and writing took 27.6–30.0 s in chunks of 2,000, 30.6–32.6 s in chunks of 1,000). On
// PGlite the speed is the same, but planning and encoding a chunk is one stretch of main thread:
// the worst stall was 31–33 ms with 2,000 and 24 ms with 1,000 (115 ms with 2,500, long ago).
const CHUNK = { postgres: 2000, pglite: 1000 } as const;

export interface Setup {
  target: regionRepo.RegionRow;
  grids: GridIndex;
  rules: Map<string, CountyRules>;
  rowContext: Omit<RowContext, 'today'>;
}

// On a cold process each step of prepare is tens of milliseconds of main thread: a turn between them.
export async function prepare(ex: Executor, target: regionRepo.RegionRow): Promise<Setup> {
  // A grid as the target: its village's grids are read too, so that 第一网格 can be checked against it.
  const scopePath = target.level === 'grid' ? target.path.replace(/\d+\/$/, '') : target.path;
  const nodes = await ex
    .select()
    .from(region)
    .where(and(like(region.path, `${scopePath}%`), inArray(region.level, ['village', 'grid'])));
  await nextTurn();
  const villages: VillageRef[] = nodes.filter((n) => n.level === 'village');
  const grids: GridRef[] = nodes
    .filter((n) => n.level === 'grid')
    .map((g) => ({
      id: g.id,
      code: g.code,
      name: g.name,
      countyCode: g.countyCode!,
      villageId: g.parentId!,
    }));
  const home =
    target.level === 'village'
      ? target
      : villages.find((v) => v.id === target.parentId && target.level === 'grid');
  const only = target.level === 'grid' ? grids.find((g) => g.id === target.id) : undefined;
  const index = new GridIndex(grids, villages, home ?? null, only ?? null);
  await nextTurn();
  const counties = [...new Set([target.countyCode!, ...grids.map((g) => g.countyCode)])];
  const rules = new Map<string, CountyRules>();
  for (const c of counties) rules.set(c, await countyRules(ex, c));
  // A sheet may name a county's own categories by name or synonym; retired ones are no longer given.
  const cats = (await repo.categoriesFor(ex, target.countyCode!)).filter((c) => c.active);
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

export class ImportPass {
  private invalid: FieldError[] = [];
  private warnings: FieldError[] = [];
  private seen = new SeenPeople();
  private carry = new Carry();
  private gridsCreated: string[] = [];
  private writer: Writer | undefined;
  private rows = 0;
  private valid = 0;
  private chunk: LedgerRow[] = [];
  private inflight: Promise<void> = Promise.resolve();
  /** Shared with the writer: both work on the main thread for the same import. */
  private pacer = new Pacer();
  private rowCtx: RowContext;

  constructor(
    private ctx: Ctx,
    private ex: Executor,
    private actor: Actor,
    private setup: Setup,
    private opts: LedgerImportOptions,
    private write: boolean,
    /** The resident table was empty when this (locked, initial) load began. */
    private emptyLedger = false,
  ) {
    this.rowCtx = { ...setup.rowContext, today: ctx.clock.now() };
  }

  async row(src: DetailedRow): Promise<void> {
    this.writer ??= new Writer(this.ex, {
      actor: this.actor,
      write: this.write,
      emptyLedger: this.emptyLedger,
      mayOverride: can(this.actor, 'ledger.colour_override'),
      rulesOf: this.rowCtx.rulesOf,
      now: this.rowCtx.today,
      idColumn: headerText(src, 'idNumber'),
      colourColumn: headerText(src, 'colour'),
      pacer: this.pacer,
    });
    let checked = checkRow(src, this.carry, this.rowCtx);
    if (checked.kind === 'bad' && checked.newGrid && this.opts.createGrids && this.setup.grids.homeVillage) {
      await createGrid(
        this.ctx,
        this.ex,
        this.actor,
        this.setup,
        checked.newGrid,
        this.write,
        this.gridsCreated,
      );
      checked = checkRow(src, this.carry, this.rowCtx);
    }
    if (checked.kind === 'skip') return;
    this.rows++;
    if (checked.kind === 'bad') this.invalid.push(...checked.errors);
    else {
      const key = personKey(checked.value);
      const first = this.seen.get(key);
      if (first !== undefined) this.invalid.push(duplicate(src, first));
      else {
        this.seen.set(key, src.row);
        this.valid++;
        this.warnings.push(...checked.warnings);
        this.chunk.push(checked.value);
        if (this.chunk.length >= CHUNK[this.ctx.engine]) await this.flush();
      }
    }
    // Checking is CPU work on the main thread: HTTP gets a turn every 4 ms (see Pacer).
    if (this.pacer.due) await this.pacer.turn();
  }

  /** Hands the chunk to the writer once the previous one is written; reading goes on meanwhile. */
  private async flush(): Promise<void> {
    const batch = this.chunk;
    this.chunk = [];
    await this.inflight;
    // All or nothing: once a row is bad, later chunks are only judged (the transaction rolls back).
    const mayWrite = this.opts.validOnly || this.invalid.length === 0;
    this.inflight = this.writer!.flush(batch, mayWrite).then((r) => {
      this.invalid.push(...r.errors);
      this.warnings.push(...r.warnings);
      this.valid -= r.errors.length;
    });
    this.inflight.catch(() => {}); // awaited later; this only keeps Node from calling it unhandled
  }

  async finish(): Promise<LedgerImportReport> {
    if (this.chunk.length) await this.flush();
    await this.inflight;
    this.invalid.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const committed = this.write && (this.opts.validOnly || this.invalid.length === 0);
    const counted = !this.write || committed;
    return {
      rows: this.rows,
      valid: this.valid,
      imported: counted ? (this.writer?.imported ?? 0) : 0,
      updated: counted ? (this.writer?.updated ?? 0) : 0,
      households: counted ? (this.writer?.householdsCreated ?? 0) : 0,
      gridsCreated: this.gridsCreated,
      invalid: this.invalid,
      warnings: this.warnings,
      committed,
      dryRun: !this.write,
    };
  }
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
    setup.grids.add({
      id: -1 - created.length,
      code: '',
      name,
      countyCode: setup.target.countyCode!,
      villageId: village.id,
    });
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
