// The demo's people (pure): every grid filled with families, valid ID numbers of the county, colours
// made by the real rules in believable shares, demo-only phone numbers, surveys of the last month.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULESET, evaluateColour, mostSevere } from '../ledger/colour.ts';
import { colourInputsOf } from '../ledger/rules.ts';
import { ageOn, checkIdNumber } from '../platform/identity.ts';
import { buildPopulation, type DemoHousehold } from './people.ts';
import { buildDemoWorld, type DemoScale, type DemoWorld } from './world.ts';

const SEEDS = [1, 2, 42];
const worlds = new Map<string, DemoWorld>();
const world = (scale: DemoScale, seed: number): DemoWorld => {
  const key = `${scale}:${seed}`;
  if (!worlds.has(key)) worlds.set(key, buildDemoWorld(scale, seed));
  return worlds.get(key)!;
};
const grids = (w: DemoWorld) => w.regions.filter((r) => r.level === 'grid');

const TODAY = new Date('2025-06-01T04:00:00Z');
const populations = new Map<string, DemoHousehold[]>();
function population(scale: DemoScale, seed: number): DemoHousehold[] {
  const key = `${scale}:${seed}`;
  let p = populations.get(key);
  if (!p) populations.set(key, (p = buildPopulation(world(scale, seed), TODAY)));
  return p;
}

describe('buildPopulation', () => {
  it('gives the same people for the same world and day, other people for another seed', () => {
    expect(buildPopulation(world('small', 1), TODAY)).toEqual(population('small', 1));
    expect(population('small', 2)[0]?.residents[0]?.name).not.toBe(
      population('small', 1)[0]?.residents[0]?.name,
    );
  });

  it.each(SEEDS)('fills every grid with 15–25 people in households of 1–4 (seed %i)', (seed) => {
    const perGrid = new Map<string, number>();
    for (const h of population('county', seed)) {
      expect(h.residents.length).toBeGreaterThanOrEqual(1);
      expect(h.residents.length).toBeLessThanOrEqual(4);
      expect(h.colour).toBe(mostSevere(h.residents.map((r) => r.colour)));
      perGrid.set(h.gridCode, (perGrid.get(h.gridCode) ?? 0) + h.residents.length);
    }
    expect(perGrid.size).toBe(grids(world('county', seed)).length);
    expect(Math.min(...perGrid.values())).toBeGreaterThanOrEqual(15);
    expect(Math.max(...perGrid.values())).toBeLessThanOrEqual(25);
  });

  it.each(SEEDS)(
    'writes valid, unique ID numbers of the county; only babies go without (seed %i)',
    (seed) => {
      const people = population('county', seed).flatMap((h) => h.residents);
      const ids = people.flatMap((p) => (p.idNumber ? [p.idNumber] : []));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length / people.length).toBeGreaterThan(0.97);
      for (const p of people) {
        if (!p.idNumber) {
          expect(ageOn(p.birthDate, TODAY)).toBe(0);
          continue;
        }
        const c = checkIdNumber(p.idNumber, { today: TODAY });
        expect(c.ok && [c.birthDate, c.sex, c.regionCode]).toEqual([p.birthDate, p.sex, '340828']);
      }
    },
  );

  it.each(SEEDS)('colours by the rules: ~10 % red, ~30 % yellow, many elderly (seed %i)', (seed) => {
    const people = population('county', seed).flatMap((h) => h.residents);
    const share = (f: (p: (typeof people)[number]) => boolean) => people.filter(f).length / people.length;
    for (const p of people) {
      const r = evaluateColour(DEFAULT_RULESET, colourInputsOf(p, TODAY));
      expect([p.colour, p.colourScore]).toEqual([r.colour, r.score]);
    }
    expect(share((p) => p.colour === 'red')).toBeGreaterThan(0.07);
    expect(share((p) => p.colour === 'red')).toBeLessThan(0.14);
    expect(share((p) => p.colour === 'yellow')).toBeGreaterThan(0.25);
    expect(share((p) => p.colour === 'yellow')).toBeLessThan(0.38);
    expect(share((p) => ageOn(p.birthDate, TODAY) >= 65)).toBeGreaterThan(0.25);
    for (const c of ['living_alone', 'chronic', 'severe_disease', 'pregnant', 'infant', 'disabled'])
      expect(
        share((p) => p.categories.includes(c)),
        c,
      ).toBeGreaterThan(0);
  });

  it('gives pregnant women due dates ahead, and demo phone numbers that are unique', () => {
    const people = population('county', 1).flatMap((h) => h.residents);
    for (const p of people.filter((x) => x.categories.includes('pregnant'))) {
      expect(p.sex).toBe('F');
      expect(p.pregnancyDueDate! > '2025-06-01' && p.pregnancyDueDate! < '2026-03-01').toBe(true);
    }
    const phones = people.flatMap((p) => p.phones);
    for (const m of phones) expect(m).toMatch(/^171\d{8}$/);
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('has about 60 % of households surveyed within the last month', () => {
    const hh = population('county', 1);
    const recent = hh.filter((h) => h.surveyedDaysAgo !== null && h.surveyedDaysAgo < 30).length / hh.length;
    expect(recent).toBeGreaterThan(0.55);
    expect(recent).toBeLessThan(0.65);
  });
});
