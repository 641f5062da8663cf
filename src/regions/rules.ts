// Pure rules of the region tree: what a 统计用区划代码 says about its level and parent, which level
// may sit under which, and how a grid's code is made. No I/O.
import type { RegionLevel } from './schema.ts';

/** How many leading digits of a code are significant at each level. */
export const SIGNIFICANT: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
  grid: 15,
};

/** The levels a node of each level may sit under; null means it may be a root. */
const PARENT_LEVELS: Record<RegionLevel, readonly (RegionLevel | null)[]> = {
  province: [null],
  city: ['province', null],
  county: ['city', null],
  township: ['county'],
  village: ['township'],
  grid: ['village'],
};

export type CodeCheck =
  | { ok: true; level: RegionLevel; parentCode: string | null; countyCode: string | null }
  | { ok: false; reason: { zh: string; en: string } };

const bad = (zh: string, en: string): CodeCheck => ({ ok: false, reason: { zh, en } });

/**
 * Reads a region code: 12 digits (province, city, county, township or village, by where the
 * zeros start) or 15 digits for a grid (its village's code plus a 3-digit number).
 */
export function checkCode(raw: string): CodeCheck {
  const code = raw.trim();
  if (!/^\d+$/.test(code)) return bad('只能包含数字', 'digits only');
  if (code.length !== 12 && code.length !== 15)
    return bad('应为 12 位（网格 15 位）', 'needs 12 digits (15 for a grid)');
  if (code.slice(0, 2) === '00') return bad('省级代码不能为 00', 'the province part cannot be 00');
  const level = levelOf(code);
  if (!level) return bad('各级代码之间不能有空缺', 'a level in the middle of the code is zero');
  const countyCode = SIGNIFICANT[level] >= 6 ? code.slice(0, 6) : null;
  return { ok: true, level, parentCode: parentCodeOf(code, level), countyCode };
}

function levelOf(code: string): RegionLevel | null {
  if (code.length === 15) {
    return code.slice(12) !== '000' && levelOf(code.slice(0, 12)) === 'village' ? 'grid' : null;
  }
  const parts = [code.slice(2, 4), code.slice(4, 6), code.slice(6, 9), code.slice(9, 12)];
  const levels: RegionLevel[] = ['city', 'county', 'township', 'village'];
  let level: RegionLevel = 'province';
  for (let i = 0; i < parts.length; i++) {
    const zero = /^0+$/.test(parts[i] ?? '');
    if (zero) {
      // Everything after the first zero part must be zero too.
      return parts.slice(i).every((p) => /^0+$/.test(p)) ? level : null;
    }
    level = levels[i] ?? level;
  }
  return level;
}

/** The code of the node's parent by the code's own structure; null for a province. */
export function parentCodeOf(code: string, level: RegionLevel): string | null {
  switch (level) {
    case 'province':
      return null;
    case 'city':
      return code.slice(0, 2).padEnd(12, '0');
    case 'county':
      return code.slice(0, 4).padEnd(12, '0');
    case 'township':
      return code.slice(0, 6).padEnd(12, '0');
    case 'village':
      return code.slice(0, 9).padEnd(12, '0');
    case 'grid':
      return code.slice(0, 12);
  }
}

export function mayBeRoot(level: RegionLevel): boolean {
  return PARENT_LEVELS[level].includes(null);
}

export function maySitUnder(child: RegionLevel, parent: RegionLevel): boolean {
  return PARENT_LEVELS[child].includes(parent);
}

/** The level a child created under a node of this level takes; null under a grid. */
export function childLevelOf(parent: RegionLevel): RegionLevel | null {
  const order: RegionLevel[] = ['province', 'city', 'county', 'township', 'village', 'grid'];
  return order[order.indexOf(parent) + 1] ?? null;
}

/** The next free grid code under a village, given the codes its grids already use. */
export function nextGridCode(villageCode: string, taken: readonly string[]): string {
  const used = new Set(taken.map((c) => Number(c.slice(12))));
  for (let n = 1; n < 1000; n++) {
    if (!used.has(n)) return villageCode + String(n).padStart(3, '0');
  }
  throw new Error(`No free grid code under ${villageCode}`);
}

/**
 * A moved node's descendants keep their own digits and take the new node's leading ones, so
 * every code in the subtree keeps saying where it sits.
 */
export function rebaseCode(code: string, movedLevel: RegionLevel, newMovedCode: string): string {
  const n = SIGNIFICANT[movedLevel];
  return newMovedCode.slice(0, n) + code.slice(n);
}

export const LEVEL_NAMES: Record<RegionLevel, { zh: string; en: string }> = {
  province: { zh: '省', en: 'province' },
  city: { zh: '市', en: 'city' },
  county: { zh: '县（区）', en: 'county' },
  township: { zh: '乡镇（街道）', en: 'township' },
  village: { zh: '村（社区）', en: 'village' },
  grid: { zh: '网格', en: 'grid' },
};
