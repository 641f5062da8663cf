// Exporting the ledger as officials print and pass it on: the 台账 layout in .xlsx, CSV that Excel
// opens, masking for roles that may not see full numbers, an audit event for a full export, scope,
// and a round trip (the exported sheet imports cleanly back).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/access.ts';
import { auditEvent } from '../platform/audit/schema.ts';
import { writeLedgerCsv } from '../../test/fixtures/ledger.ts';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { importLedger } from './import.ts';
import { colourChange, resident } from './schema.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let dir: string;
const N = 40;
const village = () => c.townships[0]!.villages[0]!;
const exports = async () => t.ctx.db.select().from(auditEvent).where(eq(auditEvent.action, 'ledger.export'));
const colourChanges = async () => (await t.ctx.db.select({ n: count() }).from(colourChange))[0]!.n;

async function sheetRows(payload: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
  );
  return rows;
}

beforeAll(async () => {
  t = await testWorld();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-ledger-export-'));
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 2 });
  const csv = path.join(dir, 'ledger.csv');
  await writeLedgerCsv(csv, N, ['第一网格', '第二网格']);
  const report = await importLedger(t.ctx, systemActor('test'), csv, village().village.code);
  expect(report).toMatchObject({ imported: N, invalid: [] });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('exporting the ledger', () => {
  it('a supervisor gets the 台账 layout with ID numbers, phones and names masked, and no audit event', async () => {
    const { cookie } = await signedIn(t, 'supervisor', c.county);
    const res = await t.app.inject({
      url: `/api/ledger/export?regionId=${village().village.id}`,
      headers: { cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('重点人群健康管理台账');
    const rows = await sheetRows(res.rawPayload);
    expect(rows[0]![0]).toBe(`${village().village.name}重点人群健康管理台账`);
    expect(rows[1]![0]).toMatch(/^导出日期：\d{4}-\d{2}-\d{2}（身份证号、电话已脱敏）$/);
    expect(rows[2]!.slice(0, 10)).toEqual([
      '序号',
      '所属网格',
      '家庭住址',
      '门牌号',
      '姓名',
      '性别',
      '出生日期',
      '年龄',
      '身份证号码',
      '联系电话',
    ]);
    expect(rows).toHaveLength(3 + N);
    for (const r of rows.slice(3)) {
      expect(r[8]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(r[9]).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(r[4]).toContain('*');
    }
    expect(await exports()).toHaveLength(0);
  });

  it('an official gets full numbers, and the export is audited once with its filter and row count', async () => {
    const { account, cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const res = await t.app.inject({
      url: `/api/ledger/export?regionId=${village().village.id}&colour=red&colour=yellow&format=csv`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const expected = await t.ctx.db.select({ n: count() }).from(resident).where(eq(resident.colour, 'green'));
    expect(lines).toHaveLength(1 + N - expected[0]!.n);
    expect(lines.slice(1).every((l) => /,\t\d{17}[\dX],1\d{10}/.test(l))).toBe(true);
    expect(lines.slice(1).every((l) => /,(红|黄),/.test(l))).toBe(true);
    const audits = await exports();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: account.id, regionId: village().village.id });
    expect(audits[0]!.after).toMatchObject({
      format: 'csv',
      rows: lines.length - 1,
      filter: { colour: ['red', 'yellow'] },
    });
  });

  it("a township official of A cannot export B's village (404)", async () => {
    const { cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const other = c.townships[1]!.villages[0]!.village;
    const res = await t.app.inject({ url: `/api/ledger/export?regionId=${other.id}`, headers: { cookie } });
    expect(res.statusCode).toBe(404);
    const byCode = await t.app.inject({
      url: `/api/ledger/export?regionCode=${other.code}`,
      headers: { cookie },
    });
    expect(byCode.statusCode).toBe(404);
  });

  it('the exported .xlsx imports back cleanly: everyone updated, nobody added, no colour changed', async () => {
    const { cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const res = await t.app.inject({
      url: `/api/ledger/export?regionId=${village().village.id}`,
      headers: { cookie },
    });
    const file = path.join(dir, 'export.xlsx');
    fs.writeFileSync(file, res.rawPayload);
    const changes = await colourChanges();
    const report = await importLedger(t.ctx, systemActor('test'), file, village().village.code);
    expect(report).toMatchObject({
      rows: N,
      imported: 0,
      updated: N,
      invalid: [],
      warnings: [],
      committed: true,
    });
    expect(await colourChanges()).toBe(changes);
  });
});
