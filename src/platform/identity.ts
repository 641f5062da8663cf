// Identity conventions users expect: mobile numbers (11 digits, 1[3-9]…), normalised from the
// forms people type (+86, spaces, dashes, full-width digits).

/** Full-width digits and letters → half-width. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
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
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : mobile.replace(/\d(?=\d{4})/g, '*');
}
