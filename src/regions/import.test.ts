// Importing the region list from the files officials really have: UTF-8 CSV with a BOM, GBK CSV
// saved by Excel, and .xlsx with title rows, merged cells, numeric codes and a totals row.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../platform/access.ts';
import { DomainError, type FieldError } from '../platform/errors.ts';
import { makeAccount, testWorld } from '../../test/helpers/world.ts';
import { importRegions } from './import.ts';
import * as repo from './repo.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let dir: string;
const system = systemActor('import test');

beforeAll(async () => {
  t = await testWorld();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-import-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, name);

function writeCsv(name: string, rows: string[][], opts: { bom?: boolean; gbk?: boolean } = {}): string {
  const text = rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
  const bytes = opts.gbk ? encodeGbk(text) : Buffer.from((opts.bom ? '\uFEFF' : '') + text, 'utf8');
  fs.writeFileSync(file(name), bytes);
  return file(name);
}

/** GBK bytes for a string, from a table built by decoding every two-byte GBK sequence (no iconv needed). */
let gbkTable: Map<string, Buffer> | undefined;
function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const pair = Buffer.from([lead, trail]);
        try {
          const ch = decoder.decode(pair);
          if (!gbkTable.has(ch)) gbkTable.set(ch, pair);
        } catch {
          // not a GBK character
        }
      }
    }
  }
  const table = gbkTable;
  return Buffer.concat(
    [...text].map((ch) => {
      if (ch.charCodeAt(0) < 0x80) return Buffer.from(ch, 'latin1');
      const b = table.get(ch);
      if (!b) throw new Error(`${ch} has no GBK encoding`);
      return b;
    }),
  );
}

/** An .xlsx as offices make them: a merged title, a second title row, the header, data, a 合计 row. */
async function writeXlsx(
  name: string,
  rows: (string | number)[][],
  opts: { total?: boolean } = {},
): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('区划');
  ws.addRow(['桐城市区划及网格一览表']);
  ws.mergeCells('A1:C1');
  ws.addRow(['填报单位：市民政局', '', '日期：2023年1月5日']);
  ws.addRow(['区划代码', '名称', '备注']);
  for (const r of rows) ws.addRow(r);
  if (opts.total) ws.addRow(['合计', `${rows.length}个`]);
  wb.addWorksheet('填表说明').addRow(['区划代码', '名称']);
  await wb.xlsx.writeFile(file(name));
  return file(name);
}

const byCode = async (codes: string[]) =>
  new Map((await repo.findByCodes(t.ctx.db, codes)).map((r) => [r.code, r]));
const regionCount = () => repo.countRegions(t.ctx.db);

/** The DomainError an import throws, or 'ok'. */
async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the import to fail');
}

const rowsOf = (errors: FieldError[] | undefined) =>
  (errors ?? []).map((e) => ({ row: e.row, path: e.path, code: e.code }));

