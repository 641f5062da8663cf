// The demo world keeps its promises: same seed same world, bureau-shaped codes, sane counts, one login
// per role, and staff for every village and grid (1+1+N) with the demo sign-ins among them.
import { describe, it, expect } from 'vitest';
import { buildStaff } from './staffing.ts';
import {
  buildDemoWorld,
  DEMO_PASSWORD,
  type DemoRegion,
  type DemoScale,
  type DemoWorld,
  type Role,
} from './world.ts';
import { chineseNumeral, gridName } from './names.ts';
import { rng } from './prng.ts';

const ROLES: Role[] = [
  'admin',
  'official',
  'supervisor',
  'secretary',
  'grid_leader',
  'grid_member',
  'doctor',
  'party_member',
  'team_member',
  'operator',
];
const SCALES: DemoScale[] = ['small', 'county', 'city'];
const SEEDS = [1, 2, 42];

const worlds = new Map<string, DemoWorld>();
function world(scale: DemoScale, seed: number): DemoWorld {
  const key = `${scale}:${seed}`;
  let w = worlds.get(key);
  if (!w) worlds.set(key, (w = buildDemoWorld(scale, seed)));
  return w;
}

const ofLevel = (w: DemoWorld, level: DemoRegion['level']) => w.regions.filter((r) => r.level === level);
const children = new WeakMap<DemoWorld, Map<string | null, DemoRegion[]>>();
function childrenOf(w: DemoWorld, code: string): DemoRegion[] {
  let index = children.get(w);
  if (!index) {
    index = new Map();
    for (const r of w.regions) index.set(r.parentCode, [...(index.get(r.parentCode) ?? []), r]);
    children.set(w, index);
  }
  return index.get(code) ?? [];
}

describe('buildDemoWorld determinism', () => {
  it.each(SCALES)('gives a deep-equal world for the same (%s, seed)', (scale) => {
    expect(buildDemoWorld(scale, 7)).toEqual(buildDemoWorld(scale, 7));
  });

  it('uses seed 1 by default', () => {
    expect(buildDemoWorld('county')).toEqual(world('county', 1));
  });

  it.each(SCALES)('names a %s world differently under another seed', (scale) => {
    const names = (w: DemoWorld) => w.regions.filter((r) => r.level !== 'grid').map((r) => r.name);
    expect(names(world(scale, 1))).not.toEqual(names(world(scale, 2)));
    expect(world(scale, 1).accounts.map((a) => a.displayName)).not.toEqual(
      world(scale, 2).accounts.map((a) => a.displayName),
    );
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => buildDemoWorld('small', 1.5)).toThrow(RangeError);
  });
});

describe('buildDemoWorld counts', () => {
  it.each(SEEDS)('small (seed %i): one county, 1 township, 3 villages, 8 grids', (seed) => {
    const w = world('small', seed);
    expect(w.regions[0]).toMatchObject({ level: 'county', parentCode: null });
    expect(ofLevel(w, 'county')).toHaveLength(1);
    expect(ofLevel(w, 'township')).toHaveLength(1);
    expect(ofLevel(w, 'village')).toHaveLength(3);
    expect(ofLevel(w, 'grid')).toHaveLength(8);
  });

  it.each(SEEDS)('county (seed %i): 12 townships of 10–20 villages, 2–6 grids each', (seed) => {
    const w = world('county', seed);
    expect(w.regions[0]).toMatchObject({ level: 'county', parentCode: null });
    expectCountyShape(w, w.regions[0]);
  });

  it.each(SEEDS)('city (seed %i): 8 counties shaped like the county scale, ~5,200 grids', (seed) => {
    const w = world('city', seed);
    expect(w.regions[0]).toMatchObject({ level: 'city', parentCode: null });
    const counties = ofLevel(w, 'county');
    expect(counties).toHaveLength(8);
    for (const county of counties) expectCountyShape(w, county);
    expect(ofLevel(w, 'grid').length).toBeGreaterThanOrEqual(8 * 620);
    expect(ofLevel(w, 'grid').length).toBeLessThanOrEqual(8 * 680);
  });
});

function expectCountyShape(w: DemoWorld, county: DemoRegion | undefined): void {
  if (!county) throw new Error('no county');
  const townships = childrenOf(w, county.code);
  expect(townships).toHaveLength(12);
  const villages = townships.flatMap((t) => childrenOf(w, t.code));
  for (const t of townships) expect(childrenOf(w, t.code).length).toBeGreaterThanOrEqual(10);
  for (const t of townships) expect(childrenOf(w, t.code).length).toBeLessThanOrEqual(20);
  expect(villages.length).toBeGreaterThanOrEqual(170);
  expect(villages.length).toBeLessThanOrEqual(190);
  const gridCounts = villages.map((v) => childrenOf(w, v.code).length);
  expect(Math.min(...gridCounts)).toBeGreaterThanOrEqual(2);
  expect(Math.max(...gridCounts)).toBeLessThanOrEqual(6);
  const grids = gridCounts.reduce((a, b) => a + b, 0);
  expect(grids).toBeGreaterThanOrEqual(620);
  expect(grids).toBeLessThanOrEqual(680);
}

