// Browser test of 重点人群类别 on the colour-rules page: a county official adds a county category with
// a synonym, is told plainly when a name is another category's, and retires it; a township official
// sees the list read-only.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { visible } from './browser.ts';
import { useConsole } from './harness.ts';

const app = useConsole('ledger-categories');

async function rulesPage(login: string): Promise<Page> {
  const page = await app.open();
  await app.signIn(page, login);
  await page.waitForURL('**/regions/*');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '三色规则' }).click();
  await page.waitForURL('**/colour-rules');
  return page;
}

describe('key-population categories', () => {
  test('a county official adds one with a synonym, meets a clash, and retires it', async () => {
    const page = await rulesPage('county');
    const card = page.locator('.ant-card').filter({ has: page.getByText('重点人群类别', { exact: true }) });
    await visible(card.locator('tr').filter({ hasText: '残疾人' }).getByText('全国'));

    await card.getByRole('button', { name: '新增类别' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('名称（中文）').fill('低保户');
    await drawer.getByLabel('名称（英文）').fill('Low-income household');
    const synonyms = drawer.getByLabel('同义词');
    await synonyms.fill('低保对象');
    await synonyms.press('Enter');
    await drawer.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('已新增类别“低保户”'));
    const row = card.locator('tr').filter({ hasText: '低保户' });
    await visible(row.getByText('本县'));
    await visible(row.getByText('低保对象'));
    expect(await row.locator('code').innerText()).toBe('low_income_household');

    await card.getByRole('button', { name: '新增类别' }).click();
    await page.getByRole('dialog').getByLabel('名称（中文）').fill('残疾人');
    await page.getByRole('dialog').getByLabel('名称（英文）').fill('Handicapped');
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await visible(
      page
        .getByRole('dialog')
        .getByRole('alert')
        .filter({ hasText: '“残疾人”已被人员类别“残疾人”使用，请换一个' }),
    );
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();

    await row.getByRole('button', { name: '修改 低保户' }).click();
    const edit = page.getByRole('dialog');
    await visible(edit.getByText('修改人员类别 · 低保户'));
    await edit.getByRole('switch', { name: '启用' }).click();
    await edit.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('已保存“低保户”'));
    await visible(row.getByText('已停用'));
  });

  test('a township official sees the categories but cannot change them', async () => {
    const page = await rulesPage('town1');
    const card = page.locator('.ant-card').filter({ has: page.getByText('重点人群类别', { exact: true }) });
    await visible(card.getByText('只有县级及以上、可修改三色规则的账号可以增加或修改本县类别。'));
    await visible(card.locator('tr').filter({ hasText: '孕产妇' }));
    expect(await card.getByRole('button', { name: '新增类别' }).count()).toBe(0);
  });
});
