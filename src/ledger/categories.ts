// Key-population categories (重点人群类别): the national ones, read-only, and those a county adds —
// its names, the words an imported sheet may use for them (synonyms), whether they make a person
// key, and retirement: a retired category is offered for no new entry but stays on the residents
// who carry it (and keeps its name on their pages).
import type { Executor } from '../db/engine.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound, type FieldError } from '../platform/errors.ts';
import { toHalfWidth } from '../platform/identity.ts';
import { regionInScope } from '../regions/service.ts';
import { categoryWords, SEPARATORS } from './import/cells.ts';
import * as repo from './repo.ts';

/** A county category's code: what lists, filters and colour rules store. */
export const CATEGORY_CODE = /^[a-z0-9_]{2,40}$/;

export interface CategoryInput {
  nameZh: string;
  nameEn: string;
  /** Whether people in it count as key persons (paired, carded); default yes. */
  key?: boolean;
  /** Other words a sheet may use for it, e.g. 低保户. */
  synonyms?: string[];
  /** Made from the English name when not given. */
  code?: string;
}

export type CategoryPatch = Partial<Omit<CategoryInput, 'code'>> & { active?: boolean };

export interface CategoryView {
  code: string;
  nameZh: string;
  nameEn: string;
  key: boolean;
  synonyms: string[];
  sort: number;
  active: boolean;
  /** National categories are the same everywhere and read-only. */
  national: boolean;
}

const present = (c: repo.CategoryRow): CategoryView => ({
  code: c.code,
  nameZh: c.nameZh,
  nameEn: c.nameEn,
  key: c.key,
  synonyms: c.synonyms,
  sort: c.sort,
  active: c.active,
  national: c.countyCode === '',
});

/** Trims names and synonyms, drops empty and repeated synonyms; reports what cannot be stored. */
export function checkCategory<T extends CategoryPatch & { code?: string }>(
  input: T,
): { value: T; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const value = { ...input };
  const name = (key: 'nameZh' | 'nameEn', max: number) => {
    if (value[key] === undefined) return;
    const v = value[key].trim().replace(/\s+/g, ' ');
    if (!v) errors.push({ path: `/${key}`, code: 'required' });
    else if (v.length > max) errors.push({ path: `/${key}`, code: 'too_long', params: { max } });
    value[key] = v;
  };
  name('nameZh', 30);
  name('nameEn', 60);
  if (value.synonyms) {
    const seen = new Set<string>();
    const kept: string[] = [];
    for (const [i, raw] of value.synonyms.entries()) {
      const s = raw.trim();
      const k = normal(s);
      if (!s || seen.has(k)) continue;
      // The import splits a cell at these marks, so a synonym holding one could never match.
      if (SEPARATORS.test(toHalfWidth(s))) errors.push({ path: `/synonyms/${i}`, code: 'format' });
      else if (s.length > 30) errors.push({ path: `/synonyms/${i}`, code: 'too_long', params: { max: 30 } });
      seen.add(k);
      kept.push(s);
    }
    value.synonyms = kept;
  }
  if (value.code !== undefined) {
    value.code = value.code.trim();
    if (!CATEGORY_CODE.test(value.code)) errors.push({ path: '/code', code: 'format' });
  }
  return { value, errors };
}

/** How the import compares words: half-width, trimmed, lower case. */
const normal = (w: string) => toHalfWidth(w).trim().toLowerCase();

/**
 * The first of `words` that another category already answers to (its code, names or synonyms): an
 * imported cell holding it could not tell the two apart.
 */
export function clashOf(
  words: string[],
  others: repo.CategoryRow[],
): { word: string; other: repo.CategoryRow } | null {
  const taken = categoryWords(others);
  for (const word of words) {
    const i = taken.findIndex((t) => t.words.includes(normal(word)));
    if (i >= 0) return { word, other: others[i]! };
  }
  return null;
}

/** A code from the English name (elderly_poor), made unique with _2, _3 … if needed. */
export function codeFor(nameEn: string, others: repo.CategoryRow[]): string {
  const slug = nameEn
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 36);
  const base = CATEGORY_CODE.test(slug) ? slug : 'category';
  for (let n = 1; ; n++) {
    const code = n === 1 ? base : `${base}_${n}`;
    if (!clashOf([code], others)) return code;
  }
}

const wordsOf = (c: Pick<repo.CategoryRow, 'code' | 'nameZh' | 'nameEn' | 'synonyms'>) => [
  c.code,
  c.nameZh,
  c.nameEn,
  ...c.synonyms,
];

