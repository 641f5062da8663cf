// Reading .xlsx files as officials send them, a row at a time: what each cell reads as (text,
// numbers, ID numbers Excel rounded, dates, formulas, rich text), row numbers as Excel shows them,
// Chinese text intact wherever the zip's chunks happen to split it, and sheets written by other
// programs (inline strings, pretty-printed XML, entries stored without compression).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { readTableDetailed } from './tabular.ts';
import { readXlsxRows, type XlsxRow } from './xlsx-reader.ts';

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-xlsx-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function rows(name: string): Promise<Required<XlsxRow>[]> {
  const out: Required<XlsxRow>[] = [];
  for await (const batch of readXlsxRows(file(name), { bytes: 0 }))
    for (const r of batch) out.push({ row: r.row, cells: r.cells, bigNumbers: r.bigNumbers ?? [] });
  return out;
}

describe('an .xlsx read row by row', () => {
  it('gives each cell as a person sees it, with the row numbers Excel shows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['东门村重点人群台账']);
    ws.mergeCells('A1:F1');
    ws.getCell('B2').value = '（2024年）';
    ws.addRow(['姓名', '身份证号码', '出生日期', '年龄', '备注']);
    ws.addRow(['张建国', '340828194003020115', new Date(Date.UTC(1940, 2, 2)), 84]);
    // An ID number typed into a General cell (340828196001010130): Excel keeps a double, the rest lost.
    ws.addRow([{ richText: [{ text: '李' }, { text: '秀英', font: { bold: true } }] }, 340828196001010112]);
    ws.addRow([{ formula: 'A4', result: '张建国' }, { formula: '1-1', result: 0 }, true, 1.5]);
    ws.getCell('H9').value = '远处';
    const when = ws.getCell('C10');
    when.value = 45000;
    when.numFmt = 'yyyy/m/d';
    await wb.xlsx.writeFile(file('kinds.xlsx'));

    expect(await rows('kinds.xlsx')).toEqual([
      { row: 1, cells: ['东门村重点人群台账'], bigNumbers: [] },
      { row: 2, cells: ['', '（2024年）'], bigNumbers: [] },
      { row: 3, cells: ['姓名', '身份证号码', '出生日期', '年龄', '备注'], bigNumbers: [] },
      { row: 4, cells: ['张建国', '340828194003020115', '1940-03-02', '84'], bigNumbers: [] },
      // The digits of the double Excel kept, flagged so that the import can say what happened.
      { row: 5, cells: ['李秀英', '340828196001010112'], bigNumbers: [1] },
      // A formula reads as the result Excel saved with it, 0 included.
      { row: 6, cells: ['张建国', '0', 'TRUE', '1.5'], bigNumbers: [] },
      { row: 9, cells: ['', '', '', '', '', '', '', '远处'], bigNumbers: [] },
      { row: 10, cells: ['', '', '2023-03-15'], bigNumbers: [] },
    ]);
  });

  it('keeps every Chinese character, however the compressed chunks split the text', async () => {
    const name = 'long.xlsx';
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file(name), useSharedStrings: true });
    const ws = wb.addWorksheet('台账');
    const people = Array.from({ length: 5000 }, (_, i) => `居民${i}号·幸福路${i % 97}弄`);
    for (const p of people) ws.addRow([p, '高血压、糖尿病（控制不佳）']).commit();
    await ws.commit();
    await wb.commit();

    const read = await rows(name);
    expect(read.map((r) => r.cells[0])).toEqual(people);
    expect(read.every((r) => r.cells[1] === '高血压、糖尿病（控制不佳）')).toBe(true);
    expect(read.at(-1)!.row).toBe(5000);
  });

  it('reads a sheet another program wrote: inline strings, indented XML, no compression', async () => {
    const sheet = `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
  <sheetData>
    <row r="3">
      <c r="A3" t="inlineStr"><is><t>姓名</t></is></c>
      <c r="B3" t="inlineStr"><is><t>联系电话</t></is></c>
    </row>
    <row r="4">
      <c r="A4" t="inlineStr"><is><t>王&amp;李</t></is></c>
      <c r="B4"><v>13812345678</v></c>
    </row>
  </sheetData>
</worksheet>`;
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file(
      'xl/workbook.xml',
      '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    );
    zip.file('xl/worksheets/sheet1.xml', sheet);
    fs.writeFileSync(
      file('other.xlsx'),
      await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' }),
    );

    const read = await rows('other.xlsx');
    expect(read.map((r) => [r.row, r.cells.map((c) => c.trim())])).toEqual([
      [3, ['姓名', '联系电话']],
      [4, ['王&李', '13812345678']],
    ]);
  });

  it("reads what Excel's Chinese edition writes: 年月日 dates by built-in format id, any formula result", async () => {
    // cellXfs 1 and 2 name only built-in ids 31 (yyyy"年"m"月"d"日") and 57 (yyyy"年"m"月"): the
    // format's text is the locale's, so the file does not carry it.
    const styles = `<styleSheet><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="57"/></cellXfs></styleSheet>`;
    const sheet = `<worksheet><sheetData>
      <row r="1"><c r="A1" t="inlineStr"><is><t>出生日期</t></is></c><c r="B1" t="inlineStr"><is><t>建档月份</t></is></c></row>
      <row r="2"><c r="A2" s="1"><v>19131</v></c><c r="B2" s="2"><v>45000</v></c><c r="C2"><v>19131</v></c></row>
      <row r="3"><c r="A3" t="b"><f>1=2</f><v>0</v></c><c r="B3" t="str"><f>""</f><v></v></c><c r="C3"><f>1-1</f><v>0</v></c><c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E3"><f>A2</f></c></row>
    </sheetData></worksheet>`;
    const zip = new JSZip();
    zip.file(
      'xl/workbook.xml',
      '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    );
    zip.file('xl/styles.xml', styles);
    zip.file('xl/worksheets/sheet1.xml', sheet);
    fs.writeFileSync(file('zh.xlsx'), await zip.generateAsync({ type: 'nodebuffer' }));

    expect((await rows('zh.xlsx')).map((r) => r.cells)).toEqual([
      ['出生日期', '建档月份'],
      // The same number without a date format stays a number.
      ['1952-05-17', '2023-03-15', '19131'],
      // FALSE, an empty text and 0 as Excel saved them; an error shows as empty; no saved result, no value.
      ['FALSE', '', '0', ''],
    ]);
  });

  it('a file that is not a workbook is refused as unreadable', async () => {
    fs.writeFileSync(file('fake.xlsx'), '姓名,电话\n张三,13800000000\n');
    const read = async () => {
      for await (const r of readTableDetailed(file('fake.xlsx'), [{ key: 'name', synonyms: ['姓名'] }]))
        void r;
    };
    const err = await read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('import.unreadable');
  });
});
