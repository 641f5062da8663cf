// Reading the cells of a county ledger (台账): the columns and their Chinese synonyms, and the words
// officials write for colour, vaccination, sex, dates, categories and conditions. Pure, no I/O.
import type { ColumnSpec } from '../../platform/tabular.ts';
import { isCalendarDate, toHalfWidth } from '../../platform/identity.ts';
import type { Colour, Vaccination } from '../colour.ts';
import type { Condition } from '../schema.ts';

export const LEDGER_COLUMNS: ColumnSpec[] = [
  { key: 'name', synonyms: ['姓名', '居民姓名', '人员姓名', 'name'], required: true },
  {
    key: 'idNumber',
    synonyms: ['身份证号', '身份证号码', '公民身份号码', '证件号码', '身份证', 'idnumber', 'id number'],
    required: true,
  },
  { key: 'sex', synonyms: ['性别', 'sex'] },
  { key: 'birthDate', synonyms: ['出生日期', '出生年月日', '出生年月', '生日', 'birthdate', 'birth date'] },
  {
    key: 'phones',
    synonyms: ['联系电话', '手机号', '手机号码', '电话', '电话号码', '联系方式', 'phone', 'phones'],
  },
  { key: 'grid', synonyms: ['所属网格', '网格', '网格名称', '网格编号', '网格代码', 'grid'] },
  { key: 'village', synonyms: ['所属村（社区）', '村（社区）', '所属村', '所属社区', '村居', 'village'] },
  { key: 'address', synonyms: ['住址', '家庭住址', '地址', '现住址', '居住地址', '家庭地址', 'address'] },
  { key: 'houseNumber', synonyms: ['门牌号', '门牌', '户号', 'housenumber', 'house number'] },
  { key: 'householder', synonyms: ['户主', '户主姓名', 'householder'] },
  { key: 'relation', synonyms: ['与户主关系', '关系', 'relation'] },
  {
    key: 'categories',
    synonyms: ['人员类别', '重点人群类别', '类别', '重点人群', '人群类别', 'categories', 'category'],
  },
  { key: 'conditions', synonyms: ['基础疾病', '慢性病', '基础病', '疾病情况', '患病情况', 'conditions'] },
  { key: 'vaccination', synonyms: ['疫苗接种', '接种情况', '疫苗接种情况', '新冠疫苗接种', 'vaccination'] },
  {
    key: 'colour',
    synonyms: ['风险等级', '颜色', '三色', '三色标记', '颜色标记', '分级', 'colour', 'color'],
  },
  { key: 'dueDate', synonyms: ['预产期', 'duedate', 'due date'] },
  { key: 'medication', synonyms: ['用药情况', '用药', '常用药', 'medication'] },
  { key: 'notes', synonyms: ['备注', '说明', 'notes', 'note'] },
];

/** The file's own words for a column, for messages; the first synonym when the column is absent. */
export const columnLabel = (key: string): string =>
  LEDGER_COLUMNS.find((c) => c.key === key)?.synonyms[0] ?? key;

const NONE = /^(无|否|没有|暂无|\/|-|—|－|无基础疾病|健康|nil|none)$/i;
export const SEPARATORS = /[、，,；;/|\n\r]+|\s{2,}/;

/** 红 / 红色 / 高风险 / 高危 → red; an empty cell → null; anything else → undefined (unknown). */
export function parseColour(raw: string): Colour | null | undefined {
  const s = raw.replace(/\s/g, '').toLowerCase();
  if (!s) return null;
  if (/^(红|红色|红码|高风险|高危|高|red|r)$/.test(s)) return 'red';
  if (/^(黄|黄色|黄码|中风险|中危|中|yellow|y)$/.test(s)) return 'yellow';
  if (/^(绿|绿色|绿码|低风险|低危|低|green|g)$/.test(s)) return 'green';
  return undefined;
}

/** 全程 / 加强 → full, 未全程 / 1针 → partial, 未接种 → none. */
export function parseVaccination(raw: string): Vaccination | null | undefined {
  const s = toHalfWidth(raw).replace(/\s/g, '').toLowerCase();
  if (!s) return null;
  if (/未接种|未打|没打|没有接种|^0针|^零针|^无$|^否$|^none$/.test(s)) return 'none';
  if (/未全程|未完成|不全|部分|^(1|一)针|^第?(1|一)剂|partial/.test(s)) return 'partial';
  if (/全程|加强|完成|已接种|^(2|3|4|两|二|三|四)针|^(2|3|4|两|二|三|四)剂|^是$|full/.test(s)) return 'full';
  return undefined;
}

