// The 三色 colour rules as county-editable JSON data, with a pure evaluator, checker and change preview.
export type Colour = 'green' | 'yellow' | 'red';
export type DiseaseState = 'none' | 'stable' | 'unstable';
export type Vaccination = 'full' | 'partial' | 'none';

export interface Label {
  zh: string;
  en: string;
}

export interface ColourInputs {
  /** Whole years on the evaluation date; null when unknown (no ID number or birth date). */
  age: number | null;
  /** The worst underlying condition; null when not recorded. */
  disease: DiseaseState | null;
  vaccination: Vaccination | null;
  /** Key-population codes: 'elderly', 'living_alone', 'severe_disease', 'pregnant', 'infant', 'disabled', … */
  categories: string[];
}

/** Whole years, both ends included; max null means "and older" (only the last band). */
export interface AgeBand {
  min: number;
  max: number | null;
  points: number;
}

/** Total scores, both ends included; max null means "and above" (only the last band). */
export interface ScoreBand {
  min: number;
  max: number | null;
  colour: Colour;
}

/** Matches when every part given matches; a part left out does not constrain. */
export interface FloorCondition {
  /** Any one of these categories. */
  categories?: string[];
  minAge?: number;
  maxAge?: number;
  /** Any one of these states. */
  disease?: DiseaseState[];
}

export interface Floor {
  /** Stable code, recorded with a colour change so the rule that fired can be named. */
  id: string;
  label: Label;
  atLeast: Colour;
  /** Applies when ANY condition matches (so "under 3, or category infant" is two conditions). */
  when: FloorCondition[];
}

export interface ColourRuleset {
  name: string;
  version: number;
  ageBands: AgeBand[];
  disease: Record<DiseaseState, number>;
  vaccination: Record<Vaccination, number>;
  /** How a value nobody recorded is scored; written into the reasons so a doctor sees it. */
  unknown: { agePoints: number; disease: DiseaseState; vaccination: Vaccination };
  scoreBands: ScoreBand[];
  floors: Floor[];
}

export interface ColourResult {
  colour: Colour;
  /** The total before floors. */
  score: number;
  reasons: Label[];
}

export type RulesetError = { path: string; message: Label };

export const COLOURS: readonly Colour[] = ['green', 'yellow', 'red'];
export const DISEASE_STATES: readonly DiseaseState[] = ['none', 'stable', 'unstable'];
export const VACCINATIONS: readonly Vaccination[] = ['full', 'partial', 'none'];
export const COLOUR_RANK: Record<Colour, number> = { green: 0, yellow: 1, red: 2 };

const MAX_POINTS = 10;

const COLOUR_NAME: Record<Colour, Label> = {
  green: { zh: '绿色', en: 'green' },
  yellow: { zh: '黄色', en: 'yellow' },
  red: { zh: '红色', en: 'red' },
};
const DISEASE_NAME: Record<DiseaseState, Label> = {
  none: { zh: '无基础病', en: 'no underlying disease' },
  stable: { zh: '基础病稳定', en: 'underlying disease stable' },
  unstable: { zh: '基础病不稳定', en: 'underlying disease unstable' },
};
const VACCINATION_NAME: Record<Vaccination, Label> = {
  full: { zh: '已全程接种', en: 'fully vaccinated' },
  partial: { zh: '未全程接种', en: 'not fully vaccinated' },
  none: { zh: '未接种', en: 'not vaccinated' },
};

