// Importing the staff register (.xlsx/.csv: 姓名, 手机号, 身份, 所在单位, 所属村/网格, 居住社区) into a
// region: every row checked and reported by its Excel row number, then all of it or nothing, in one
// transaction. A dry run is the same run rolled back. A mobile already registered in the county is
// that member, updated, never a second one.
import path from 'node:path';
import { and, inArray, like } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { GridIndex, type GridRef, type VillageRef } from '../ledger/import/grids.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { notFound, type FieldError } from '../platform/errors.ts';
import { normalizeMobile, toHalfWidth } from '../platform/identity.ts';
import { readTableDetailed, type ColumnSpec, type DetailedRow } from '../platform/tabular.ts';
import * as regionRepo from '../regions/repo.ts';
import { region } from '../regions/schema.ts';
import * as repo from './repo.ts';
import { ROLE_WORD_EXAMPLES, SERVING_LEVELS, parseRoles } from './rules.ts';
import type { MemberRole } from './schema.ts';
import { persistMember } from './service.ts';
import { insertUnit } from './units.ts';

export const MEMBER_COLUMNS: ColumnSpec[] = [
  { key: 'name', synonyms: ['姓名', '人员姓名', '党员姓名', 'name'], required: true },
  {
    key: 'mobile',
    synonyms: ['手机号', '手机号码', '联系电话', '电话', '电话号码', '联系方式', 'mobile', 'phone'],
    required: true,
  },
  {
    key: 'roles',
    synonyms: ['身份', '角色', '人员类别', '人员身份', '身份类别', '类别', 'roles', 'role'],
    required: true,
  },
  { key: 'unit', synonyms: ['所在单位', '工作单位', '单位', '单位名称', 'unit'] },
  { key: 'village', synonyms: ['所属村', '服务村', '所属社区', '包联村', 'village'] },
  { key: 'grid', synonyms: ['所属网格', '服务网格', '网格', 'grid'] },
  { key: 'home', synonyms: ['居住社区', '报到社区', '居住村', '双报到社区', 'home'] },
  { key: 'capacity', synonyms: ['包联上限', '包联户数上限', 'capacity'] },
];

export interface MemberImportOptions {
  dryRun?: boolean;
  /** Add the units the file names that do not exist yet (at the target region). */
  createUnits?: boolean;
  fileName?: string;
  /** Awaited inside the import's transaction once it will commit (an import job writes its end there). */
  onCommit?: (tx: Executor, report: MemberImportReport) => Promise<void>;
}

export interface MemberImportReport {
  rows: number;
  valid: number;
  created: number;
  updated: number;
  unchanged: number;
  unitsCreated: string[];
  invalid: FieldError[];
  committed: boolean;
  dryRun: boolean;
}

interface Parsed {
  row: number;
  /** The file's own words for the columns a later check may report. */
  columns: { mobile: string; unit: string };
  name: string;
  mobile: string;
  roles: MemberRole[];
  /** Null when the row names no village or grid: the target, or where an existing member serves. */
  regionId: number | null;
  unitName: string | null;
  homeRegionId: number | null;
  capacity: number | null;
}

interface Setup {
  target: regionRepo.RegionRow;
  grids: GridIndex;
  villages: (VillageRef & { countyCode: string | null })[];
  homes: VillageRef[];
  units: Map<string, (repo.UnitRow & { regionPath: string })[]>;
}

class Rollback extends Error {}

/**
 * @throws forbidden | not_found (region outside scope) | import.unreadable | import.header_missing
 */
