// Display helpers of the ledger: dates in Asia/Shanghai, percentages.

const TIME_ZONE = 'Asia/Shanghai';

function formatter(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TIME_ZONE, ...options });
}

/** 2026-11-29 08:34 (Shanghai time). */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const parts = formatter(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** 2026-11-29 (Shanghai date). */
export function formatDate(iso: string | null | undefined, language: string): string {
  return formatDateTime(iso, language).slice(0, 10);
}

/** Coverage 0–1 as a whole percentage for antd Progress; null (nothing known) → 0. */
export function percent(ratio: number | null): number {
  return ratio === null ? 0 : Math.round(ratio * 1000) / 10;
}
