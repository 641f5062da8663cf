// Rows sent as one array literal per column come back from the database exactly as they were sent,
// whatever their text holds.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDb } from '../../test/helpers/db.ts';
import { arrayLiteral, rowset, type RowsetColumn } from './rowset.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase(inject('dbTemplate'));
});
afterAll(() => t.close());

type Row = {
  id: number;
  name: string | null;
  born: string | null;
  phones: string[] | null;
  extra: unknown;
  order: boolean | null;
  at?: Date | null;
};

const COLUMNS: RowsetColumn<Row>[] = [
  ['id', 'bigint'],
  ['name', 'text'],
  ['born', 'date'],
  ['phones', 'text[]'],
  ['extra', 'jsonb'],
  ['order', 'boolean'],
  ['at', 'timestamptz'],
];

async function roundTrip(rows: Row[]): Promise<Row[]> {
  const res = await t.ctx.db.execute<Row & { ms: number | null }>(sql`
    select id::int as id, name, born::text as born, phones, extra, "order", (extract(epoch from at) * 1000)::float8 as ms
    from ${rowset(rows, 'x', COLUMNS)} order by id`);
  return res.rows.map(({ ms, ...r }) => ({ ...r, at: ms === null ? null : new Date(ms) }));
}

describe('rowset', () => {
  it('carries quotes, backslashes, braces, commas, NULL as a word, empty text and arrays, JSON and nulls', async () => {
    const rows: Row[] = [
      {
        id: 1,
        name: '张三 "老三"',
        born: '1950-01-02',
        phones: ['13800138000', '0571-88889999'],
        extra: null,
        order: true,
        at: new Date('2023-01-05T08:30:00.000Z'),
      },
      {
        id: 2,
        name: 'C:\\path\\"x"',
        born: null,
        phones: [],
        extra: [{ name: '高血压', state: 'stable' }],
        order: false,
      },
      {
        id: 3,
        name: 'NULL',
        born: '2024-02-29',
        phones: null,
        extra: { q: 'a "b" \\ c', n: 1 },
        order: null,
      },
      {
        id: 4,
        name: '',
        born: null,
        phones: ['', 'NULL', 'a,b', '{x}', ' sp ', '"', '\\'],
        extra: 'text',
        order: true,
      },
      { id: 5, name: null, born: null, phones: ['多行\n文本\t制表'], extra: [], order: true },
    ];
    expect(await roundTrip(rows)).toEqual(rows.map((r) => ({ at: null, ...r })));
  });

  it('carries any text at all', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/\0/g, ''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, fc.array(text, { maxLength: 3 })), { maxLength: 20 }),
        async (xs) => {
          const rows = xs.map(([name, phones], i) => ({
            id: i,
            name,
            born: null,
            phones,
            extra: { name },
            order: null,
          }));
          expect(await roundTrip(rows)).toEqual(rows.map((r) => ({ at: null, ...r })));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('writes nulls unquoted and quotes every text, control characters included', () => {
    expect(arrayLiteral(['a', null, 3, undefined, 'NULL', 'x"y\\'])).toBe(
      '{"a",null,3,null,"NULL","x\\"y\\\\"}',
    );
    expect(arrayLiteral(['a\nb', null, 'x"y'])).toBe('{"a\nb",NULL,"x\\"y"}');
    expect(arrayLiteral([new Date(0), 'a\tb'])).toBe('{1970-01-01T00:00:00.000Z,"a\tb"}');
    expect(arrayLiteral([])).toBe('{}');
  });
});