/** The national graded-service rule of the 2022–23 wave. */
export const DEFAULT_RULESET: ColourRuleset = {
  name: 'national-2022',
  version: 1,
  ageBands: [
    { min: 0, max: 64, points: 0 },
    { min: 65, max: 79, points: 1 },
    { min: 80, max: null, points: 2 },
  ],
  disease: { none: 0, stable: 1, unstable: 2 },
  vaccination: { full: 0, partial: 1, none: 2 },
  // Conservative: an unrecorded vaccination is treated as none; an unrecorded disease cannot be
  // guessed, so it scores as none and the reason says so.
  unknown: { agePoints: 0, disease: 'none', vaccination: 'none' },
  scoreBands: [
    { min: 0, max: 1, colour: 'green' },
    { min: 2, max: 3, colour: 'yellow' },
    { min: 4, max: null, colour: 'red' },
  ],
  floors: [
    {
      id: 'pregnant',
      label: { zh: '孕产妇', en: 'Pregnant or postpartum' },
      atLeast: 'yellow',
      when: [{ categories: ['pregnant'] }],
    },
    {
      id: 'infant',
      label: { zh: '3 岁以下婴幼儿', en: 'Infant or child under 3' },
      atLeast: 'yellow',
      when: [{ maxAge: 2 }, { categories: ['infant'] }],
    },
    {
      id: 'severe_disease',
      label: { zh: '患严重疾病', en: 'Severe disease' },
      atLeast: 'yellow',
      when: [{ categories: ['severe_disease'] }],
    },
    {
      id: 'living_alone_80',
      label: { zh: '80 岁及以上独居', en: 'Living alone at 80 or over' },
      atLeast: 'yellow',
      when: [{ categories: ['living_alone'], minAge: 80 }],
    },
  ],
};

const pts = (n: number): Label => ({ zh: `${n} 分`, en: `${n} ${n === 1 ? 'point' : 'points'}` });
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const TOPIC = {
  disease: { zh: '基础病', en: 'Underlying disease' },
  vaccination: { zh: '疫苗接种', en: 'Vaccination' },
};

/** One scored part; an unrecorded value says what it was counted as, so a doctor knows to ask. */
function part(recorded: boolean, topic: Label, name: Label, zhPrefix: string, p: Label): Label {
  if (recorded) return { zh: `${zhPrefix}${name.zh}：${p.zh}`, en: `${cap(name.en)}: ${p.en}` };
  return {
    zh: `${topic.zh}未登记，按${name.zh}计：${p.zh}`,
    en: `${topic.en} not recorded, counted as ${name.en}: ${p.en}`,
  };
}

function rangeText(b: { min: number; max: number | null }): string {
  if (b.max === null) return `≥${b.min}`;
  if (b.min === 0) return `<${b.max + 1}`;
  return b.min === b.max ? `${b.min}` : `${b.min}–${b.max}`;
}

const within = (b: { min: number; max: number | null }, n: number): boolean =>
  n >= b.min && (b.max === null || n <= b.max);

function conditionMatches(c: FloorCondition, age: number | null, inputs: ColourInputs): boolean {
  if (c.categories && !c.categories.some((k) => inputs.categories.includes(k))) return false;
  // A floor bounded by age or disease needs that fact recorded: it raises on evidence, not on a guess.
  if (c.minAge !== undefined && (age === null || age < c.minAge)) return false;
  if (c.maxAge !== undefined && (age === null || age > c.maxAge)) return false;
  if (c.disease && (inputs.disease === null || !c.disease.includes(inputs.disease))) return false;
  return true;
}

export function evaluateColour(rules: ColourRuleset, inputs: ColourInputs): ColourResult {
  const reasons: Label[] = [];
  return { ...scoreColour(rules, inputs, reasons), reasons };
}

/**
 * The colour, floors applied, and the score (floors do not change it); `reasons`, when given,
 * receives why, in words. Writes need only the colour (a 1 M-row import spent more on the words
 * than on anything else it allocated).
 */
