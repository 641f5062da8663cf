// Browser end-to-end tests of the ledger pages: list filters, reveal, edit errors, override, coverage, scope.
// The demo county may already hold a ledger: the residents made here carry surnames the demo never draws,
// tests find them through the search box, and coverage is measured in a village made for the test.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { addTownship, ApiSession, idNumber, type RegionNode } from './api-session.ts';
import { settled, visible } from './browser.ts';
import { PASSWORD, useConsole } from './harness.ts';

const LIST_SHOT = '/tmp/ledger-list.png';
const RESIDENT_SHOT = '/tmp/resident.png';
const POLL = { timeout: 15_000 };

type Resident = { id: number; householdId: number; name: string; colour: string };
type Person = {
  name: string;
  birth?: string;
  seq?: string;
  conditions?: { name: string; state: 'stable' | 'unstable' }[];
  vaccination?: 'full' | 'partial' | 'none';
  categories?: string[];
  phones?: string;
  grid: RegionNode;
  address: string;
};

type World = {
  county: RegionNode;
  /** The demo's first village: the doctor and the grid member work in its first grid. */
  village: RegionNode;
  grids: RegionNode[];
  /** A township made by the test, outside town1's scope, with a village of two grids. */
  testVillage: RegionNode;
  testGrids: RegionNode[];
  people: Record<string, Resident & { idNumber: string | null }>;
  outsider: Resident;
};

let world: World;

const app = useConsole('ledger');
const { open } = app;

beforeAll(async () => {
  world = await buildWorld(app.url);
});

async function signIn(page: Page, login: string): Promise<void> {
  await app.signIn(page, login);
  await page.waitForURL('**/regions/*');
}

async function addResident(api: ApiSession, county: RegionNode, p: Person) {
  const id = p.birth && p.seq ? idNumber(county.code, p.birth, p.seq) : null;
  const body = {
    name: p.name,
    ...(id ? { idNumber: id } : { birthDate: '2024-05-01' }),
    conditions: p.conditions ?? [],
    categories: p.categories ?? [],
    ...(p.vaccination ? { vaccination: p.vaccination } : {}),
    ...(p.phones ? { phones: p.phones } : {}),
    household: { gridId: p.grid.id, address: p.address },
  };
  const r = await api.post<Resident>('/api/residents', body);
  return { ...r, idNumber: id };
}

/** The demo county, the doctor's village and grids, a few residents, and one in another township. */
async function buildWorld(base: string): Promise<World> {
  const county = await ApiSession.signIn(base, 'county', PASSWORD);
  const c = county.me.region;
  const [town] = await county.children(c.id);
  if (!town) throw new Error('the demo county has no township');
  const [village] = await county.children(town.id);
  if (!village) throw new Error('the first township has no village');
  const grids = await county.children(village.id);
  const [g1, g2] = grids;
  if (!g1 || !g2) throw new Error('the first village needs two grids');
  const people: World['people'] = {};
  const add = async (key: string, p: Person) => (people[key] = await addResident(county, c, p));
  await add('elder', {
    name: '欧阳秀英',
    birth: '19420315',
    seq: '902',
    conditions: [{ name: '高血压', state: 'unstable' }],
    vaccination: 'full',
    categories: ['living_alone'],
    phones: '13812345678',
    grid: g1,
    address: '幸福路1号',
  });
  await add('husband', {
    name: '司马建国',
    birth: '19520601',
    seq: '911',
    conditions: [{ name: '糖尿病', state: 'stable' }],
    vaccination: 'full',
    phones: '13912345678',
    grid: g1,
    address: '幸福路1号',
  });
  await add('young', {
    name: '诸葛伟',
    birth: '19900101',
    seq: '931',
    vaccination: 'full',
    grid: g1,
    address: '幸福路2号',
  });
  await add('infant', { name: '上官小宝', categories: ['infant'], grid: g1, address: '幸福路2号' });
  await add('oldest', {
    name: '甄桂兰',
    birth: '19380808',
    seq: '922',
    conditions: [{ name: '慢阻肺', state: 'stable' }],
    vaccination: 'partial',
    grid: g2,
    address: '和平街8号',
  });

  // Another township, outside town1's scope, with one resident in it.
  const admin = await ApiSession.signIn(base, 'admin', PASSWORD);
  const other = await addTownship(admin, c, '997', {
    township: '邻镇',
    village: '邻村',
    grids: ['邻村第一网格', '邻村第二网格'],
  });
  const otherVillage = other.village;
  const testGrids = other.grids;
  const [t1, t2] = testGrids as [RegionNode, RegionNode];
  const outsider = await addResident(county, c, {
    name: '郦外镇',
    birth: '19600101',
    seq: '951',
    grid: t1,
    address: '外镇路1号',
  });
  await addResident(county, c, {
    name: '郦二',
    birth: '19700101',
    seq: '961',
    grid: t1,
    address: '外镇路2号',
  });
  await addResident(county, c, {
    name: '郦三',
    birth: '19800101',
    seq: '971',
    grid: t2,
    address: '外镇路3号',
  });
  return { county: c, village, grids, testVillage: otherVillage, testGrids, people, outsider };
}