describe('reading the files officials have', () => {
  it('a UTF-8 CSV with a BOM imports county → township → village → grid with parents from the file', async () => {
    const csv = writeCsv(
      'utf8-bom.csv',
      [
        ['区划代码', '名称'],
        ['340881000000', '桐城市'],
        ['340881100000', '文昌街道'],
        ['340881100001', '东门社区'],
        ['340881100001001', '东门社区第一网格'],
        ['340881100001002', '东门社区第二网格'],
      ],
      { bom: true },
    );
    const report = await importRegions(t.ctx, system, csv);
    expect(report).toMatchObject({
      rows: 5,
      created: 5,
      renamed: 0,
      unchanged: 0,
      invalid: [],
      committed: true,
    });
    const r = await byCode([
      '340881000000',
      '340881100000',
      '340881100001',
      '340881100001001',
      '340881100001002',
    ]);
    expect(r.get('340881000000')).toMatchObject({ name: '桐城市', level: 'county', parentId: null });
    expect(r.get('340881100000')).toMatchObject({ level: 'township', parentId: r.get('340881000000')!.id });
    expect(r.get('340881100001')).toMatchObject({ level: 'village', parentId: r.get('340881100000')!.id });
    expect(r.get('340881100001002')).toMatchObject({
      name: '东门社区第二网格',
      level: 'grid',
      parentId: r.get('340881100001')!.id,
    });
  });

  it('the same file again changes nothing; a renamed row renames', async () => {
    const before = await regionCount();
    const again = await importRegions(t.ctx, system, file('utf8-bom.csv'));
    expect(again).toMatchObject({ created: 0, renamed: 0, unchanged: 5, committed: true });
    expect(await regionCount()).toBe(before);

    const renamed = writeCsv(
      'utf8-renamed.csv',
      [
        ['区划代码', '名称'],
        ['340881100000', '文昌街道'],
        ['340881100001', '东门社区居委会'],
      ],
      { bom: true },
    );
    const report = await importRegions(t.ctx, system, renamed);
    expect(report).toMatchObject({ created: 0, renamed: 1, unchanged: 1, committed: true });
    expect((await byCode(['340881100001'])).get('340881100001')!.name).toBe('东门社区居委会');
    expect(await regionCount()).toBe(before);
  });

  it('a GBK CSV saved by Excel on Chinese Windows reads with its Chinese names intact, children before parents', async () => {
    const csv = writeCsv(
      'gbk.csv',
      [
        ['统计用区划代码', '区划名称'],
        ['340882100201001', '龙眠村第一网格'],
        ['340882100201', '龙眠村'],
        ['340882100000', '龙眠街道'],
        ['340882000000', '枞阳县'],
      ],
      { gbk: true },
    );
    expect(fs.readFileSync(csv).includes(Buffer.from('龙眠', 'utf8'))).toBe(false); // really GBK bytes
    const report = await importRegions(t.ctx, system, csv);
    expect(report).toMatchObject({ rows: 4, created: 4, invalid: [], committed: true });
    const r = await byCode(['340882000000', '340882100201', '340882100201001']);
    expect(r.get('340882000000')!.name).toBe('枞阳县');
    expect(r.get('340882100201001')).toMatchObject({
      name: '龙眠村第一网格',
      parentId: r.get('340882100201')!.id,
    });
  });

  it('an .xlsx with title rows, a merged title, numeric codes and a 合计 row imports every real row', async () => {
    const xlsx = await writeXlsx(
      'titled.xlsx',
      [
        [340883000000, '怀宁县'],
        [340883101000, '高河镇'],
        [340883101201, '查湾村'],
        [340883101201001, '查湾村第一网格', '新设'],
        [340883101201002, '查湾村第二网格'],
      ],
      { total: true },
    );
    const report = await importRegions(t.ctx, system, xlsx);
    expect(report).toMatchObject({ created: 5, renamed: 0, unchanged: 0, invalid: [], committed: true });
    const r = await byCode([
      '340883000000',
      '340883101000',
      '340883101201',
      '340883101201001',
      '340883101201002',
    ]);
    expect([...r.values()].map((x) => x.level).sort()).toEqual([
      'county',
      'grid',
      'grid',
      'township',
      'village',
    ]);
    expect(r.get('340883101201001')).toMatchObject({
      name: '查湾村第一网格',
      parentId: r.get('340883101201')!.id,
    });
    expect(r.get('340883101000')!.parentId).toBe(r.get('340883000000')!.id);
  });

  it('a file without a recognisable header is import.header_missing', async () => {
    const csv = writeCsv('no-header.csv', [
      ['编号', '地名'],
      ['340884000000', '某县'],
    ]);
    const err = await failure(importRegions(t.ctx, system, csv));
    expect(err.code).toBe('import.header_missing');
    expect(err.messageIn('zh-CN')).toContain('区划代码');
  });

  it('a CSV whose quote is never closed is import.unreadable, naming the record, and imports nothing', async () => {
    const csv = writeCsv('open-quote.csv', [
      ['区划代码', '名称'],
      ['340885000000', '"未闭合县'],
      ['340885100000', '某镇'],
    ]);
    const err = await failure(importRegions(t.ctx, system, csv));
    expect(err.code).toBe('import.unreadable');
    expect(err.messageIn('en')).toContain('record 2: a quoted cell is never closed');
    expect(await repo.findByCode(t.ctx.db, '340885000000')).toBeUndefined();
  });
});