describe.each(SCALES.flatMap((scale) => SEEDS.map((seed) => [scale, seed] as const)))(
  'region tree of %s, seed %i',
  (scale, seed) => {
    it('lists every parent before its children, with exactly one root', () => {
      const w = world(scale, seed);
      const seen = new Set<string>();
      for (const r of w.regions) {
        if (r.parentCode !== null) expect(seen.has(r.parentCode), `${r.code} before parent`).toBe(true);
        seen.add(r.code);
      }
      expect(w.regions.filter((r) => r.parentCode === null)).toHaveLength(1);
      expect(seen.size).toBe(w.regions.length);
    });

    it('is sorted by code, so a bulk insert in list order is also in code order', () => {
      const codes = world(scale, seed).regions.map((r) => r.code);
      expect(codes).toEqual(codes.toSorted());
    });

    it("builds each code from its parent's by the 统计用区划代码 rules", () => {
      const w = world(scale, seed);
      const byCode = new Map(w.regions.map((r) => [r.code, r]));
      for (const r of w.regions)
        expectCodeRules(r, r.parentCode === null ? undefined : byCode.get(r.parentCode));
    });

    it('numbers grids 第一网格, 第二网格 … in code order', () => {
      const w = world(scale, seed);
      for (const v of ofLevel(w, 'village')) {
        childrenOf(w, v.code).forEach((g, i) => {
          expect(g.code).toBe(v.code + String(i + 1).padStart(3, '0'));
          expect(g.name).toBe(gridName(i + 1));
        });
      }
    });

    it('never gives two siblings the same name', () => {
      const w = world(scale, seed);
      const seen = new Set<string>();
      for (const r of w.regions) {
        const key = `${r.parentCode} ${r.name}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    });

    it('gives one unique, loginable account per demo username', () => {
      const w = world(scale, seed);
      const codes = new Set(w.regions.map((r) => r.code));
      const usernames = w.accounts.map((a) => a.username);
      expect(new Set(usernames).size).toBe(usernames.length);
      expect(new Set(w.accounts.map((a) => a.mobile)).size).toBe(w.accounts.length);
      expect(new Set(w.accounts.map((a) => a.displayName)).size).toBe(w.accounts.length);
      for (const a of w.accounts) {
        expect(a.mobile).toMatch(/^170\d{8}$/);
        expect(a.password).toBe(DEMO_PASSWORD);
        expect(codes.has(a.regionCode), a.username).toBe(true);
        expect(a.displayName).toMatch(/^\p{Script=Han}{2,3}$/u);
        expect(a.note).toMatch(/\p{Script=Han}/u);
      }
      expect(new Set(w.accounts.map((a) => a.role))).toEqual(new Set(ROLES));
    });
  },
);

function expectCodeRules(r: DemoRegion, parent: DemoRegion | undefined): void {
  const tail = (from: number, to: number) => Number(r.code.slice(from, to));
  switch (r.level) {
    case 'city':
      expect(r.code).toMatch(/^\d{4}0{8}$/);
      break;
    case 'county':
      expect(r.code).toMatch(/^\d{6}0{6}$/);
      expect(r.name).toMatch(/[县区]$/);
      if (parent) expect(r.code.slice(0, 4)).toBe(parent.code.slice(0, 4));
      break;
    case 'township': {
      expect(r.code).toMatch(/^\d{9}000$/);
      expect(r.code.slice(0, 6)).toBe(parent?.code.slice(0, 6));
      const n = tail(6, 9);
      if (r.name.endsWith('街道')) expect(n).toBeLessThan(100);
      else if (r.name.endsWith('镇')) expect(Math.floor(n / 100)).toBe(1);
      else expect([r.name.at(-1), Math.floor(n / 100)]).toEqual(['乡', 2]);
      break;
    }
    case 'village': {
      expect(r.code).toMatch(/^\d{12}$/);
      expect(r.code.slice(0, 9)).toBe(parent?.code.slice(0, 9));
      const n = tail(9, 12);
      if (r.name.endsWith('社区')) expect(n >= 1 && n <= 99).toBe(true);
      else expect([r.name.at(-1), n >= 200 && n <= 299]).toEqual(['村', true]);
      break;
    }
    case 'grid':
      expect(r.code).toMatch(/^\d{15}$/);
      expect(r.code.slice(0, 12)).toBe(parent?.code);
      break;
    default:
      throw new Error(`unexpected level ${r.level}`);
  }
  if (parent) expect(parent.level).toBe(PARENT_LEVEL[r.level]);
}

const PARENT_LEVEL: Record<DemoRegion['level'], DemoRegion['level'] | null> = {
  province: null,
  city: 'province',
  county: 'city',
  township: 'county',
  village: 'township',
  grid: 'village',
};

describe('demo accounts', () => {
  const at = (w: DemoWorld, username: string) => {
    const a = w.accounts.find((x) => x.username === username);
    return w.regions.find((r) => r.code === a?.regionCode);
  };

  it('puts each demo login at the first region of its level', () => {
    const w = world('county', 1);
    const town1 = at(w, 'town1');
    expect(at(w, 'admin')).toBe(w.regions[0]);
    expect(at(w, 'county')?.level).toBe('county');
    expect(town1).toBe(ofLevel(w, 'township')[0]);
    expect(at(w, 'town2')).toBe(ofLevel(w, 'township')[1]);
    expect(at(w, 'secretary')).toBe(ofLevel(w, 'village')[0]);
    expect(at(w, 'gridleader')).toBe(ofLevel(w, 'grid')[0]);
    expect(at(w, 'team')).toBe(town1);
    expect(w.accounts.find((a) => a.username === 'town1')?.note).toBe(`${town1?.name} 乡镇干部`);
  });

  it('scopes the county login of a city to its first county, below the city admin', () => {
    const w = world('city', 1);
    expect(at(w, 'admin')?.level).toBe('city');
    expect(at(w, 'county')).toBe(ofLevel(w, 'county')[0]);
  });

  it('has no town2 in the one-township small world', () => {
    expect(world('small', 1).accounts.map((a) => a.username)).not.toContain('town2');
  });

  it('keeps the same person behind a username at every scale of one seed', () => {
    const person = (s: DemoScale) => world(s, 1).accounts.find((a) => a.username === 'doctor');
    expect(person('small')?.displayName).toBe(person('city')?.displayName);
    expect(person('small')?.mobile).toBe(person('county')?.mobile);
  });
});

describe('names and numbers', () => {
  it.each([
    [1, '一'],
    [10, '十'],
    [11, '十一'],
    [20, '二十'],
    [21, '二十一'],
    [100, '一百'],
    [105, '一百零五'],
    [110, '一百一十'],
  ])('writes %i as %s', (n, text) => {
    expect(chineseNumeral(n)).toBe(text);
  });

  it('replays the same stream from the same seed', () => {
    const draw = (seed: number) => {
      const r = rng(seed);
      return [r.int(1, 6), r.pick(['a', 'b', 'c']), r.chance(0.5), r.shuffle([1, 2, 3, 4, 5])];
    };
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9)).not.toEqual(draw(10));
  });
});

describe('buildStaff', () => {
  const w = world('county', 1);
  const staff = buildStaff(w);
  const duties = (role: string) => staff.duties.filter((d) => d.role === role).map((d) => d.regionCode);

  it('is the same for the same world', () => {
    expect(buildStaff(world('county', 1))).toEqual(staff);
  });

  it('staffs every village (secretary, doctor, 3–8 party members) and every grid (1+1+N)', () => {
    const villages = ofLevel(w, 'village');
    expect(duties('village_secretary').sort()).toEqual(villages.map((v) => v.code).sort());
    for (const v of villages) {
      const here = staff.members.filter((m) => m.regionCode === v.code);
      expect(here.filter((m) => m.roles[0] === 'village_doctor')).toHaveLength(1);
      const party = here.filter((m) => m.roles[0] === 'party_member').length;
      expect(party >= 3 && party <= 8, `${v.name}: ${party}`).toBe(true);
    }
    const grids = ofLevel(w, 'grid')
      .map((g) => g.code)
      .sort();
    for (const role of ['grid_leader', 'grid_medic', 'grid_member'])
      expect(duties(role).sort()).toEqual(grids);
    expect(duties('township_cadre').sort()).toEqual(
      ofLevel(w, 'township')
        .map((t) => t.code)
        .sort(),
    );
    expect(duties('county_leader')).toEqual([w.regions[0]?.code]);
  });

  it('has ~10 county units with party organisations, 2–3 teams per township, demo mobiles only', () => {
    expect(staff.units.filter((u) => u.regionCode === w.regions[0]?.code)).toHaveLength(10);
    for (const u of staff.units) expect(u.partyOrgName).toMatch(/党支部$/);
    for (const t of ofLevel(w, 'township')) {
      const teams = staff.teams.filter((x) => x.regionCode === t.code);
      expect(teams.length >= 2 && teams.length <= 3).toBe(true);
      for (const x of teams) expect(x.members.map((m) => m.leader)).toEqual(x.members.map((_, i) => i === 0));
    }
    const mobiles = [...staff.members.map((m) => m.mobile), ...staff.units.map((u) => u.partyOrgMobile)];
    for (const m of mobiles) expect(m).toMatch(/^170\d{8}$/);
    expect(new Set(staff.members.map((m) => m.mobile)).size).toBe(staff.members.length);
  });

  it('makes the demo sign-ins members of the places they sign in to', () => {
    for (const username of [
      'county',
      'town1',
      'secretary',
      'doctor',
      'party',
      'gridleader',
      'gridmember',
      'team',
    ]) {
      const a = w.accounts.find((x) => x.username === username)!;
      const m = staff.members.filter((x) => x.account === username);
      expect(m, username).toHaveLength(1);
      expect([m[0]?.name, m[0]?.mobile]).toEqual([a.displayName, a.mobile]);
    }
    const team = staff.members.findIndex((m) => m.account === 'team');
    expect(staff.teams.some((t) => t.members.some((m) => m.member === team))).toBe(true);
    expect(staff.members.find((m) => m.account === 'party')?.unit).not.toBeNull();
  });
});
