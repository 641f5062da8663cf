// Catching a person named twice in one file: the compact index of ID numbers must answer exactly
// as a Map of the keys would, for ID numbers, people without one, and far more people than fit
// in its first table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenPeople } from './seen.ts';

const idNumber = fc
  .tuple(fc.stringMatching(/^\d{17}$/), fc.constantFrom(...'0123456789X'.split('')))
  .map(([digits, check]) => digits + check);
const withoutId = fc
  .tuple(
    fc.integer({ min: 1, max: 30 }),
    fc.constantFrom('幸福路1号', '幸福路2号'),
    fc.constantFrom('张三', '李四'),
  )
  .map(([grid, address, name]) => `${grid}|${address}|${name}`);

describe('the people a file has named', () => {
  it('says which row first named a person, as a Map would', () => {
    fc.assert(
      // Drawn from a small pool, so that people come back (random ID numbers alone never would).
      fc.property(
        fc
          .array(fc.oneof(idNumber, idNumber, withoutId), { minLength: 1, maxLength: 60 })
          .chain((pool) => fc.array(fc.constantFrom(...pool), { maxLength: 300 })),
        (keys) => {
          const seen = new SeenPeople();
          const expected = new Map<string, number>();
          keys.forEach((key, i) => {
            expect(seen.get(key)).toBe(expected.get(key));
            if (!expected.has(key)) {
              seen.set(key, i + 3);
              expected.set(key, i + 3);
            }
          });
        },
      ),
    );
  });

  it('keeps 200,000 ID numbers apart, and finds each again', () => {
    const seen = new SeenPeople();
    const key = (i: number) => `3408281950${String(i).padStart(7, '0')}${'0123456789X'[i % 11]}`;
    for (let i = 0; i < 200_000; i++) seen.set(key(i), i + 3);
    for (let i = 0; i < 200_000; i += 997) expect(seen.get(key(i))).toBe(i + 3);
    // The same digits with another check character are another number.
    expect(seen.get(key(11).slice(0, 17) + '5')).toBeUndefined();
  });
});
