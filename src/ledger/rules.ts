// Pure rules of the ledger: checking and normalising what people enter or import about a resident,
// and turning a resident into the inputs of the colour rules. No I/O.
import type { FieldError } from '../platform/errors.ts';
import { ageOn, checkIdNumber, isCalendarDate, splitPhones } from '../platform/identity.ts';
import type { ColourInputs, DiseaseState } from './colour.ts';
import type { VACCINATION } from './schema.ts';
import { CONDITION_STATES, type Condition } from './schema.ts';

export interface ResidentInput {
  name?: string;
  idNumber?: string | null;
  sex?: 'M' | 'F' | null;
  birthDate?: string | null;
  phones?: string | string[] | null;
  categories?: string[];
  conditions?: Condition[];
  vaccination?: (typeof VACCINATION)[number] | null;
  pregnancyDueDate?: string | null;
  medication?: string | null;
  notes?: string | null;
}

export interface ResidentFields {
  name: string;
  idNumber: string | null;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  phones: string[];
  categories: string[];
  conditions: Condition[];
  vaccination: (typeof VACCINATION)[number] | null;
  pregnancyDueDate: string | null;
  medication: string | null;
  notes: string | null;
}

export type Checked = { ok: true; value: ResidentFields } | { ok: false; errors: FieldError[] };

/**
 * Checks a whole resident record. The ID number, when present, decides birth date and sex; any
 * given birth date or sex must agree with it.
 */
export function checkResident(
  input: ResidentInput,
  knownCategories: ReadonlySet<string>,
  today: Date,
): Checked {
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) errors.push({ path: '/name', code: 'required' });
  else if (name.length > 50) errors.push({ path: '/name', code: 'too_long', params: { max: 50 } });

  let idNumber: string | null = null;
  let sex = input.sex ?? null;
  let birthDate = input.birthDate?.trim() || null;
  if (birthDate && !isCalendarDate(birthDate)) {
    errors.push({ path: '/birthDate', code: 'format' });
    birthDate = null;
  }
  if (input.idNumber?.trim()) {
    const id = checkIdNumber(input.idNumber, { today });
    if (!id.ok) errors.push({ path: '/idNumber', code: id.code, message: id.message });
    else {
      idNumber = id.id;
      if (birthDate && birthDate !== id.birthDate)
        errors.push({ path: '/birthDate', ...mismatch('出生日期', 'birth date', birthDate, id.birthDate) });
      if (sex && sex !== id.sex)
        errors.push({ path: '/sex', ...mismatch('性别', 'sex', sexName(sex), sexName(id.sex)) });
      birthDate = id.birthDate;
      sex = id.sex;
    }
  }

  const phones: string[] = [];
  const rawPhones = Array.isArray(input.phones) ? input.phones.join('/') : (input.phones ?? '');
  if (rawPhones.trim()) {
    for (const p of splitPhones(rawPhones)) {
      if (p.ok) {
        if (!phones.includes(p.phone)) phones.push(p.phone);
      } else errors.push({ path: '/phones', code: p.code, message: p.message });
    }
  }

  const categories = [...new Set(input.categories ?? [])];
  for (const c of categories) {
    if (!knownCategories.has(c))
      errors.push({
        path: '/categories',
        code: 'enum',
        params: { allowed: [...knownCategories].join(', ') },
      });
  }

  const conditions: Condition[] = [];
  for (const [i, c] of (input.conditions ?? []).entries()) {
    const cname = c.name?.trim();
    if (!cname) errors.push({ path: `/conditions/${i}/name`, code: 'required' });
    else if (!CONDITION_STATES.includes(c.state))
      errors.push({
        path: `/conditions/${i}/state`,
        code: 'enum',
        params: { allowed: CONDITION_STATES.join(', ') },
      });
    else conditions.push({ name: cname, state: c.state });
  }

  const due = input.pregnancyDueDate?.trim() || null;
  if (due && !isCalendarDate(due)) errors.push({ path: '/pregnancyDueDate', code: 'format' });

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      idNumber,
      sex,
      birthDate,
      phones,
      categories: due && !categories.includes('pregnant') ? [...categories, 'pregnant'] : categories,
      conditions,
      vaccination: input.vaccination ?? null,
      pregnancyDueDate: due,
      medication: input.medication?.trim() || null,
      notes: input.notes?.trim() || null,
    },
  };
}

function mismatch(zh: string, en: string, given: string, fromId: string) {
  return {
    code: 'id.mismatch',
    message: {
      zh: `${zh}“${given}”与身份证号不符（按身份证号应为${fromId}）`,
      en: `The ${en} "${given}" contradicts the ID number (which says ${fromId})`,
    },
  };
}

const sexName = (s: 'M' | 'F') => (s === 'M' ? '男' : '女');

/** The worst state among a resident's underlying conditions. */
export function diseaseState(conditions: readonly Condition[]): DiseaseState {
  if (conditions.some((c) => c.state === 'unstable')) return 'unstable';
  return conditions.length ? 'stable' : 'none';
}

/** What the colour rules look at, on a given day. */
export function colourInputsOf(
  r: Pick<ResidentFields, 'birthDate' | 'conditions' | 'vaccination' | 'categories'>,
  on: Date,
): ColourInputs {
  const age = r.birthDate ? ageOn(r.birthDate, on) : null;
  const categories =
    age !== null && age >= 65 && !r.categories.includes('elderly')
      ? [...r.categories, 'elderly']
      : r.categories;
  return { age, disease: diseaseState(r.conditions), vaccination: r.vaccination, categories };
}

/** 张* / 欧阳** : the surname stays, so a list is still readable. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

/** Age bands to birth-date bounds: aged ≥ min means born on or before today − min years. */
export function birthBounds(
  today: string,
  ageMin?: number,
  ageMax?: number,
): { bornOnOrBefore?: string; bornAfter?: string } {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const shift = (years: number) => {
    const dt = new Date(Date.UTC(y - years, m - 1, d));
    // Feb 29 minus whole years lands on Mar 1 in a common year: step back to Feb 28.
    if (dt.getUTCMonth() !== m - 1) dt.setUTCDate(0);
    return dt.toISOString().slice(0, 10);
  };
  const out: { bornOnOrBefore?: string; bornAfter?: string } = {};
  if (ageMin !== undefined) out.bornOnOrBefore = shift(ageMin);
  if (ageMax !== undefined) out.bornAfter = shift(ageMax + 1);
  return out;
}
