// Categories a county adds (重点人群类别): added and renamed by a county official, clashes with
// another category's words refused, other counties and township officials kept out, an imported
// sheet matching the new category by name or synonym, and a retired category kept by the residents
// who carry it while nobody new may be given it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../platform/audit/schema.ts';
import { idNumber } from '../../test/fixtures/ledger.ts';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { codeFor, clashOf } from './categories.ts';
import { resident } from './schema.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let other: County;
let official: string;
let township: string;
let outsider: string;
let dir: string;

type Category = {
  code: string;
  nameZh: string;
  nameEn: string;
  key: boolean;
  synonyms: string[];
  active: boolean;
  national: boolean;
};

const call = (
  cookie: string,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
  lang = 'zh-CN',
) => t.app.inject({ method, url, payload, headers: { cookie, 'accept-language': lang } });

const grid = () => c.townships[0]!.villages[0]!.grids[0]!;
const village = () => c.townships[0]!.villages[0]!.village;
const list = async (regionId = c.county.id) =>
  (await call(official, 'GET', `/api/regions/${regionId}/categories`)).json() as Category[];

beforeAll(async () => {
  t = await testWorld();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-categories-'));
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 1 });
  other = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
  official = (await signedIn(t, 'official', c.county)).cookie;
  township = (await signedIn(t, 'official', c.townships[0]!.township)).cookie;
  outsider = (await signedIn(t, 'official', other.county)).cookie;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('pure rules', () => {
  const row = (code: string, nameZh: string, nameEn: string, synonyms: string[] = []) => ({
    countyCode: '',
    code,
    nameZh,
    nameEn,
    key: true,
    synonyms,
    sort: 10,
    active: true,
  });
  it('a code comes from the English name and steps aside for taken words', () => {
    expect(codeFor('Low-income (dibao) household', [])).toBe('low_income_dibao_household');
    expect(codeFor('低保', [])).toBe('category');
    expect(codeFor('Dibao', [row('dibao', '低保户', 'Low income')])).toBe('dibao_2');
  });
  it('a word clashes whatever its width or case', () => {
    const cats = [row('disabled', '残疾人', 'Disabled', ['残障'])];
    expect(clashOf(['DISABLED'], cats)?.other.code).toBe('disabled');
    expect(clashOf([' 残障 '], cats)?.word).toBe(' 残障 ');
    expect(clashOf(['低保户'], cats)).toBeNull();
  });
});

