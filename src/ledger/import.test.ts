// Importing the ledgers officials really keep: a messy .xlsx (title rows, merged cells, IDs stored as
// numbers, full-width digits, a 合计 row, duplicates, contradictions, unknown and lenient grid labels),
// a GBK CSV, dry runs, re-imports, the error workbook, and the HTTP upload → check → commit flow.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../platform/access.ts';
import { auditEvent } from '../platform/audit/schema.ts';
import { encodeGbk, idNumber } from '../../test/fixtures/ledger.ts';
import { makeAccount, makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { importLedger } from './import.ts';
import { importLedgerCommand } from './import/cli.ts';
import { parseColour, parseConditions, parseDate, parseVaccination } from './import/cells.ts';
import { gridKey } from './import/grids.ts';
import { writeErrorWorkbook } from './import/error-workbook.ts';
import { colourChange, household, resident } from './schema.ts';
import * as ledger from './service.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let dir: string;
let official: Actor;
const file = (name: string) => path.join(dir, name);

const actorAt = async (role: Actor['role'], r: { id: number; path: string }): Promise<Actor> => {
  const a = await makeAccount(t.ctx, role, r);
  return {
    accountId: a.id,
    username: a.username,
    displayName: a.displayName,
    role,
    regionId: r.id,
    regionPath: r.path,
  };
};

const village = () => c.townships[0]!.villages[0]!;
const residents = async () => (await t.ctx.db.select({ n: count() }).from(resident))[0]!.n;
const byId = async (id: string) =>
  (await t.ctx.db.select().from(resident).where(eq(resident.idNumber, id)))[0];

// People of the messy sheet (the ID numbers are valid unless said otherwise).
const ZHANG = idNumber('340828', '1940-03-02', 11, 'M'); // 80+, unstable disease: red by rule
const WIFE = idNumber('340828', '1945-07-08', 12, 'F');
const LI = idNumber('340828', '1960-01-01', 13, 'M'); // written into the sheet as a number
const WANG = idNumber('340828', '1970-05-05', 14, 'M'); // the sheet says 女
const OLD = idNumber('340828', '1950-09-09', 15, 'F'); // already in the ledger, another grid
const SUN = idNumber('340828', '1990-02-02', 16, 'M'); // green by rule, marked 红
const ZHOU = idNumber('340828', '1942-12-12', 17, 'F'); // 80+: yellow by rule, marked 绿
const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** The sheet as an office keeps it; rows as Excel numbers them are in the comments. */
async function messyXlsx(name: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(['东门村重点人群健康管理台账']); // 1
  ws.mergeCells('A1:M1');
  ws.addRow(['填报单位：东门村', '', '', '', '', '', '填报日期：2023年1月5日']); // 2
  ws.addRow(['序号', '所属网格', '家庭住址', '门牌号', '姓名', '性别', '身份证号码', '联系电话',
    '人员类别', '基础疾病', '疫苗接种', '风险等级', '备注']); // prettier-ignore
  const rows: (string | number)[][] = [
    [
      1,
      '第一网格',
      '东门路',
      '1号',
      '张大山',
      '男',
      ZHANG,
      '138-0013-8000',
      '独居老人',
      '高血压（控制不佳）',
      '全程',
      '红',
      '',
    ], // 4
    [2, '', '', '', '刘秀英', '女', fullWidth(WIFE), '', '慢性病', '糖尿病', '加强', '', ''], // 5: merged above
    [3, '1网格', '东门路', '2号', '李四', '男', Number(LI), '13900139000', '', '', '全程', '', ''], // 6: number
    [4, '网格1', '东门路', '3号', '王五', '女', WANG, '13700137000', '', '', '全程', '', ''], // 7: sex
    [5, '第1网格', '东门路', '4号', '赵六', '男', ZHANG, '', '', '', '', '', ''], // 8: duplicate of 4
    [
      6,
      '第九网格',
      '东门路',
      '5号',
      '钱七',
      '女',
      idNumber('340828', '1980-01-01', 18, 'F'),
      '',
      '',
      '',
      '',
      '',
      '',
    ], // 9
    [7, '一网格', '西街', '5号', '周老太', '女', OLD, '0556-5551234', '', '', '未全程', '', '搬来'], // 10
    ['合计', '', '', '', '共7人'], // 11
    [8, '第2网格', '南巷', '8号', '孙小红', '男', SUN, '', '', '', '全程', '红', ''], // 12
  ];
  for (const r of rows) ws.addRow(r);
  ws.addRow([]); // 13
  ws.addRow([9, '第3网格', '北街', '9号', '周奶奶', '女', ZHOU, '', '', '', '全程', '绿', '']); // 14
  ws.mergeCells('B4:B5');
  ws.mergeCells('C4:C5');
  ws.mergeCells('D4:D5');
  await wb.xlsx.writeFile(file(name));
  return file(name);
}

const problems = (r: { invalid: { row?: number; path: string; code: string }[] }) =>
  r.invalid.map((e) => ({ row: e.row, column: e.path, code: e.code }));

const EXPECTED_BAD = [
  { row: 6, column: '身份证号码', code: 'id.excel_number' },
  { row: 7, column: '性别', code: 'id.mismatch' },
  { row: 8, column: '身份证号码', code: 'duplicate' },
  { row: 9, column: '所属网格', code: 'grid_unknown' },
];

beforeAll(async () => {
  t = await testWorld();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-ledger-import-'));
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 3 });
  official = await actorAt('official', c.townships[0]!.township);
  // 周老太 is already in the ledger, in grid 2 at another address, with her colour history.
  await ledger.createResident(t.ctx, official, {
    name: '周老太',
    idNumber: OLD,
    household: { gridId: village().grids[1]!.id, address: '老屋10号' },
  });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the words officials write', () => {
  it.each(['第一网格', '1网格', '网格1', '第1网格', '一网格', '第一网格 ', '１网格', '01'])(
    '%s is grid 1',
    (label) => expect(gridKey(label)).toBe('1'),
  );
  it.each([
    ['第十二网格', '12'],
    ['二十网格', '20'],
    ['河东片网格', '河东片'],
  ])('%s is grid %s', (label, key) => expect(gridKey(label)).toBe(key));

  it.each([
    ['全程', 'full'],
    ['加强', 'full'],
    ['已接种加强针', 'full'],
    ['未全程', 'partial'],
    ['1针', 'partial'],
    ['未接种', 'none'],
    ['', null],
    ['不详', undefined],
  ])('vaccination %s → %s', (cell, v) => expect(parseVaccination(cell)).toBe(v));

  it.each([
    ['红', 'red'],
    ['红色', 'red'],
    ['高风险', 'red'],
    ['黄', 'yellow'],
    ['中风险', 'yellow'],
    ['绿色', 'green'],
    ['低风险', 'green'],
    ['紫', undefined],
  ])('colour %s → %s', (cell, c) => expect(parseColour(cell)).toBe(c));

  it.each([
    ['1950-01-02', '1950-01-02'],
    ['1950/1/2', '1950-01-02'],
    ['1950.1.2', '1950-01-02'],
    ['1950年1月2日', '1950-01-02'],
    ['19500102', '1950-01-02'],
    ['18264', '1950-01-01'],
    ['1950-02-30', undefined],
  ])('date %s → %s', (cell, d) => expect(parseDate(cell)).toBe(d));

  it('基础疾病 free text becomes conditions, 不稳定 / 控制不佳 unstable', () => {
    expect(parseConditions('高血压、糖尿病（控制不佳）')).toEqual([
      { name: '高血压', state: 'stable' },
      { name: '糖尿病', state: 'unstable' },
    ]);
    expect(parseConditions('冠心病，不稳定')).toEqual([{ name: '冠心病', state: 'unstable' }]);
    expect(parseConditions('无')).toEqual([]);
  });
});