function assertNoClash(words: string[], others: repo.CategoryRow[]): void {
  const clash = clashOf(words, others);
  if (clash) {
    throw new DomainError('ledger.category_exists', {
      word: clash.word,
      name: { zh: clash.other.nameZh, en: clash.other.nameEn },
    });
  }
}

/**
 * The county a region lies in, for changing its categories: only an account scoped to a county or
 * above may (they apply to the whole county).
 * @throws not_found | ledger.category_scope
 */
async function countyForChange(ex: Executor, actor: Actor, regionId: number) {
  const node = await regionInScope(ex, actor, regionId);
  if (!node) throw notFound();
  if (!node.countyCode) throw new DomainError('ledger.category_scope');
  const scope = actor.regionPath === '/' ? null : await regionInScope(ex, actor, actor.regionId);
  if (scope && !['province', 'city', 'county'].includes(scope.level))
    throw new DomainError('ledger.category_scope');
  return { node, countyCode: node.countyCode };
}

/**
 * The categories in force where a region lies: the national ones, then the county's (retired ones
 * included, marked).
 * @throws not_found
 */
export async function listCategories(ctx: Ctx, actor: Actor, regionId: number): Promise<CategoryView[]> {
  const node = await regionInScope(ctx.db, actor, regionId);
  if (!node) throw notFound();
  return (await repo.categoriesFor(ctx.db, node.countyCode ?? '')).map(present);
}

/**
 * Adds a county category.
 * @throws forbidden | not_found | ledger.category_scope | validation_failed |
 *   ledger.category_exists (its code, a name or a synonym is another category's word, national ones included)
 */
export async function addCategory(
  ctx: Ctx,
  actor: Actor,
  regionId: number,
  input: CategoryInput,
): Promise<CategoryView> {
  assertCan(actor, 'ledger.rules');
  const { value, errors } = checkCategory(input);
  if (errors.length) throw invalid(errors);
  return ctx.db.transaction(async (tx) => {
    const { node, countyCode } = await countyForChange(tx, actor, regionId);
    await repo.lockCountyCategories(tx, countyCode);
    const others = await repo.categoriesFor(tx, countyCode);
    const code = value.code ?? codeFor(value.nameEn, others);
    const synonyms = value.synonyms ?? [];
    assertNoClash(wordsOf({ code, nameZh: value.nameZh, nameEn: value.nameEn, synonyms }), others);
    const row = await repo.insertCategory(tx, {
      countyCode,
      code,
      nameZh: value.nameZh,
      nameEn: value.nameEn,
      key: value.key ?? true,
      synonyms,
      sort: Math.max(100, ...others.map((o) => o.sort + 10)),
      active: true,
    });
    await audit(tx, ctx.clock, actor, {
      action: 'ledger.category_add',
      targetType: 'category',
      targetId: `${countyCode}:${code}`,
      regionId: node.id,
      after: present(row),
    });
    return present(row);
  });
}

/**
 * Renames a county category, changes its synonyms or key flag, retires or restores it.
 * @throws forbidden | not_found | ledger.category_scope | validation_failed | ledger.category_exists |
 *   ledger.category_national (the national ones are the same everywhere)
 */
export async function updateCategory(
  ctx: Ctx,
  actor: Actor,
  regionId: number,
  code: string,
  patch: CategoryPatch,
): Promise<CategoryView> {
  assertCan(actor, 'ledger.rules');
  const { value, errors } = checkCategory(patch);
  if (errors.length) throw invalid(errors);
  return ctx.db.transaction(async (tx) => {
    const { node, countyCode } = await countyForChange(tx, actor, regionId);
    await repo.lockCountyCategories(tx, countyCode);
    const all = await repo.categoriesFor(tx, countyCode);
    const before = all.find((c) => c.code === code && c.countyCode === countyCode);
    if (!before) {
      const national = all.find((c) => c.code === code);
      if (national)
        throw new DomainError('ledger.category_national', {
          name: { zh: national.nameZh, en: national.nameEn },
        });
      throw notFound();
    }
    const next = { ...before, ...value };
    assertNoClash(
      wordsOf(next),
      all.filter((c) => c !== before),
    );
    const row = await repo.updateCategory(tx, countyCode, code, {
      nameZh: next.nameZh,
      nameEn: next.nameEn,
      key: next.key,
      synonyms: next.synonyms,
      active: next.active,
    });
    await audit(tx, ctx.clock, actor, {
      action:
        next.active === before.active
          ? 'ledger.category_update'
          : next.active
            ? 'ledger.category_restore'
            : 'ledger.category_retire',
      targetType: 'category',
      targetId: `${countyCode}:${code}`,
      regionId: node.id,
      before: present(before),
      after: present(row!),
    });
    return present(row!);
  });
}