describe('a county adds its own categories', () => {
  it('adds 低保户 with synonyms; it is listed after the national ones, and the change is audited', async () => {
    const res = await call(official, 'POST', `/api/regions/${village().id}/categories`, {
      nameZh: '低保户',
      nameEn: 'Low-income household',
      key: true,
      synonyms: ['低保', '低保对象', '低保'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      code: 'low_income_household',
      nameZh: '低保户',
      nameEn: 'Low-income household',
      key: true,
      synonyms: ['低保', '低保对象'],
      sort: 100,
      active: true,
      national: false,
    });
    const cats = await list(grid().id);
    expect(cats.at(-1)).toMatchObject({ code: 'low_income_household', national: false });
    expect(cats.find((x) => x.code === 'elderly')).toMatchObject({ national: true, active: true });
    // Another county does not see it.
    const elsewhere = (
      await call(outsider, 'GET', `/api/regions/${other.county.id}/categories`)
    ).json() as Category[];
    expect(elsewhere.map((x) => x.code)).not.toContain('low_income_household');

    const [audited] = await t.ctx.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'ledger.category_add'), eq(auditEvent.targetType, 'category')));
    expect(audited).toMatchObject({ targetId: `${c.county.countyCode}:low_income_household` });
  });

  it('takes a given code, and refuses a bad one', async () => {
    const res = await call(official, 'POST', `/api/regions/${c.county.id}/categories`, {
      nameZh: '特困供养人员',
      nameEn: 'Extreme poverty support',
      key: false,
      code: 'tekun',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'tekun', key: false, sort: 110 });
    const bad = await call(official, 'POST', `/api/regions/${c.county.id}/categories`, {
      nameZh: '退役军人',
      nameEn: 'Veteran',
      code: 'Veteran!',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/code', code: 'format' }],
    });
  });

  it.each([
    [
      'a national code',
      { nameZh: '老年人群', nameEn: 'Old people', code: 'elderly' },
      'elderly',
      '65岁以上老年人',
    ],
    ['a national name', { nameZh: '残疾人', nameEn: 'People with disability' }, '残疾人', '残疾人'],
    ['a national synonym', { nameZh: '空巢老人', nameEn: 'Empty nest' }, '空巢老人', '独居（孤寡）老人'],
    [
      'the county’s own synonym',
      { nameZh: '城乡低保', nameEn: 'Dibao', synonyms: ['低保'] },
      '低保',
      '低保户',
    ],
  ])('refuses %s with a message naming the clash', async (_, body, word, name) => {
    const res = await call(official, 'POST', `/api/regions/${c.county.id}/categories`, body);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'ledger.category_exists',
      detail: `“${word}”已被人员类别“${name}”使用，请换一个`,
    });
  });

  it('the English message is in English', async () => {
    const res = await call(
      official,
      'POST',
      `/api/regions/${c.county.id}/categories`,
      { nameZh: '低保户', nameEn: 'Again' },
      'en',
    );
    expect(res.json().detail).toBe(
      '"低保户" is already used by the category "Low-income household"; choose another',
    );
  });

  it('another county’s official gets 404, a township official 403, a doctor 403', async () => {
    const body = { nameZh: '退役军人', nameEn: 'Veteran' };
    const elsewhere = await call(outsider, 'POST', `/api/regions/${c.county.id}/categories`, body);
    expect(elsewhere.statusCode).toBe(404);
    const patch = await call(outsider, 'PATCH', `/api/regions/${c.county.id}/categories/tekun`, {
      nameZh: '特困',
    });
    expect(patch.statusCode).toBe(404);
    const below = await call(
      township,
      'POST',
      `/api/regions/${c.townships[0]!.township.id}/categories`,
      body,
    );
    expect(below.statusCode).toBe(403);
    expect(below.json().code).toBe('ledger.category_scope');
    const doctor = await signedIn(t, 'doctor', grid());
    expect((await call(doctor.cookie, 'POST', `/api/regions/${grid().id}/categories`, body)).statusCode).toBe(
      403,
    );
  });

  it('renames a county category; a national one cannot be changed', async () => {
    const res = await call(official, 'PATCH', `/api/regions/${c.county.id}/categories/tekun`, {
      nameZh: '特困人员',
      synonyms: ['特困', '五保户'],
    });
    // 五保 is a national synonym, 五保户 is not: allowed.
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code: 'tekun', nameZh: '特困人员', synonyms: ['特困', '五保户'] });
    const clash = await call(official, 'PATCH', `/api/regions/${c.county.id}/categories/tekun`, {
      synonyms: ['低保对象'],
    });
    expect(clash.statusCode).toBe(409);
    const national = await call(official, 'PATCH', `/api/regions/${c.county.id}/categories/disabled`, {
      nameZh: '残障人士',
    });
    expect(national.statusCode).toBe(409);
    expect(national.json()).toMatchObject({ code: 'ledger.category_national' });
    const missing = await call(official, 'PATCH', `/api/regions/${c.county.id}/categories/nothing`, {
      nameZh: '无',
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('the ledger uses them', () => {
  it('an imported sheet matches the county category by its synonym', async () => {
    const id = idNumber('340828', '1960-06-06', 41, 'M');
    const file = path.join(dir, '低保.csv');
    fs.writeFileSync(
      file,
      ['姓名,身份证号,所属网格,家庭住址,人员类别', `钱低保,${id},第1网格,东门路1号,低保对象、慢性病`].join(
        '\n',
      ),
    );
    const { cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports?regionCode=${village().code}&fileName=dibao.csv&wait=true`,
      headers: { cookie, 'content-type': 'text/csv' },
      payload: fs.readFileSync(file),
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({
      state: 'checked',
      check: { valid: 1, warningCount: 0, invalidCount: 0 },
    });
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports/${up.json().id}/commit?wait=true`,
      headers: { cookie },
      payload: { mode: 'all' },
    });
    expect(done.json()).toMatchObject({ state: 'committed', result: { imported: 1 } });
    const [row] = await t.ctx.db.select().from(resident).where(eq(resident.idNumber, id));
    expect(row!.categories.sort()).toEqual(['chronic', 'low_income_household']);
  });

  it('a retired category stays on the residents who carry it, shown, but nobody new is given it', async () => {
    const sun = idNumber('340828', '1980-05-05', 43, 'F');
    const created = await call(official, 'POST', '/api/residents', {
      name: '孙特困',
      idNumber: sun,
      categories: ['tekun'],
      household: { gridId: grid().id, address: '东门路9号' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;

    const retired = await call(official, 'PATCH', `/api/regions/${c.county.id}/categories/tekun`, {
      active: false,
    });
    expect(retired.json()).toMatchObject({ code: 'tekun', active: false });
    expect((await list()).find((x) => x.code === 'tekun')).toMatchObject({
      active: false,
      nameZh: '特困人员',
    });

    // Still on her page; an edit of something else keeps it.
    expect((await call(official, 'GET', `/api/residents/${id}`)).json().categories).toEqual(['tekun']);
    const edited = await call(official, 'PATCH', `/api/residents/${id}`, {
      notes: '已走访',
      categories: ['tekun', 'disabled'],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().categories).toEqual(['tekun', 'disabled']);

    // Nobody new: neither by hand …
    const fresh = await call(official, 'POST', '/api/residents', {
      name: '李新人',
      categories: ['tekun'],
      household: { gridId: grid().id, address: '东门路10号' },
    });
    expect(fresh.statusCode).toBe(400);
    expect(fresh.json().errors[0]).toMatchObject({ path: '/categories', code: 'enum' });

    // … nor by a sheet, which keeps the word in the notes; her re-import keeps the retired category.
    const { cookie } = await signedIn(t, 'official', c.townships[0]!.township);
    const newcomer = idNumber('340828', '1970-07-07', 42, 'F');
    const csv = [
      '姓名,身份证号,所属网格,家庭住址,人员类别',
      `周新,${newcomer},第1网格,东门路11号,特困人员`,
      `孙特困,${sun},第1网格,东门路9号,残疾人`,
    ].join('\n');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports?regionCode=${village().code}&fileName=x.csv&wait=true`,
      headers: { cookie, 'content-type': 'text/csv' },
      payload: Buffer.from(csv),
    });
    expect(up.json().check).toMatchObject({ valid: 2, warnings: [{ code: 'category_unknown', row: 2 }] });
    await t.app.inject({
      method: 'POST',
      url: `/api/ledger/imports/${up.json().id}/commit?wait=true`,
      headers: { cookie },
      payload: { mode: 'all' },
    });
    const [newRow] = await t.ctx.db.select().from(resident).where(eq(resident.idNumber, newcomer));
    expect(newRow!.categories).toEqual([]);
    expect(newRow!.notes).toContain('特困人员');
    const [kept] = await t.ctx.db.select().from(resident).where(eq(resident.idNumber, sun));
    expect(kept!.categories.sort()).toEqual(['disabled', 'tekun']);

    // Restored, it is offered again.
    const back = await call(official, 'PATCH', `/api/regions/${c.county.id}/categories/tekun`, {
      active: true,
    });
    expect(back.json()).toMatchObject({ active: true });
    const [audits] = await t.ctx.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'ledger.category_retire'));
    expect(audits).toMatchObject({ before: { active: true }, after: { active: false } });
  });
});
