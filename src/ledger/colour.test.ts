// Tests of the 三色 rules: every cell of the national default, floors, unknowns, checking, previews, monotonicity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COLOUR_RANK,
  DEFAULT_RULESET,
  diffColours,
  evaluateColour,
  mostSevere,
  validateRuleset,
} from './colour.ts';
import type { Colour, ColourInputs, ColourRuleset, DiseaseState, Vaccination } from './colour.ts';

const person = (over: Partial<ColourInputs> = {}): ColourInputs => ({
  age: 40,
  disease: 'none',
  vaccination: 'full',
  categories: [],
  ...over,
});
const en = (inputs: ColourInputs, rules = DEFAULT_RULESET) =>
  evaluateColour(rules, inputs).reasons.map((r) => r.en);
const zh = (inputs: ColourInputs, rules = DEFAULT_RULESET) =>
  evaluateColour(rules, inputs).reasons.map((r) => r.zh);
const clone = (): ColourRuleset => structuredClone(DEFAULT_RULESET);
const errorsOf = (raw: unknown) => {
  const r = validateRuleset(raw);
  return r.ok ? [] : r.errors;
};
const pathsOf = (raw: unknown) => errorsOf(raw).map((e) => e.path);

// The rule written out by hand, independently of the ruleset data.
const AGE_SCORE = new Map([
  [0, 0],
  [2, 0],
  [3, 0],
  [64, 0],
  [65, 1],
  [79, 1],
  [80, 2],
  [95, 2],
]);
const UNDER_THREE = new Set([0, 2]); // the infant floor applies by age alone
const DISEASE_SCORE: Record<DiseaseState, number> = { none: 0, stable: 1, unstable: 2 };
const VACCINATION_SCORE: Record<Vaccination, number> = { full: 0, partial: 1, none: 2 };
const COLOUR_OF_SCORE: Colour[] = ['green', 'green', 'yellow', 'yellow', 'red', 'red', 'red'];
const DISEASES: DiseaseState[] = ['none', 'stable', 'unstable'];
const VACCINATIONS: Vaccination[] = ['full', 'partial', 'none'];

describe('the default rule, every cell', () => {
  const cells = [...AGE_SCORE.keys()].flatMap((age) =>
    DISEASES.flatMap((d) => VACCINATIONS.map((v) => [age, d, v] as const)),
  );

  it('covers 8 ages × 3 disease states × 3 vaccination states', () => {
    expect(cells).toHaveLength(72);
  });

  it.each(cells)('age %i, disease %s, vaccination %s', (age, disease, vaccination) => {
    const score = (AGE_SCORE.get(age) ?? NaN) + DISEASE_SCORE[disease] + VACCINATION_SCORE[vaccination];
    let colour = COLOUR_OF_SCORE[score];
    if (UNDER_THREE.has(age) && colour === 'green') colour = 'yellow';
    const r = evaluateColour(DEFAULT_RULESET, { age, disease, vaccination, categories: [] });
    expect(r.score).toBe(score);
    expect(r.colour).toBe(colour);
  });
});

describe('reasons a doctor reads', () => {
  it('names each part, the total and the band', () => {
    const p = person({ age: 82, disease: 'unstable', vaccination: 'partial' });
    expect(zh(p)).toEqual([
      '年龄 82 岁（≥80）：2 分',
      '基础病不稳定：2 分',
      '疫苗未全程接种：1 分',
      '合计 5 分 → 红色',
    ]);
    expect(en(p)).toEqual([
      'Age 82 (≥80): 2 points',
      'Underlying disease unstable: 2 points',
      'Not fully vaccinated: 1 point',
      'Total 5 points → red',
    ]);
  });

  it('shows the band each age fell in', () => {
    expect(zh(person({ age: 40 }))[0]).toBe('年龄 40 岁（<65）：0 分');
    expect(zh(person({ age: 70 }))[0]).toBe('年龄 70 岁（65–79）：1 分');
    expect(zh(person({ disease: 'stable', vaccination: 'none' })).slice(1, 3)).toEqual([
      '基础病稳定：1 分',
      '疫苗未接种：2 分',
    ]);
  });
});

