// The colour-rules form ⇄ the ruleset JSON, and server error paths (/scoreBands/1/min) in words.
import type { TFunction } from 'i18next';
import type { ColourRuleset, DiseaseState, FloorCondition } from './rulesApi.ts';

type Maybe<T> = T | null | undefined;

/** What antd's form holds: numbers may be null while typing, condition parts may be empty. */
export type RulesFormValues = Omit<ColourRuleset, 'floors'> & {
  floors: (Omit<ColourRuleset['floors'][number], 'when'> & {
    when: {
      categories?: Maybe<string[]>;
      minAge?: Maybe<number>;
      maxAge?: Maybe<number>;
      disease?: Maybe<DiseaseState[]>;
    }[];
  })[];
};

function condition(c: RulesFormValues['floors'][number]['when'][number]): FloorCondition {
  const out: FloorCondition = {};
  if (c.categories?.length) out.categories = c.categories;
  if (typeof c.minAge === 'number') out.minAge = c.minAge;
  if (typeof c.maxAge === 'number') out.maxAge = c.maxAge;
  if (c.disease?.length) out.disease = c.disease;
  return out;
}

/** The ruleset to send; an emptied "to" box means an open band (null), as the server expects. */
export function toRuleset(v: RulesFormValues): ColourRuleset {
  return {
    name: v.name,
    version: v.version,
    ageBands: (v.ageBands ?? []).map((b) => ({ min: b.min, max: b.max ?? null, points: b.points })),
    disease: v.disease,
    vaccination: v.vaccination,
    unknown: v.unknown,
    scoreBands: (v.scoreBands ?? []).map((b) => ({ min: b.min, max: b.max ?? null, colour: b.colour })),
    floors: (v.floors ?? []).map((f) => ({
      id: f.id,
      label: f.label,
      atLeast: f.atLeast,
      when: (f.when ?? []).map(condition),
    })),
  };
}

export function toFormValues(rules: ColourRuleset): RulesFormValues {
  return structuredClone(rules) as RulesFormValues;
}

const SECTIONS = ['ageBands', 'disease', 'vaccination', 'unknown', 'scoreBands', 'floors'] as const;
type Section = (typeof SECTIONS)[number];
const isSection = (s: string | undefined): s is Section => (SECTIONS as readonly string[]).includes(s ?? '');

function word(
  part: string,
  parent: string | undefined,
  section: string | undefined,
  t: TFunction,
): string | null {
  if (/^\d+$/.test(part))
    return parent === 'when' ? t('rules.condition', { n: Number(part) + 1 }) : `#${Number(part) + 1}`;
  if (parent === undefined) return isSection(part) ? t(`rules.${part}`) : part;
  if (section === 'disease' && parent === 'disease') return t(`disease.${part as 'none'}`);
  if (section === 'vaccination' && parent === 'vaccination') return t(`vaccination.${part as 'none'}`);
  if (section === 'unknown') {
    const key = { agePoints: 'unknownAge', disease: 'unknownDisease', vaccination: 'unknownVaccination' }[
      part
    ];
    return key ? t(`rules.${key as 'unknownAge'}`) : part;
  }
  switch (part) {
    case 'min':
    case 'max':
    case 'points':
    case 'atLeast':
    case 'categories':
    case 'minAge':
    case 'maxAge':
      return t(`rules.${part}`);
    case 'colour':
      return t('rules.colourCol');
    case 'disease':
      return t('rules.diseaseStates');
    case 'id':
      return t('rules.floorId');
    case 'zh':
      return t('rules.labelZh');
    case 'en':
      return t('rules.labelEn');
    case 'label':
    case 'when':
      return null;
    default:
      return part;
  }
}

/** "分数段 › #2 › 起" for /scoreBands/1/min: where a server problem sits, in the user's words. */
export function describePath(path: string, t: TFunction): string {
  const parts = path.split('/').slice(1);
  const words = parts.map((part, i) => word(part, parts[i - 1], parts[0], t)).filter((w): w is string => !!w);
  return words.join(' › ') || t('rules.title');
}
