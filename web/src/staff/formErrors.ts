// Puts a server refusal on the form: field errors (and conflicts that concern one field, such as a
// mobile already registered) under their fields; whatever concerns no field comes back as text.
import type { FormInstance } from 'antd';
import { isApiError } from '../app/api.ts';
import { errorsByField } from '../ledger/format.ts';

/**
 * @param fields the form's field names
 * @param byCode error codes that belong to one field, e.g. { 'staff.mobile_taken': 'mobile' }
 * @returns the messages to show above the form (empty when everything found its field)
 */
export function placeErrors(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  byCode: Record<string, string> = {},
  fixErrors = '',
): string[] {
  if (!isApiError(error)) return [error instanceof Error ? error.message : String(error)];
  const field = byCode[error.code];
  if (field) {
    form.setFields([{ name: field, errors: [error.detail] }]);
    return [];
  }
  // `/roles/0` and `/roles` are both the roles field.
  const onField = new Map<string, string[]>();
  const elsewhere: string[] = [];
  for (const g of errorsByField(error.errors)) {
    const name = String(g.name[0]);
    if (fields.includes(name)) onField.set(name, [...(onField.get(name) ?? []), ...g.errors]);
    else elsewhere.push(...g.errors);
  }
  form.setFields([...onField].map(([name, errors]) => ({ name, errors })));
  if (onField.size) return elsewhere.length ? [fixErrors, ...elsewhere] : [];
  return [error.detail, ...elsewhere];
}
