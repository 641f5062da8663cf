// Resident identity as it arrives from county Excel ledgers: ID numbers (GB 11643), phones, masking and
// ages. The check digit is verified against a reference written here from the ISO 7064 definition, not
// against the weights table the code uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  checkIdNumber,
  idCheckDigit,
  maskIdNumber,
  maskMobile,
  maskPhone,
  normalizeIdNumber,
  normalizeMobile,
  normalizePhone,
  splitPhones,
  toHalfWidth,
} from './identity.ts';

// ISO 7064 MOD 11-2, pure system, computed iteratively: p = (p + d) · 2 mod 11 gives Σ dᵢ·2^(18-i),
// and the check value c (weight 2⁰) makes the whole sum ≡ 1 (mod 11); 10 is written X.
function refCheck(body17: string): string {
  let p = 0;
  for (const ch of body17) p = ((p + Number(ch)) * 2) % 11;
  const c = (12 - p) % 11;
  return c === 10 ? 'X' : String(c);
}

const withCheck = (body17: string) => body17 + refCheck(body17);
const today = new Date('2024-06-01T12:00:00+08:00');
const CHECK_CHARS = '0123456789X'.split('');

const fullWidth = (s: string) =>
  s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

// A 17-digit body with a real birth date between 1890 and `today`.
const bodyArb = fc
  .record({
    region: fc.stringMatching(/^[1-8]\d{5}$/),
    year: fc.integer({ min: 1890, max: 2023 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    seq: fc.stringMatching(/^\d{3}$/),
  })
  .map(({ region, year, month, day, seq }) => {
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const d = Math.min(day, lastDay);
    return `${region}${year}${String(month).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`;
  });

describe('reference check digit', () => {
  it('agrees with the published example and with the code', () => {
    expect(refCheck('11010519491231002')).toBe('X');
    fc.assert(fc.property(bodyArb, (body) => idCheckDigit(body) === refCheck(body)));
  });
});

describe('checkIdNumber: properties', () => {
  it('accepts the computed check digit and rejects every other one with id.checksum', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        const good = refCheck(body);
        const r = checkIdNumber(body + good, { today });
        expect(r).toMatchObject({
          ok: true,
          id: body + good,
          birthDate: `${body.slice(6, 10)}-${body.slice(10, 12)}-${body.slice(12, 14)}`,
          sex: Number(body[16]) % 2 === 1 ? 'M' : 'F',
          converted15: false,
          regionCode: body.slice(0, 6),
        });
        for (const c of CHECK_CHARS.filter((x) => x !== good)) {
          const bad = checkIdNumber(body + c, { today });
          // A bare number ending 000 with a failing check is what Excel leaves of an 18-digit ID.
          const expected = body.endsWith('00') && c === '0' ? 'id.excel_number' : 'id.checksum';
          expect(bad).toMatchObject({ ok: false, code: expected });
          if (!bad.ok && expected === 'id.checksum') expect(bad.message.zh).toContain(`应为 ${good}`);
        }
      }),
    );
  });

  it('full-width and decorated forms of a valid ID normalise to the same ID', () => {
    const noise = fc.constantFrom('', ' ', '-', '\u3000', '\u200b', '\u00a0', '\t', '\ufeff', '－');
    fc.assert(
      fc.property(
        bodyArb,
        fc.array(noise, { minLength: 18, maxLength: 18 }),
        fc.boolean(),
        (body, gaps, lower) => {
          const id = withCheck(body);
          const typed = fullWidth(lower ? id.toLowerCase() : id)
            .split('')
            .map((c, i) => c + (gaps[i] ?? ''))
            .join('');
          expect(normalizeIdNumber(typed)).toBe(id);
          expect(checkIdNumber(typed, { today })).toMatchObject({ ok: true, id });
        },
      ),
    );
  });

  it('normalizeIdNumber is idempotent', () => {
    const interesting = fc.constantFrom(
      ..."0123456789xX'‘’ -－—\u3000\u00a0\t\u200b\ufeffＸｘ０９".split(''),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: interesting }), fc.string({ unit: 'binary' })), (s) => {
        const once = normalizeIdNumber(s);
        expect(normalizeIdNumber(once)).toBe(once);
      }),
    );
  });
});

