// Browser end-to-end tests of the console shell: sign-in, region tree and page, search, scope, language.
import { beforeAll, describe, expect, test } from 'vitest';
import { ApiSession, lockOut, type RegionNode } from './api-session.ts';
import { gone, treeItem, visible } from './browser.ts';
import { PASSWORD, useConsole } from './harness.ts';

const SCREENSHOT = '/tmp/console-region.png';

type World = {
  county: RegionNode;
  townships: RegionNode[];
  town: RegionNode;
  villages: RegionNode[];
  village: RegionNode;
  grids: RegionNode[];
  countyName: string;
};

let world: World;

const app = useConsole('console');
const { open, signIn } = app;

beforeAll(async () => {
  world = await discoverWorld(app.url);
});

/** Reads the demo world through the API as the county official, so the test knows what to expect. */
async function discoverWorld(base: string): Promise<World> {
  const county = await ApiSession.signIn(base, 'county', PASSWORD);
  const townships = await county.children(county.me.region.id);
  const town = townships[0];
  if (!town) throw new Error('the demo county has no township');
  const villages = await county.children(town.id);
  const village = villages.find((v) => v.childCount > 0);
  if (!village) throw new Error('the first township has no village with grids');
  const grids = await county.children(village.id);
  return {
    county: county.me.region,
    townships,
    town,
    villages,
    village,
    grids,
    countyName: county.me.displayName,
  };
}