function person(key: string) {
  const p = world.people[key];
  if (!p) throw new Error(`no resident ${key}`);
  return p;
}

const rows = (page: Page): Locator => page.getByRole('main').locator('tbody tr.ant-table-row');

/** Types into the ledger's search box and submits it. */
async function search(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('搜索居民');
  await box.fill(text);
  await box.press('Enter');
  await page.waitForURL(`**q=${encodeURIComponent(text)}**`);
}

/** The colour of each row of the ledger table, from the tags' data-colour. */
async function rowColours(page: Page): Promise<string[]> {
  return rows(page)
    .locator('[data-colour]')
    .evaluateAll((tags) => tags.map((t) => t.getAttribute('data-colour') ?? ''));
}

/** The antd form item holding the control labelled `label`, to read its error. */
function formItem(scope: Locator, label: string): Locator {
  // `has` is matched inside each form item, so the inner locator must not carry the scope's own path.
  return scope.locator('.ant-form-item').filter({ has: scope.page().getByLabel(label, { exact: true }) });
}

describe('ledger', () => {
  test('an official filters the ledger by colour and sees only those rows; the link keeps the filter', async () => {
    const api = await ApiSession.signIn(app.url, 'county', PASSWORD);
    const reds = await api.get<{ total: number; items: Resident[] }>(
      `/api/residents?regionId=${world.county.id}&colour=red`,
    );
    expect(reds.total).toBeGreaterThan(0);

    const page = await open();
    await signIn(page, 'county');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '台账' }).click();
    await page.waitForURL(`**/ledger?regionId=${world.county.id}`);
    await visible(page.getByRole('heading', { level: 3, name: /健康管理台账/ }));
    await visible(rows(page).first());
    await page.screenshot({ path: LIST_SHOT, fullPage: true });

    await page.getByRole('checkbox', { name: '红', exact: true }).click();
    await page.waitForURL(/colour=red/);
    await visible(page.getByText(`共 ${reds.total} 人`));
    await expect.poll(() => rowColours(page), POLL).toEqual(reds.items.map(() => 'red'));
    const names = await rows(page).locator('td:first-child').allInnerTexts();
    expect(names).toEqual(reds.items.map((r) => r.name));

    // Searching narrows further, and a resident without an ID number is flagged 无证.
    await page.getByRole('checkbox', { name: '红', exact: true }).click();
    await page.waitForURL((url) => !url.searchParams.has('colour'));
    await search(page, person('infant').name);
    await visible(
      rows(page)
        .filter({ hasText: person('infant').name })
        .getByText('无证'),
    );
    expect(await rows(page).count()).toBe(1);

    // The URL alone reproduces the view.
    await page.getByRole('checkbox', { name: '黄', exact: true }).click();
    await page.waitForURL(/colour=yellow/);
    const link = page.url();
    const again = await open();
    await signIn(again, 'county');
    await again.goto(link);
    await visible(rows(again).filter({ hasText: person('infant').name }));
    expect(await again.getByRole('checkbox', { name: '黄', exact: true }).isChecked()).toBe(true);
    expect(await again.getByRole('checkbox', { name: '红', exact: true }).isChecked()).toBe(false);
    expect(await again.getByLabel('搜索居民').inputValue()).toBe(person('infant').name);
  });

  test('an official opens a resident and reveals the ID number; the reveal is in the audit log', async () => {
    const elder = person('elder');
    const page = await open();
    await signIn(page, 'county');
    await page.goto(`${app.url}/ledger?regionId=${world.county.id}`);
    await search(page, elder.name);
    await rows(page).filter({ hasText: elder.name }).locator('td').nth(2).click();
    await page.waitForURL(`**/residents/${elder.id}`);

    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 3, name: elder.name }));
    const full = elder.idNumber ?? '';
    await visible(main.getByText(`${full.slice(0, 6)}********${full.slice(-4)}`));
    expect(await main.getByText(full).count()).toBe(0);
    await visible(main.getByText('颜色变更记录'));

    await main.getByRole('button', { name: '查看 身份证号' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('查看事由').fill('电话回访核对身份');
    await dialog.getByRole('button', { name: '确认查看' }).click();
    await visible(main.getByText(full, { exact: true }));
    await visible(main.getByText('本次查看已记录'));
    await dialog.waitFor({ state: 'hidden' });
    await page.screenshot({ path: RESIDENT_SHOT, fullPage: true });

    const admin = await ApiSession.signIn(app.url, 'admin', PASSWORD);
    const audit = await admin.get<{ items: { action: string; targetId: string; reason: string | null }[] }>(
      '/api/audit?action=resident.reveal',
    );
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        action: 'resident.reveal',
        targetId: String(elder.id),
        reason: '电话回访核对身份',
      }),
    );
  });

  test('editing a resident with a bad phone shows the server error under the phone field', async () => {
    const husband = person('husband');
    const page = await open();
    await signIn(page, 'county');
    await page.goto(`${app.url}/residents/${husband.id}`);
    await page.getByRole('button', { name: '编辑' }).click();
    const drawer = page.getByRole('dialog');
    await visible(drawer.getByText('编辑居民信息'));
    // The record's own condition is in the form (the list is filled from the resident).
    expect(await drawer.getByLabel('病名').inputValue()).toBe('糖尿病');
    await drawer.getByLabel('联系电话', { exact: true }).fill('12345');
    await drawer.getByRole('button', { name: '保存' }).click();

    const phoneError = formItem(drawer, '联系电话').locator('.ant-form-item-explain-error');
    await visible(phoneError);
    expect(await phoneError.innerText()).toMatch(/电话|号码/);
    // Only the phone is wrong: the name field carries no error, and nothing was saved.
    expect(await formItem(drawer, '姓名').locator('.ant-form-item-explain-error').count()).toBe(0);
    const api = await ApiSession.signIn(app.url, 'county', PASSWORD);
    const stored = await api.get<{ phones: string[] }>(`/api/residents/${husband.id}`);
    expect(stored.phones).toEqual(['139****5678']);

    // A good number then saves and the drawer closes.
    await drawer.getByLabel('联系电话', { exact: true }).fill('13700001234');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await visible(page.getByRole('main').getByText('137****1234'));
  });

  test('a doctor overrides a colour with a reason and the colour history shows it', async () => {
    const young = person('young');
    const page = await open();
    await signIn(page, 'doctor');
    await page.goto(`${app.url}/residents/${young.id}`);
    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 3, name: young.name }));

    await main.getByRole('button', { name: '调整颜色' }).click();
    const dialog = await settled(page.getByRole('dialog'));
    await dialog.getByRole('radio', { name: '红色 · 高风险' }).check();
    await dialog.getByLabel('调整事由').fill('血氧偏低，需重点关注');
    await dialog.getByRole('button', { name: '确定' }).click();

    const history = main.locator('.ant-card').filter({ hasText: '颜色变更记录' });
    await visible(history.getByText('事由：血氧偏低，需重点关注'));
    await visible(history.getByText('人工调整', { exact: true }));
    await visible(main.locator('.ant-card').filter({ hasText: '三色标记' }).getByText('红色 · 高风险'));
    expect(await history.locator('.ant-timeline-item, .ant-steps-item').count()).toBe(2);

    const api = await ApiSession.signIn(app.url, 'county', PASSWORD);
    const stored = await api.get<{ colour: string; colourOverride: string; colourOverrideReason: string }>(
      `/api/residents/${young.id}`,
    );
    expect(stored).toMatchObject({
      colour: 'red',
      colourOverride: 'red',
      colourOverrideReason: '血氧偏低，需重点关注',
    });
  });

  test('survey coverage shows 0%, then more once a survey is recorded on the household page', async () => {
    const page = await open();
    await signIn(page, 'county');
    await page.goto(`${app.url}/regions/${world.testVillage.id}`);
    const card = page.getByRole('region', { name: '走访覆盖' });
    const total = card.getByRole('progressbar', { name: '合计覆盖率' });
    await visible(card.getByText('已走访 0 / 3 户'));
    expect(await total.getAttribute('aria-valuenow')).toBe('0');
    const firstGrid = world.testGrids[0]?.name ?? '';
    const gridRow = page.getByRole('main').getByRole('row').filter({ hasText: firstGrid });
    expect(await gridRow.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');

    await card.getByRole('link', { name: '外镇路1号' }).click();
    await page.waitForURL(`**/households/${world.outsider.householdId}`);
    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 3, name: '外镇路1号' }));
    await main.getByRole('button', { name: '登记走访' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('走访情况').fill('已上门，老人状况稳定');
    await dialog.getByRole('button', { name: '提交' }).click();
    await visible(
      main.locator('.ant-card').filter({ hasText: '走访记录' }).getByText('已上门，老人状况稳定'),
    );

    await page.goto(`${app.url}/regions/${world.testVillage.id}`);
    await visible(card.getByText('已走访 1 / 3 户'));
    expect(Number(await total.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await visible(card.getByText('33.3%'));
    // The sub-region table shows each grid's coverage: the first grid has one of its two households.
    expect(await gridRow.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    // The household surveyed is no longer on the list to visit.
    expect(await card.getByRole('link', { name: '外镇路1号' }).count()).toBe(0);
  });

  test('a township official cannot open a resident or household of another township', async () => {
    const page = await open();
    await signIn(page, 'town1');
    await page.goto(`${app.url}/residents/${world.outsider.id}`);
    const main = page.getByRole('main');
    await visible(main.getByText('居民不存在或无权查看'));
    expect(await main.getByText(world.outsider.name).count()).toBe(0);

    await page.goto(`${app.url}/households/${world.outsider.householdId}`);
    await visible(main.getByText('该户不存在或无权查看'));
    await main.getByRole('button', { name: '返回台账' }).click();
    await page.waitForURL('**/ledger');
    await search(page, person('elder').name);
    await visible(rows(page).filter({ hasText: person('elder').name }));
    await search(page, world.outsider.name);
    await visible(main.getByText('没有符合条件的居民'));
    expect(await rows(page).count()).toBe(0);
  });

  test('colour rules: a gap between score bands is shown on its row; a change previews who would move', async () => {
    const page = await open();
    await signIn(page, 'county');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '三色规则' }).click();
    await page.waitForURL(`**/regions/${world.county.id}/colour-rules`);
    const main = page.getByRole('main');
    const bands = main.locator('.ant-card').filter({ has: page.getByText('分数段 → 颜色', { exact: true }) });
    const second = bands.locator('tbody tr').nth(1);
    await second.getByLabel('起').fill('3');
    await main.getByRole('button', { name: '预览影响' }).click();
    await visible(second.locator('.ant-form-item-explain-error').filter({ hasText: '空缺' }));
    await visible(main.getByRole('alert').filter({ hasText: '分数段 → 颜色 › #2 › 起' }));

    await second.getByLabel('起').fill('2');
    // Under-65s scoring 2 points lifts the unvaccinated infant from yellow to red.
    const ages = main.locator('.ant-card').filter({ has: page.getByText('年龄分段', { exact: true }) });
    await ages.locator('tbody tr').first().getByLabel('分值').fill('2');
    await main.getByRole('button', { name: '预览影响' }).click();
    await visible(main.getByRole('status').filter({ hasText: /将有 \d+ 人颜色变化/ }));
    await expect.poll(() => second.locator('.ant-form-item-explain-error').count(), POLL).toBe(0);
  });

  test('an official imports a village ledger: problems listed by row, valid rows imported', async () => {
    const g1 = world.grids[0];
    if (!g1) throw new Error('no grid');
    const good = idNumber(world.county.code, '19450101', '981');
    const csv = [
      '姓名,身份证号,性别,联系电话,所属网格,住址,基础疾病',
      `阙导入,${good},,13800001111,${g1.name},新华路3号,高血压`,
      `阙有误,12345,女,13800002222,${g1.name},新华路3号,`,
    ].join('\n');
    const file = path.join(app.dataDir, '台账.csv');
    fs.writeFileSync(file, csv);

    const page = await open();
    await signIn(page, 'county');
    await page.goto(`${app.url}/ledger/import?regionId=${world.village.id}`);
    const main = page.getByRole('main');
    await visible(main.getByText(world.village.code, { exact: true }));
    await main.locator('input[type=file]').setInputFiles(file);
    await visible(main.getByText('有 1 处问题，请核对下表'));
    const problem = main.locator('tbody tr.ant-table-row').filter({ hasText: '身份证号' });
    expect(await problem.locator('td').first().innerText()).toBe('3');
    await visible(main.getByRole('link', { name: '下载错误行表格' }).first());

    await main.getByRole('radio', { name: /只导入正确的 1 行/ }).check();
    await main.getByRole('button', { name: '开始导入' }).click();
    await visible(main.getByText('导入完成'));
    await main.getByRole('button', { name: '查看台账' }).click();
    await page.waitForURL('**/ledger?**');
    await search(page, '阙');
    await visible(rows(page).filter({ hasText: '阙导入' }));
    expect(await rows(page).filter({ hasText: '阙有误' }).count()).toBe(0);
  });

  test('on a phone, a grid worker sees their grid, opens a resident, and the page fits the screen', async () => {
    const page = await open('/login', { width: 390, height: 844 });
    await signIn(page, 'gridmember');
    await page.goto(`${app.url}/ledger`);
    await visible(rows(page).first());
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The grid member's scope is the first grid: the second grid's resident is not found.
    await search(page, person('oldest').name);
    await visible(page.getByRole('main').getByText('没有符合条件的居民'));
    await search(page, person('elder').name);
    await rows(page)
      .filter({ hasText: person('elder').name })
      .getByRole('link')
      .click();
    await page.waitForURL(`**/residents/${person('elder').id}`);
    await visible(page.getByRole('main').getByText('颜色变更记录'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