export function scoreColour(
  rules: ColourRuleset,
  inputs: ColourInputs,
  reasons?: Label[],
): { colour: Colour; score: number } {
  const age =
    inputs.age !== null && Number.isFinite(inputs.age) && inputs.age >= 0 ? Math.floor(inputs.age) : null;

  const band = age === null ? undefined : rules.ageBands.find((b) => within(b, age));
  const agePoints = band?.points ?? rules.unknown.agePoints;
  const disease = inputs.disease ?? rules.unknown.disease;
  const diseasePoints = rules.disease[disease];
  const vaccination = inputs.vaccination ?? rules.unknown.vaccination;
  const vaccinationPoints = rules.vaccination[vaccination];
  const score = agePoints + diseasePoints + vaccinationPoints;
  // A score no band covers only happens with an unchecked ruleset; red makes someone look at it.
  let colour = rules.scoreBands.find((b) => within(b, score))?.colour ?? 'red';

  if (reasons) {
    const [ap, r] = [pts(agePoints), band && rangeText(band)];
    reasons.push(
      band
        ? { zh: `年龄 ${age} 岁（${r}）：${ap.zh}`, en: `Age ${age} (${r}): ${ap.en}` }
        : {
            zh: `年龄不详（无身份证号或出生日期），按 ${ap.zh}计`,
            en: `Age unknown (no ID or birth date), counted as ${ap.en}`,
          },
    );
    reasons.push(part(inputs.disease !== null, TOPIC.disease, DISEASE_NAME[disease], '', pts(diseasePoints)));
    const vn = VACCINATION_NAME[vaccination];
    reasons.push(part(inputs.vaccination !== null, TOPIC.vaccination, vn, '疫苗', pts(vaccinationPoints)));
    const [total, banded] = [pts(score), COLOUR_NAME[colour]];
    reasons.push({ zh: `合计 ${total.zh} → ${banded.zh}`, en: `Total ${total.en} → ${banded.en}` });
  }

  for (const floor of rules.floors) {
    if (!floor.when.some((c) => conditionMatches(c, age, inputs))) continue;
    const raised = COLOUR_RANK[floor.atLeast] > COLOUR_RANK[colour];
    if (reasons) {
      const [least, { zh, en }] = [COLOUR_NAME[floor.atLeast], floor.label];
      const reason = { zh: `${zh}：至少${least.zh}`, en: `${en}: at least ${least.en}` };
      if (raised) {
        reason.zh += `（由${COLOUR_NAME[colour].zh}升为${least.zh}）`;
        reason.en += ` (raised from ${COLOUR_NAME[colour].en})`;
      }
      reasons.push(reason);
    }
    if (raised) colour = floor.atLeast;
  }
  return { colour, score };
}

/** A household takes its most severe member's colour; null when it has no members. */
export function mostSevere(colours: Colour[]): Colour | null {
  let worst: Colour | null = null;
  for (const c of colours) if (worst === null || COLOUR_RANK[c] > COLOUR_RANK[worst]) worst = c;
  return worst;
}

/** How many residents a candidate ruleset would move, and from which colour to which. */
export function diffColours(
  rules: ColourRuleset,
  candidate: ColourRuleset,
  people: ColourInputs[],
): { moved: number; from: Record<Colour, Record<Colour, number>> } {
  const row = (): Record<Colour, number> => ({ green: 0, yellow: 0, red: 0 });
  const from: Record<Colour, Record<Colour, number>> = { green: row(), yellow: row(), red: row() };
  let moved = 0;
  for (const p of people) {
    const a = scoreColour(rules, p).colour;
    const b = scoreColour(candidate, p).colour;
    from[a][b] += 1;
    if (a !== b) moved += 1;
  }
  return { moved, from };
}

// ---- checking a ruleset that arrives as JSON ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const ptr = (key: string | number): string => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