describe('floors', () => {
  it('a pregnant 30-year-old, fully vaccinated, no disease, is yellow', () => {
    const p = person({ age: 30, categories: ['pregnant'] });
    expect(evaluateColour(DEFAULT_RULESET, p)).toMatchObject({ colour: 'yellow', score: 0 });
    expect(zh(p).at(-1)).toBe('孕产妇：至少黄色（由绿色升为黄色）');
    expect(en(p).at(-1)).toBe('Pregnant or postpartum: at least yellow (raised from green)');
  });

  it.each([
    ['under 3 by age', person({ age: 2 }), '3 岁以下婴幼儿：至少黄色（由绿色升为黄色）'],
    [
      'infant by category, age unknown',
      person({ age: null, categories: ['infant'] }),
      '3 岁以下婴幼儿：至少黄色（由绿色升为黄色）',
    ],
    ['severe disease', person({ categories: ['severe_disease'] }), '患严重疾病：至少黄色（由绿色升为黄色）'],
  ])('%s → yellow', (_name, p, reason) => {
    expect(evaluateColour(DEFAULT_RULESET, p).colour).toBe('yellow');
    expect(zh(p)).toContain(reason);
  });

  it('a 90-year-old living alone is at least yellow, and the floor is named', () => {
    const p = person({ age: 90, categories: ['living_alone'] });
    expect(COLOUR_RANK[evaluateColour(DEFAULT_RULESET, p).colour]).toBeGreaterThanOrEqual(COLOUR_RANK.yellow);
    expect(zh(p)).toContain('80 岁及以上独居：至少黄色');
  });

  it('living alone raises only from 80', () => {
    const rules = clone();
    rules.ageBands = [
      { min: 0, max: 64, points: 0 },
      { min: 65, max: null, points: 1 },
    ];
    expect(evaluateColour(rules, person({ age: 79, categories: ['living_alone'] })).colour).toBe('green');
    expect(evaluateColour(rules, person({ age: 80, categories: ['living_alone'] })).colour).toBe('yellow');
    expect(evaluateColour(rules, person({ age: 80 })).colour).toBe('green');
    // An age-bounded floor needs the age: unknown age alone does not raise.
    expect(evaluateColour(rules, person({ age: null, categories: ['living_alone'] })).colour).toBe('green');
  });

  it('are applied together, and only the first that raises says so', () => {
    const p = person({ age: 1, categories: ['pregnant', 'severe_disease', 'disabled'] });
    expect(evaluateColour(DEFAULT_RULESET, p).colour).toBe('yellow');
    expect(zh(p).slice(4)).toEqual([
      '孕产妇：至少黄色（由绿色升为黄色）',
      '3 岁以下婴幼儿：至少黄色',
      '患严重疾病：至少黄色',
    ]);
  });

  it('never lower a red', () => {
    const p = person({
      age: 85,
      disease: 'unstable',
      vaccination: 'none',
      categories: ['pregnant', 'living_alone'],
    });
    const r = evaluateColour(DEFAULT_RULESET, p);
    expect(r.colour).toBe('red');
    expect(r.reasons.at(-1)?.zh).toBe('80 岁及以上独居：至少黄色');
  });

  it('a county floor can demand red, on any of its conditions', () => {
    const rules = clone();
    rules.floors.push({
      id: 'unstable_elderly',
      label: { zh: '高龄且基础病不稳定', en: 'Elderly with unstable disease' },
      atLeast: 'red',
      when: [{ minAge: 75, disease: ['unstable'] }, { categories: ['ventilator'] }],
    });
    expect(evaluateColour(rules, person({ age: 75, disease: 'unstable' })).colour).toBe('red');
    expect(evaluateColour(rules, person({ age: 74, disease: 'unstable' })).colour).toBe('yellow');
    expect(evaluateColour(rules, person({ age: 75, disease: null })).colour).toBe('green');
    expect(evaluateColour(rules, person({ categories: ['ventilator'] })).colour).toBe('red');
  });
});

