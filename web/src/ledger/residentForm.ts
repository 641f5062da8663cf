// The resident form's values: built from a resident, and turned into the fields a PATCH or POST sends.
import type {
  Condition,
  Resident,
  ResidentInput,
  ResidentStatus,
  Revealed,
  Sex,
  Vaccination,
} from './types.ts';

export type ResidentFormValues = {
  name: string;
  idNumber: string;
  sex: Sex | null;
  birthDate: string;
  phones: string;
  categories: string[];
  conditions: Condition[];
  vaccination: Vaccination | null;
  pregnancyDueDate: string;
  medication: string;
  notes: string;
  status: ResidentStatus;
};

export const EMPTY_RESIDENT: ResidentFormValues = {
  name: '',
  idNumber: '',
  sex: null,
  birthDate: '',
  phones: '',
  categories: [],
  conditions: [],
  vaccination: null,
  pregnancyDueDate: '',
  medication: '',
  notes: '',
  status: 'active',
};

/**
 * The form's starting values. ID number and phones are masked by the server, so they start empty
 * (the placeholder shows the masked value) unless this user revealed them on the page.
 * 'elderly' is derived from the birth date, never stored, so it is not offered for editing.
 */
export function formValuesOf(r: Resident, revealed: Revealed): ResidentFormValues {
  return {
    name: r.name,
    idNumber: revealed.idNumber ?? '',
    sex: r.sex,
    birthDate: r.birthDate && r.birthDate.length === 10 ? r.birthDate : '',
    phones: revealed.phones?.join(' / ') ?? '',
    categories: r.categories.filter((c) => c !== 'elderly'),
    conditions: r.conditions,
    vaccination: r.vaccination,
    pregnancyDueDate: r.pregnancyDueDate ?? '',
    medication: r.medication ?? '',
    notes: r.notes ?? '',
    status: r.status,
  };
}

const text = (s: string | undefined) => (s ?? '').trim();
const orNull = (s: string | undefined) => text(s) || null;

function sameConditions(a: Condition[], b: Condition[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.state === b[i]?.state);
}

function cleanConditions(list: (Partial<Condition> | undefined)[] | undefined): Condition[] {
  return (list ?? [])
    .filter((c): c is Partial<Condition> => c !== undefined)
    .map((c) => ({ name: text(c.name), state: c.state ?? 'stable' }));
}

/** Everything filled in, for a new resident. */
export function createInput(v: ResidentFormValues): ResidentInput {
  const input: ResidentInput = {
    name: text(v.name),
    categories: v.categories,
    conditions: cleanConditions(v.conditions),
    vaccination: v.vaccination ?? null,
    medication: orNull(v.medication),
    notes: orNull(v.notes),
  };
  if (text(v.idNumber)) input.idNumber = text(v.idNumber);
  else {
    if (v.sex) input.sex = v.sex;
    if (text(v.birthDate)) input.birthDate = text(v.birthDate);
  }
  if (text(v.phones)) input.phones = text(v.phones);
  if (text(v.pregnancyDueDate)) input.pregnancyDueDate = text(v.pregnancyDueDate);
  return input;
}

/** Only what changed, so untouched masked fields and derived ones are never sent back. */
export function patchInput(v: ResidentFormValues, initial: ResidentFormValues): ResidentInput {
  const patch: ResidentInput = {};
  if (text(v.name) !== text(initial.name)) patch.name = text(v.name);
  if (text(v.idNumber) !== text(initial.idNumber)) patch.idNumber = orNull(v.idNumber);
  if ((v.sex ?? null) !== initial.sex) patch.sex = v.sex ?? null;
  if (text(v.birthDate) !== text(initial.birthDate)) patch.birthDate = orNull(v.birthDate);
  if (text(v.phones) !== text(initial.phones)) patch.phones = orNull(v.phones);
  const categories = v.categories ?? [];
  if (categories.join() !== initial.categories.join()) patch.categories = categories;
  const conditions = cleanConditions(v.conditions);
  if (!sameConditions(conditions, initial.conditions)) patch.conditions = conditions;
  if ((v.vaccination ?? null) !== initial.vaccination) patch.vaccination = v.vaccination ?? null;
  if (text(v.pregnancyDueDate) !== text(initial.pregnancyDueDate))
    patch.pregnancyDueDate = orNull(v.pregnancyDueDate);
  if (text(v.medication) !== text(initial.medication)) patch.medication = orNull(v.medication);
  if (text(v.notes) !== text(initial.notes)) patch.notes = orNull(v.notes);
  if (v.status !== initial.status) patch.status = v.status;
  return patch;
}
