// Browser end-to-end test of issue #4's "Done means": an official imports residents (the ledger's
// import page) and members (the member import page) from files made here → auto-assign → confirm →
// coverage shows 100 % → the print page shows the three contacts and a QR code → the QR's address
// opens that resident's own page. Then a revoked card's address answers 404, and deactivating a
// member turns their residents back into gaps. Everything happens in a township the test makes, so
// the demo county's own people never count.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { beforeAll, describe, expect, test } from 'vitest';
import { addTownship, ApiSession, idNumber, type RegionNode } from './api-session.ts';
import { choose, visible } from './browser.ts';
import { PASSWORD, useConsole } from './harness.ts';

const POLL = { timeout: 15_000 };
const COVERAGE_SHOT = '/tmp/pairing-coverage.png';
const PROPOSAL_SHOT = '/tmp/pairing-proposal.png';
const CARDS_SHOT = '/tmp/pairing-cards.png';

/** Four elderly residents (65+, so key) in two households and two grids; surnames the demo never draws. */
const RESIDENTS = [
  { name: '柏秀英', birth: '19420315', seq: '902', grid: 0, address: '连心路1号' },
  { name: '柏建国', birth: '19400601', seq: '911', grid: 0, address: '连心路1号' },
  { name: '柏桂兰', birth: '19380808', seq: '922', grid: 1, address: '连心路8号' },
  { name: '柏德明', birth: '19450101', seq: '931', grid: 1, address: '连心路9号' },
];
/** The staff register of the village: two party members, a village doctor, the village secretary. */
const MEMBERS = [
  { name: '柏党员甲', mobile: '13900001001', roles: '党员' },
  { name: '柏党员乙', mobile: '13900001002', roles: '中共党员' },
  { name: '柏医生', mobile: '13900001003', roles: '村医' },
  { name: '柏书记', mobile: '13900001004', roles: '村支书' },
];

type World = { county: RegionNode; township: RegionNode; village: RegionNode; grids: RegionNode[] };
type Contacts = {
  contacts: Record<'help' | 'health' | 'livelihood', { memberId: number; name: string } | null>;
};

let world: World;

const app = useConsole('pairing');
const { open } = app;

beforeAll(async () => {
  world = await buildWorld(app.url);
});

async function signIn(page: Page, login: string): Promise<void> {
  await app.signIn(page, login);
  await page.waitForURL('**/regions/*');
}
/** Filled as the flow goes: the residents' ids, and a card's address read off the print page. */
const residentIds = new Map<string, number>();
let cardAddress = '';

/** A township of the demo county with one village of two grids, made through the API. */
async function buildWorld(base: string): Promise<World> {
  const admin = await ApiSession.signIn(base, 'admin', PASSWORD);
  const county = (await ApiSession.signIn(base, 'county', PASSWORD)).me.region;
  const { township, village, grids } = await addTownship(admin, county, '996', {
    township: '连心镇',
    village: '连心村',
    grids: ['连心第一网格', '连心第二网格'],
  });
  return { county, township, village, grids };
}

const summary = (page: Page): Locator => page.getByTestId('coverage-summary');
const gapRows = (page: Page): Locator =>
  page.getByRole('table', { name: '待配对名单' }).locator('tbody tr.ant-table-row');

/** The ledger file: 姓名, 身份证号, 所属网格, 住址 — as a village office keeps it. */
function residentsCsv(): string {
  const file = path.join(app.dataDir, '连心村台账.csv');
  const lines = ['姓名,身份证号,联系电话,所属网格,住址,基础疾病'];
  RESIDENTS.forEach((r, i) =>
    lines.push(
      [
        r.name,
        idNumber(world.county.code, r.birth, r.seq),
        `1380000${String(2001 + i)}`,
        world.grids[r.grid]!.name,
        r.address,
        '高血压',
      ].join(','),
    ),
  );
  fs.writeFileSync(file, lines.join('\r\n'));
  return file;
}