describe('unknown inputs', () => {
  it('an unknown age scores 0 and says so', () => {
    const r = evaluateColour(DEFAULT_RULESET, person({ age: null }));
    expect(r).toMatchObject({ colour: 'green', score: 0 });
    expect(r.reasons[0]).toEqual({
      zh: '年龄不详（无身份证号或出生日期），按 0 分计',
      en: 'Age unknown (no ID or birth date), counted as 0 points',
    });
  });

  it('an unrecorded disease counts as none, an unrecorded vaccination as not vaccinated', () => {
    const p = person({ disease: null, vaccination: null });
    expect(evaluateColour(DEFAULT_RULESET, p)).toMatchObject({ colour: 'yellow', score: 2 });
    expect(zh(p).slice(1, 3)).toEqual([
      '基础病未登记，按无基础病计：0 分',
      '疫苗接种未登记，按未接种计：2 分',
    ]);
    expect(en(p).slice(1, 3)).toEqual([
      'Underlying disease not recorded, counted as no underlying disease: 0 points',
      'Vaccination not recorded, counted as not vaccinated: 2 points',
    ]);
  });

  it('nothing recorded at all is yellow', () => {
    const r = evaluateColour(DEFAULT_RULESET, {
      age: null,
      disease: null,
      vaccination: null,
      categories: [],
    });
    expect(r).toMatchObject({ colour: 'yellow', score: 2 });
  });

  it('a negative or non-finite age is unknown; a fractional one counts whole years', () => {
    for (const age of [-1, NaN, Infinity]) expect(en(person({ age }))[0]).toMatch(/^Age unknown/);
    expect(evaluateColour(DEFAULT_RULESET, person({ age: 64.9 })).score).toBe(0);
    expect(evaluateColour(DEFAULT_RULESET, person({ age: 2.9 })).colour).toBe('yellow');
  });
});

describe('a county variant', () => {
  const county: ColourRuleset = {
    ...clone(),
    name: 'yuexi-2023',
    ageBands: [
      { min: 0, max: 64, points: 0 },
      { min: 65, max: 74, points: 1 },
      { min: 75, max: null, points: 2 },
    ],
  };

  it('is valid and scores 75+ as 2', () => {
    expect(validateRuleset(county).ok).toBe(true);
    const p = person({ age: 76, disease: 'stable', vaccination: 'partial' });
    expect(evaluateColour(DEFAULT_RULESET, p)).toMatchObject({ colour: 'yellow', score: 3 });
    expect(evaluateColour(county, p)).toMatchObject({ colour: 'red', score: 4 });
    expect(zh(p, county)[0]).toBe('年龄 76 岁（≥75）：2 分');
  });

  it('diffColours counts who moves where', () => {
    const people = [
      person({ age: 76, disease: 'stable', vaccination: 'partial' }), // yellow → red
      person({ age: 76 }), // green → yellow
      person({ age: 70, disease: 'stable', vaccination: 'partial' }), // yellow, stays
      person({ age: 40 }), // green, stays
      person({ age: 90, disease: 'unstable', vaccination: 'none' }), // red, stays
      person({ age: 78, categories: ['pregnant'] }), // yellow by floor, then by score
    ];
    const d = diffColours(DEFAULT_RULESET, county, people);
    expect(d.moved).toBe(2);
    expect(d.from).toEqual({
      green: { green: 1, yellow: 1, red: 0 },
      yellow: { green: 0, yellow: 2, red: 1 },
      red: { green: 0, yellow: 0, red: 1 },
    });
    expect(diffColours(county, county, people).moved).toBe(0);
    expect(diffColours(DEFAULT_RULESET, county, []).moved).toBe(0);
  });
});