describe('bad rows', () => {
  const badRows: (string | number)[][] = [
    [340884000000, '潜山县'], // row 4
    [340884100000, '梅城镇'], // row 5
    ['34088410020X', '坏代码村'], // row 6: bad code
    [340884100201, '河西村'], // row 7
    [340884100201, '河西村'], // row 8: duplicate of row 7
    [340884199201, '无主村'], // row 9: township 340884199000 exists nowhere
    [340884100202, ''], // row 10: no name
    [340884100201001, '河西村第一网格'], // row 11
  ];

  it('every bad row comes back with its Excel row number and column, and nothing is imported', async () => {
    const xlsx = await writeXlsx('bad.xlsx', badRows, { total: true });
    const before = await regionCount();
    const err = await failure(importRegions(t.ctx, system, xlsx));
    expect(err.code).toBe('import.rows_invalid');
    expect(err.messageIn('zh-CN')).toBe('有 4 行数据有误，未导入任何数据');
    expect(rowsOf(err.errors)).toEqual([
      { row: 6, path: 'code', code: 'code_invalid' },
      { row: 8, path: 'code', code: 'duplicate' },
      { row: 9, path: 'code', code: 'parent_missing' },
      { row: 10, path: 'name', code: 'required' },
    ]);
    expect(err.errors?.find((e) => e.row === 8)?.params).toEqual({ row: 7 });
    expect(await regionCount()).toBe(before);
    expect(await byCode(['340884000000', '340884100201'])).toEqual(new Map());
  });

  it('a dry run reports the same rows and commits nothing', async () => {
    const before = await regionCount();
    const report = await importRegions(t.ctx, system, file('bad.xlsx'), { dryRun: true });
    expect(report.committed).toBe(false);
    expect(report.invalid.map((e) => e.row)).toEqual([6, 8, 9, 10]);
    expect(await regionCount()).toBe(before);
  });

  it('a dry run of a good file says what it would create and creates nothing', async () => {
    const xlsx = await writeXlsx('good-dry.xlsx', [
      [340885000000, '宿松县'],
      [340885100000, '孚玉镇'],
    ]);
    const before = await regionCount();
    const dry = await importRegions(t.ctx, system, xlsx, { dryRun: true });
    expect(dry).toMatchObject({ rows: 2, created: 2, invalid: [], committed: false });
    expect(await regionCount()).toBe(before);
    expect(await importRegions(t.ctx, system, xlsx)).toMatchObject({ created: 2, committed: true });
    expect(await regionCount()).toBe(before + 2);
  });
});

describe('scope', () => {
  it("a township official's import reports the row under another township and imports nothing", async () => {
    // 怀宁县 from the .xlsx above has one township; give it a second one.
    const second = writeCsv('second-township.csv', [
      ['区划代码', '名称'],
      ['340883102000', '石牌镇'],
    ]);
    await importRegions(t.ctx, system, second);
    const towns = await byCode(['340883101000', '340883102000']);
    const own = towns.get('340883101000')!;
    const acc = await makeAccount(t.ctx, 'official', own);
    const official: Actor = {
      accountId: acc.id,
      username: acc.username,
      displayName: acc.displayName,
      role: 'official',
      regionId: own.id,
      regionPath: own.path,
    };
    const csv = writeCsv('cross-township.csv', [
      ['区划代码', '名称'],
      ['340883101202', '独秀村'],
      ['340883102201', '石牌村'],
    ]);
    const dry = await importRegions(t.ctx, official, csv, { dryRun: true });
    expect(rowsOf(dry.invalid)).toEqual([{ row: 3, path: 'code', code: 'parent_missing' }]);
    const before = await regionCount();
    const err = await failure(importRegions(t.ctx, official, csv));
    expect(rowsOf(err.errors)).toEqual([{ row: 3, path: 'code', code: 'parent_missing' }]);
    expect(await regionCount()).toBe(before);
  });
});
