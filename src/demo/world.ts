// The demo world: a region tree and one account per role, built from a seed with no I/O.
import type { Role } from '../platform/auth/schema.ts';
import type { RegionLevel } from '../regions/schema.ts';
import { deriveSeed, rng, type Rng } from './prng.ts';
import {
  TOWNSHIP_SUFFIX,
  VILLAGE_SUFFIX,
  cityStem,
  countyStem,
  gridName,
  personName,
  townshipStem,
  uniqueName,
  villageStem,
  type TownshipKind,
  type VillageKind,
} from './names.ts';

export type { RegionLevel, Role };
export type DemoScale = 'small' | 'county' | 'city';

export interface DemoRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

export interface DemoAccount {
  username: string;
  displayName: string;
  mobile: string;
  role: Role;
  regionCode: string;
  password: string;
  /** zh-CN, who this account plays, e.g. "天堂镇 乡镇干部". */
  note: string;
}

export interface DemoWorld {
  scale: DemoScale;
  seed: number;
  /** Parents before children; in fact sorted by code, since every child code extends its parent's. */
  regions: DemoRegion[];
  accounts: DemoAccount[];
  /** Set by seeding: what was stored and what each sign-in will find. */
  summary?: DemoSummary;
}

export interface DemoSummary {
  /** Rows stored, by what they are (households, residents, members, orders…). */
  counts: Record<string, number>;
  /** zh-CN, per username: what that sign-in sees first (its orders, its residents, gaps…). */
  sees: Record<string, string>;
  /** The page one sample connection card opens (/c/<token>); the token is not kept anywhere else. */
  cardPath: string | null;
}

export const DEMO_PASSWORD = 'Lianxin@2023';

// 3408 is Anqing's prefix and 340828 Yuexi's; the names are invented, only the code shape is real.
const CITY_CODE4 = '3408';
const SINGLE_COUNTY_CODE6 = '340828';
const DISTRICT_CODES = ['02', '03', '11'];
const COUNTY_CODES = ['22', '23', '24', '25', '26', '27', '28'];
const TOWNSHIP_CODE_START: Record<TownshipKind, number> = { street: 1, town: 100, xiang: 200 };
const VILLAGE_CODE_START: Record<VillageKind, number> = { community: 1, village: 200 };
/**
 * Every demo number sits in the virtual-operator blocks 170 (staff and sign-ins) and 171 (residents),
 * so a demo wired to a real SMS gateway texts no ordinary subscriber by accident.
 */
export const DEMO_MOBILE_PREFIX = { staff: '170', resident: '171' } as const;

/** What one county will contain, decided before any name is drawn. */
interface CountyPlan {
  kinds: TownshipKind[];
  villages: number[];
  communities: number[];
  gridsPer: readonly [number, number];
  gridTotal: number;
}

/**
 * Builds the same world for the same (scale, seed).
 * small: one county, 1 township, 3 villages, 8 grids. county: one county, 12 townships, 172–188
 * villages, 630–670 grids. city: one city over 8 such counties.
 * @throws RangeError when the seed is not a safe integer or the scale is unknown.
 */
export function buildDemoWorld(scale: DemoScale, seed = 1): DemoWorld {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`demo seed must be an integer, got ${seed}`);
  const r = rng(deriveSeed(seed, 'regions'));
  const regions: DemoRegion[] = [];
  const townshipStems = new Set<string>();
  switch (scale) {
    case 'small': {
      const name = countyStem(r) + '县';
      buildCounty(
        r,
        { code6: SINGLE_COUNTY_CODE6, name, parentCode: null },
        smallPlan(),
        townshipStems,
        regions,
      );
      break;
    }
    case 'county': {
      const name = countyStem(r) + '县';
      const plan = countyPlan(r, false);
      buildCounty(r, { code6: SINGLE_COUNTY_CODE6, name, parentCode: null }, plan, townshipStems, regions);
      break;
    }
    case 'city':
      buildCity(r, townshipStems, regions);
      break;
    default:
      throw new RangeError(`unknown demo scale: ${String(scale)}`);
  }
  const accounts = buildAccounts(seed, regions);
  return { scale, seed, regions, accounts };
}