describe('validateRuleset', () => {
  it('accepts the default, also after a JSON round trip', () => {
    expect(validateRuleset(JSON.parse(JSON.stringify(DEFAULT_RULESET)))).toEqual({
      ok: true,
      rules: DEFAULT_RULESET,
    });
  });

  it('accepts bands in any order and returns them sorted', () => {
    const rules = clone();
    rules.scoreBands.reverse();
    const r = validateRuleset(rules);
    expect(r.ok && r.rules.scoreBands).toEqual(DEFAULT_RULESET.scoreBands);
  });

  /** The default with one value replaced, addressed by JSON pointer like the errors are. */
  const withSet = (pointer: string, value: unknown): Record<string, unknown> => {
    const root = clone() as unknown as Record<string, unknown>;
    const keys = pointer.split('/').slice(1);
    const last = keys.pop() ?? '';
    let at = root;
    for (const k of keys) at = at[k] as Record<string, unknown>;
    at[last] = value;
    return root;
  };

  it.each<[string, unknown, string, RegExp]>([
    ['/scoreBands/1', { min: 3, max: 3, colour: 'yellow' }, '/scoreBands/1/min', /gap \(2\)/],
    ['/scoreBands/1', { min: 1, max: 3, colour: 'yellow' }, '/scoreBands/1/min', /overlaps the range 0–1/],
    ['/scoreBands/2', { min: 4, max: 5, colour: 'red' }, '/scoreBands/2/max', /total of 6/],
    ['/scoreBands/0', { min: 1, max: 1, colour: 'green' }, '/scoreBands/0/min', /start at 0/],
    ['/scoreBands/2/colour', 'green', '/scoreBands/2/colour', /milder/],
    ['/scoreBands/0/colour', 'blue', '/scoreBands/0/colour', /one of/],
    ['/ageBands/1', { min: 60, max: 79, points: 1 }, '/ageBands/1/min', /overlaps the range 0–64/],
    ['/ageBands/1', { min: 66, max: 79, points: 1 }, '/ageBands/1/min', /gap \(65\)/],
    ['/ageBands/0/min', 1, '/ageBands/0/min', /start at 0/],
    ['/ageBands/2/max', 120, '/ageBands/2/max', /open/],
    ['/ageBands/1/max', 60, '/ageBands/1/max', /≥ 65/],
    ['/disease/stable', -1, '/disease/stable', /0–10/],
    ['/vaccination/none', 11, '/vaccination/none', /0–10/],
    ['/ageBands/1/points', 1.5, '/ageBands/1/points', /integer/],
    ['/vaccination/partial', 3, '/vaccination/none', /fewer points than "partial"/],
    ['/floors/0/label/zh', ' ', '/floors/0/label/zh', /non-empty/],
    ['/floors/1/atLeast', 'orange', '/floors/1/atLeast', /one of/],
    ['/floors/0/when', [], '/floors/0/when', /empty/],
    ['/floors/0/when', [{}], '/floors/0/when/0', /matches everyone/],
    ['/floors/0/when', [{ disease: ['bad'] }], '/floors/0/when/0/disease/0', /one of/],
    ['/floors/0/when', [{ minAge: 80, maxAge: 70 }], '/floors/0/when/0/maxAge', /≥ 80/],
    ['/floors/1/id', 'pregnant', '/floors/1/id', /twice/],
    ['/unknown/vaccination', 'maybe', '/unknown/vaccination', /one of/],
    ['/version', 0, '/version', /≥ 1/],
  ])('setting %s to %j is rejected at %s', (pointer, value, path, message) => {
    const errors = errorsOf(withSet(pointer, value));
    const hit = errors.find((e) => e.path === path);
    expect(hit, JSON.stringify(errors)).toBeDefined();
    expect(hit?.message.en).toMatch(message);
    expect(hit?.message.zh.trim()).not.toBe('');
  });

  it('rejects an unreachable band at its min', () => {
    const rules = clone();
    rules.scoreBands.splice(2, 1, { min: 4, max: 6, colour: 'red' }, { min: 7, max: null, colour: 'red' });
    expect(pathsOf(rules)).toEqual(['/scoreBands/3/min']);
  });

  it('rejects what is not a ruleset, unknown fields and misspelt keys', () => {
    expect(pathsOf(null)).toEqual(['']);
    expect(pathsOf([])).toEqual(['']);
    expect(pathsOf({ ...clone(), ageBand: [] })).toEqual(['/ageBand']);
    expect(pathsOf({ ...clone(), floors: [{ ...DEFAULT_RULESET.floors[0], atleast: 'red' }] })).toEqual([
      '/floors/0/atleast',
    ]);
    expect(pathsOf({ ...clone(), name: '' })).toEqual(['/name']);
  });

  it('reports every problem at once, each in both languages', () => {
    const errors = errorsOf({
      ...clone(),
      scoreBands: [
        { min: 0, max: 1, colour: 'green' },
        { min: 3, max: 3, colour: 'yelow' },
      ],
      ageBands: [{ min: 1, max: null, points: -1 }],
    });
    expect(errors.map((e) => e.path)).toEqual([
      '/ageBands/0/points',
      '/ageBands/0/min',
      '/scoreBands/1/colour',
      '/scoreBands/1/min',
    ]);
    for (const e of errors) expect(e.message.zh && e.message.en).toBeTruthy();
  });

  it('lets a county add floors and change points, judging coverage by the new maximum', () => {
    const rules = clone();
    rules.disease.unstable = 4;
    rules.scoreBands[2] = { min: 4, max: 6, colour: 'red' };
    expect(pathsOf(rules)).toEqual(['/scoreBands/2/max']);
    rules.scoreBands[2] = { min: 4, max: 8, colour: 'red' };
    expect(validateRuleset(rules).ok).toBe(true);
  });
});