describe('a messy sheet', () => {
  it('all-or-nothing: every bad row is reported by its Excel row and column, and nothing is imported', async () => {
    const xlsx = await messyXlsx('messy.xlsx');
    const before = await residents();
    const report = await importLedger(t.ctx, official, xlsx, village().village.code);
    expect(problems(report)).toEqual(EXPECTED_BAD);
    expect(report).toMatchObject({ rows: 9, valid: 5, imported: 0, updated: 0, committed: false });
    expect(report.invalid[1]!.message?.zh).toBe('性别“女”与身份证号不符（按身份证号应为男）');
    expect(await residents()).toBe(before);
    expect((await byId(OLD))!.householdId).not.toBe(undefined);
  });

  it('a dry run reports the same and what a commit would do, and changes nothing', async () => {
    const before = await residents();
    const report = await importLedger(t.ctx, official, file('messy.xlsx'), village().village.code, {
      dryRun: true,
    });
    expect(problems(report)).toEqual(EXPECTED_BAD);
    expect(report).toMatchObject({
      rows: 9,
      valid: 5,
      imported: 4,
      updated: 1,
      committed: false,
      dryRun: true,
    });
    expect(await residents()).toBe(before);
  });

  it('valid-only imports every good row: merged cells carried down, lenient grids, the existing person moved', async () => {
    const old = (await byId(OLD))!;
    const report = await importLedger(t.ctx, official, file('messy.xlsx'), village().village.code, {
      validOnly: true,
    });
    expect(problems(report)).toEqual(EXPECTED_BAD);
    expect(report).toMatchObject({ imported: 4, updated: 1, committed: true });
    const [g1, g2, g3] = village().grids;
    const zhang = (await byId(ZHANG))!;
    const wife = (await byId(WIFE))!;
    expect(zhang).toMatchObject({
      gridId: g1!.id,
      phones: ['13800138000'],
      categories: ['living_alone'],
      colour: 'red',
    });
    expect(wife.householdId).toBe(zhang.householdId); // the merged address and number reached row 5
    expect((await byId(SUN))!).toMatchObject({ gridId: g2!.id, colour: 'red', colourOverride: 'red' });
    expect((await byId(ZHOU))!).toMatchObject({ gridId: g3!.id, colour: 'yellow', colourOverride: null });
    expect(report.warnings.map((w) => ({ row: w.row, code: w.code }))).toEqual([
      { row: 14, code: 'colour_milder' },
    ]);
    // 周老太 moved to the file's household in grid 1, same record, history kept.
    const moved = (await byId(OLD))!;
    expect(moved).toMatchObject({
      id: old.id,
      gridId: g1!.id,
      phones: ['0556-5551234'],
      vaccination: 'partial',
    });
    expect(moved.householdId).not.toBe(old.householdId);
    const [hh] = await t.ctx.db.select().from(household).where(eq(household.id, moved.householdId));
    expect(hh!.address).toBe('西街5号');
    const history = await t.ctx.db.select().from(colourChange).where(eq(colourChange.residentId, old.id));
    expect(history.length).toBeGreaterThanOrEqual(1);
    const audits = await t.ctx.db.select().from(auditEvent).where(eq(auditEvent.action, 'ledger.import'));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after).toMatchObject({ imported: 4, updated: 1, invalid: 4, mode: 'valid-only' });
  });

  it('importing the same file again updates the same people instead of duplicating them', async () => {
    const before = await residents();
    const report = await importLedger(t.ctx, official, file('messy.xlsx'), village().village.code, {
      validOnly: true,
    });
    expect(report).toMatchObject({ imported: 0, updated: 5, committed: true });
    expect(await residents()).toBe(before);
  });

  it('the error workbook holds exactly the bad rows as they were, plus the reason', async () => {
    const report = await importLedger(t.ctx, official, file('messy.xlsx'), village().village.code, {
      dryRun: true,
    });
    const out = file('errors.xlsx');
    expect(await writeErrorWorkbook(file('messy.xlsx'), report.invalid, out)).toBe(4);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(5);
    expect(rows[0]!.slice(1)).toEqual([
      '序号', '所属网格', '家庭住址', '门牌号', '姓名', '性别', '身份证号码', '联系电话',
      '人员类别', '基础疾病', '疫苗接种', '风险等级', '备注', '错误原因',
    ]); // prettier-ignore
    expect(rows.slice(1).map((r) => r[5])).toEqual(['李四', '王五', '赵六', '钱七']);
    expect(String(rows[2]![14])).toContain('性别');
    expect(String(rows[3]![14])).toContain('与第 4 行重复');
    expect(String(rows[4]![14])).toContain('第九网格');
  });
});

