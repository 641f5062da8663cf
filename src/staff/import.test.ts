// Importing the staff register as offices keep it: a messy .xlsx (title rows, role words with mixed
// separators, a mobile stored as a number, a totals row, unknown units and grids, bad and repeated
// mobiles, a number registered in another township) reported row by row with nothing imported;
// then a clean file, a dry run, units created on request, and a re-import that updates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../platform/access.ts';
import { renderField } from '../platform/errors.ts';
import { makeAccount, makeCounty, testWorld, type County } from '../../test/helpers/world.ts';
import { makeMember } from '../../test/helpers/staff.ts';
import { importMembers } from './import.ts';
import { member, unit } from './schema.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let dir: string;
let townA: Actor;

const village = () => c.townships[0]!.villages[0]!.village;
const membersOfA = async () =>
  (await t.ctx.db.select().from(member)).filter(
    (m) => m.regionId !== c.townships[1]!.villages[0]!.village.id,
  );
const HEADER = ['序号', '姓名', '联系电话', '身份', '所在单位', '所属网格', '居住社区'];

async function xlsx(name: string, rows: (string | number)[][], title = true): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  if (title) {
    ws.addRow(['东门村党员干部包联花名册']); // 1
    ws.mergeCells('A1:G1');
    ws.addRow(['填报单位：1镇1村', '', '', '', '填报日期：2023年1月5日']); // 2
  }
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

beforeAll(async () => {
  t = await testWorld();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-staff-import-'));
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 2 });
  const r = c.townships[0]!.township;
  const a = await makeAccount(t.ctx, 'official', r);
  townA = {
    accountId: a.id,
    username: a.username,
    displayName: a.displayName,
    role: 'official',
    regionId: r.id,
    regionPath: r.path,
  };
  const [bureau] = await t.ctx.db
    .insert(unit)
    .values({
      regionId: c.county.id,
      name: '县卫生健康委员会',
      createdAt: t.ctx.clock.now(),
      updatedAt: t.ctx.clock.now(),
    })
    .returning();
  expect(bureau).toBeDefined();
  // Someone of township B already holds this number.
  await makeMember(t.ctx, c.townships[1]!.villages[0]!.village, {
    roles: ['volunteer'],
    mobile: '13300133000',
  });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a messy register', () => {
  it('reports every bad row by its Excel row number and column, and imports nothing', async () => {
    const file = await xlsx('messy.xlsx', [
      [1, '张三', '138-0013-8000', '党员、网格员', '县卫生健康委员会', '第一网格', ''], // 4: fine
      [2, '李四', 13900139000, '村医，党员;家庭医生', '', '2网格', '1镇1村'], // 5: fine (number cell)
      [3, '王五', '1380013', '网格长', '', '', ''], // 6: short mobile
      [4, '赵六', '13700137000', '党员、宇航员', '', '', ''], // 7: unknown role word
      [5, '钱七', '13600136000', '干部', '不存在的单位', '', ''], // 8: unknown unit
      [6, '孙八', '138 0013 8000', '志愿者', '', '', ''], // 9: same mobile as row 4
      ['合计', '', '', '共 8 人'], // 10: totals, skipped
      [7, '周九', '13500135000', '第一书记', '', '第九网格', ''], // 11: no such grid
      [8, '吴十', '13400134000', '网格医务人员', '', '', '不存在社区'], // 12: no such home community
      [9, '郑十一', '13300133000', '党员', '', '', ''], // 13: registered in township B
    ]);
    const report = await importMembers(t.ctx, townA, file, village().code);
    expect(report.invalid.map((e) => ({ row: e.row, column: e.path, code: e.code }))).toEqual([
      { row: 6, column: '联系电话', code: 'mobile_invalid' },
      { row: 7, column: '身份', code: 'role_unknown' },
      { row: 8, column: '所在单位', code: 'unit_unknown' },
      { row: 9, column: '联系电话', code: 'duplicate' },
      { row: 11, column: '所属网格', code: 'region_unknown' },
      { row: 12, column: '居住社区', code: 'region_unknown' },
      { row: 13, column: '联系电话', code: 'mobile_elsewhere' },
    ]);
    expect(report).toMatchObject({ rows: 9, valid: 2, committed: false, dryRun: false });
    const byRow = (row: number) => report.invalid.find((e) => e.row === row)!;
    expect(renderField(byRow(6), 'zh-CN').message).toBe(
      '手机号码“1380013”不正确（应为 11 位，以 13–19 开头）',
    );
    expect(renderField(byRow(7), 'en').message).toMatch(/^unknown roles "宇航员"/);
    expect(renderField(byRow(9), 'zh-CN').message).toBe('与第 4 行重复');
    expect(renderField(byRow(11), 'zh-CN').message).toBe(`在“${village().name}”下找不到“第九网格”`);
    expect(await membersOfA()).toEqual([]);
    expect((await t.ctx.db.select().from(unit)).map((u) => u.name)).toEqual(['县卫生健康委员会']);
  });
});