describe('console', () => {
  test('a county official sees the county, expands a township and opens a village with its grids', async () => {
    const page = await open('/');
    await page.waitForURL('**/login');
    await signIn(page, 'county');
    await page.waitForURL(`**/regions/${world.county.id}`);

    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 3, name: world.county.name }));
    await visible(page.getByRole('banner').getByText('县乡干部'));
    await visible(page.getByRole('banner').getByText(world.countyName));
    const overview = main.getByRole('list', { name: '辖区概况' });
    expect(await overview.getByRole('listitem').count()).toBe(3);

    await visible(treeItem(page, world.county.name));
    for (const town of world.townships) await visible(treeItem(page, town.name));

    await treeItem(page, world.town.name).locator('.ant-tree-switcher').click();
    for (const village of world.villages) await visible(treeItem(page, village.name));

    await treeItem(page, world.village.name).locator('.ant-tree-title').click();
    await page.waitForURL(`**/regions/${world.village.id}`);
    await visible(main.getByRole('heading', { level: 3, name: world.village.name }));
    await visible(main.getByText(world.village.code, { exact: true }));
    await visible(main.locator('.ant-breadcrumb').getByRole('link', { name: world.town.name }));
    await visible(main.locator('.ant-breadcrumb').getByRole('link', { name: world.county.name }));

    const gridsCard = overview.getByRole('listitem');
    expect(await gridsCard.count()).toBe(1);
    expect(await gridsCard.innerText()).toContain(String(world.grids.length));

    for (const grid of world.grids) {
      const row = main.getByRole('row').filter({ hasText: grid.code });
      await visible(row.getByRole('link', { name: grid.name }));
      expect(await row.innerText()).toContain('网格');
    }
    const subRegions = main.locator('.ant-card').filter({ has: page.getByText('下级区域', { exact: true }) });
    expect(await subRegions.locator('tbody tr.ant-table-row').count()).toBe(world.grids.length);
    expect(await treeItem(page, world.village.name).getAttribute('aria-selected')).toBe('true');

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  test('searching a village by name shows it with its trail and opens its page', async () => {
    const page = await open('/login');
    await signIn(page, 'county');
    await page.waitForURL(`**/regions/${world.county.id}`);
    const target = world.villages.at(-1) ?? world.village;

    await page.getByRole('textbox', { name: '搜索区域' }).fill(target.name);
    const hit = page
      .getByRole('list', { name: '搜索结果' })
      .getByRole('link')
      .filter({ hasText: `${world.town.name} / ${target.name}` });
    await visible(hit);
    expect(await hit.innerText()).toContain(world.county.name);

    await hit.click();
    await page.waitForURL(`**/regions/${target.id}`);
    await visible(page.getByRole('main').getByRole('heading', { level: 3, name: target.name }));
    // The tree comes back, opened down to the region found.
    await visible(treeItem(page, target.name));
    expect(await treeItem(page, target.name).getAttribute('aria-selected')).toBe('true');
  });

  test('switching to English translates the UI and the server messages, and the choice persists', async () => {
    const page = await open('/login');
    await page.getByRole('button', { name: 'English' }).click();
    await visible(page.getByRole('button', { name: 'Sign in', exact: true }));
    expect(await page.evaluate(() => localStorage.getItem('lx_lang'))).toBe('en');

    await page.getByLabel('Account').fill('operator');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'Wrong username or password' }));

    // Enter submits the form as a user would; the button may still be re-rendering after the error.
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.waitForURL(`**/regions/${world.county.id}`);
    await visible(page.getByRole('banner').getByText('Hotline operator'));
    await visible(page.getByRole('button', { name: 'Sign out' }));
    await visible(page.getByRole('main').getByText('Townships', { exact: true }));

    await page.goto(`${app.url}/regions/999999999`);
    await visible(page.getByText('Not found or not permitted').first());
    await visible(page.getByRole('button', { name: 'Back to my region' }));

    await page.reload();
    await visible(page.getByRole('button', { name: '中文' }));
    await page.getByRole('button', { name: '中文' }).click();
    await visible(page.getByRole('button', { name: '退出登录' }));
    await visible(page.getByText('不存在或无权查看').first());
  });

  test('a township official cannot open a region of another township', async () => {
    const admin = await ApiSession.signIn(app.url, 'admin', PASSWORD);
    const stem = world.county.code.slice(0, 6);
    const otherTown = await admin.post<RegionNode>('/api/regions', {
      parentId: world.county.id,
      code: `${stem}998000`,
      name: '测试邻镇',
    });
    const otherVillage = await admin.post<RegionNode>('/api/regions', {
      parentId: otherTown.id,
      code: `${stem}998001`,
      name: '测试邻村',
    });

    const page = await open('/login');
    await signIn(page, 'town1');
    await page.waitForURL(`**/regions/${world.town.id}`);
    await visible(treeItem(page, world.town.name));
    expect(await treeItem(page, world.county.name).count()).toBe(0);

    await page.goto(`${app.url}/regions/${otherVillage.id}`);
    const main = page.getByRole('main');
    await visible(main.getByText('不存在或无权查看').first());
    expect(await main.getByText('测试邻村').count()).toBe(0);
    expect(await main.getByRole('table').count()).toBe(0);

    await page.goto(`${app.url}/regions/${world.county.id}`);
    await visible(main.getByText('不存在或无权查看').first());
    await main.getByRole('button', { name: '返回我的区域' }).click();
    await page.waitForURL(`**/regions/${world.town.id}`);
    await visible(main.getByRole('heading', { level: 3, name: world.town.name }));
  });

  test('a wrong password and a locked account show the server message and stay on the sign-in page', async () => {
    const page = await open('/login');
    await signIn(page, 'supervisor', 'wrong-password');
    await visible(page.getByRole('alert').filter({ hasText: '账号或密码错误' }));
    expect(new URL(page.url()).pathname).toBe('/login');

    await lockOut(app.url, 'party');
    await signIn(page, 'party');
    await visible(page.getByRole('alert').filter({ hasText: '锁定' }));
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  test('when the session is gone, the next request sends the user back to the sign-in page', async () => {
    const page = await open('/login');
    await signIn(page, 'town1');
    await page.waitForURL(`**/regions/${world.town.id}`);
    const firstVillage = page.getByRole('main').getByRole('link', { name: world.village.name });
    await visible(firstVillage);

    await page.context().clearCookies();
    await firstVillage.click();
    await page.waitForURL('**/login');
    await visible(page.getByRole('button', { name: '登录', exact: true }));
  });

  test('home and unknown routes, then signing out returns to the sign-in page', async () => {
    const page = await open('/login');
    await signIn(page, 'doctor');
    await page.waitForURL('**/regions/*');
    const home = page.url();

    await page.goto(`${app.url}/`);
    await page.waitForURL(home);
    await page.goto(`${app.url}/no/such/page`);
    await visible(page.getByText('页面不存在', { exact: true }));

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/login');
    await visible(page.getByRole('button', { name: '登录', exact: true }));
    await gone(page.getByRole('button', { name: '退出登录' }));

    await page.goto(home);
    await page.waitForURL('**/login');
  });
});