class Checker {
  errors: RulesetError[] = [];
  add(path: string, zh: string, en: string): null {
    this.errors.push({ path, message: { zh, en } });
    return null;
  }
  obj(v: unknown, path: string, keys: readonly string[]): Obj | null {
    if (!isObj(v)) return this.add(path, '应为对象', 'must be an object');
    // A misspelt key would otherwise be silently ignored and the county's change lost.
    for (const k of Object.keys(v))
      if (!keys.includes(k)) this.add(path + ptr(k), `未知字段“${k}”`, `unknown field "${k}"`);
    return v;
  }
  /** Every item read by `item`; null when the list or any item is bad. */
  list<T>(v: unknown, path: string, item: (x: unknown, p: string) => T | null, nonEmpty = true): T[] | null {
    if (!Array.isArray(v)) return this.add(path, '应为数组', 'must be an array');
    if (nonEmpty && v.length === 0) return this.add(path, '不能为空', 'must not be empty');
    const out = v.map((x, i) => item(x, `${path}/${i}`));
    return out.every((x) => x !== null) ? (out as T[]) : null;
  }
  int(v: unknown, path: string, min: number, max = Infinity): number | null {
    if (isInt(v) && v >= min && v <= max) return v;
    const range = max === Infinity ? `≥ ${min}` : `${min}–${max}`;
    return this.add(path, `应为整数（${range}）`, `must be an integer (${range})`);
  }
  points(v: unknown, path: string): number | null {
    return this.int(v, path, 0, MAX_POINTS);
  }
  text(v: unknown, path: string): string | null {
    if (typeof v === 'string' && v.trim() !== '') return v;
    return this.add(path, '不能为空', 'must be non-empty text');
  }
  oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T | null {
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    return this.add(path, `应为 ${allowed.join(' / ')} 之一`, `must be one of ${allowed.join(', ')}`);
  }
  /**
   * Ranges that must start at 0 and follow on without gaps or overlaps; only the last may be open
   * (max null), and with mustBeOpen it has to be, so no value falls off the end. Returned sorted.
   */
  ranges<V>(
    raw: unknown,
    path: string,
    key: string,
    mustBeOpen: boolean,
    read: (v: unknown, p: string) => V | null,
  ): (Span & { value: V })[] | null {
    const before = this.errors.length;
    const list = this.list(raw, path, (x, p) => {
      const o = this.obj(x, p, ['min', 'max', key]);
      if (!o) return null;
      const min = this.int(o.min, `${p}/min`, 0);
      const max = o.max === null ? null : this.int(o.max, `${p}/max`, min ?? 0);
      const value = read(o[key], `${p}/${key}`);
      // Only the bounds are needed to check the sequence, so a bad value still lets gaps be reported.
      return min === null || (max === null && o.max !== null) ? null : { value, min, max };
    });
    if (!list) return null;
    const out = list.map((b, at) => ({ ...b, at })).sort((a, b) => a.min - b.min);
    out.forEach((b, i) => {
      const prev = out[i - 1];
      const p = `${path}/${b.at}/min`;
      if (!prev) {
        if (b.min !== 0) this.add(p, '第一段应从 0 开始', 'the first range must start at 0');
      } else if (prev.max === null || b.min <= prev.max) {
        const s = spanText(prev);
        this.add(p, `与“${s}”段重叠`, `overlaps the range ${s}`);
      } else if (b.min > prev.max + 1) {
        const s = spanText({ min: prev.max + 1, max: b.min - 1 });
        this.add(p, `与上一段之间有空缺（${s}）`, `leaves a gap (${s}) after the previous range`);
      }
    });
    const last = out.at(-1);
    if (mustBeOpen && last && last.max !== null)
      this.add(`${path}/${last.at}/max`, '最后一段应不设上限（null）', 'the last must be open (null)');
    return this.errors.length > before ? null : (out as (Span & { value: V })[]);
  }
}

type Span = { min: number; max: number | null; at: number };
const spanText = (s: { min: number; max: number | null }): string =>
  s.max === null ? `${s.min}+` : s.max === s.min ? `${s.min}` : `${s.min}–${s.max}`;

function checkCondition(c: Checker, raw: unknown, path: string): FloorCondition | null {
  const o = c.obj(raw, path, ['categories', 'minAge', 'maxAge', 'disease']);
  if (!o) return null;
  const before = c.errors.length;
  const out: FloorCondition = {};
  if (o.categories !== undefined)
    out.categories = c.list(o.categories, `${path}/categories`, (x, p) => c.text(x, p)) ?? [];
  if (o.minAge !== undefined) out.minAge = c.int(o.minAge, `${path}/minAge`, 0) ?? 0;
  if (o.maxAge !== undefined) out.maxAge = c.int(o.maxAge, `${path}/maxAge`, out.minAge ?? 0) ?? 0;
  if (o.disease !== undefined)
    out.disease = c.list(o.disease, `${path}/disease`, (x, p) => c.oneOf(x, p, DISEASE_STATES)) ?? [];
  if (Object.keys(out).length === 0)
    c.add(path, '条件为空，会匹配所有人', 'an empty condition matches everyone');
  return c.errors.length > before ? null : out;
}

function checkFloor(c: Checker, raw: unknown, path: string): Floor | null {
  const o = c.obj(raw, path, ['id', 'label', 'atLeast', 'when']);
  if (!o) return null;
  const before = c.errors.length;
  const id = c.text(o.id, `${path}/id`);
  const l = c.obj(o.label, `${path}/label`, ['zh', 'en']);
  const label = l && { zh: c.text(l.zh, `${path}/label/zh`), en: c.text(l.en, `${path}/label/en`) };
  const atLeast = c.oneOf(o.atLeast, `${path}/atLeast`, COLOURS);
  const when = c.list(o.when, `${path}/when`, (x, p) => checkCondition(c, x, p));
  return c.errors.length > before ? null : ({ id, label, atLeast, when } as Floor);
}