function buildCity(r: Rng, townshipStems: Set<string>, out: DemoRegion[]): void {
  const cityCode = CITY_CODE4 + '00000000';
  out.push({ code: cityCode, name: cityStem(r) + '市', level: 'city', parentCode: null });
  const districts = r.int(2, 3);
  const countyStems = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const district = i < districts;
    const suffix = district ? DISTRICT_CODES[i] : COUNTY_CODES[i - districts];
    if (suffix === undefined) throw new Error(`no county code for county ${i}`);
    const name = uniqueName(countyStems, () => countyStem(r)) + (district ? '区' : '县');
    const at = { code6: CITY_CODE4 + suffix, name, parentCode: cityCode };
    buildCounty(r, at, countyPlan(r, district), townshipStems, out);
  }
}

function smallPlan(): CountyPlan {
  return { kinds: ['town'], villages: [3], communities: [1], gridsPer: [2, 4], gridTotal: 8 };
}

/** A rural county (县) is towns and xiang around a seat town; an urban district (区) is mostly streets. */
function countyPlan(r: Rng, district: boolean): CountyPlan {
  const townships = 12;
  const streets = district ? r.int(4, 6) : 0;
  const xiang = district ? r.int(0, 1) : r.int(3, 5);
  const kinds: TownshipKind[] = [
    ...Array<TownshipKind>(streets).fill('street'),
    ...Array<TownshipKind>(townships - streets - xiang).fill('town'),
    ...Array<TownshipKind>(xiang).fill('xiang'),
  ];
  const villages = spread(
    r,
    kinds.map(() => r.int(10, 20)),
    [10, 20],
    r.int(172, 188),
  );
  const communities = kinds.map((kind, i) => {
    const n = villages[i] ?? 0;
    if (kind === 'street') return n - r.int(0, 3);
    if (kind === 'xiang') return r.chance(0.3) ? 1 : 0;
    // The first town of a county without streets is its seat, where the urban communities are.
    return i === 0 ? r.int(3, 6) : r.int(0, 2);
  });
  return { kinds, villages, communities, gridsPer: [2, 6], gridTotal: r.int(630, 670) };
}

/** Nudges `initial` one unit at a time until it sums to `total`, every value staying within `range`. */
function spread(r: Rng, initial: number[], range: readonly [number, number], total: number): number[] {
  const [min, max] = range;
  if (total < initial.length * min || total > initial.length * max) {
    throw new RangeError(`cannot spread ${total} over ${initial.length} values in ${min}–${max}`);
  }
  const out = initial.map((v) => Math.min(max, Math.max(min, v)));
  let sum = out.reduce((a, b) => a + b, 0);
  while (sum !== total) {
    const i = r.int(0, out.length - 1);
    const v = out[i] ?? min;
    if (sum > total && v > min) {
      out[i] = v - 1;
      sum--;
    } else if (sum < total && v < max) {
      out[i] = v + 1;
      sum++;
    }
  }
  return out;
}

interface Place {
  code6: string;
  name: string;
  parentCode: string | null;
}

function buildCounty(
  r: Rng,
  at: Place,
  plan: CountyPlan,
  townshipStems: Set<string>,
  out: DemoRegion[],
): void {
  const countyCode = at.code6 + '000000';
  out.push({ code: countyCode, name: at.name, level: 'county', parentCode: at.parentCode });
  const villageKinds = plan.kinds.map((_, i) => {
    const n = plan.villages[i] ?? 0;
    const c = plan.communities[i] ?? 0;
    return [...Array<VillageKind>(c).fill('community'), ...Array<VillageKind>(n - c).fill('village')];
  });
  // Communities are denser than villages, so they start with more grids before the totals are evened out.
  const initial = villageKinds.flat().map((kind) => (kind === 'community' ? r.int(3, 6) : r.int(2, 5)));
  const grids = spread(r, initial, plan.gridsPer, plan.gridTotal);
  const next: Record<TownshipKind, number> = { ...TOWNSHIP_CODE_START };
  let v = 0;
  plan.kinds.forEach((kind, i) => {
    const code9 = at.code6 + code3(next[kind]++);
    const name = uniqueName(townshipStems, () => townshipStem(r, kind)) + TOWNSHIP_SUFFIX[kind];
    out.push({ code: code9 + '000', name, level: 'township', parentCode: countyCode });
    const kinds = villageKinds[i] ?? [];
    buildVillages(r, code9, kinds, grids.slice(v, v + kinds.length), out);
    v += kinds.length;
  });
}

