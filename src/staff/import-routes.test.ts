// The member import over HTTP, as the console drives it: a .csv with problems is checked and every
// problem comes back with its Excel row and column, in the caller's language, and committing it
// imports nothing; a clean .xlsx is checked, committed once (all rows), and the members are there.
// Another account's job and a region outside the caller's subtree both answer 404; another instance
// answers for and commits a job it did not check.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let official: string;
let otherOfficial: string;

type Problem = { row: number | null; column: string; code: string; message: string };
type Report = {
  rows: number;
  valid: number;
  created: number;
  updated: number;
  committed: boolean;
  dryRun: boolean;
  invalidCount: number;
  invalid: Problem[];
};
type Job = { id: string; state: string; fileName: string; check: Report; result: Report | null };

const village = () => c.townships[0]!.villages[0]!.village;

function upload(cookie: string, regionCode: string, fileName: string, body: Buffer, lang = 'zh-CN') {
  const type = fileName.endsWith('.csv')
    ? 'text/csv'
    : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return t.app.inject({
    method: 'POST',
    url: `/api/members/imports?regionCode=${regionCode}&fileName=${encodeURIComponent(fileName)}`,
    headers: { cookie, 'content-type': type, 'accept-language': lang },
    payload: body,
  });
}

const commit = (cookie: string, id: string) =>
  t.app.inject({ method: 'POST', url: `/api/members/imports/${id}/commit`, headers: { cookie } });

const members = async (cookie: string) =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/members?regionId=${village().id}&pageSize=100`,
      headers: { cookie },
    })
  ).json() as { total: number; items: { name: string; roles: string[] }[] };

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 2 });
  official = (await signedIn(t, 'official', c.townships[0]!.township)).cookie;
  otherOfficial = (await signedIn(t, 'official', c.townships[1]!.township)).cookie;
});
afterAll(() => t.close());

describe('member import over HTTP', () => {
  it('reports each bad row by its row number and column, and commits nothing', async () => {
    const csv = [
      '姓名,手机号,身份,所属网格',
      '王建国,13800000001,党员,第1网格',
      ',13800000002,村医,第1网格',
      '李秀兰,12345,党员,第1网格',
      '赵大夫,13800000004,厨师,第9网格',
    ].join('\r\n');
    const res = await upload(official, village().code, '花名册.csv', Buffer.from(csv, 'utf8'));
    expect(res.statusCode, res.body).toBe(201);
    const job = res.json() as Job;
    expect(job).toMatchObject({ state: 'checked', fileName: '花名册.csv', result: null });
    expect(job.check).toMatchObject({ rows: 4, valid: 1, dryRun: true, committed: false });
    expect(job.check.invalid.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, '姓名', 'required'],
      [4, '手机号', 'mobile_invalid'],
      [5, '身份', 'role_unknown'],
      [5, '所属网格', 'region_unknown'],
    ]);
    expect(job.check.invalid[0]!.message).toMatch(/[\u4e00-\u9fa5]/);

    const english = (await upload(official, village().code, 'r.csv', Buffer.from(csv), 'en')).json() as Job;
    expect(english.check.invalid[0]!.message).toMatch(/^[\x20-\x7e]+$/);

    const done = await commit(official, job.id);
    expect(done.statusCode, done.body).toBe(200);
    expect((done.json() as Job).result).toMatchObject({ committed: false });
    expect((done.json() as Job).state).toBe('rejected');
    expect((await members(official)).total).toBe(0);
  });

  it('checks a clean .xlsx, commits it once, and the members are registered', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['1镇1村包联人员花名册']);
    ws.addRow(['序号', '姓名', '联系电话', '身份', '所属网格']);
    ws.addRow([1, '王建国', 13800000011, '党员', '第1网格']);
    ws.addRow([2, '钱大夫', '13800000012', '村医', '第1网格']);
    ws.addRow([3, '孙书记', '138 0000 0013', '村支书、党员', '']);
    const body = Buffer.from(await wb.xlsx.writeBuffer());

    const res = await upload(official, village().code, '包联人员.xlsx', body);
    expect(res.statusCode, res.body).toBe(201);
    const job = res.json() as Job;
    expect(job.check).toMatchObject({ rows: 3, valid: 3, created: 3, invalidCount: 0, committed: false });
    expect((await members(official)).total).toBe(0);

    // Someone else's job is not found, even in the same county.
    expect((await commit(otherOfficial, job.id)).statusCode).toBe(404);
    const again = await t.app.inject({
      method: 'GET',
      url: `/api/members/imports/${job.id}`,
      headers: { cookie: official },
    });
    expect(again.json()).toMatchObject({ id: job.id, state: 'checked' });

    const done = await commit(official, job.id);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'committed', result: { committed: true, created: 3 } });
    const list = await members(official);
    expect(list.items.map((m) => m.name).sort()).toEqual(['孙书记', '王建国', '钱大夫'].sort());
    expect(list.items.find((m) => m.name === '孙书记')!.roles).toEqual(['village_secretary', 'party_member']);

    const twice = await commit(official, job.id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'import.job_state' });
  });

  it('a checked register is committed by another instance (the job is a row, not memory)', async () => {
    const csv = Buffer.from('姓名,手机号,身份,所属网格\n吴实例,13800000031,党员,第1网格\n');
    const job = (await upload(official, village().code, '另一实例.csv', csv)).json() as Job;
    expect(job).toMatchObject({ state: 'checked', check: { valid: 1 } });
    const other = await buildApp(t.ctx, { webDir: null });
    try {
      const get = (cookie: string) =>
        other.inject({ method: 'GET', url: `/api/members/imports/${job.id}`, headers: { cookie } });
      expect((await get(official)).json()).toMatchObject({ state: 'checked', check: { valid: 1 } });
      expect((await get(otherOfficial)).statusCode).toBe(404);
      const done = await other.inject({
        method: 'POST',
        url: `/api/members/imports/${job.id}/commit`,
        headers: { cookie: official },
      });
      expect(done.json()).toMatchObject({ state: 'committed', result: { committed: true, created: 1 } });
      expect((await commit(official, job.id)).statusCode).toBe(409);
    } finally {
      await other.close();
    }
  });

  it('refuses a region outside the subtree (404) and a role without staff.import (403)', async () => {
    const csv = Buffer.from('姓名,手机号,身份\n周一,13800000021,党员\n');
    expect((await upload(otherOfficial, village().code, 'x.csv', csv)).statusCode).toBe(404);
    const member = await signedIn(t, 'grid_member', c.townships[0]!.villages[0]!.grids[0]!);
    const res = await upload(member.cookie, village().code, 'x.csv', csv);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
  });
});