/** Points per state, 0–10, never fewer for a worse state: a worse state must never lower a colour. */
function checkPoints<K extends string>(c: Checker, raw: unknown, path: string, order: readonly K[]) {
  const o = c.obj(raw, path, order);
  if (!o) return null;
  const before = c.errors.length;
  const out = {} as Record<K, number>;
  order.forEach((k, i) => {
    out[k] = c.points(o[k], `${path}/${k}`) ?? NaN;
    const better = order[i - 1];
    if (better !== undefined && out[k] < out[better])
      c.add(`${path}/${k}`, `分值不能低于“${better}”`, `must not score fewer points than "${better}"`);
  });
  return c.errors.length > before ? null : out;
}

const KEYS = ['name', 'version', 'ageBands', 'disease', 'vaccination', 'unknown', 'scoreBands', 'floors'];

export function validateRuleset(
  raw: unknown,
): { ok: true; rules: ColourRuleset } | { ok: false; errors: RulesetError[] } {
  const c = new Checker();
  const o = c.obj(raw, '', KEYS);
  if (!o) return { ok: false, errors: c.errors };
  const name = c.text(o.name, '/name');
  const version = c.int(o.version, '/version', 1);
  const ageBands = c.ranges(o.ageBands, '/ageBands', 'points', true, (v, p) => c.points(v, p));
  const disease = checkPoints(c, o.disease, '/disease', DISEASE_STATES);
  const vaccination = checkPoints(c, o.vaccination, '/vaccination', VACCINATIONS);
  const u = c.obj(o.unknown, '/unknown', ['agePoints', 'disease', 'vaccination']);
  const agePoints = u && c.points(u.agePoints, '/unknown/agePoints');
  const unknownDisease = u && c.oneOf(u.disease, '/unknown/disease', DISEASE_STATES);
  const unknownVaccination = u && c.oneOf(u.vaccination, '/unknown/vaccination', VACCINATIONS);
  const scoreBands = c.ranges(o.scoreBands, '/scoreBands', 'colour', false, (v, p) => c.oneOf(v, p, COLOURS));
  const floors = c.list(o.floors, '/floors', (x, p) => checkFloor(c, x, p), false);
  floors?.forEach((f, i) => {
    if (floors.findIndex((g) => g.id === f.id) < i)
      c.add(`/floors/${i}/id`, `编号“${f.id}”重复`, `id "${f.id}" is used twice`);
  });

  if (ageBands && disease && vaccination && agePoints !== null && scoreBands) {
    // Judged against the highest total the points allow, so no reachable score lacks a colour.
    const top =
      Math.max(agePoints, ...ageBands.map((b) => b.value)) +
      Math.max(...Object.values(disease)) +
      Math.max(...Object.values(vaccination));
    const end = scoreBands.at(-1);
    if (end && end.max !== null && end.max < top) {
      const at = spanText({ min: end.max + 1, max: top });
      c.add(`/scoreBands/${end.at}/max`, `合计 ${at} 分没有对应颜色`, `no colour for a total of ${at}`);
    }
    scoreBands.forEach((b, i) => {
      const prev = scoreBands[i - 1];
      if (prev && COLOUR_RANK[b.value] < COLOUR_RANK[prev.value])
        c.add(`/scoreBands/${b.at}/colour`, '分数更高，颜色不能更轻', 'a higher score cannot be milder');
      if (b.min > top)
        c.add(`/scoreBands/${b.at}/min`, `最高只有 ${top} 分，此段达不到`, `unreachable: the most is ${top}`);
    });
  }
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return {
    ok: true,
    rules: {
      name: name as string,
      version: version as number,
      ageBands: (ageBands ?? []).map(({ min, max, value }) => ({ min, max, points: value })),
      disease: disease as Record<DiseaseState, number>,
      vaccination: vaccination as Record<Vaccination, number>,
      unknown: {
        agePoints: agePoints as number,
        disease: unknownDisease as DiseaseState,
        vaccination: unknownVaccination as Vaccination,
      },
      scoreBands: (scoreBands ?? []).map(({ min, max, value }) => ({ min, max, colour: value })),
      floors: floors as Floor[],
    },
  };
}