describe('checkIdNumber: cases', () => {
  const ok = (raw: string, id: string, birthDate: string, sex: 'M' | 'F', converted15 = false) => ({
    raw,
    want: { ok: true, id, birthDate, sex, converted15, regionCode: id.slice(0, 6) },
  });
  const leap2000 = withCheck('34088120000229123');
  const leap2004 = withCheck('34088120040229124');
  it.each([
    ok('11010519491231002X', '11010519491231002X', '1949-12-31', 'F'),
    ok('11010519491231002x', '11010519491231002X', '1949-12-31', 'F'),
    ok(' 110105 19491231 002X ', '11010519491231002X', '1949-12-31', 'F'),
    ok('110105-1949-1231-002X', '11010519491231002X', '1949-12-31', 'F'),
    ok("'11010519491231002X", '11010519491231002X', '1949-12-31', 'F'),
    ok('\u200b110105\u00a019491231\t002x', '11010519491231002X', '1949-12-31', 'F'),
    ok('１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X', '1949-12-31', 'F'),
    // 15-digit legacy: '19' inserted before YYMMDD, check digit appended; the last digit gives the sex.
    ok('130503670401001', withCheck('13050319670401001'), '1967-04-01', 'M', true),
    ok('340881960229002', withCheck('34088119960229002'), '1996-02-29', 'F', true),
    ok(leap2000, leap2000, '2000-02-29', 'M'),
    ok(leap2004, leap2004, '2004-02-29', 'F'),
    // Genuine IDs ending in 0 and in 000 are not Excel damage.
    ok('340881199001111230', '340881199001111230', '1990-01-11', 'M'),
    ok('340881199001161000', '340881199001161000', '1990-01-16', 'F'),
    ok(withCheck('34088118900101001'), withCheck('34088118900101001'), '1890-01-01', 'M'),
    ok(withCheck('34088120240601001'), withCheck('34088120240601001'), '2024-06-01', 'M'),
  ])('$raw is valid', ({ raw, want }) => {
    expect(refCheck(want.id.slice(0, 17))).toBe(want.id[17]);
    expect(checkIdNumber(raw, { today })).toEqual(want);
  });

  const excelMangled = '340828199001012000';
  const notMangled = '340828199001012001';
  it('the Excel examples really fail their check digit', () => {
    expect(refCheck(excelMangled.slice(0, 17))).not.toBe('0');
    expect(refCheck(notMangled.slice(0, 17))).not.toBe('1');
  });

  it.each([
    ['', 'id.empty'],
    ['   ', 'id.empty'],
    ['\u200b\u00a0', 'id.empty'],
    ["'", 'id.empty'],
    ['1234', 'id.length'],
    ['11010519491231002', 'id.length'],
    ['11010519491231002X1', 'id.length'],
    ['34082819900101X', 'id.length'],
    ['11010519491231002A', 'id.chars'],
    ['1101051949123100X2', 'id.chars'],
    ['11010519491231001X', 'id.checksum'],
    ['11010519491231002 1', 'id.checksum'],
    [withCheck('34088119000229123'), 'id.birth_date'],
    [withCheck('34088120230229123'), 'id.birth_date'],
    [withCheck('34088119901301123'), 'id.birth_date'],
    [withCheck('34088119900431123'), 'id.birth_date'],
    [withCheck('34088118891231123'), 'id.birth_date'],
    [withCheck('34088100500101123'), 'id.birth_date'],
    ['340881230229002', 'id.birth_date'],
    [withCheck('34088120240602123'), 'id.future_birth'],
    [withCheck('34088130000101123'), 'id.future_birth'],
    ['3.40828E+17', 'id.excel_number'],
    ['3.40828199001011E17', 'id.excel_number'],
    ['3.40828199001011e+17', 'id.excel_number'],
    [excelMangled, 'id.excel_number'],
    [` ${excelMangled} `, 'id.excel_number'],
    [`${excelMangled}.0`, 'id.excel_number'],
    // Typed as text (apostrophe, dashes, full-width) Excel keeps every digit: an ordinary bad check digit.
    [`'${excelMangled}`, 'id.checksum'],
    ['340828-19900101-2000', 'id.checksum'],
    [fullWidth(excelMangled), 'id.checksum'],
    [notMangled, 'id.checksum'],
  ])('%j → %s', (raw, code) => {
    const r = checkIdNumber(raw, { today });
    expect(r).toMatchObject({ ok: false, code });
    if (!r.ok) {
      expect(r.message.zh).toMatch(/身份证号/);
      expect(r.message.en).toMatch(/ID number/);
    }
  });

  it('messages are specific', () => {
    expect(checkIdNumber('110105194912310021')).toEqual({
      ok: false,
      code: 'id.checksum',
      message: {
        zh: '身份证号校验位不正确（最后一位应为 X）',
        en: 'ID number check digit is wrong (the last character should be X)',
      },
    });
    const excel = checkIdNumber('3.40828E+17');
    expect(!excel.ok && excel.message.zh).toContain('文本');
    expect(!excel.ok && excel.message.en).toContain('Text');
    const chars = checkIdNumber('11010519491231002A');
    expect(!chars.ok && chars.message.zh).toContain('“A”');
    const len = checkIdNumber('1234');
    expect(!len.ok && len.message).toEqual({
      zh: '身份证号应为 18 位（当前 4 位）',
      en: 'ID number must have 18 characters (this one has 4)',
    });
    const date = checkIdNumber(withCheck('34088120230229123'));
    expect(!date.ok && date.message.zh).toContain('20230229');
    const ancient = checkIdNumber(withCheck('34088100500101123'));
    expect(!ancient.ok && ancient.message.zh).toContain('0050-01-01 早于 1890 年');
  });

  it('judges "today" by the Shanghai calendar', () => {
    const id = withCheck('34088120240602123');
    // 2024-06-01 16:30 UTC is already 2024-06-02 in Shanghai: born today, not in the future.
    expect(checkIdNumber(id, { today: new Date('2024-06-01T16:30:00Z') }).ok).toBe(true);
    expect(checkIdNumber(id, { today: new Date('2024-06-01T15:59:59Z') })).toMatchObject({
      code: 'id.future_birth',
    });
  });

  it('defaults today to now', () => {
    expect(checkIdNumber('11010519491231002X').ok).toBe(true);
    expect(checkIdNumber(withCheck('34088129991231123'))).toMatchObject({ code: 'id.future_birth' });
  });
});

