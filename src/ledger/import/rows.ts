// Checking one ledger row: household cells carried down from the row above (Excel's vertically
// merged cells arrive empty), the resident checked as the ledger checks any edit, the grid found
// leniently, the colour evaluated. Pure: the grids, categories and rules come in.
import type { FieldError } from '../../platform/errors.ts';
import type { DetailedRow } from '../../platform/tabular.ts';
import { COLOUR_RANK, type Colour } from '../colour.ts';
import { checkResident, type ResidentFields } from '../rules.ts';
import { evaluate, type CountyRules } from '../service.ts';
import {
  columnLabel,
  isHouseholder,
  isTotalsRow,
  parseCategories,
  parseColour,
  parseConditions,
  parseDate,
  parseSex,
  parseVaccination,
  type CategoryWord,
} from './cells.ts';
import type { GridIndex, GridRef } from './grids.ts';

/** A row ready to write. `present` names the fields the file gave (an update keeps the others). */
export interface LedgerRow {
  row: number;
  grid: GridRef;
  address: string;
  houseNumber: string | null;
  fields: ResidentFields;
  present: Set<keyof ResidentFields>;
  colour: Colour;
  score: number;
  /** The surveyor's marking, when the file has a colour column and the cell is filled. */
  marked: Colour | null;
}

export type Checked =
  | { kind: 'skip' }
  | { kind: 'ok'; value: LedgerRow; warnings: FieldError[] }
  | { kind: 'bad'; errors: FieldError[]; newGrid?: string };

export interface RowContext {
  grids: GridIndex;
  categories: CategoryWord[];
  categoryCodes: ReadonlySet<string>;
  rulesOf: (countyCode: string) => CountyRules;
  today: Date;
}

/** Household cells merged down a block arrive empty below its first row: fill them from above. */
export class Carry {
  private last: Record<'grid' | 'village' | 'address' | 'houseNumber', string> | null = null;

  /** Fills `v`'s empty household cells in place (a row's values are its own) and returns it. */
  fill(v: Record<string, string>): Record<string, string> {
    const last = this.last;
    if (last) {
      if (!v.grid) v.grid = last.grid;
      if (!v.village) v.village = last.village;
      // A merged address over several 门牌号 keeps each row's own number; an empty address cell
      // with an empty number is the same household as the row above.
      if (!v.address && !v.houseNumber && !isHouseholder(v.relation ?? '')) v.houseNumber = last.houseNumber;
      if (!v.address) v.address = last.address;
    }
    this.last = {
      grid: v.grid ?? '',
      village: v.village ?? '',
      address: v.address ?? '',
      houseNumber: v.houseNumber ?? '',
    };
    return v;
  }

  reset(): void {
    this.last = null;
  }
}

const PATHS: Record<string, string> = {
  '/name': 'name',
  '/idNumber': 'idNumber',
  '/sex': 'sex',
  '/birthDate': 'birthDate',
  '/phones': 'phones',
  '/categories': 'categories',
  '/pregnancyDueDate': 'dueDate',
};

/** The header text of a column as the file writes it (for messages a person can find). */
export function headerText(row: DetailedRow, key: string): string {
  const idx = row.header.columns.get(key);
  return idx === undefined ? columnLabel(key) : (row.header.cells[idx] ?? '').trim() || columnLabel(key);
}

const ENUM_WORDS: Record<string, string> = {
  sex: '男, 女',
  vaccination: '全程, 加强, 未全程, 1针, 未接种',
  colour: '红, 黄, 绿, 高风险, 中风险, 低风险',
  birthDate: '1950-01-02, 1950/1/2, 1950年1月2日, 19500102',
  dueDate: '2023-03-01, 2023/3/1, 2023年3月1日',
};

type Bad = (key: string, code: string, extra?: Partial<FieldError>) => void;

/** Checks a data row; `carry` holds the household cells of the rows above. */
export function checkRow(src: DetailedRow, carry: Carry, ctx: RowContext): Checked {
  if (isTotalsRow(src.cells, src.values.name ?? '')) {
    carry.reset();
    return { kind: 'skip' };
  }
  const v = carry.fill(src.values);
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const bad: Bad = (key, code, extra = {}) =>
    errors.push({ row: src.row, path: headerText(src, key), code, ...extra } as FieldError);
  const cells = readCells(src, v, ctx, bad, warnings);
  const checked = checkPerson(src, v, cells, ctx, bad);
  const place = placeOf(src, v, ctx, bad);
  if (errors.length || !checked || !place.grid) return { kind: 'bad', errors, newGrid: place.newGrid };
  const fields = { ...checked, categories: checked.categories.filter((c) => c !== 'elderly') };
  const { colour, score } = evaluate(ctx.rulesOf(place.grid.countyCode), checked, ctx.today);
  return {
    kind: 'ok',
    value: {
      row: src.row,
      grid: place.grid,
      address: place.address.slice(0, 200),
      houseNumber: place.houseNumber || null,
      fields,
      present: presentFields(v, fields),
      colour,
      score,
      marked: cells.marked ?? null,
    },
    warnings,
  };
}

