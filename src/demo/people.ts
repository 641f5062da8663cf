// The demo ledger: families in every grid with ages, ID numbers, phones, key-population categories and
// health records, coloured by the real rules; door-to-door survey dates. Pure: no I/O.
import {
  DEFAULT_RULESET,
  scoreColour,
  mostSevere,
  type Colour,
  type ColourRuleset,
  type Vaccination,
} from '../ledger/colour.ts';
import { colourInputsOf } from '../ledger/rules.ts';
import type { Condition } from '../ledger/schema.ts';
import { idCheckDigit } from '../platform/identity.ts';
import { chineseNumeral, familyName, personName, uniqueName, type Sex } from './names.ts';
import { deriveSeed, rng, type Rng } from './prng.ts';
import { DEMO_MOBILE_PREFIX, type DemoRegion, type DemoWorld } from './world.ts';

export interface DemoResident {
  name: string;
  sex: Sex;
  birthDate: string;
  /** Null for some newborns whose 户口 is not registered yet. */
  idNumber: string | null;
  phones: string[];
  /** Stored categories ('elderly' is derived from the birth date, never stored). */
  categories: string[];
  conditions: Condition[];
  vaccination: Vaccination | null;
  pregnancyDueDate: string | null;
  medication: string | null;
  notes: string | null;
  colour: Colour;
  colourScore: number;
}

export interface DemoHousehold {
  gridCode: string;
  address: string;
  residents: DemoResident[];
  /** The most severe colour of its members. */
  colour: Colour | null;
  /** Days before today of the last door-to-door survey (敲门行动); null when never surveyed. */
  surveyedDaysAgo: number | null;
}

/** Residents per grid, both ends included. */
export const RESIDENTS_PER_GRID = [15, 25] as const;

/**
 * The households of every grid of a world, the same for the same (world, today). Colours come from
 * `rules` (the county's) evaluated on `today`, exactly as the ledger would.
 */
export function buildPopulation(
  world: DemoWorld,
  today: Date,
  rules: ColourRuleset = DEFAULT_RULESET,
): DemoHousehold[] {
  const ctx: PeopleCtx = { today, ymd: shanghaiYmd(today), ids: new Set(), phones: new Set(), rules };
  const byCode = new Map(world.regions.map((r) => [r.code, r]));
  const out: DemoHousehold[] = [];
  for (const grid of world.regions) {
    if (grid.level !== 'grid') continue;
    const village = byCode.get(grid.parentCode ?? '');
    if (!village) throw new Error(`grid ${grid.code} has no village`);
    const r = rng(deriveSeed(world.seed, `people:${grid.code}`));
    out.push(...gridHouseholds(r, ctx, grid, village));
  }
  return out;
}

interface PeopleCtx {
  today: Date;
  ymd: string;
  ids: Set<string>;
  phones: Set<string>;
  rules: ColourRuleset;
}

/** A person before their records: who they are in the family. */
interface Person {
  sex: Sex;
  /** Age in days (exact enough for a birth date). */
  days: number;
  family: string;
  alone?: boolean;
  pregnantInDays?: number;
}

const YEAR = 365;
const age = (years: number, r: Rng): number => years * YEAR + r.int(0, YEAR - 1);

function gridHouseholds(r: Rng, ctx: PeopleCtx, grid: DemoRegion, village: DemoRegion): DemoHousehold[] {
  const target = r.int(...RESIDENTS_PER_GRID);
  const households: DemoHousehold[] = [];
  const street = village.name.endsWith('社区') ? r.pick(ROADS) : null;
  const group = chineseNumeral(Number(grid.code.slice(12)));
  let count = 0;
  let door = r.int(1, 9);
  while (count < target) {
    const people = family(r);
    // A family that would take the grid past its most is drawn again.
    if (count + people.length > RESIDENTS_PER_GRID[1]) continue;
    // Door numbers only grow, so every address of the grid is new.
    door += r.int(1, 3);
    const address = street
      ? `${street}${door}号${r.int(1, 8)}栋${r.int(1, 6)}0${r.int(1, 4)}室`
      : `${village.name}${group}组${door}号`;
    const residents = people.map((p) => resident(r, ctx, grid.code.slice(0, 6), p));
    const roll = r.next();
    households.push({
      gridCode: grid.code,
      address,
      residents,
      colour: mostSevere(residents.map((x) => x.colour)),
      surveyedDaysAgo: roll < 0.6 ? r.int(0, 29) : roll < 0.78 ? r.int(31, 120) : null,
    });
    count += people.length;
  }
  return households;
}

const ROADS = [
  '建设路',
  '人民路',
  '文昌路',
  '解放路',
  '和平路',
  '幸福路',
  '长江路',
  '迎宾路',
  '振兴路',
  '育才路',
];