describe('maskIdNumber', () => {
  it.each([
    ['34088119900101123X', '340881********123X'],
    ['340881199001011234', '340881********1234'],
    ['130503670401001', '130503*****1001'],
    ['3408811990010112345', '340881*********2345'],
    ['12345678901234', '12345*****1234'],
    ['1234567890', '123****890'],
    ['12345', '12**5'],
    ['1', '*'],
    ['', ''],
  ])('%s → %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });

  it('keeps the length and always hides at least a third', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\dX]{0,40}$/), (id) => {
        const m = maskIdNumber(id);
        expect(m.length).toBe(id.length);
        expect((m.match(/\*/g) ?? []).length).toBeGreaterThanOrEqual(Math.ceil(id.length / 3));
      }),
    );
  });
});

describe('ageOn', () => {
  const at = (s: string) => new Date(s);
  it.each([
    ['1990-06-15', '2024-06-15T00:00:00+08:00', 34],
    ['1990-06-15', '2024-06-14T23:59:59+08:00', 33],
    // 16:00 UTC on the 14th is midnight of the 15th in Shanghai.
    ['1990-06-15', '2024-06-14T16:00:00Z', 34],
    ['1990-06-15', '2024-06-14T15:59:59Z', 33],
    ['1990-06-15', '1990-06-15T08:00:00+08:00', 0],
    ['1990-06-15', '1991-06-14T08:00:00+08:00', 0],
    ['2000-02-29', '2023-02-28T12:00:00+08:00', 22],
    ['2000-02-29', '2023-03-01T00:00:00+08:00', 23],
    ['2000-02-29', '2024-02-28T12:00:00+08:00', 23],
    ['2000-02-29', '2024-02-29T00:00:00+08:00', 24],
    ['2000-12-31', '2024-01-01T00:00:00+08:00', 23],
  ])('born %s, on %s → %i', (birth, on, age) => {
    expect(ageOn(birth, at(on))).toBe(age);
  });

  it('takes another time zone when asked', () => {
    expect(ageOn('1990-06-15', at('2024-06-14T16:00:00Z'), 'UTC')).toBe(33);
  });

  it('rejects a date that does not exist', () => {
    expect(() => ageOn('2023-02-29', today)).toThrow(RangeError);
    expect(() => ageOn('19900615', today)).toThrow(RangeError);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+86 138-0013-8000', '13800138000', 'mobile'],
    ['0086 13800138000', '13800138000', 'mobile'],
    ['8613800138000', '13800138000', 'mobile'],
    ['(138) 0013.8000', '13800138000', 'mobile'],
    ['１３８ ００１３ ８０００', '13800138000', 'mobile'],
    ['\u200b13800138000\u00a0', '13800138000', 'mobile'],
    ['（0556）5551234', '0556-5551234', 'landline'],
    ['0556-5551234', '0556-5551234', 'landline'],
    ['05565551234', '0556-5551234', 'landline'],
    ['0556 555 1234', '0556-5551234', 'landline'],
    ['0556-5551234-801', '0556-5551234-801', 'landline'],
    ['0556-5551234转801', '0556-5551234-801', 'landline'],
    ['0556 5551234 ext. 801', '0556-5551234-801', 'landline'],
    ['05565551234-801', '0556-5551234-801', 'landline'],
    ['010 12345678', '010-12345678', 'landline'],
    ['01012345678', '010-12345678', 'landline'],
    ['010-1234567-8', '010-1234567-8', 'landline'],
    ['021－6123 4567', '021-61234567', 'landline'],
    ['+86 556 5551234', '0556-5551234', 'landline'],
    ['+86 10 12345678', '010-12345678', 'landline'],
  ])('%j → %s (%s)', (raw, phone, kind) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, phone, kind });
  });

  it.each([
    ['', 'phone.empty', '为空'],
    ['  \u200b', 'phone.empty', '为空'],
    ['5551234', 'phone.invalid', '区号'],
    ['555-12345', 'phone.invalid', '区号'],
    ['12800138000', 'phone.invalid', '手机号码'],
    ['1380013800', 'phone.invalid', '手机号码'],
    ['0123-5551234', 'phone.invalid', '格式'],
    ['0556-555123', 'phone.invalid', '格式'],
    ['4008001234', 'phone.invalid', '格式'],
    ['abc', 'phone.invalid', '格式'],
  ])('%j → %s', (raw, code, zh) => {
    const r = normalizePhone(raw);
    expect(r).toMatchObject({ ok: false, code });
    if (!r.ok) {
      expect(r.message.zh).toContain(zh);
      expect(r.message.en.length).toBeGreaterThan(0);
    }
  });

  it('agrees with normalizeMobile on mobiles', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(\+86|0086|86)?[ -]?1[3-9]\d[ -]?\d{4}[ .-]?\d{4}$/), (raw) => {
        expect(normalizePhone(raw)).toEqual({ ok: true, phone: normalizeMobile(raw), kind: 'mobile' });
      }),
    );
  });

  const phoneChars = fc.constantFrom(...'0123456789 -.()+（）转xX#－\u200b８'.split(''));
  const formatted = fc.oneof(
    fc.stringMatching(/^(\+86 ?|0086 ?)?1[3-9]\d[ .-]?\d{4}[ .-]?\d{4}$/),
    fc.stringMatching(/^\(?0(10|2\d|[3-9]\d\d)\)?[ -]?[1-9]\d{2,3}[ -]?\d{4}([-转x]\d{1,4})?$/),
  );
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(formatted, fc.string({ unit: phoneChars, maxLength: 24 })), (raw) => {
        const r = normalizePhone(raw);
        if (r.ok) expect(normalizePhone(r.phone)).toEqual(r);
      }),
    );
  });

  it('accepts every well-formed number it is given', () => {
    fc.assert(fc.property(formatted, (raw) => normalizePhone(raw).ok));
  });
});