describe('mostSevere and COLOUR_RANK', () => {
  it('a household takes its most severe member’s colour', () => {
    expect(mostSevere([])).toBeNull();
    expect(mostSevere(['green'])).toBe('green');
    expect(mostSevere(['green', 'yellow', 'green'])).toBe('yellow');
    expect(mostSevere(['yellow', 'red', 'green'])).toBe('red');
    expect(COLOUR_RANK).toEqual({ green: 0, yellow: 1, red: 2 });
  });
});

describe('properties', () => {
  const inputs = fc.record({
    age: fc.option(fc.integer({ min: 0, max: 110 }), { nil: null }),
    disease: fc.option(fc.constantFrom(...DISEASES), { nil: null }),
    vaccination: fc.option(fc.constantFrom(...VACCINATIONS), { nil: null }),
    categories: fc.subarray([
      'elderly',
      'living_alone',
      'severe_disease',
      'pregnant',
      'infant',
      'disabled',
      'x',
    ]),
  });
  const rank = (p: ColourInputs) => COLOUR_RANK[evaluateColour(DEFAULT_RULESET, p).colour];
  const score = (p: ColourInputs) => evaluateColour(DEFAULT_RULESET, p).score;
  const worse = <T>(order: T[], v: T | null): T | null =>
    v === null ? null : (order[order.indexOf(v) + 1] ?? null);

  it('raising the disease state never lowers the score or the colour', () => {
    fc.assert(
      fc.property(inputs, (p) => {
        const up = worse(DISEASES, p.disease);
        if (up === null) return;
        expect(score({ ...p, disease: up })).toBeGreaterThanOrEqual(score(p));
        expect(rank({ ...p, disease: up })).toBeGreaterThanOrEqual(rank(p));
      }),
    );
  });

  it('lowering vaccination never lowers the score or the colour', () => {
    fc.assert(
      fc.property(inputs, (p) => {
        const up = worse(VACCINATIONS, p.vaccination);
        if (up === null) return;
        expect(score({ ...p, vaccination: up })).toBeGreaterThanOrEqual(score(p));
        expect(rank({ ...p, vaccination: up })).toBeGreaterThanOrEqual(rank(p));
      }),
    );
  });

  // Age is monotone in score; in colour only from 3 on, since a child turning 3 rightly leaves the infant floor.
  it('growing older never lowers the score, nor the colour from age 3', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 1, max: 40 }), (p, years) => {
        if (p.age === null) return;
        const older = { ...p, age: p.age + years };
        expect(score(older)).toBeGreaterThanOrEqual(score(p));
        if (p.age >= 3) expect(rank(older)).toBeGreaterThanOrEqual(rank(p));
      }),
    );
  });

  it('floors only ever raise', () => {
    const bare = { ...clone(), floors: [] };
    fc.assert(
      fc.property(inputs, (p) => {
        expect(rank(p)).toBeGreaterThanOrEqual(COLOUR_RANK[evaluateColour(bare, p).colour]);
      }),
    );
  });
});