export async function importMembers(
  ctx: Ctx,
  actor: Actor,
  file: string,
  regionCode: string,
  opts: MemberImportOptions = {},
): Promise<MemberImportReport> {
  assertCan(actor, 'staff.import');
  if (opts.createUnits) assertCan(actor, 'staff.write');
  const target = await regionRepo.findByCode(ctx.db, regionCode.trim());
  if (!target || !target.path.startsWith(actor.regionPath) || !SERVING_LEVELS.includes(target.level))
    throw notFound();
  const setup = await prepare(ctx.db, actor, target);
  const invalid: FieldError[] = [];
  const parsed: Parsed[] = [];
  const seen = new Map<string, number>();
  let rows = 0;
  for await (const src of readTableDetailed(file, MEMBER_COLUMNS)) {
    // Totals rows (合计 in any cell) and a header repeated on a later page are not people.
    if (src.cells.some((cell) => /^\s*(合计|小计|总计)/.test(cell)) || src.values.name === '姓名') continue;
    rows++;
    const r = parseRow(src, setup);
    if ('errors' in r) invalid.push(...r.errors);
    else if (seen.has(r.mobile))
      invalid.push({
        row: r.row,
        path: r.columns.mobile,
        code: 'duplicate',
        params: { row: seen.get(r.mobile)! },
      });
    else {
      seen.set(r.mobile, r.row);
      parsed.push(r);
    }
  }
  let report: MemberImportReport | undefined;
  try {
    await ctx.db.transaction(async (tx) => {
      const applied = await apply(ctx, tx, actor, setup, parsed, opts);
      invalid.push(...applied.errors);
      invalid.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      const committed = !opts.dryRun && invalid.length === 0;
      const valid = rows - new Set(invalid.map((e) => e.row)).size;
      report = { rows, valid, ...applied.counts, invalid, committed, dryRun: !!opts.dryRun };
      if (!committed) throw new Rollback();
      await audit(tx, ctx.clock, actor, {
        action: 'member.import',
        targetType: 'region',
        targetId: target.id,
        regionId: target.id,
        after: { file: opts.fileName ?? path.basename(file), rows, ...applied.counts },
      });
      await opts.onCommit?.(tx, report);
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return report!;
}

async function prepare(ex: Executor, actor: Actor, target: regionRepo.RegionRow): Promise<Setup> {
  // A grid as the target: its village's grids are read too, so that 第一网格 can be checked against it.
  const scopePath = target.level === 'grid' ? target.path.replace(/\d+\/$/, '') : target.path;
  const [nodes, homes, units] = await Promise.all([
    ex
      .select()
      .from(region)
      .where(and(like(region.path, `${scopePath}%`), inArray(region.level, ['village', 'grid']))),
    ex
      .select()
      .from(region)
      .where(and(like(region.path, `${actor.regionPath}%`), inArray(region.level, ['village']))),
    repo.listUnits(ex, actor.regionPath),
  ]);
  const villages = nodes.filter((n) => n.level === 'village');
  const grids: GridRef[] = nodes
    .filter((n) => n.level === 'grid')
    .map((g) => ({
      id: g.id,
      code: g.code,
      name: g.name,
      countyCode: g.countyCode!,
      villageId: g.parentId!,
    }));
  const home = target.level === 'village' ? target : villages.find((v) => v.id === target.parentId);
  const only = target.level === 'grid' ? grids.find((g) => g.id === target.id) : undefined;
  const byName = new Map<string, (repo.UnitRow & { regionPath: string })[]>();
  for (const u of units)
    byName.set(u.unit.name, [...(byName.get(u.unit.name) ?? []), { ...u.unit, regionPath: u.regionPath }]);
  return {
    target,
    grids: new GridIndex(grids, villages, home ?? null, only ?? null),
    villages: target.level === 'grid' ? [] : villages,
    homes: [...villages, ...homes.filter((h) => !villages.some((v) => v.id === h.id))],
    units: byName,
  };
}

function headerText(src: DetailedRow, key: string): string {
  const idx = src.header.columns.get(key);
  const written = idx === undefined ? '' : (src.header.cells[idx] ?? '').trim();
  return written || (MEMBER_COLUMNS.find((c) => c.key === key)?.synonyms[0] ?? key);
}

/** One row checked on its own: the cells, and the regions it names found under the target. */
function parseRow(src: DetailedRow, setup: Setup): Parsed | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const v = src.values;
  const bad = (key: string, code: string, params?: FieldError['params']) =>
    errors.push({ row: src.row, path: headerText(src, key), code, params } as FieldError);
  const name = (v.name ?? '').replace(/\s+/g, ' ');
  if (!name) bad('name', 'required');
  else if (name.length > 50) bad('name', 'too_long', { max: 50 });
  const mobile = normalizeMobile(v.mobile ?? '');
  if (!v.mobile) bad('mobile', 'required');
  else if (!mobile) bad('mobile', 'mobile_invalid', { value: v.mobile });
  const { roles, unknown } = parseRoles(v.roles ?? '');
  if (unknown.length)
    bad('roles', 'role_unknown', { words: unknown.join('、'), allowed: ROLE_WORD_EXAMPLES });
  else if (!roles.length) bad('roles', 'required');
  const regionId = resolveRegion(v.grid ?? '', v.village ?? '', setup, bad);
  let homeRegionId: number | null = null;
  if (v.home) {
    const found = findVillage(setup.homes, v.home);
    if (found === 'many') bad('home', 'region_ambiguous', { name: v.home });
    else if (!found)
      bad('home', 'region_unknown', { name: v.home, target: { zh: '本辖区', en: 'your area' } });
    else homeRegionId = found.id;
  }
  const capacity = v.capacity ? Number(toHalfWidth(v.capacity)) : null;
  if (capacity !== null && !(Number.isInteger(capacity) && capacity >= 0 && capacity <= 100_000))
    bad('capacity', 'range');
  const unitName = v.unit?.replace(/\s+/g, ' ') || null;
  if (unitName && (setup.units.get(unitName)?.length ?? 0) > 1 && !pickUnit(setup, unitName))
    bad('unit', 'unit_ambiguous', { unit: unitName });
  if (errors.length || regionId === undefined) return { errors };
  return {
    row: src.row,
    columns: { mobile: headerText(src, 'mobile'), unit: headerText(src, 'unit') },
    name,
    mobile: mobile!,
    roles,
    regionId,
    unitName,
    homeRegionId,
    capacity,
  };
}

/** The grid or village a row names (undefined after reporting it), or null when it names none. */
function resolveRegion(
  gridCell: string,
  villageCell: string,
  setup: Setup,
  bad: (key: string, code: string, params?: FieldError['params']) => void,
): number | null | undefined {
  const target = { zh: setup.target.name, en: setup.target.name };
  if (gridCell) {
    const grid = setup.grids.resolve(gridCell, villageCell);
    if (!grid) bad('grid', 'region_unknown', { name: gridCell, target });
    return grid?.id;
  }
  // Into one grid, a village cell adds nothing: everyone serves in that grid.
  if (!villageCell || setup.target.level === 'grid') return null;
  const found = findVillage(setup.villages, villageCell);
  if (found === 'many') bad('village', 'region_ambiguous', { name: villageCell });
  else if (!found) bad('village', 'region_unknown', { name: villageCell, target });
  return found && found !== 'many' ? found.id : undefined;
}

const stem = (name: string) => name.replace(/(村民委员会|居民委员会|村委会|居委会|社区|村)$/, '');

function findVillage<V extends VillageRef>(villages: V[], label: string): V | 'many' | undefined {
  const s = toHalfWidth(label).replace(/\s/g, '');
  const byCode = villages.find((v) => v.code === s);
  if (byCode) return byCode;
  const hits = villages.filter((v) => v.name === s || (stem(s) !== '' && stem(v.name) === stem(s)));
  const exact = hits.filter((v) => v.name === s);
  const pick = exact.length ? exact : hits;
  return pick.length > 1 ? 'many' : pick[0];
}

/** Of several units of one name, the one nearest above the target (a county bureau over a township). */
function pickUnit(setup: Setup, name: string): repo.UnitRow | undefined {
  const all = setup.units.get(name) ?? [];
  if (all.length === 1) return all[0];
  const above = all
    .filter((u) => setup.target.path.startsWith(u.regionPath))
    .sort((a, b) => b.regionPath.length - a.regionPath.length);
  if (above.length && above[0]!.regionPath !== above[1]?.regionPath) return above[0];
  return undefined;
}

/** Writes the parsed rows (in the caller's transaction); rows that clash come back as errors. */
async function apply(
  ctx: Ctx,
  tx: Executor,
  actor: Actor,
  setup: Setup,
  parsed: Parsed[],
  opts: MemberImportOptions,
) {
  const errors: FieldError[] = [];
  const counts = { created: 0, updated: 0, unchanged: 0, unitsCreated: [] as string[] };
  const countyCode = setup.target.countyCode!;
  const reason = `导入 / import: ${opts.fileName ?? 'file'}`;
  for (const p of parsed) {
    const unitId = await unitFor(ctx, tx, actor, setup, p, opts, counts.unitsCreated, errors);
    if (unitId === undefined) continue;
    const existing = await repo.findMemberByMobile(tx, countyCode, p.mobile);
    if (existing && !existing.regionPath.startsWith(actor.regionPath)) {
      errors.push({ row: p.row, path: p.columns.mobile, code: 'mobile_elsewhere' });
      continue;
    }
    const stays = existing && existing.regionPath.startsWith(setup.target.path);
    const values = {
      name: p.name,
      mobile: p.mobile,
      roles: p.roles,
      regionId: p.regionId ?? (stays ? existing.regionId : setup.target.id),
      countyCode,
      unitId: unitId ?? existing?.unitId ?? null,
      homeRegionId: p.homeRegionId ?? existing?.homeRegionId ?? null,
      capacity: p.capacity ?? existing?.capacity ?? null,
      accountId: existing?.accountId ?? null,
    };
    if (existing && sameMember(existing, values)) counts.unchanged++;
    else {
      await persistMember(ctx, tx, actor, existing, values, reason);
      counts[existing ? 'updated' : 'created']++;
    }
  }
  return { errors, counts };
}

/** The unit a row names: found, created (--create-units) or reported; null when none is named. */
async function unitFor(
  ctx: Ctx,
  tx: Executor,
  actor: Actor,
  setup: Setup,
  p: Parsed,
  opts: MemberImportOptions,
  created: string[],
  errors: FieldError[],
): Promise<number | null | undefined> {
  if (!p.unitName) return null;
  const found = pickUnit(setup, p.unitName);
  if (found) return found.id;
  if (!opts.createUnits) {
    errors.push({ row: p.row, path: p.columns.unit, code: 'unit_unknown', params: { unit: p.unitName } });
    return undefined;
  }
  const v = { name: p.unitName, regionId: setup.target.id, parentId: null };
  const row = await insertUnit(ctx, tx, actor, {
    ...v,
    partyOrgName: null,
    partyOrgContact: null,
    partyOrgMobile: null,
  });
  setup.units.set(p.unitName, [{ ...row, regionPath: setup.target.path }]);
  created.push(p.unitName);
  return row.id;
}

function sameMember(a: repo.MemberRow, b: Omit<repo.MemberRow, 'id' | 'active' | 'createdAt' | 'updatedAt'>) {
  return (
    a.name === b.name &&
    a.regionId === b.regionId &&
    a.unitId === b.unitId &&
    a.homeRegionId === b.homeRegionId &&
    a.capacity === b.capacity &&
    a.roles.join() === b.roles.join()
  );
}