describe('splitPhones', () => {
  it('splits on every separator and keeps order', () => {
    const cell =
      '13800138000/0556-5551234、13900139000，010 12345678；+86 137 0013 7000 或 15000150000; 0556 5551235';
    expect(splitPhones(cell).map((r) => r.ok && r.phone)).toEqual([
      '13800138000',
      '0556-5551234',
      '13900139000',
      '010-12345678',
      '13700137000',
      '15000150000',
      '0556-5551235',
    ]);
  });

  it('splits numbers separated only by spaces or line breaks', () => {
    expect(splitPhones('13800138000 13900139000\n0556 5551234').map((r) => r.ok && r.phone)).toEqual([
      '13800138000',
      '13900139000',
      '0556-5551234',
    ]);
  });

  it('reports a bad number in its place', () => {
    const rs = splitPhones('5551234/13800138000 、 12800138000');
    expect(rs.map((r) => (r.ok ? r.phone : r.code))).toEqual([
      'phone.invalid',
      '13800138000',
      'phone.invalid',
    ]);
  });

  it('gives nothing for an empty cell', () => {
    expect(splitPhones('')).toEqual([]);
    expect(splitPhones(' / ，\u200b')).toEqual([]);
  });

  it('returns each of several formatted numbers joined by any separator', () => {
    const sep = fc.constantFrom('/', '、', ',', '，', ';', '；', '或', ' 或 ', '\n', ' / ');
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^1[3-9]\d{9}$|^0(10|2\d|[3-9]\d\d)-[1-9]\d{6,7}$/), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(sep, { minLength: 5, maxLength: 5 }),
        (phones, seps) => {
          const cell = phones.map((p, i) => (i === 0 ? p : (seps[i] ?? '/') + p)).join('');
          const got = splitPhones(cell).map((r) => r.ok && r.phone);
          const want = phones.map((p) => {
            const r = normalizePhone(p);
            return r.ok && r.phone;
          });
          expect(got).toEqual(want);
        },
      ),
    );
  });
});

describe('maskPhone', () => {
  it.each([
    ['13800138000', '138****8000'],
    ['0556-5551234', '0556-*****34'],
    ['010-12345678', '010-******78'],
    ['0556-5551234-801', '0556-*****34-***'],
    ['+86 138 0013 8000', '138****8000'],
    ['（0556）5551234', '0556-*****34'],
    ['tel 12345', 'tel ***45'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('masks mobiles exactly as maskMobile does', () => {
    fc.assert(fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (m) => maskPhone(m) === maskMobile(m)));
  });
});

describe('existing helpers keep their behaviour', () => {
  it('toHalfWidth, normalizeMobile, maskMobile', () => {
    expect(toHalfWidth('１３８　Ａｂ（）')).toBe('138 Ab()');
    expect(normalizeMobile('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizeMobile('8613800138000')).toBe('13800138000');
    expect(normalizeMobile('12800138000')).toBeUndefined();
    expect(maskMobile('13800138000')).toBe('138****8000');
    expect(maskMobile('1380013')).toBe('***0013');
  });
});