describe('other files', () => {
  it('a GBK CSV saved by Excel imports, with the header below a title line', async () => {
    const id = idNumber('340828', '1955-05-05', 21, 'M');
    const text = [
      '东门村台账,,,,',
      '网格,住址,姓名,身份证号,手机号,类别',
      `第二网格,河边村3号,陈建国,${id},139 0013 9001,慢性病；残疾`,
    ].join('\r\n');
    fs.writeFileSync(file('gbk.csv'), encodeGbk(text));
    const report = await importLedger(t.ctx, official, file('gbk.csv'), village().village.code);
    expect(report).toMatchObject({ rows: 1, imported: 1, invalid: [], committed: true });
    expect(await byId(id)).toMatchObject({
      name: '陈建国',
      phones: ['13900139001'],
      categories: ['chronic', 'disabled'],
    });
  });

  it('into a township: a grid named with its village, or beside a 所属村 column, is found; a bare 第1网格 asks for the village', async () => {
    const v = village().village;
    const [a, b, bare] = [23, 24, 25].map((n) => idNumber('340828', '1970-01-01', n, 'M'));
    fs.writeFileSync(
      file('township.csv'),
      [
        '所属村,网格,住址,姓名,身份证号',
        `,第1网格,镇上3号,丙,${bare}`,
        `,${v.name}第1网格,镇上1号,甲,${a}`,
        `${v.name},第1网格,镇上2号,乙,${b}`,
      ].join('\n'),
    );
    const township = c.townships[0]!.township.code;
    const report = await importLedger(t.ctx, official, file('township.csv'), township, { dryRun: true });
    expect(problems(report)).toEqual([{ row: 2, column: '网格', code: 'grid_needs_village' }]);
    expect(report).toMatchObject({ rows: 3, valid: 2 });
  });

  it('a CSV row is numbered as Excel shows it: a note with line breaks is one row, a blank line is one', async () => {
    const a = idNumber('340828', '1972-02-02', 26, 'F');
    const b = idNumber('340828', '1972-02-02', 27, 'F');
    const wrongDigit = b.slice(0, 17) + (b[17] === '0' ? '1' : '0');
    fs.writeFileSync(
      file('lines.csv'),
      [
        '网格,住址,姓名,身份证号,备注',
        `第1网格,北街1号,甲,${a},"行动不便\r\n独居"`,
        '',
        `第1网格,北街2号,乙,${wrongDigit},`,
      ].join('\r\n'),
    );
    const report = await importLedger(t.ctx, official, file('lines.csv'), village().village.code, {
      dryRun: true,
    });
    expect(problems(report)).toEqual([{ row: 4, column: '身份证号', code: 'id.checksum' }]);
    expect(report).toMatchObject({ rows: 2, valid: 1 });
  });

  it('an unknown grid is created when asked', async () => {
    const id = idNumber('340828', '1966-06-06', 22, 'F');
    fs.writeFileSync(file('newgrid.csv'), `\uFEFF网格,住址,姓名,身份证号\n第九网格,新村1号,吴新,${id}\n`);
    const dry = await importLedger(t.ctx, official, file('newgrid.csv'), village().village.code, {
      dryRun: true,
      createGrids: true,
    });
    expect(dry).toMatchObject({ invalid: [], imported: 1, gridsCreated: ['第九网格'] });
    const report = await importLedger(t.ctx, official, file('newgrid.csv'), village().village.code, {
      createGrids: true,
    });
    expect(report).toMatchObject({ invalid: [], imported: 1, gridsCreated: ['第九网格'], committed: true });
    expect((await byId(id))!.gridId).not.toBe(village().grids[0]!.id);
  });
});

