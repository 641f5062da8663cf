// Browser end-to-end test of the staff register pages (issue #4, points 1, 2 and 7): a township
// official adds a member in the console (the server's field error shown under its field first), finds
// them in the list, makes them grid leader of a grid that had none (the gap goes), registers a unit
// with its party organisation and puts the member in it, forms a service team with the member as its
// leader, then deactivates them — their responsibility ends and the grid's gap is back. An official
// of another township cannot open the member's page. Then the pages in English, and the county's key
// categories chosen on the pairing page. Everything happens in a township the test makes, so the demo
// county's own people never count.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { addTownship, ApiSession, type RegionNode } from './api-session.ts';
import { choose, gone, visible } from './browser.ts';
import { PASSWORD, useConsole } from './harness.ts';

const POLL = { timeout: 15_000 };
const MEMBERS_SHOT = '/tmp/staff-members.png';
const STAFFING_SHOT = '/tmp/staff-staffing.png';
const MEMBER_SHOT = '/tmp/staff-member.png';
const OFFICIAL = 'staffofficial';

type World = { township: RegionNode; village: RegionNode; grids: RegionNode[] };

const app = useConsole('staff');
const { open } = app;
let world: World;
/** The member the first test adds, by id (read off their page's address). */
let memberId = 0;

beforeAll(async () => {
  const admin = await ApiSession.signIn(app.url, 'admin', PASSWORD);
  const county = (await ApiSession.signIn(app.url, 'county', PASSWORD)).me.region;
  world = await addTownship(admin, county, '995', {
    township: '育才镇',
    village: '育才村',
    grids: ['育才第一网格', '育才第二网格'],
  });
  await admin.post('/api/accounts', {
    username: OFFICIAL,
    displayName: '育才镇干部',
    role: 'official',
    regionId: world.township.id,
    password: PASSWORD,
  });
});

async function signIn(page: Page, login: string): Promise<void> {
  await app.signIn(page, login);
  await page.waitForURL('**/regions/*');
}

const tabs = (page: Page): Locator => page.getByRole('navigation', { name: '人员分区' });
const gridRow = (page: Page, name: string, table = '网格配备'): Locator =>
  page.getByRole('table', { name: table }).locator('tbody tr.ant-table-row').filter({ hasText: name });

