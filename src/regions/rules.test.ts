// Table-driven tests of what a region code says about its level and parent.
import { describe, expect, it } from 'vitest';
import { checkCode, maySitUnder, nextGridCode, parentCodeOf, rebaseCode } from './rules.ts';

describe('checkCode', () => {
  it.each([
    ['340000000000', 'province', null, null],
    ['340800000000', 'city', '340000000000', null],
    ['340828000000', 'county', '340800000000', '340828'],
    ['340828100000', 'township', '340828000000', '340828'],
    ['340828001000', 'township', '340828000000', '340828'],
    ['340828100201', 'village', '340828100000', '340828'],
    ['340828100201003', 'grid', '340828100201', '340828'],
  ])('%s is a %s under %s', (code, level, parent, county) => {
    expect(checkCode(code)).toEqual({ ok: true, level, parentCode: parent, countyCode: county });
  });

  it.each([
    ['34082810020', 'needs 12 digits (15 for a grid)'],
    ['3408281002011', 'needs 12 digits (15 for a grid)'],
    ['34082810020A', 'digits only'],
    ['000828100201', 'the province part cannot be 00'],
    ['340828000201', 'a level in the middle of the code is zero'],
    ['340800100000', 'a level in the middle of the code is zero'],
    ['340828100201000', 'a level in the middle of the code is zero'],
    ['340828100000001', 'a level in the middle of the code is zero'],
  ])('%s is rejected: %s', (code, reason) => {
    const r = checkCode(code);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.en).toBe(reason);
  });

  it('trims spaces around the code', () => {
    expect(checkCode(' 340828100201 ')).toMatchObject({ ok: true, level: 'village' });
  });
});

describe('tree shape', () => {
  it.each([
    ['grid', 'village', true],
    ['village', 'township', true],
    ['township', 'county', true],
    ['county', 'city', true],
    ['grid', 'township', false],
    ['village', 'county', false],
    ['township', 'village', false],
  ] as const)('a %s under a %s: %s', (child, parent, ok) => {
    expect(maySitUnder(child, parent)).toBe(ok);
  });

  it('a village parent is found from the township digits', () => {
    expect(parentCodeOf('340828100201', 'village')).toBe('340828100000');
  });

  it('grid codes take the first free number under the village', () => {
    expect(nextGridCode('340828100201', [])).toBe('340828100201001');
    expect(nextGridCode('340828100201', ['340828100201001', '340828100201003'])).toBe('340828100201002');
  });

  it('descendants of a moved village take its new digits', () => {
    expect(rebaseCode('340828100201004', 'village', '340828101205')).toBe('340828101205004');
    expect(rebaseCode('340828100201004', 'township', '340828102000')).toBe('340828102201004');
  });
});
