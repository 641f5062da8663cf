// Puts a server refusal on the form: field errors (and conflicts that concern one field, such as a
// mobile already registered) under their fields; whatever concerns no field comes back as text.
import type { FormInstance } from 'antd';
import { isApiError } from './api.ts';
import type { ProblemFieldError } from './types.ts';

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

/** A JSON pointer from the server (`/conditions/0/name`, `/body/phones`) as an antd form field name. */
export function fieldName(path: string): (string | number)[] {
  const parts = path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'body') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Groups field errors by form field name, so each field shows all of its messages. */
export function errorsByField(
  errors: ProblemFieldError[],
): { name: (string | number)[]; errors: string[] }[] {
  const grouped = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const error of errors) {
    const name = fieldName(error.path);
    const key = JSON.stringify(name);
    const entry = grouped.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(error.message)) entry.errors.push(error.message);
    grouped.set(key, entry);
  }
  return [...grouped.values()];
}