describe('a clean register', () => {
  const rows = (zhangRoles: string) => [
    [1, '张三', '138-0013-8000', zhangRoles, '县卫生健康委员会', '第一网格', ''],
    [2, '李四', 13900139000, '村医，党员;家庭医生', '', '2网格', '1镇1村'],
    [3, '钱七', '13600136000', '干部', '镇扶贫办', '', ''],
  ];

  it('a dry run says what would happen and writes nothing; an unknown unit stops it without --create-units', async () => {
    const file = await xlsx('clean.xlsx', rows('党员、网格员'), false);
    const dry = await importMembers(t.ctx, townA, file, village().code, { dryRun: true, createUnits: true });
    expect(dry).toMatchObject({
      rows: 3,
      valid: 3,
      created: 3,
      unitsCreated: ['镇扶贫办'],
      committed: false,
    });
    expect(await membersOfA()).toEqual([]);
    const strict = await importMembers(t.ctx, townA, file, village().code);
    expect(strict.invalid.map((e) => [e.row, e.code])).toEqual([[4, 'unit_unknown']]);
    expect(await membersOfA()).toEqual([]);
  });

  it('imports with the units created, members placed in their grids and home community', async () => {
    const file = await xlsx('clean.xlsx', rows('党员、网格员'), false);
    const report = await importMembers(t.ctx, townA, file, village().code, { createUnits: true });
    expect(report).toMatchObject({ created: 3, updated: 0, committed: true, invalid: [] });
    const all = await membersOfA();
    const zhang = all.find((m) => m.name === '张三')!;
    const li = all.find((m) => m.name === '李四')!;
    const grids = c.townships[0]!.villages[0]!.grids;
    expect(zhang).toMatchObject({
      mobile: '13800138000',
      roles: ['party_member', 'grid_member'],
      regionId: grids[0]!.id,
    });
    expect(li).toMatchObject({
      mobile: '13900139000',
      roles: ['village_doctor', 'party_member', 'family_doctor'],
      regionId: grids[1]!.id,
      homeRegionId: village().id,
    });
    const [created] = await t.ctx.db.select().from(unit).where(eq(unit.name, '镇扶贫办'));
    expect(all.find((m) => m.name === '钱七')).toMatchObject({ unitId: created!.id, regionId: village().id });
  });

  it('a re-import updates the members it finds by mobile instead of adding them again', async () => {
    const file = await xlsx('again.xlsx', rows('党员、网格长'));
    const report = await importMembers(t.ctx, townA, file, village().code);
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 2, committed: true });
    const all = await membersOfA();
    expect(all).toHaveLength(3);
    expect(all.find((m) => m.name === '张三')!.roles).toEqual(['party_member', 'grid_leader']);
  });

  it('a region outside the importer’s scope is not found', async () => {
    const file = await xlsx('b.xlsx', rows('党员'));
    await expect(
      importMembers(t.ctx, townA, file, c.townships[1]!.villages[0]!.village.code),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