function buildVillages(
  r: Rng,
  code9: string,
  kinds: VillageKind[],
  grids: number[],
  out: DemoRegion[],
): void {
  const stems = new Set<string>();
  const next: Record<VillageKind, number> = { ...VILLAGE_CODE_START };
  kinds.forEach((kind, i) => {
    const n = next[kind]++;
    if (n >= VILLAGE_CODE_START[kind] + 99) throw new RangeError(`too many ${kind} under ${code9}`);
    const code = code9 + code3(n);
    const name = uniqueName(stems, () => villageStem(r, kind)) + VILLAGE_SUFFIX[kind];
    out.push({ code, name, level: 'village', parentCode: code9 + '000' });
    for (let g = 1; g <= (grids[i] ?? 0); g++) {
      out.push({ code: code + code3(g), name: gridName(g), level: 'grid', parentCode: code });
    }
  });
}

function code3(n: number): string {
  if (n < 1 || n > 999) throw new RangeError(`code segment ${n} outside 001–999`);
  return String(n).padStart(3, '0');
}

function buildAccounts(seed: number, regions: DemoRegion[]): DemoAccount[] {
  const all = (level: RegionLevel, parent?: DemoRegion): DemoRegion[] =>
    regions.filter((x) => x.level === level && (parent === undefined || x.parentCode === parent.code));
  const root = need(regions[0], 'root');
  const county = need(all('county')[0], 'county');
  const [town1, town2] = all('township', county);
  const t1 = need(town1, 'township');
  const village = need(all('village', t1)[0], 'village');
  const grid = need(all('grid', village)[0], 'grid');
  const countyWord = county.name.endsWith('区') ? '区级干部' : '县级干部';
  const townWord = (t: DemoRegion) => (t.name.endsWith('街道') ? '街道干部' : '乡镇干部');
  const gridPlace = village.name + grid.name;
  const specs: [string, Role, DemoRegion | undefined, string][] = [
    ['admin', 'admin', root, `${root.name} 系统管理员`],
    ['county', 'official', county, `${county.name} ${countyWord}`],
    ['town1', 'official', t1, `${t1.name} ${townWord(t1)}`],
    ['town2', 'official', town2, town2 ? `${town2.name} ${townWord(town2)}` : ''],
    ['supervisor', 'supervisor', county, `${county.name} 督查组`],
    ['operator', 'operator', county, `${county.name} 热线话务员`],
    ['secretary', 'secretary', village, `${village.name} 党组织书记`],
    ['gridleader', 'grid_leader', grid, `${gridPlace} 网格长`],
    ['gridmember', 'grid_member', grid, `${gridPlace} 网格员`],
    ['doctor', 'doctor', grid, `${gridPlace} 网格医务人员`],
    ['party', 'party_member', village, `${village.name} 包联党员`],
    ['team', 'team_member', t1, `${t1.name} 服务小分队队员`],
  ];
  const names = new Set<string>();
  const mobiles = new Set<string>();
  return specs.flatMap(([username, role, region, note]) => {
    if (region === undefined) return [];
    // A stream per username keeps e.g. the doctor the same person at every scale of one seed.
    const r = rng(deriveSeed(seed, `account:${username}`));
    const displayName = uniqueName(names, () => personName(r));
    const mobile = uniqueName(
      mobiles,
      () => DEMO_MOBILE_PREFIX.staff + String(r.int(0, 99_999_999)).padStart(8, '0'),
    );
    return [{ username, displayName, mobile, role, regionCode: region.code, password: DEMO_PASSWORD, note }];
  });
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`demo world has no ${what} for the demo accounts`);
  return x;
}
