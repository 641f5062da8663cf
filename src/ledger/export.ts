// Exporting the ledger in the usual 台账 layout (a title row “××村重点人群健康管理台账”, the export
// date, a header, one row per resident) as .xlsx (exceljs's streaming writer) or CSV (UTF-8 with a
// BOM, so Excel opens it). ID numbers and phones are masked unless the role may reveal them; a full
// export is itself audited, before the first row leaves.
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { assertCan, can, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { ageOn, maskIdNumber, maskPhone } from '../platform/identity.ts';
import * as regionRepo from '../regions/repo.ts';
import type { Colour } from './colour.ts';
import * as repo from './repo.ts';
import { birthBounds, colourInputsOf, maskName } from './rules.ts';
import { shanghaiDate } from './service.ts';

export interface ExportQuery {
  regionId?: number;
  regionCode?: string;
  colour?: Colour[];
  category?: string[];
  surveyed?: 'yes' | 'no' | 'stale';
  staleDays?: number;
}

export const EXPORT_HEADER = [
  '序号', '所属网格', '家庭住址', '门牌号', '姓名', '性别', '出生日期', '年龄', '身份证号码', '联系电话',
  '人员类别', '基础疾病', '疫苗接种', '预产期', '风险等级', '颜色调整原因', '最近走访', '备注',
]; // prettier-ignore

const COLOUR_ZH: Record<Colour, string> = { red: '红', yellow: '黄', green: '绿' };
const VACCINATION_ZH = { full: '全程', partial: '未全程', none: '未接种' } as const;
const FILL: Record<Colour, string> = { red: 'FFF4B6B6', yellow: 'FFFFF0B3', green: 'FFCDEBC6' };
const PAGE = 2000;

/** The region exported: by id or code, inside the caller's subtree; the scope root by default. */
async function regionOf(ctx: Ctx, actor: Actor, q: ExportQuery) {
  const r = q.regionId
    ? await regionRepo.findById(ctx.db, q.regionId, actor.regionPath)
    : q.regionCode
      ? await regionRepo.findByCode(ctx.db, q.regionCode.trim())
      : await regionRepo.findById(ctx.db, actor.regionId, actor.regionPath);
  if (!r || !r.path.startsWith(actor.regionPath)) throw notFound();
  return r;
}

export interface ExportResult {
  rows: number;
  masked: boolean;
  title: string;
  fileName: string;
}

/**
 * The region's title and file name, checked before any byte is written (so a 404 is still a 404).
 * @throws forbidden | not_found
 */
export async function prepareExport(ctx: Ctx, actor: Actor, q: ExportQuery, format: 'xlsx' | 'csv') {
  assertCan(actor, 'ledger.export');
  const node = await regionOf(ctx, actor, q);
  const now = ctx.clock.now();
  const today = shanghaiDate(now);
  const filter: repo.ResidentFilter = {
    path: node.path,
    colour: q.colour,
    category: q.category,
    surveyed: q.surveyed,
    staleBefore: new Date(now.getTime() - (q.staleDays ?? 30) * 86_400_000),
    status: 'active',
    sort: 'id',
    desc: false,
    limit: PAGE,
    offset: 0,
    elderlyBornBy: birthBounds(today, 65).bornOnOrBefore!,
  };
  const title = `${node.name}重点人群健康管理台账`;
  return {
    node,
    filter,
    title,
    fileName: `${title}-${today}.${format}`,
    masked: !can(actor, 'pii.reveal'),
    today,
  };
}

/** Writes the export to `out` and ends it. */
export async function exportLedger(
  ctx: Ctx,
  actor: Actor,
  q: ExportQuery,
  format: 'xlsx' | 'csv',
  out: Writable,
): Promise<ExportResult> {
  const p = await prepareExport(ctx, actor, q, format);
  if (!p.masked) {
    // Who took the full numbers is recorded before they leave, with the filter and the count.
    await ctx.db.transaction(async (tx) => {
      const rows = await repo.countResidents(tx, p.filter);
      await audit(tx, ctx.clock, actor, {
        action: 'ledger.export',
        targetType: 'region',
        targetId: p.node.id,
        regionId: p.node.id,
        after: {
          format,
          rows,
          filter: { region: p.node.code, colour: q.colour, category: q.category, surveyed: q.surveyed },
        },
      });
    });
  }
  const names = new Map(
    (await repo.categoriesFor(ctx.db, p.node.countyCode ?? '')).map((c) => [c.code, c.nameZh]),
  );
  const pages = pagesOf(ctx, p.filter);
  const line = (r: ExportRow, i: number) => rowCells(r, i, p.masked, names, ctx.clock.now());
  const rows =
    format === 'csv'
      ? await writeCsv(out, pages, line)
      : await writeXlsx(out, pages, line, p.title, p.today, p.masked);
  return { rows, masked: p.masked, title: p.title, fileName: p.fileName };
}

type ExportRow = Awaited<ReturnType<typeof repo.residentsForExport>>[number];

/** The ledger page by page (keyset on id), each page a short query: others may use the database between. */
async function* pagesOf(ctx: Ctx, filter: repo.ResidentFilter): AsyncGenerator<ExportRow[]> {
  let after = 0;
  for (;;) {
    const page = await repo.residentsForExport(ctx.db, filter, after, PAGE);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.resident.id;
    if (page.length < PAGE) return;
  }
}

function rowCells(x: ExportRow, i: number, masked: boolean, names: Map<string, string>, now: Date): string[] {
  const r = x.resident;
  const cats = colourInputsOf({ ...r, conditions: [], vaccination: null }, now).categories;
  return [
    String(i),
    x.gridName,
    x.address,
    x.houseNumber ?? '',
    masked ? maskName(r.name) : r.name,
    r.sex === 'M' ? '男' : r.sex === 'F' ? '女' : '',
    (masked ? r.birthDate?.slice(0, 4) : r.birthDate) ?? '',
    r.birthDate ? String(ageOn(r.birthDate, now)) : '',
    r.idNumber ? (masked ? maskIdNumber(r.idNumber) : r.idNumber) : '',
    (masked ? r.phones.map(maskPhone) : r.phones).join('、'),
    cats.map((c) => names.get(c) ?? c).join('、'),
    r.conditions.map((c) => (c.state === 'unstable' ? `${c.name}（不稳定）` : c.name)).join('、'),
    r.vaccination ? VACCINATION_ZH[r.vaccination] : '',
    r.pregnancyDueDate ?? '',
    COLOUR_ZH[r.colour],
    r.colourOverride ? (r.colourOverrideReason ?? '') : '',
    x.lastSurveyedAt ? shanghaiDate(x.lastSurveyedAt) : '未走访',
    r.notes ?? '',
  ];
}

async function writeXlsx(
  out: Writable,
  pages: AsyncIterable<ExportRow[]>,
  line: (r: ExportRow, i: number) => string[],
  title: string,
  today: string,
  masked: boolean,
): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const ws = wb.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 3 }] });
  const widths = [6, 12, 22, 8, 10, 6, 12, 6, 21, 16, 20, 22, 10, 12, 8, 16, 12, 16];
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.mergeCells(1, 1, 1, EXPORT_HEADER.length);
  const head = ws.getRow(1);
  head.getCell(1).value = title;
  head.getCell(1).font = { bold: true, size: 16 };
  head.getCell(1).alignment = { horizontal: 'center' };
  head.commit();
  ws.addRow([`导出日期：${today}${masked ? '（身份证号、电话已脱敏）' : ''}`]).commit();
  const header = ws.addRow(EXPORT_HEADER);
  header.font = { bold: true };
  header.commit();
  let n = 0;
  for await (const page of pages) {
    for (const r of page) {
      const row = ws.addRow(line(r, ++n));
      row.getCell(15).fill = {
        type: 'pattern',
        pattern: 'solid',
        fgColor: { argb: FILL[r.resident.colour] },
      };
      row.commit();
    }
  }
  await ws.commit();
  await wb.commit();
  return n;
}

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function writeCsv(
  out: Writable,
  pages: AsyncIterable<ExportRow[]>,
  line: (r: ExportRow, i: number) => string[],
): Promise<number> {
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('\uFEFF' + EXPORT_HEADER.join(',') + '\r\n');
  let n = 0;
  for await (const page of pages) {
    let buf = '';
    for (const r of page) {
      const cells = line(r, ++n);
      // A tab before a full ID number keeps Excel from turning it into 3.40828E+17; import strips it.
      if (/^\d{17}[\dX]$/.test(cells[8]!)) cells[8] = `\t${cells[8]}`;
      buf += cells.map(csvCell).join(',') + '\r\n';
    }
    await write(buf);
  }
  out.end();
  await once(out, 'finish');
  return n;
}