type Kind = 'alone' | 'elders' | 'threeGenerations' | 'young' | 'middle';
const KINDS: Kind[] = ['alone', 'elders', 'threeGenerations', 'young', 'middle'];
const KIND_WEIGHTS = [10, 24, 30, 22, 14];

/** One family as the survey finds it; rural Anhui: many elders, working-age adults often away. */
function family(r: Rng): Person[] {
  const name = familyName(r);
  const spouse = () => familyName(r);
  const kind = r.weighted(KINDS, KIND_WEIGHTS);
  switch (kind) {
    case 'alone':
      return [{ sex: r.chance(0.65) ? 'F' : 'M', days: age(r.int(70, 95), r), family: name, alone: true }];
    case 'elders': {
      const man = r.int(64, 90);
      const out: Person[] = [
        { sex: 'M', days: age(man, r), family: name },
        { sex: 'F', days: age(Math.max(60, man - r.int(0, 5)), r), family: spouse() },
      ];
      // A grandchild left behind while the parents work in the cities (留守儿童).
      if (r.chance(0.25)) out.push({ sex: sex(r), days: age(r.int(3, 14), r), family: name });
      return out;
    }
    case 'threeGenerations': {
      const elder = r.int(62, 88);
      const couple = r.chance(0.55);
      const out: Person[] = [{ sex: couple ? 'M' : sex(r), days: age(elder, r), family: name }];
      if (couple) out.push({ sex: 'F', days: age(Math.max(58, elder - r.int(0, 5)), r), family: spouse() });
      const parent = Math.max(22, elder - r.int(24, 32));
      out.push({ sex: sex(r), days: age(parent, r), family: name });
      while (out.length < 4 && (out.length < 3 || r.chance(0.5))) out.push(child(r, parent, name));
      return out;
    }
    case 'young': {
      const husband = r.int(24, 40);
      const wife = Math.max(21, husband - r.int(0, 4));
      const out: Person[] = [
        { sex: 'M', days: age(husband, r), family: name },
        { sex: 'F', days: age(wife, r), family: spouse() },
        child(r, wife, name),
      ];
      if (r.chance(0.35)) out.push(child(r, wife, name));
      else if (wife <= 38 && r.chance(0.3)) out[1]!.pregnantInDays = r.int(7, 260);
      return out;
    }
    case 'middle': {
      const man = r.int(45, 64);
      const out: Person[] = [
        { sex: 'M', days: age(man, r), family: name },
        { sex: 'F', days: age(Math.max(40, man - r.int(0, 5)), r), family: spouse() },
      ];
      if (r.chance(0.4)) out.push({ sex: sex(r), days: age(r.int(18, 28), r), family: name });
      return out;
    }
  }
}

const sex = (r: Rng): Sex => (r.chance(0.51) ? 'M' : 'F');

/** A child of a parent of `parentAge`; about one in eight is under three (一小). */
function child(r: Rng, parentAge: number, family: string): Person {
  const oldest = Math.max(0, Math.min(17, parentAge - 20));
  const days = r.chance(0.12) ? r.int(5, 3 * YEAR - 1) : age(r.int(0, oldest), r);
  return { sex: sex(r), days, family };
}

const CHRONIC: [string, number, string][] = [
  ['高血压', 40, '苯磺酸氨氯地平片'],
  ['糖尿病', 20, '盐酸二甲双胍片'],
  ['冠心病', 12, '阿司匹林肠溶片'],
  ['慢阻肺', 10, '噻托溴铵粉吸入剂'],
  ['脑卒中后遗症', 8, '阿托伐他汀钙片'],
  ['慢性肾病', 5, '复方α-酮酸片'],
  ['哮喘', 5, '布地奈德福莫特罗吸入剂'],
];
const SEVERE: [string, string][] = [
  ['恶性肿瘤', '化疗后随访'],
  ['尿毒症', '规律血液透析'],
  ['心力衰竭', '呋塞米片、螺内酯片'],
];
const DISABILITIES = ['肢体残疾二级', '视力残疾一级', '听力残疾三级', '肢体残疾三级', '智力残疾二级'];
const ALONE_NOTES = ['子女在外地务工', '五保户', '老伴已故，子女在县城', '子女每周回来一次'];

/** Chances of an underlying disease and of it being unstable, by age in years. */
function diseaseOdds(years: number): [number, number] {
  if (years < 18) return [0.01, 0.1];
  if (years < 45) return [0.06, 0.15];
  if (years < 65) return [0.3, 0.18];
  if (years < 80) return [0.55, 0.26];
  return [0.65, 0.3];
}

/** full / partial / none / not recorded, by age in years. */
function vaccinationOdds(years: number): number[] {
  if (years < 18) return [0.8, 0.15, 0.05, 0];
  if (years < 65) return [0.86, 0.1, 0.02, 0.02];
  if (years < 80) return [0.62, 0.24, 0.1, 0.04];
  return [0.45, 0.3, 0.2, 0.05];
}
const VACCINATION_CHOICES: (Vaccination | null)[] = ['full', 'partial', 'none', null];