export function parseSex(raw: string): 'M' | 'F' | null | undefined {
  const s = raw.replace(/\s/g, '').toLowerCase();
  if (!s) return null;
  if (/^(男|男性|m|male)$/.test(s)) return 'M';
  if (/^(女|女性|f|female)$/.test(s)) return 'F';
  return undefined;
}

/**
 * 1950-01-02, 1950/1/2, 1950.1.2, 1950年1月2日, 19500102 and Excel's serial day numbers → YYYY-MM-DD;
 * empty → null; anything else → undefined.
 */
export function parseDate(raw: string): string | null | undefined {
  const s = toHalfWidth(raw).trim();
  if (!s) return null;
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    return isCalendarDate(d) ? d : undefined;
  }
  // A date column not formatted as a date shows Excel's serial number (days since 1899-12-30).
  if (/^\d{4,5}$/.test(s) && Number(s) > 366) {
    const d = new Date(Date.UTC(1899, 11, 30) + Number(s) * 86_400_000).toISOString().slice(0, 10);
    return isCalendarDate(d) ? d : undefined;
  }
  return undefined;
}

const UNSTABLE = /不稳定|控制不佳|控制不好|控制差|未控制|控制欠佳|不达标|加重|恶化/;
const STABLE = /稳定|控制良好|控制好|已控制|达标/;

/** 基础疾病 free text → conditions: 高血压、糖尿病（控制不佳） → 高血压 stable, 糖尿病 unstable. */
export function parseConditions(raw: string): Condition[] {
  const text = toHalfWidth(raw).trim();
  if (!text || NONE.test(text)) return [];
  const out: Condition[] = [];
  for (const token of text.split(SEPARATORS)) {
    const state = UNSTABLE.test(token) ? 'unstable' : 'stable';
    const name = token
      .replace(UNSTABLE, '')
      .replace(STABLE, '')
      .replace(/[()（）[\]【】:：]/g, '')
      .trim();
    const last = out[out.length - 1];
    // 高血压，控制不佳: a bare state word belongs to the condition before it.
    if (!name) {
      if (last && state === 'unstable') last.state = 'unstable';
      continue;
    }
    if (NONE.test(name)) continue;
    out.push({ name: name.slice(0, 50), state });
  }
  return out;
}

export interface CategoryWord {
  code: string;
  words: string[];
}

/** Matches category words (name, code, synonyms) to codes; the words nobody knows come back apart. */
export function parseCategories(raw: string, known: CategoryWord[]): { codes: string[]; unknown: string[] } {
  const codes: string[] = [];
  const unknown: string[] = [];
  const text = toHalfWidth(raw).trim();
  if (!text || NONE.test(text)) return { codes, unknown };
  for (const token of text.split(SEPARATORS)) {
    const t = token.trim().toLowerCase();
    if (!t) continue;
    const hit = known.find((k) => k.words.includes(t));
    if (hit) {
      if (!codes.includes(hit.code)) codes.push(hit.code);
    } else unknown.push(token.trim());
  }
  return { codes, unknown };
}

export function categoryWords(
  rows: { code: string; nameZh: string; nameEn: string; synonyms: string[] }[],
): CategoryWord[] {
  return rows.map((r) => ({
    code: r.code,
    words: [r.code, r.nameZh, r.nameEn, ...r.synonyms].map((w) => toHalfWidth(w).trim().toLowerCase()),
  }));
}

/** 户主 / 本人 in 与户主关系 starts a new household. */
export const isHouseholder = (relation: string): boolean =>
  /^(户主|本人|户主本人|self|head)$/i.test(relation.replace(/\s/g, ''));

/** Totals rows: 合计, 小计, 总计, 共计 anywhere in the name or first cells. */
const TOTALS = /^\s*(合\s*计|小\s*计|总\s*计|共\s*计)/;

/** A totals row: 合计, 小计 … in one of its first four cells, the name cell counted after the others. */
export function isTotalsRow(cells: readonly string[], name: string): boolean {
  for (let i = 0; i < 4 && i <= cells.length; i++)
    if (TOTALS.test(i < cells.length ? cells[i]! : name)) return true;
  return false;
}