describe('the console over HTTP', () => {
  it('upload → check (a dry run) → commit valid rows → download the error workbook', async () => {
    const { cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const v = c.townships[0]!.villages[0]!.village;
    const before = await residents();
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports?regionCode=${v.code}&fileName=${encodeURIComponent('东门村台账.xlsx')}&wait=true`,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: fs.readFileSync(file('messy.xlsx')),
    });
    expect(up.statusCode, up.body).toBe(200);
    const job = up.json();
    // 第九网格 exists by now (created above), so three rows are bad.
    expect(job).toMatchObject({
      state: 'checked',
      fileName: '东门村台账.xlsx',
      check: { rows: 9, invalidCount: 3 },
    });
    expect(job.check.invalid[0]).toEqual({
      row: 6,
      column: '身份证号码',
      code: 'id.excel_number',
      message: expect.stringContaining('Excel'),
    });
    expect(await residents()).toBe(before);
    const polled = await t.app.inject({ url: `/api/ledger/imports/${job.id}`, headers: { cookie } });
    expect(polled.json()).toMatchObject({ state: 'checked', progress: { fraction: 1 } });

    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports/${job.id}/commit?wait=true`,
      headers: { cookie },
      payload: { mode: 'valid-only' },
    });
    expect(commit.json()).toMatchObject({ state: 'committed', result: { committed: true, invalidCount: 3 } });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports/${job.id}/commit`,
      headers: { cookie },
      payload: { mode: 'valid-only' },
    });
    expect(again.statusCode).toBe(409);

    const wb = await t.app.inject({ url: `/api/ledger/imports/${job.id}/errors.xlsx`, headers: { cookie } });
    expect(wb.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(wb.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(4);
  });

  it('a multipart upload works the same; another account cannot see the job', async () => {
    const { cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const boundary = '----lianxin';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="gbk.csv"\r\n` +
          'Content-Type: text/csv\r\n\r\n',
      ),
      fs.readFileSync(file('gbk.csv')),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports?regionCode=${village().village.code}&wait=true`,
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ fileName: 'gbk.csv', check: { rows: 1, updated: 1, invalidCount: 0 } });
    const other = await signedIn(t, 'official', c.townships[0]!.township);
    const peek = await t.app.inject({
      url: `/api/ledger/imports/${up.json().id}`,
      headers: { cookie: other.cookie },
    });
    expect(peek.statusCode).toBe(404);
  });

  it("a township official of A cannot import into B's village (404); a grid member may not import (403)", async () => {
    const { cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const other = c.townships[1]!.villages[0]!.village;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports?regionCode=${other.code}&fileName=gbk.csv`,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: fs.readFileSync(file('gbk.csv')),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
    const member = await signedIn(t, 'grid_member', village().grids[0]!);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports?regionCode=${village().village.code}&fileName=gbk.csv`,
      headers: { cookie: member.cookie, 'content-type': 'application/octet-stream' },
      payload: fs.readFileSync(file('gbk.csv')),
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('the command line', () => {
  it('import ledger --json prints one report and exits 2; --errors writes the bad rows', async () => {
    const good = idNumber('340828', '1948-04-04', 31, 'F');
    fs.writeFileSync(
      file('cli.csv'),
      `\uFEFF姓名,身份证号,所属网格,家庭住址\n方老太,${good},第一网格,村口1号\n方老汉,12345,第一网格,村口1号\n`,
    );
    const out = file('cli-errors.xlsx');
    const printed: string[] = [];
    const progress: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void printed.push(s));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => progress.push(String(s)) > 0);
    const args = [
      file('cli.csv'),
      '--village',
      village().village.code,
      '--valid-only',
      '--json',
      '--errors',
      out,
    ];
    const code = await importLedgerCommand(t.ctx, args).finally(() => {
      log.mockRestore();
      err.mockRestore();
    });
    expect(code).toBe(2);
    expect(printed).toHaveLength(1);
    expect(JSON.parse(printed[0]!)).toMatchObject({
      rows: 2,
      valid: 1,
      imported: 1,
      updated: 0,
      invalid: [{ row: 3, column: '身份证号', code: 'id.length', message: expect.stringContaining('18 位') }],
    });
    expect(progress.join('')).toContain('progress: 2 rows (100%)');
    expect(fs.existsSync(out)).toBe(true);
  });

  it('import ledger on a terminal prints the first 50 problems, then the rest counted by kind', async () => {
    const rows = Array.from({ length: 55 }, (_, i) => `老人${i},12345,第一网格,村口${i}号`);
    fs.writeFileSync(file('cli-many.csv'), `\uFEFF姓名,身份证号,所属网格,家庭住址\n${rows.join('\n')}\n`);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void printed.push(s));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await importLedgerCommand(t.ctx, [
      file('cli-many.csv'),
      '--village',
      village().village.code,
    ]).finally(() => {
      log.mockRestore();
      err.mockRestore();
    });
    expect(code).toBe(2);
    expect(printed.filter((l) => l.startsWith('  第 '))).toHaveLength(50);
    expect(printed[49]).toMatch(/^ {2}第 51 行 身份证号: /);
    expect(printed[50]).toContain('另有 5 条 / 5 more: id.length ×5（首见第 52 行');
    expect(printed[51]).toMatch(/^Not imported: 55 rows, 0 valid, .* 55 invalid\.$/);
  });
});