/** The cells in officials' words: sex, dates, vaccination, colour marking, categories. */
function readCells(
  src: DetailedRow,
  v: Record<string, string>,
  ctx: RowContext,
  bad: Bad,
  warnings: FieldError[],
) {
  const sex = parseSex(v.sex ?? '');
  if (sex === undefined) bad('sex', 'enum', { params: { allowed: ENUM_WORDS.sex! } });
  const birthDate = parseDate(v.birthDate ?? '');
  if (birthDate === undefined) bad('birthDate', 'format');
  const due = parseDate(v.dueDate ?? '');
  if (due === undefined) bad('dueDate', 'format');
  const vaccination = parseVaccination(v.vaccination ?? '');
  if (vaccination === undefined) bad('vaccination', 'enum', { params: { allowed: ENUM_WORDS.vaccination! } });
  const marked = parseColour(v.colour ?? '');
  if (marked === undefined) bad('colour', 'enum', { params: { allowed: ENUM_WORDS.colour! } });
  const cats = parseCategories(v.categories ?? '', ctx.categories);
  let notes = v.notes ?? '';
  // A category the county does not know is kept in the notes rather than costing the person their row.
  if (cats.unknown.length) {
    const words = cats.unknown.join('、');
    warnings.push({
      row: src.row,
      path: headerText(src, 'categories'),
      code: 'category_unknown',
      params: { words },
    });
    notes = notes ? `${notes}；人员类别：${words}` : `人员类别：${words}`;
  }
  return { sex, birthDate, due, vaccination, marked, categories: cats.codes, notes };
}

/** The person checked as any edit of the ledger is (ID number, sex and birth date agreeing, phones). */
function checkPerson(
  src: DetailedRow,
  v: Record<string, string>,
  c: ReturnType<typeof readCells>,
  ctx: RowContext,
  bad: Bad,
): ResidentFields | null {
  const excel = src.bigNumbers.has('idNumber');
  if (excel) {
    bad('idNumber', 'id.excel_number', {
      message: {
        zh: '身份证号被 Excel 当作数字保存，后几位已丢失；请把该列设为“文本”格式后重新录入',
        en: 'Excel stored the ID number as a number and lost its last digits; set the column to Text and re-enter it',
      },
    });
  }
  const checked = checkResident(
    {
      name: v.name,
      idNumber: excel ? null : v.idNumber,
      sex: c.sex ?? null,
      birthDate: c.birthDate ?? null,
      phones: v.phones,
      categories: c.categories,
      conditions: parseConditions(v.conditions ?? ''),
      vaccination: c.vaccination ?? null,
      pregnancyDueDate: c.due ?? null,
      medication: v.medication,
      notes: c.notes,
    },
    ctx.categoryCodes,
    ctx.today,
  );
  if (checked.ok) return checked.value;
  for (const e of checked.errors) {
    const key = PATHS[e.path] ?? (e.path.startsWith('/conditions') ? 'conditions' : e.path.slice(1));
    bad(key, e.code, e.message ? { message: e.message, params: e.params } : { params: e.params });
  }
  return null;
}

/** The grid and the household's address (address + 门牌号 when the number is not in it). */
function placeOf(src: DetailedRow, v: Record<string, string>, ctx: RowContext, bad: Bad) {
  const grid = ctx.grids.resolve(v.grid ?? '', v.village ?? '');
  let newGrid: string | undefined;
  if (!grid) {
    if (!(v.grid ?? '').trim()) bad('grid', 'grid_required');
    else {
      // Above village level a bare 第一网格 could be any village's: say how to name the village.
      const code = ctx.grids.homeVillage ? 'grid_unknown' : 'grid_needs_village';
      bad('grid', code, { params: { grid: v.grid! } });
      newGrid = v.grid;
    }
  }
  const houseNumber = (v.houseNumber ?? '').trim().replace(/\s+/g, ' ');
  let address = (v.address ?? '').trim().replace(/\s+/g, ' ');
  if (houseNumber && !address.includes(houseNumber)) address = `${address}${houseNumber}`;
  if (!address) bad(src.header.columns.has('address') ? 'address' : 'houseNumber', 'household_required');
  return { grid, newGrid, address, houseNumber };
}

/** The fields a row actually gave: on an existing resident the others keep their values. */
function presentFields(v: Record<string, string>, f: ResidentFields): Set<keyof ResidentFields> {
  const out = new Set<keyof ResidentFields>(['name']);
  if (f.idNumber) out.add('idNumber').add('sex').add('birthDate');
  if (given(v, 'sex')) out.add('sex');
  if (given(v, 'birthDate')) out.add('birthDate');
  if (given(v, 'phones')) out.add('phones');
  if (given(v, 'categories') || f.pregnancyDueDate) out.add('categories');
  if (given(v, 'conditions')) out.add('conditions');
  if (given(v, 'vaccination')) out.add('vaccination');
  if (given(v, 'dueDate')) out.add('pregnancyDueDate');
  if (given(v, 'medication')) out.add('medication');
  if (f.notes) out.add('notes');
  return out;
}

const given = (v: Record<string, string>, k: string) => (v[k] ?? '').trim() !== '';

/** The key a person without an ID number is known by in the file: household and name. */
export const personKey = (r: LedgerRow): string =>
  r.fields.idNumber ?? `${r.grid.id}|${r.address}|${r.fields.name}`;

/**
 * What a colour column does to a resident whose rule says `rule`: a more severe marking stands as
 * an override (if the role may set colours); a milder one is not applied, since lowering a risk
 * is a doctor's call. Returns the override to set (or null) and a warning, if any.
 */
export function markingOutcome(
  r: LedgerRow,
  current: Colour | null,
  mayOverride: boolean,
): { override: Colour | null; warning?: FieldError & { params: Record<string, string> } } {
  const m = r.marked;
  if (!m || m === r.colour || m === current) return { override: null };
  const names = { red: '红色', yellow: '黄色', green: '绿色' } as const;
  const params = { marked: names[m], rule: names[r.colour] };
  const path = 'colour';
  if (COLOUR_RANK[m] < COLOUR_RANK[r.colour])
    return { override: null, warning: { row: r.row, path, code: 'colour_milder', params } };
  if (!mayOverride)
    return { override: null, warning: { row: r.row, path, code: 'colour_not_permitted', params } };
  return { override: m };
}
