// Many rows in one statement, one array literal per column: `unnest($1::bigint[], $2::text[], …)`.
// The server reads an array literal several times faster than it reads the same rows as JSON
// (json_to_recordset): 2,000 ledger rows decode in 6–12 ms against 60 ms, most of a chunk's
// insert. Literals are built here rather than by node-postgres, which cannot send a column of
// ragged arrays (each resident's phones) nor JSON cells.
import { sql, type SQL } from 'drizzle-orm';

type Scalar = string | number | boolean | Date | null | undefined;

const SPECIAL = /["\\]/;
const SPECIALS = /["\\]/g;
// eslint-disable-next-line no-control-regex -- exactly the characters JSON writes as escapes of its own
const JSON_ESCAPED = /[\u0000-\u001f\ud800-\udfff]/;

/**
 * `{"a","b\"c",NULL,3}`: a one-dimensional PostgreSQL array literal. Usually JSON.stringify's with
 * the brackets swapped: its `\"` and `\\` are the literal's own escapes and its `null` reads as
 * NULL, and it is built in one piece (appending cell by cell cost a third more garbage collection).
 * Text with control characters, which JSON escapes its own way, is quoted by hand.
 */
export function arrayLiteral(values: readonly Scalar[]): string {
  const json = JSON.stringify(values);
  if (!json.includes('\\') || !values.some((v) => typeof v === 'string' && JSON_ESCAPED.test(v)))
    return `{${json.slice(1, -1)}}`;
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    if (v == null) out += 'NULL';
    else if (typeof v === 'string') out += `"${SPECIAL.test(v) ? v.replace(SPECIALS, '\\$&') : v}"`;
    else out += v instanceof Date ? v.toISOString() : String(v);
  }
  return out + '}';
}

/** A column: its name and SQL type. An array or jsonb cell travels as text and is cast on arrival. */
export type RowsetColumn<T> = readonly [name: keyof T & string, type: string];

const nested = (type: string) => type === 'jsonb' || type === 'json' || type.endsWith('[]');

/** A column's cells: arrays as their own literal, JSON as text. */
function cells<T>(rows: readonly T[], name: keyof T, type: string): Scalar[] {
  if (!nested(type)) return rows.map((r) => r[name] as Scalar);
  const json = type === 'jsonb' || type === 'json';
  return rows.map((r) => {
    const v = r[name];
    return v == null ? null : json ? JSON.stringify(v) : arrayLiteral(v as Scalar[]);
  });
}

/** `rows` as a table in FROM: `(select … from unnest($1::type[], …)) as alias`, a parameter per column. */
export function rowset<T>(rows: readonly T[], alias: string, columns: readonly RowsetColumn<T>[]): SQL {
  const params = columns.map(
    ([name, type]) =>
      sql`${arrayLiteral(cells(rows, name, type))}::${sql.raw(nested(type) ? 'text' : type)}[]`,
  );
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const names = columns.map(([name]) => q(name)).join(', ');
  const casts = columns
    .map(([name, type]) => (nested(type) ? `${q(name)}::${type} as ${q(name)}` : q(name)))
    .join(', ');
  return sql`(select ${sql.raw(casts)} from unnest(${sql.join(params, sql`, `)}) as u(${sql.raw(names)})) as ${sql.raw(alias)}`;
}
