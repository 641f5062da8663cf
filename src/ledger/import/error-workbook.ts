// The error workbook (.xlsx) of an import: the file's header and its bad rows as they were, with the
// household cells merged above them filled in (so the sheet can be fixed and imported again),
// plus a reason column. The file is read a second time, so no row is held in memory.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { renderField, type FieldError, type Lang } from '../../platform/errors.ts';
import { readTableDetailed } from '../../platform/tabular.ts';
import { LEDGER_COLUMNS, isTotalsRow } from './cells.ts';
import { Carry } from './rows.ts';

const CARRIED = ['grid', 'village', 'address', 'houseNumber'];

/** Groups problems by row, in the words of one language. */
export function reasonsByRow(problems: FieldError[], lang: Lang = 'zh-CN'): Map<number, string> {
  const out = new Map<number, string>();
  for (const p of problems) {
    if (p.row === undefined) continue;
    const r = renderField(p, lang);
    const text = `${r.path}：${r.message}`;
    out.set(p.row, out.has(p.row) ? `${out.get(p.row)}；${text}` : text);
  }
  return out;
}

/** Writes the bad rows of `file` to `out` (a path or a stream); returns how many rows it wrote. */
export async function writeErrorWorkbook(
  file: string,
  problems: FieldError[],
  out: string | Writable,
  lang: Lang = 'zh-CN',
): Promise<number> {
  const reasons = reasonsByRow(problems, lang);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter(
    typeof out === 'string'
      ? { filename: out, useSharedStrings: false }
      : { stream: out, useSharedStrings: false },
  );
  const ws = wb.addWorksheet(lang === 'en' ? 'Rows with errors' : '错误行');
  const carry = new Carry();
  let header = false;
  let written = 0;
  const reasonTitle = lang === 'en' ? 'Reason' : '错误原因';
  for await (const src of readTableDetailed(file, LEDGER_COLUMNS)) {
    if (!header) {
      const cells = [...src.header.cells, reasonTitle];
      cells.forEach((_, i) => (ws.getColumn(i + 1).width = i === cells.length - 1 ? 60 : 16));
      const row = ws.addRow(cells);
      row.font = { bold: true };
      row.commit();
      header = true;
    }
    if (isTotalsRow(src.cells, src.values.name ?? '')) {
      carry.reset();
      continue;
    }
    const filled = carry.fill(src.values);
    const reason = reasons.get(src.row);
    if (reason === undefined) continue;
    const cells = [...src.cells];
    while (cells.length < src.header.cells.length) cells.push('');
    for (const key of CARRIED) {
      const idx = src.header.columns.get(key);
      if (idx !== undefined && !(cells[idx] ?? '').trim()) cells[idx] = filled[key] ?? '';
    }
    cells.length = src.header.cells.length;
    // Text cells throughout: an ID number written back as a number would be rounded again.
    const row = ws.addRow([...cells.map((c) => c ?? ''), reason]);
    row.getCell(cells.length + 1).font = { color: { argb: 'FFC00000' } };
    row.commit();
    written++;
  }
  await ws.commit();
  await wb.commit();
  return written;
}