function resident(r: Rng, ctx: PeopleCtx, county6: string, p: Person): DemoResident {
  const years = Math.floor(p.days / YEAR);
  const birthDate = addDays(ctx.ymd, -p.days);
  const name = personName(r, p.sex, p.family);
  // Half the babies under one have no 户口 yet, so no ID number.
  const idNumber = years === 0 && r.chance(0.5) ? null : idNumberFor(r, ctx, county6, birthDate, p.sex);
  const categories: string[] = [];
  const conditions: Condition[] = [];
  const medication: string[] = [];
  const notes: string[] = [];
  const [sick, unstable] = diseaseOdds(years);
  if (years >= 45 && r.chance(years >= 65 ? 0.03 : 0.012)) {
    const [disease, treatment] = r.pick(SEVERE);
    conditions.push({ name: disease, state: 'unstable' });
    medication.push(treatment);
    categories.push('severe_disease');
  }
  if (r.chance(sick)) {
    const n = years >= 45 && r.chance(0.3) ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const [disease, , drug] = r.weighted(
        CHRONIC,
        CHRONIC.map(([, w]) => w),
      );
      if (conditions.some((c) => c.name === disease)) continue;
      conditions.push({ name: disease, state: r.chance(unstable) ? 'unstable' : 'stable' });
      medication.push(drug);
    }
    if (!categories.includes('severe_disease')) categories.push('chronic');
  }
  if (years >= 18 && r.chance(years >= 65 ? 0.04 : 0.02)) {
    categories.push('disabled');
    notes.push(r.pick(DISABILITIES));
  }
  if (p.alone) {
    categories.push('living_alone');
    if (r.chance(0.4)) notes.push(r.pick(ALONE_NOTES));
  }
  if (years < 3) categories.push('infant');
  let pregnancyDueDate: string | null = null;
  if (p.pregnantInDays !== undefined) {
    pregnancyDueDate = addDays(ctx.ymd, p.pregnantInDays);
    categories.push('pregnant');
    notes.push(`孕 ${40 - Math.ceil(p.pregnantInDays / 7)} 周`);
  }
  // Under-threes were not vaccinated against COVID-19; the record says so.
  const vaccination = years < 3 ? 'none' : r.weighted(VACCINATION_CHOICES, vaccinationOdds(years));
  const fields = { birthDate, conditions, vaccination, categories };
  const { colour, score } = scoreColour(ctx.rules, colourInputsOf(fields, ctx.today));
  return {
    name,
    sex: p.sex,
    birthDate,
    idNumber,
    phones: phonesFor(r, ctx, years),
    categories,
    conditions,
    vaccination,
    pregnancyDueDate,
    medication: medication.length ? medication.join('、') : null,
    notes: notes.length ? notes.join('；') : null,
    colour,
    colourScore: score,
  };
}

/** A GB 11643 number: the county's code, the birth date, a sequence whose last digit is odd for men. */
function idNumberFor(r: Rng, ctx: PeopleCtx, county6: string, birthDate: string, s: Sex): string {
  for (;;) {
    // Sequences from 100 up: test fixtures use the low ones, so a demo person never takes theirs.
    const seq = r.int(10, 99) * 10 + 2 * r.int(0, 4) + (s === 'M' ? 1 : 0);
    const body = county6 + birthDate.replace(/-/g, '') + String(seq);
    const id = body + idCheckDigit(body);
    if (!ctx.ids.has(id)) {
      ctx.ids.add(id);
      return id;
    }
  }
}

/** Adults carry a phone; many elders do not, and the survey writes down a child's number instead. */
function phonesFor(r: Rng, ctx: PeopleCtx, years: number): string[] {
  const own = years >= 70 ? 0.45 : years >= 18 ? 0.92 : years >= 14 ? 0.3 : 0;
  if (r.chance(own)) return [demoMobile(r, ctx.phones, DEMO_MOBILE_PREFIX.resident)];
  if (years >= 65 && r.chance(0.6)) return [demoMobile(r, ctx.phones, DEMO_MOBILE_PREFIX.resident)];
  return [];
}

/** An unused 11-digit number in a demo block. */
export function demoMobile(r: Rng, taken: Set<string>, prefix: string): string {
  return uniqueName(taken, () => prefix + String(r.int(0, 99_999_999)).padStart(8, '0'));
}

/** YYYY-MM-DD in Shanghai. */
export function shanghaiYmd(d: Date): string {
  return d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

/** A calendar date moved by whole days. */
export function addDays(ymd: string, days: number): string {
  const t = new Date(`${ymd}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}
