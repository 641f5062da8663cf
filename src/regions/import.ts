// Importing the region tree from the statistics bureau's list (.csv or .xlsx with columns
// 区划代码/名称 or code/name): everything is checked first, then committed whole or not at all.
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, type FieldError } from '../platform/errors.ts';
import { readTable, type ColumnSpec } from '../platform/tabular.ts';
import * as repo from './repo.ts';
import { SIGNIFICANT, checkCode, mayBeRoot } from './rules.ts';

export const REGION_COLUMNS: ColumnSpec[] = [
  { key: 'code', synonyms: ['区划代码', '统计用区划代码', '代码', '编码', 'code'], required: true },
  { key: 'name', synonyms: ['名称', '区划名称', '单位名称', '网格名称', 'name'], required: true },
];

export interface RegionImportReport {
  rows: number;
  valid: number;
  created: number;
  renamed: number;
  unchanged: number;
  invalid: FieldError[];
  committed: boolean;
}

/**
 * Checks every row, then (unless a dry run) adds the new regions and renames the changed ones
 * in one transaction. Parents may come from the database or from earlier rows of the file.
 * @throws import.unreadable | import.header_missing | import.rows_invalid (with every bad row)
 */
export async function importRegions(
  ctx: Ctx,
  actor: Actor,
  file: string,
  opts: { dryRun?: boolean } = {},
): Promise<RegionImportReport> {
  assertCan(actor, 'region.write');
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  const parsed: (repo.TreeRow & { row: number })[] = [];
  let rows = 0;
  for await (const { row, values } of readTable(file, REGION_COLUMNS)) {
    rows++;
    const code = values.code ?? '';
    const name = (values.name ?? '').replace(/\s+/g, ' ');
    if (/合计|小计|总计/.test(code + name) && !/^\d+$/.test(code)) continue;
    const checked = checkCode(code);
    if (!checked.ok) {
      errors.push({ row, path: 'code', code: 'code_invalid', params: { reason: checked.reason } });
      continue;
    }
    if (!name) {
      errors.push({ row, path: 'name', code: 'required' });
      continue;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      errors.push({ row, path: 'code', code: 'duplicate', params: { row: first } });
      continue;
    }
    seen.set(code, row);
    parsed.push({
      row,
      code,
      name,
      level: checked.level,
      countyCode: checked.countyCode,
      parentCode: checked.parentCode,
    });
  }
  parsed.sort((a, b) => SIGNIFICANT[a.level] - SIGNIFICANT[b.level] || a.code.localeCompare(b.code));

  return ctx.db.transaction(async (tx) => {
    const existing = new Map(
      (
        await repo.findByCodes(
          tx,
          parsed.flatMap((p) => [p.code, p.parentCode ?? '']),
        )
      ).map((r) => [r.code, r]),
    );
    const fresh: repo.TreeRow[] = [];
    const renames: { id: number; from: string; to: string }[] = [];
    const inFile = new Set<string>();
    let unchanged = 0;
    for (const p of parsed) {
      const parentKnown = p.parentCode !== null && (existing.has(p.parentCode) || inFile.has(p.parentCode));
      const parentRow = p.parentCode === null ? undefined : existing.get(p.parentCode);
      if (parentRow && !parentRow.path.startsWith(actor.regionPath)) {
        errors.push({
          row: p.row,
          path: 'code',
          code: 'parent_missing',
          params: { parent: p.parentCode ?? '' },
        });
        continue;
      }
      const current = existing.get(p.code);
      if (current) {
        if (!current.path.startsWith(actor.regionPath)) {
          errors.push({
            row: p.row,
            path: 'code',
            code: 'parent_missing',
            params: { parent: p.parentCode ?? '' },
          });
        } else if (current.name === p.name) unchanged++;
        else renames.push({ id: current.id, from: current.name, to: p.name });
        inFile.add(p.code);
        continue;
      }
      if (!parentKnown && !(mayBeRoot(p.level) && actor.role === 'admin' && actor.regionPath === '/')) {
        errors.push({
          row: p.row,
          path: 'code',
          code: 'parent_missing',
          params: { parent: p.parentCode ?? '' },
        });
        continue;
      }
      // A root-capable node whose parent is not known becomes a root.
      fresh.push({ ...p, parentCode: parentKnown ? p.parentCode : null });
      inFile.add(p.code);
    }
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const report: RegionImportReport = {
      rows,
      valid: rows - errors.length,
      created: fresh.length,
      renamed: renames.length,
      unchanged,
      invalid: errors,
      committed: false,
    };
    if (opts.dryRun) return report;
    if (errors.length) throw new DomainError('import.rows_invalid', { count: errors.length, rows }, errors);
    const at = ctx.clock.now();
    await repo.insertTree(tx, fresh, at);
    for (const r of renames) await repo.renameRegion(tx, r.id, r.to, at);
    await audit(tx, ctx.clock, actor, {
      action: 'region.import',
      targetType: 'region',
      regionId: actor.regionId || null,
      after: { file: file.split(/[\\/]/).pop(), created: fresh.length, renamed: renames },
    });
    return { ...report, committed: true };
  });
}