describe('staff register', () => {
  test('a township official adds a member, staffs a grid, a unit and a team, then deactivates the member', async () => {
    const page = await open();
    await signIn(page, OFFICIAL);
    const main = page.getByRole('main');

    // The menu's 人员 entry opens the register of the official's township.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '人员' }).click();
    await page.waitForURL(`**/staff?regionId=${world.township.id}`);
    await visible(main.getByRole('heading', { level: 3, name: `人员名册 · ${world.township.name}` }));
    await visible(main.getByRole('button', { name: '导入人员' }));

    // A new member: the server refuses a bad mobile, and says so under the mobile field.
    await main.getByRole('button', { name: '新增人员' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('姓名').fill('柳青禾');
    await drawer.getByLabel('手机号').fill('12345');
    await choose(drawer.getByLabel('身份'), '党员');
    await choose(drawer.getByLabel('身份'), '网格长');
    await drawer.getByRole('button', { name: '保存' }).click();
    const mobileItem = drawer
      .locator('.ant-form-item')
      .filter({ has: page.getByText('手机号', { exact: true }) });
    await visible(mobileItem.getByText('手机号码“12345”不正确（应为 11 位，以 13–19 开头）'));
    await drawer.getByLabel('手机号').fill('139-0000-9501');
    await drawer.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('已新增人员 柳青禾'));
    await gone(drawer);

    // The list shows them: roles by name, where they serve, the mobile as the server gives it.
    const rows = main.getByRole('table', { name: '人员列表' }).locator('tbody tr.ant-table-row');
    const row = rows.filter({ hasText: '柳青禾' });
    await visible(row);
    expect(await row.locator('td').allInnerTexts()).toEqual([
      '柳青禾',
      expect.stringMatching(/党员\s*网格长/),
      expect.stringContaining(world.township.name),
      '—',
      '13900009501',
      '0',
      '在用',
    ]);
    // Filters run on the server: a role nobody has empties the list; the search finds them again.
    await choose(main.getByRole('search').getByLabel('身份'), '村医');
    await page.waitForURL('**role=village_doctor**');
    await visible(main.getByText('没有符合条件的人员'));
    await main.getByRole('button', { name: '重置' }).click();
    await main.getByLabel('搜索人员').fill('9501');
    await main.getByLabel('搜索人员').press('Enter');
    await page.waitForURL('**q=9501**');
    await expect.poll(() => rows.count(), POLL).toBe(1);
    await page.screenshot({ path: MEMBERS_SHOT, fullPage: true });

    // Grid staffing: both grids lack a leader; the first gets the new member, its gap goes.
    await tabs(page).getByText('网格 1+1+N').click();
    await page.waitForURL(`**/staff/staffing?regionId=${world.township.id}`);
    const first = gridRow(page, world.grids[0]!.name);
    await visible(first.locator('[data-gap="grid_leader"]').getByText('缺网格长'));
    await visible(gridRow(page, world.grids[1]!.name).locator('[data-gap="grid_leader"]'));
    const leaders = main.getByRole('table', { name: '包联领导与书记' });
    await visible(leaders.getByText('缺乡镇包联干部'));
    await visible(leaders.getByText('缺村（社区）书记'));
    await first.getByRole('button', { name: `${world.grids[0]!.name} 指定网格长` }).click();
    const assign = page.getByRole('dialog');
    await visible(assign.getByText(`${world.grids[0]!.name} · 网格长`));
    await choose(assign.getByLabel('人员'), '柳青禾', '柳青禾');
    await assign.getByRole('button', { name: '确定' }).click();
    await visible(page.getByText('已指定 柳青禾 为网格长'));
    await visible(first.locator('[data-role="grid_leader"]').getByRole('link', { name: '柳青禾' }));
    await gone(first.locator('[data-gap="grid_leader"]'));
    await visible(gridRow(page, world.grids[1]!.name).locator('[data-gap="grid_leader"]'));
    // A second leader for the same grid would replace the first: the dialog says so before it happens.
    await first.getByRole('button', { name: `${world.grids[0]!.name} 指定网格长` }).click();
    await visible(
      page
        .getByRole('dialog')
        .getByText('每个网格只有一名网格长：确认后，柳青禾 的网格长包联将结束，由所选人员接替。'),
    );
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await gone(page.getByRole('dialog'));
    await page.screenshot({ path: STAFFING_SHOT, fullPage: true });

    // A unit with its party organisation.
    await tabs(page).getByText('单位与党组织').click();
    await page.waitForURL(`**/staff/units?regionId=${world.township.id}`);
    await main.getByRole('button', { name: '新增单位' }).click();
    const unitDrawer = page.getByRole('dialog');
    await unitDrawer.getByLabel('单位名称').fill('育才镇党政办');
    await unitDrawer.getByLabel('机关党组织').fill('育才镇机关党支部');
    await unitDrawer.getByLabel('党组织联系人').fill('周明');
    await unitDrawer.getByLabel('党组织联系电话').fill('13900009599');
    await unitDrawer.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('已新增单位 育才镇党政办'));
    const unitRow = main
      .getByRole('table', { name: '单位列表' })
      .locator('tbody tr.ant-table-row')
      .filter({ hasText: '育才镇党政办' });
    await visible(unitRow.getByText('育才镇机关党支部'));
    await visible(unitRow.getByText('周明'));
    await visible(unitRow.getByText('13900009599'));

    // The member joins the unit, from their own page.
    await tabs(page).getByText('人员名册').click();
    await page.waitForURL(`**/staff?regionId=${world.township.id}`);
    await main.getByRole('link', { name: '柳青禾' }).click();
    await page.waitForURL('**/staff/members/*');
    memberId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(memberId).toBeGreaterThan(0);
    await visible(main.getByRole('heading', { level: 3, name: '柳青禾' }));
    const duties = main.getByRole('table', { name: '区域包联' });
    await visible(duties.getByText(world.grids[0]!.name));
    await main.getByRole('button', { name: '编辑' }).click();
    const edit = page.getByRole('dialog');
    await visible(edit.getByText('编辑人员 · 柳青禾'));
    await choose(edit.getByLabel('所在单位'), '育才镇党政办', '育才镇');
    await edit.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('已保存'));
    await gone(edit);
    const details = main.locator('.ant-descriptions');
    await visible(details.getByText('育才镇党政办'));
    await visible(details.getByText('育才镇机关党支部'));

    // A service team, and the member added as its leader.
    await page.goto(`${app.url}/staff/teams?regionId=${world.township.id}`);
    await visible(main.getByText('尚未组建服务小分队'));
    await main.getByRole('button', { name: '新建小分队' }).click();
    const newTeam = page.getByRole('dialog');
    await newTeam.getByLabel('小分队名称').fill('育才镇暖心服务队');
    await newTeam.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('已组建小分队 育才镇暖心服务队'));
    const team = main.getByRole('region', { name: '育才镇暖心服务队' });
    await visible(team.getByText('暂无队员'));
    await team.getByRole('button', { name: '添加队员' }).click();
    const addMember = page.getByRole('dialog');
    await choose(addMember.getByLabel('人员'), '柳青禾', '9501');
    await addMember.getByText('设为队长（替换原队长）').click();
    await addMember.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('已添加队员'));
    await visible(team.getByRole('link', { name: '柳青禾' }));
    await visible(team.getByText('队长：柳青禾'));

    // Deactivation: the dialog says what it ends; afterwards the member answers for nothing.
    await page.goto(`${app.url}/staff/members/${memberId}`);
    await visible(main.getByRole('region', { name: '所在小分队' }).getByText('育才镇暖心服务队'));
    await main.getByRole('button', { name: '停用' }).click();
    const deactivate = page.getByRole('dialog');
    await visible(
      deactivate.getByText(
        '停用后，柳青禾 的全部 1 项包联关系将于今天结束，其结对的 0 名居民将重新成为待配对缺口，需要重新配对。',
      ),
    );
    await deactivate.getByLabel('停用原因').fill('调往县城工作');
    await deactivate.getByRole('button', { name: '确认停用' }).click();
    await visible(page.getByText('已停用，结束包联 1 项'));
    await visible(main.getByText('已停用', { exact: true }));
    await visible(duties.getByText('没有包联的区域'));
    await visible(main.getByRole('button', { name: '启用' }));
    await page.screenshot({ path: MEMBER_SHOT, fullPage: true });

    // The grid is without a leader again.
    await page.goto(`${app.url}/staff/staffing?regionId=${world.township.id}`);
    await visible(
      gridRow(page, world.grids[0]!.name).locator('[data-gap="grid_leader"]').getByText('缺网格长'),
    );
    expect(await gridRow(page, world.grids[0]!.name).getByRole('link', { name: '柳青禾' }).count()).toBe(0);
  });

  test('an official of another township cannot open the member’s page', async () => {
    expect(memberId).toBeGreaterThan(0);
    const page = await open();
    await signIn(page, 'town1');
    await page.goto(`${app.url}/staff/members/${memberId}`);
    const main = page.getByRole('main');
    await visible(main.getByText('不存在或无权查看'));
    expect(await main.getByText('柳青禾').count()).toBe(0);
    // Nor find them in the register.
    await page.goto(`${app.url}/staff?q=${encodeURIComponent('柳青禾')}`);
    await visible(main.getByText('没有符合条件的人员'));
  });

  test('in English, the pages and the server’s field errors are in English', async () => {
    const page = await open();
    await signIn(page, OFFICIAL);
    await page.goto(`${app.url}/staff?regionId=${world.township.id}`);
    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 3, name: `人员名册 · ${world.township.name}` }));
    await page.getByRole('button', { name: 'English' }).click();
    await visible(main.getByRole('heading', { level: 3, name: `Staff register · ${world.township.name}` }));
    const row = main
      .getByRole('table', { name: 'Members' })
      .locator('tbody tr.ant-table-row')
      .filter({ hasText: '柳青禾' });
    await visible(row.getByText('Party member'));
    await visible(row.getByText('Deactivated'));

    await main.getByRole('button', { name: 'Add member' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('Name').fill('Test');
    await drawer.getByLabel('Mobile').fill('abc');
    await choose(drawer.getByLabel('Roles'), 'Volunteer');
    await drawer.getByRole('button', { name: 'Save' }).click();
    await visible(drawer.getByText('the mobile number "abc" is wrong (11 digits starting 13–19)'));
    await drawer.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('navigation', { name: 'Staff sections' }).getByText('Grids 1+1+N').click();
    await page.waitForURL(`**/staff/staffing?regionId=${world.township.id}`);
    await visible(gridRow(page, world.grids[0]!.name, 'Grid staffing').getByText('No grid leader'));
    await visible(main.getByRole('button', { name: `${world.grids[1]!.name} Assign grid leader` }));
  });

  test('the county’s key categories for pairing are chosen on the pairing page', async () => {
    const page = await open();
    await signIn(page, OFFICIAL);
    await page.goto(`${app.url}/pairing?regionId=${world.township.id}`);
    const settings = page.getByRole('region', { name: '包联设置' });
    const field = settings
      .locator('.ant-form-item')
      .filter({ has: page.getByText('重点人群类别', { exact: true }) });
    // Every national key category is key until the county says otherwise.
    await visible(field.locator('.ant-select-selection-item').filter({ hasText: '婴幼儿' }));
    await visible(field.locator('.ant-select-selection-item').filter({ hasText: '孕产妇' }));
    await field
      .locator('.ant-select-selection-item')
      .filter({ hasText: '婴幼儿' })
      .locator('.ant-select-selection-item-remove')
      .click();
    await gone(field.locator('.ant-select-selection-item').filter({ hasText: '婴幼儿' }));
    await settings.getByRole('button', { name: '保存设置' }).click();
    await visible(page.getByText('包联设置已保存'));

    await page.reload();
    await visible(field.locator('.ant-select-selection-item').filter({ hasText: '孕产妇' }));
    expect(await field.locator('.ant-select-selection-item').filter({ hasText: '婴幼儿' }).count()).toBe(0);
    const api = await ApiSession.signIn(app.url, OFFICIAL, PASSWORD);
    const saved = await api.get<{ keyCategories: string[] }>(
      `/api/regions/${world.township.id}/pairing/settings`,
    );
    expect(saved.keyCategories).not.toContain('infant');
    expect(saved.keyCategories).toContain('pregnant');
  });
});