/** The staff register as an .xlsx with a title row above the header, mobiles as numbers. */
async function membersXlsx(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('包联人员');
  ws.addRow(['连心村包联人员花名册']);
  ws.addRow(['序号', '姓名', '手机号', '身份', '所属村']);
  MEMBERS.forEach((m, i) => ws.addRow([i + 1, m.name, Number(m.mobile), m.roles, world.village.name]));
  const file = path.join(app.dataDir, '连心村包联人员.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

/**
 * The modules of a QR code as drawn: the card's SVG rendered onto a canvas in the browser and each
 * module's centre sampled, one string of 0/1 per row. Independent of how the SVG spells its paths.
 */
async function drawnModules(page: Page, svg: string): Promise<string[]> {
  return page.evaluate(async (source) => {
    const markup = source.includes('xmlns=')
      ? source
      : source.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"');
    const box = /viewBox="0 0 (\d+) (\d+)"/.exec(markup);
    if (!box) throw new Error('the QR code has no viewBox');
    const size = Number(box[1]);
    const scale = 8;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size * scale;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
    const rows: string[] = [];
    for (let y = 0; y < size; y++) {
      let row = '';
      for (let x = 0; x < size; x++) {
        const i = ((y * scale + scale / 2) * canvas.width + x * scale + scale / 2) * 4;
        row += px[i]! < 128 ? '1' : '0';
      }
      rows.push(row);
    }
    return rows;
  }, svg);
}

/**
 * The module rows of `text` at level M, however a conforming encoder may have written it: as one
 * byte-mode segment or with the library's optimised segments, under each of the eight data masks.
 */
function encodings(text: string): string[][] {
  const inputs: (string | QRCode.QRCodeSegment[])[] = [
    text,
    [{ data: Buffer.from(text, 'utf8'), mode: 'byte' }],
  ];
  return inputs.flatMap((input) =>
    [0, 1, 2, 3, 4, 5, 6, 7].map((mask) => {
      const { modules } = QRCode.create(input, {
        errorCorrectionLevel: 'M',
        maskPattern: mask as QRCode.QRCodeMaskPattern,
      });
      return Array.from({ length: modules.size }, (_, y) =>
        Array.from({ length: modules.size }, (_, x) => (modules.get(y, x) ? '1' : '0')).join(''),
      );
    }),
  );
}

function card(sheets: FrameLocator, residentId: number): Locator {
  return sheets.locator(`section.card[data-resident="${residentId}"]`);
}

describe('pairing', () => {
  test('an official imports residents and members, auto-assigns, confirms, and coverage reaches 100 %', async () => {
    const page = await open();
    await signIn(page, 'county');
    const main = page.getByRole('main');

    // Residents through the ledger's import page.
    await page.goto(`${app.url}/ledger/import?regionId=${world.village.id}`);
    await visible(main.getByText(world.village.code, { exact: true }));
    await main.locator('input[type=file]').setInputFiles(residentsCsv());
    await visible(main.getByText('检查通过，所有行都可以导入'));
    await main.getByRole('button', { name: '开始导入' }).click();
    await visible(main.getByText('导入完成'));

    // From the county's page, the pairing menu, then down the tree to the new village.
    await page.goto(`${app.url}/regions/${world.county.id}`);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '包联' }).click();
    await page.waitForURL(`**/pairing?regionId=${world.county.id}`);
    await visible(main.getByRole('heading', { level: 3, name: /包联覆盖/ }));
    const children = main.getByRole('table', { name: '下级区域' });
    await children.getByRole('link', { name: world.township.name }).click();
    await page.waitForURL(`**/pairing?regionId=${world.township.id}`);
    await children.getByRole('link', { name: world.village.name }).click();
    await page.waitForURL(`**/pairing?regionId=${world.village.id}`);
    await visible(main.getByRole('heading', { level: 3, name: `包联覆盖 · ${world.village.name}` }));
    await expect.poll(() => summary(page).innerText(), POLL).toBe('0 / 4 名重点人员三联系人齐全');
    await expect.poll(() => gapRows(page).count(), POLL).toBe(4);

    // Members through the member import page.
    await main.getByRole('button', { name: '导入人员' }).click();
    await page.waitForURL(`**/pairing/members/import?regionId=${world.village.id}`);
    await visible(main.getByText(world.village.code, { exact: true }));
    // A sheet with a bad mobile is refused whole, the problem named by its row and column.
    const bad = path.join(app.dataDir, '有误.csv');
    fs.writeFileSync(bad, '姓名,手机号,身份\n柏有误,12345,党员\n');
    await main.locator('input[type=file]').setInputFiles(bad);
    await visible(main.getByText('发现 1 处问题，请修改表格后重新上传'));
    const problem = main.getByRole('table', { name: '问题列表' }).locator('tbody tr.ant-table-row');
    expect(await problem.locator('td').allInnerTexts()).toEqual([
      '2',
      '手机号',
      expect.stringContaining('12345'),
    ]);
    expect(await main.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
    await main.getByRole('button', { name: '重新上传' }).click();
    await main.locator('input[type=file]').setInputFiles(await membersXlsx());
    await visible(main.getByText('检查通过，可以导入'));
    await main.getByRole('button', { name: '确认导入' }).click();
    await visible(main.getByText('导入完成'));
    await visible(main.getByText('新增 4 人，更新 0 人，未变 0 人'));
    await main.getByRole('button', { name: '查看包联覆盖' }).click();
    await page.waitForURL(`**/pairing?regionId=${world.village.id}`);

    // Auto-assign: a proposal with a reason for each of the 4 × 3 gaps, confirmed whole.
    await main.getByRole('button', { name: '自动配对' }).click();
    await page.waitForURL('**/pairing/proposals/*');
    const items = main.getByRole('table', { name: '配对建议明细' }).locator('tbody tr.ant-table-row');
    await expect.poll(() => items.count(), POLL).toBe(12);
    await page.screenshot({ path: PROPOSAL_SHOT, fullPage: true });
    const doctorRow = items.filter({ hasText: RESIDENTS[2]!.name }).filter({ hasText: '联户医生' });
    await visible(doctorRow.getByText('柏医生'));
    await visible(doctorRow.getByText(/本村医生，当前负荷 \d+\/150/));
    // A household stays with one party member: the second of 连心路1号 follows the first.
    const household = items.filter({ hasText: '包联党员' }).filter({ hasText: /柏秀英|柏建国/ });
    const helpers = await household.locator('td:nth-child(4)').allInnerTexts();
    expect(new Set(helpers).size).toBe(1);
    await main.getByRole('button', { name: '全部确认' }).click();

    await page.waitForURL(`**/pairing?regionId=${world.village.id}`);
    await expect.poll(() => summary(page).innerText(), POLL).toBe('4 / 4 名重点人员三联系人齐全');
    await visible(main.getByText('100%').first());
    await visible(main.getByText('没有缺口，所有重点人员三联系人齐全'));
    await page.screenshot({ path: COVERAGE_SHOT, fullPage: true });

    const api = await ApiSession.signIn(app.url, 'county', PASSWORD);
    const list = await api.get<{ items: { id: number; name: string }[] }>(
      `/api/residents?regionId=${world.village.id}&pageSize=50`,
    );
    for (const r of list.items) residentIds.set(r.name, r.id);
    expect([...residentIds.keys()].sort()).toEqual(RESIDENTS.map((r) => r.name).sort());
  });

  test('the print page shows the three contacts and a QR code whose address opens the resident’s page', async () => {
    const api = await ApiSession.signIn(app.url, 'county', PASSWORD);
    const id = residentIds.get('柏桂兰')!;
    const contacts = await api.get<Contacts>(`/api/residents/${id}/contacts`);
    const names = [
      contacts.contacts.help!.name,
      contacts.contacts.health!.name,
      contacts.contacts.livelihood!.name,
    ];

    const page = await open();
    await signIn(page, 'county');
    const main = page.getByRole('main');
    await page.goto(`${app.url}/pairing?regionId=${world.village.id}`);
    await main.getByRole('button', { name: '打印连心卡' }).click();
    await page.waitForURL(`**/pairing/cards?regionId=${world.village.id}`);
    await main.getByRole('button', { name: '生成连心卡' }).click();
    await visible(main.getByRole('status').filter({ hasText: '已生成 4 张连心卡，共 1 页' }));
    await visible(main.getByRole('button', { name: '打印' }));

    const sheets = page.frameLocator('iframe[title="连心卡打印预览"]');
    const mine = card(sheets, id);
    await visible(mine.getByText('党员+“家”连心卡'));
    for (const text of ['遇事无助找同志', '头疼脑热找大夫', '生活困难找村长', ...names])
      await visible(mine.getByText(text, { exact: false }).first());
    await visible(mine.locator('figure svg'));
    await page.screenshot({ path: CARDS_SHOT, fullPage: true });
    cardAddress = (await mine.locator('figure').getAttribute('data-url')) ?? '';
    expect(cardAddress).toMatch(new RegExp(`^${app.url}/c/[A-Za-z0-9_-]{24}$`));
    // The QR drawn on the card is a code of exactly that address (level M, whichever mask was chosen).
    const drawn = await drawnModules(page, await mine.locator('figure svg').evaluate((svg) => svg.outerHTML));
    expect(encodings(cardAddress)).toContainEqual(drawn);

    // Scanning it opens the resident's own page: masked name, the three contacts to call.
    const phone = await open(new URL(cardAddress).pathname);
    await visible(phone.getByText('柏**，您好！', { exact: false }));
    for (const name of names) await visible(phone.getByRole('link', { name: new RegExp(name) }));
    await visible(phone.getByRole('button', { name: '提交' }));
  });

  test('a revoked card answers 404; deactivating a member turns their residents back into gaps', async () => {
    expect(cardAddress).not.toBe('');
    const id = residentIds.get('柏桂兰')!;
    const page = await open();
    await signIn(page, 'county');
    const main = page.getByRole('main');

    // The resident page shows the three contacts; the card is revoked there.
    await page.goto(`${app.url}/residents/${id}`);
    const contacts = main.getByRole('region', { name: '三联系人' });
    await visible(contacts.getByText('柏医生'));
    await visible(contacts.getByText('柏书记'));
    await contacts.getByRole('button', { name: '作废连心卡' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('作废原因').fill('老人遗失连心卡');
    await dialog.getByRole('button', { name: '确认作废' }).click();
    await visible(page.getByText('已作废 1 张连心卡'));
    const scan = await fetch(cardAddress);
    expect(scan.status).toBe(404);
    const phone = await open(new URL(cardAddress).pathname);
    await visible(phone.getByText('此连心卡已失效', { exact: false }));

    // A new card for the resident alone: a new address that works.
    await contacts.getByRole('button', { name: '补发连心卡' }).click();
    await page.waitForURL(`**/pairing/cards?**residentId=${id}`);
    await visible(main.getByText('仅为居民 柏桂兰 补发连心卡（旧卡作废）'));
    await main.getByRole('button', { name: '补发连心卡' }).click();
    await visible(main.getByRole('status').filter({ hasText: '已生成 1 张连心卡，共 1 页' }));
    const reissued = await card(page.frameLocator('iframe[title="连心卡打印预览"]'), id)
      .locator('figure')
      .getAttribute('data-url');
    expect(reissued).toMatch(/\/c\/[A-Za-z0-9_-]{24}$/);
    expect(reissued).not.toBe(cardAddress);
    expect((await fetch(reissued!)).status).toBe(200);
    expect((await fetch(cardAddress)).status).toBe(404);

    // Deactivate the party member of 连心路1号: both of its residents lose their help contact.
    const api = await ApiSession.signIn(app.url, 'county', PASSWORD);
    const before = new Map<string, number>();
    for (const [name, rid] of residentIds)
      before.set(name, (await api.get<Contacts>(`/api/residents/${rid}/contacts`)).contacts.help!.memberId);
    const contactsBefore = new Map<string, string>();
    const first = await api.get<Contacts>(`/api/residents/${residentIds.get('柏秀英')!}/contacts`);
    contactsBefore.set('柏秀英', first.contacts.help!.name);
    const gone = before.get('柏秀英')!;
    const orphans = [...before].filter(([, m]) => m === gone).map(([name]) => name);
    expect(orphans).toEqual(expect.arrayContaining(['柏秀英', '柏建国']));
    await api.post(`/api/members/${gone}/deactivate`, { reason: '调离本村' });

    await page.goto(`${app.url}/pairing?regionId=${world.village.id}`);
    await expect
      .poll(() => summary(page).innerText(), POLL)
      .toBe(`${4 - orphans.length} / 4 名重点人员三联系人齐全`);
    await expect.poll(() => gapRows(page).count(), POLL).toBe(orphans.length);
    for (const name of orphans) {
      const row = gapRows(page).filter({ hasText: name });
      await visible(row.locator('[data-role="help"]'));
      expect(await row.locator('[data-role]').count()).toBe(1);
    }
    await visible(main.getByRole('region', { name: '人员负荷' }));

    // On a resident's page, the other party member is made their contact by hand; the gap closes.
    const other = MEMBERS.filter((m) => m.roles.includes('党员')).find(
      (m) => m.name !== (contactsBefore.get('柏秀英') ?? ''),
    )!;
    await page.goto(`${app.url}/residents/${residentIds.get('柏秀英')!}`);
    const theirs = main.getByRole('region', { name: '三联系人' });
    await theirs.getByRole('button', { name: '指定 包联党员' }).click();
    const assign = page.getByRole('dialog');
    await choose(assign.getByLabel('人员'), other.name, other.name);
    await assign.getByLabel('原因（可不填）').fill('原包联党员调离');
    await assign.getByRole('button', { name: '确定' }).click();
    await visible(page.getByText('联系人已更新'));
    await visible(theirs.locator('[data-role="help"]').getByText(other.name));
    await page.goto(`${app.url}/pairing?regionId=${world.village.id}`);
    await expect.poll(() => gapRows(page).count(), POLL).toBe(orphans.length - 1);
  });
});
