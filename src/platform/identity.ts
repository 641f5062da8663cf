// Identity conventions users expect: resident ID numbers (GB 11643, 18 characters with a MOD 11-2
// check digit), mobile numbers (11 digits, 1[3-9]…) and landlines (0556-5551234), normalised from the
// forms people type or paste into county Excel ledgers (+86, spaces, dashes, full-width digits,
// Excel's text apostrophe, invisible characters copied from web pages and chat apps).
// Everything here is pure: no I/O, and "today" comes in as a parameter.

/** A user-facing message, Chinese first. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Full-width digits and letters → half-width. */
export function toHalfWidth(s: string): string {
  // Most cells hold no full-width character: a scan is a tenth of the two replaces (an import calls
  // this several times a row).
  let wide = false;
  for (let i = 0; i < s.length && !wide; i++) {
    const c = s.charCodeAt(i);
    wide = c === 0x3000 || (c >= 0xff01 && c <= 0xff5e);
  }
  if (!wide) return s;
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** A mobile number with country code, spaces and dashes removed; undefined when it isn't one. */
export function normalizeMobile(raw: string): string | undefined {
  let s = toHalfWidth(raw).replace(/[\s\-().]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.startsWith('86') && s.length === 13) s = s.slice(2);
  return /^1[3-9]\d{9}$/.test(s) ? s : undefined;
}

/** 138****5678 */
export function maskMobile(mobile: string): string {
  return mobile.length === 11
    ? `${mobile.slice(0, 3)}****${mobile.slice(7)}`
    : mobile.replace(/\d(?=\d{4})/g, '*');
}

// Characters that render as nothing but survive copy-paste from web pages, WeChat and PDFs: zero-width
// spaces/joiners, word joiner, BOM, soft hyphen and bidi marks. (\s already covers NBSP and tab.)
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus sign, small hyphen-minus.
const DASHES = /[-\u2010-\u2015\u2212\uFE58\uFE63]/g;

// ---------------------------------------------------------------------------------------------------
// Resident ID numbers

/** Why an ID number was rejected; stable codes callers may switch on. */
export type IdProblem =
  | 'id.empty'
  | 'id.length'
  | 'id.chars'
  | 'id.checksum'
  | 'id.birth_date'
  | 'id.future_birth'
  | 'id.excel_number';

/** The outcome of checking one ID number. */
export type IdCheck =
  | { ok: true; id: string; birthDate: string; sex: 'M' | 'F'; converted15: boolean; regionCode: string }
  | { ok: false; code: IdProblem; message: Bilingual };

/** An ID number as typed or pasted → its bare form (half-width, no spaces/dashes/invisibles, X upper). */
export function normalizeIdNumber(raw: string): string {
  return (
    toHalfWidth(raw)
      .replace(INVISIBLE, '')
      .replace(/\s+/g, '')
      .replace(DASHES, '')
      // Excel's text marker; a Chinese IME turns it into a curly quote, and some cells carry two.
      .replace(/^['\u2018\u2019]+/, '')
      .replace(/x/g, 'X')
  );
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/** The GB 11643 check character (ISO 7064 MOD 11-2) for a 17-digit body. */
export function idCheckDigit(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new RangeError('idCheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? '';
}

const EARLIEST_BIRTH_YEAR = 1890;
const SHANGHAI = 'Asia/Shanghai';

/** Check a resident ID number (18-character, or legacy 15-digit converted to 18) and read its birth date and sex. */
export function checkIdNumber(raw: string, opts: { today?: Date } = {}): IdCheck {
  const s = normalizeIdNumber(raw);
  if (s === '') return idFail('id.empty', { zh: '身份证号为空', en: 'ID number is empty' });

  if (looksExcelMangled(raw, s)) {
    return idFail('id.excel_number', {
      zh: '身份证号被 Excel 当作数字保存，后几位已丢失；请把该列设为“文本”格式后重新录入',
      en: 'Excel stored the ID number as a number and lost its last digits; set the column to Text and re-enter it',
    });
  }

  const badChar = /[^\dX]/.exec(s)?.[0];
  if (badChar !== undefined) return idBadChar(badChar);
  // A 15-digit legacy number has no check character, so 14 digits + X is a truncated 18-digit one.
  if (s.length !== 18 && !(s.length === 15 && !s.includes('X'))) {
    return idFail('id.length', {
      zh: `身份证号应为 18 位（当前 ${s.length} 位）`,
      en: `ID number must have 18 characters (this one has ${s.length})`,
    });
  }
  // X may only be the check character, so anywhere but last it is as wrong as a letter.
  if (/X./.test(s)) return idBadChar('X');

  // Legacy 15-digit numbers: 6 region + YYMMDD + 3 sequence, everyone born in the 1900s, no check digit.
  const converted15 = s.length === 15;
  const body = converted15 ? `${s.slice(0, 6)}19${s.slice(6)}` : s.slice(0, 17);

  // The date before the checksum: a typo in the date digits breaks both, and "no such date" points at
  // the mistake while "the last character should be 7" would invite fixing the wrong digit.
  const ymd = body.slice(6, 14);
  const birthDate = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  if (!isCalendarDate(birthDate)) {
    return idFail('id.birth_date', {
      zh: `身份证号中的出生日期 ${ymd} 不存在`,
      en: `The birth date in the ID number (${ymd}) is not a real date`,
    });
  }
  if (Number(ymd.slice(0, 4)) < EARLIEST_BIRTH_YEAR) {
    return idFail('id.birth_date', {
      zh: `身份证号中的出生日期 ${birthDate} 早于 ${EARLIEST_BIRTH_YEAR} 年`,
      en: `The birth date in the ID number (${birthDate}) is before ${EARLIEST_BIRTH_YEAR}`,
    });
  }
  if (birthDate > calendarDateIn(opts.today ?? new Date(), SHANGHAI)) {
    return idFail('id.future_birth', {
      zh: `身份证号中的出生日期 ${birthDate} 晚于今天`,
      en: `The birth date in the ID number (${birthDate}) is in the future`,
    });
  }

  const check = idCheckDigit(body);
  if (!converted15 && s[17] !== check) {
    return idFail('id.checksum', {
      zh: `身份证号校验位不正确（最后一位应为 ${check}）`,
      en: `ID number check digit is wrong (the last character should be ${check})`,
    });
  }

  return {
    ok: true,
    id: body + check,
    birthDate,
    sex: Number(body[16]) % 2 === 1 ? 'M' : 'F',
    converted15,
    regionCode: body.slice(0, 6),
  };
}

function idFail(code: IdProblem, message: Bilingual): IdCheck {
  return { ok: false, code, message };
}

function idBadChar(c: string): IdCheck {
  return idFail('id.chars', {
    zh: `身份证号含有无效字符“${c}”（只能是数字，最后一位可以是 X）`,
    en: `ID number contains an invalid character "${c}" (digits only; the last may be X)`,
  });
}

// Excel keeps 15 significant digits of a number, so an ID typed into a General/Number column comes out
// as 3.40828E+17 or as 340828199001012000. The second form is only treated as mangled when the raw
// cell was a bare number (an apostrophe, dashes or full-width digits mean it was text, which Excel
// leaves alone) and the check digit fails: a genuine ID can end in 000.
function looksExcelMangled(raw: string, s: string): boolean {
  if (/^\d+(\.\d+)?E\+?\d+$/i.test(s)) return true;
  const bare = raw.trim().replace(/\.0+$/, '');
  return /^\d{15}000$/.test(bare) && idCheckDigit(bare.slice(0, 17)) !== bare[17];
}

/** Mask an ID number for display: 340881********1234 (first 6 and last 4 shown; shorter input shows less). */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id);
  const n = chars.length;
  let head = 6;
  let tail = 4;
  // Short or odd values still hide at least a third, giving up head digits before tail digits.
  while (head + tail > 0 && n - head - tail < Math.ceil(n / 3)) {
    if (head > tail) head--;
    else tail--;
  }
  return chars.slice(0, head).join('') + '*'.repeat(n - head - tail) + chars.slice(n - tail).join('');
}

// ---------------------------------------------------------------------------------------------------
// Dates and ages

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

let lastDay = { at: NaN, timeZone: '', ymd: '' };

// The YYYY-MM-DD calendar date of an instant in a time zone (Intl does the zone arithmetic). An
// import asks about the same "today" for every row: that answer is kept.
function calendarDateIn(at: Date, timeZone: string): string {
  if (at.getTime() === lastDay.at && timeZone === lastDay.timeZone) return lastDay.ymd;
  const ymd = formatDay(at, timeZone);
  lastDay = { at: at.getTime(), timeZone, ymd };
  return ymd;
}

function formatDay(at: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** Whether `ymd` is YYYY-MM-DD naming a day that exists (proleptic Gregorian, as Date counts). */
export function isCalendarDate(ymd: string): boolean {
  if (ymd.length !== 10 || ymd.charCodeAt(4) !== 45 || ymd.charCodeAt(7) !== 45) return false;
  const y = digits(ymd, 0, 4);
  const m = digits(ymd, 5, 7);
  const d = digits(ymd, 8, 10);
  return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** The number written by the ASCII digits s[from, to); -1 when any is not one. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Age in whole years on a given instant, by the calendar in `timeZone`; negative before birth. */
export function ageOn(birthDate: string, on: Date, timeZone: string = SHANGHAI): number {
  if (!isCalendarDate(birthDate)) throw new RangeError(`ageOn needs a YYYY-MM-DD date, got "${birthDate}"`);
  const today = calendarDateIn(on, timeZone);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // Comparing MM-DD strings counts the birthday on the day, and a 02-29 birthday is reached on 03-01
  // in a non-leap year (02-28 < 02-29 < 03-01).
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

// ---------------------------------------------------------------------------------------------------
// Phone numbers

/** Why a phone number was rejected. */
export type PhoneProblem = 'phone.invalid' | 'phone.empty';

/** The outcome of normalising one phone number. */
export type PhoneResult =
  | { ok: true; phone: string; kind: 'mobile' | 'landline' }
  | { ok: false; code: PhoneProblem; message: Bilingual };

const SEPARATORS = /[\s\-.()]+/;

/**
 * A mobile (13800138000) or landline with area code (0556-5551234, extension as 0556-5551234-801)
 * from the forms people type.
 */
export function normalizePhone(raw: string): PhoneResult {
  const cleaned = toHalfWidth(raw).replace(INVISIBLE, '').replace(DASHES, '-').trim().toLowerCase();
  if (cleaned === '')
    return { ok: false, code: 'phone.empty', message: { zh: '电话号码为空', en: 'Phone number is empty' } };

  let main = cleaned;
  let ext: string | undefined;
  const extMatch = /^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/.exec(cleaned);
  if (extMatch) [main, ext] = [extMatch[1] ?? '', extMatch[2]];

  if (!ext) {
    const mobile = normalizeMobile(main);
    if (mobile) return { ok: true, phone: mobile, kind: 'mobile' };
  }

  const country = /^(?:\+|00)86/.exec(main);
  const rest = country ? main.slice(country[0].length) : main;
  const groups = /^[\d\s\-.()]*$/.test(rest) ? rest.split(SEPARATORS).filter((g) => g !== '') : undefined;
  if (groups && groups.length > 0) {
    // Dialled from abroad the area code loses its 0: +86 556 5551234.
    if (country && !groups[0]?.startsWith('0')) groups[0] = `0${groups[0]}`;
    const landline = parseLandline(groups, ext);
    if (landline) return { ok: true, phone: landline, kind: 'landline' };
  }

  const digits = rest.replace(/\D/g, '');
  if (!ext && !country && /^[1-9]\d{6,7}$/.test(digits)) {
    return phoneInvalid({
      zh: '固定电话缺少区号（例如 0556-5551234）',
      en: 'A landline number needs its area code (e.g. 0556-5551234)',
    });
  }
  if (!ext && /^1\d{9,11}$/.test(digits)) {
    return phoneInvalid({
      zh: '手机号码不正确（应为 11 位，以 13–19 开头）',
      en: 'Mobile number is wrong (11 digits starting 13–19)',
    });
  }
  return phoneInvalid({
    zh: '电话号码格式不正确（手机 11 位，固定电话需带区号）',
    en: 'Not a valid phone number (mobile: 11 digits; landline: with area code)',
  });
}

function phoneInvalid(message: Bilingual): PhoneResult {
  return { ok: false, code: 'phone.invalid', message };
}

// Area codes: 010 and 02X are three digits including the 0, all others four (0556).
const AREA_CODE = /^0(?:10|2\d|[3-9]\d\d)$/;
const LOCAL_NUMBER = /^[1-9]\d{6,7}$/;

// Digit groups → 0556-5551234[-801]. The typed grouping wins when it reads as area/number[/extension],
// so that the normalised form parses back to itself; otherwise the digits are split by the area-code
// rule, with a short trailing group taken as the extension if the whole doesn't fit.
function parseLandline(groups: string[], ext: string | undefined): string | undefined {
  const format = (area: string, local: string, x: string | undefined) =>
    `${area}-${local}${x ? `-${x}` : ''}`;
  const [g0, g1, g2] = groups;
  if (g0 !== undefined && g1 !== undefined && AREA_CODE.test(g0) && LOCAL_NUMBER.test(g1)) {
    if (groups.length === 2) return format(g0, g1, ext);
    if (groups.length === 3 && !ext && g2 !== undefined && /^\d{1,6}$/.test(g2)) return format(g0, g1, g2);
  }
  const split = (digits: string) => {
    const areaLength = /^0(?:10|2)/.test(digits) ? 3 : 4;
    const area = digits.slice(0, areaLength);
    const local = digits.slice(areaLength);
    return AREA_CODE.test(area) && LOCAL_NUMBER.test(local) ? { area, local } : undefined;
  };
  const whole = split(groups.join(''));
  if (whole) return format(whole.area, whole.local, ext);
  const last = groups[groups.length - 1];
  if (!ext && groups.length >= 2 && last !== undefined && /^\d{1,6}$/.test(last)) {
    const head = split(groups.slice(0, -1).join(''));
    if (head) return format(head.area, head.local, last);
  }
  return undefined;
}

/**
 * Every phone number in a cell, in order. Numbers may be separated by / 、 , ， ; ； 或 line breaks or
 * spaces; spaces inside one number (+86 138 0013 8000, 010 12345678) keep it whole. An empty cell gives [].
 */
export function splitPhones(raw: string): PhoneResult[] {
  const results: PhoneResult[] = [];
  const chunks = toHalfWidth(raw)
    .split(/[/、,;或|\r\n]+/)
    .map((c) => c.trim())
    .filter((c) => c.replace(INVISIBLE, '') !== '');
  for (const chunk of chunks) {
    const tokens = chunk.split(/\s+/);
    // Longest run of space-separated tokens that reads as one number, from left to right.
    for (let i = 0; i < tokens.length;) {
      let taken = 0;
      for (let j = tokens.length; j > i; j--) {
        const r = normalizePhone(tokens.slice(i, j).join(' '));
        if (r.ok) {
          results.push(r);
          taken = j - i;
          break;
        }
      }
      if (taken === 0) {
        // Nothing starting here is a number: report this token alone and carry on with the next.
        results.push(normalizePhone(tokens[i] ?? ''));
        taken = 1;
      }
      i += taken;
    }
  }
  return results;
}

/** Mask a phone for display: 138****5678, 0556-*****34 (area code and last 2 digits shown). */
export function maskPhone(phone: string): string {
  if (/^1[3-9]\d{9}$/.test(phone)) return maskMobile(phone);
  const m = /^(0\d{2,3})-(\d{7,8})(?:-(\d{1,6}))?$/.exec(phone);
  if (m) {
    const [, area = '', local = '', ext] = m;
    return `${area}-${'*'.repeat(local.length - 2)}${local.slice(-2)}${ext ? `-${'*'.repeat(ext.length)}` : ''}`;
  }
  const r = normalizePhone(phone);
  if (r.ok && r.phone !== phone) return maskPhone(r.phone);
  // Not a number we recognise: still hide every digit but the last two.
  return phone.replace(/\d(?=(?:\D*\d){2})/g, '*');
}
