// Browser end-to-end test of the service loop (issue #5 "Done means"): a resident opens their card's
// address without signing in and asks for help; their own doctor, signed in on a phone-sized console
// in another browser, sees the order arrive live (no reload), accepts and resolves it; the resident
// confirms it solved and rates it; the order page shows the whole timeline. The doctor asks for more
// time (延期) on the phone and an official approves it.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { choose, visible } from './browser.ts';
import { PASSWORD, useConsole } from './harness.ts';

const DOCTOR = { username: 'e2e_doctor', name: '柏青禾', mobile: '19912340001' };
const RESIDENT = { name: '禤桂芳', phone: '19912349876', address: '幸福路7号' };

type RegionNode = { id: number; name: string; childCount: number };

let cardPath = '';

const app = useConsole('orders');
const { phone } = app;

beforeAll(async () => {
  cardPath = await buildWorld(app.url);
});

async function signInAsDoctor(page: Page): Promise<void> {
  await app.signIn(page, DOCTOR.username);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A signed-in HTTP client for setting the world up (JSON or text answers). */
async function session(base: string, login: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in as ${login}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = (await res.json()) as { region: RegionNode };
  const send = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
    return text;
  };
  const json = async <T>(method: string, url: string, body?: unknown) =>
    JSON.parse(await send(method, url, body)) as T;
  return { me, send, json };
}

/**
 * In the demo county: a resident in a grid, a village doctor with a console account who is that
 * resident's health contact, and the resident's card (its address is the token's only copy).
 */
async function buildWorld(base: string): Promise<string> {
  const county = await session(base, 'county');
  const down = async (id: number) => {
    const children = await county.json<RegionNode[]>('GET', `/api/regions/${id}/children`);
    const next = children.find((c) => c.childCount > 0) ?? children[0];
    if (!next) throw new Error(`region ${id} has no children`);
    return next;
  };
  const town = await down(county.me.region.id);
  const village = await down(town.id);
  const [grid] = await county.json<RegionNode[]>('GET', `/api/regions/${village.id}/children`);
  if (!grid) throw new Error('the village has no grid');
  const resident = await county.json<{ id: number }>('POST', '/api/residents', {
    name: RESIDENT.name,
    birthDate: '1942-09-09',
    phones: [RESIDENT.phone],
    household: { gridId: grid.id, address: RESIDENT.address },
  });
  const account = await county.json<{ id: number }>('POST', '/api/accounts', {
    username: DOCTOR.username,
    displayName: DOCTOR.name,
    role: 'doctor',
    regionId: village.id,
    password: PASSWORD,
  });
  const doctor = await county.json<{ id: number }>('POST', '/api/members', {
    name: DOCTOR.name,
    mobile: DOCTOR.mobile,
    roles: ['village_doctor'],
    regionId: village.id,
    accountId: account.id,
  });
  await county.send('PUT', `/api/residents/${resident.id}/contacts/health`, { memberId: doctor.id });
  const sheet = await county.send('POST', '/api/cards/print', {
    regionId: grid.id,
    residentIds: [resident.id],
  });
  const found = /data-url="[^"]*(\/c\/[^"]+)"/.exec(sheet);
  if (!found) throw new Error('the printed card carries no address');
  return found[1]!;
}

describe('the service loop', () => {
  test('card → request → the doctor sees it live → accept → resolve → the resident confirms and rates', async () => {
    // The doctor signs in on their phone and keeps "my orders" open.
    const doctor = await phone();
    await signInAsDoctor(doctor);
    await doctor.goto(`${app.url}/orders`);
    await visible(doctor.getByRole('heading', { name: '我的工单' }));
    await visible(doctor.getByText('暂无待办工单'));

    // The resident scans the card: no sign-in, their doctor is on the page with tap-to-call.
    const resident = await phone();
    await resident.goto(`${app.url}${cardPath}`);
    // Only the masked name: anyone holding the card may open this page.
    await visible(resident.getByText(`${RESIDENT.name.slice(0, 1)}**，您好！`));
    await visible(resident.locator(`a[href="tel:${DOCTOR.mobile}"]`));
    await resident.getByRole('button', { name: '发烧或其他症状' }).click();
    await resident.getByPlaceholder('说几句（可不填）').fill('发烧两天了');
    await resident.getByRole('button', { name: '提交' }).click();
    const receipt = await visible(resident.getByText(/已提交，编号 \d+。/));
    const id = Number(/编号 (\d+)/.exec((await receipt.textContent()) ?? '')![1]);
    await visible(resident.getByText(`${DOCTOR.name} 会尽快联系您`, { exact: false }));

    // Without a reload, the doctor's console shows the new order and a notification about it.
    const card = doctor.getByRole('article', { name: `#${id} 发烧或其他症状` });
    await visible(card);
    await visible(doctor.locator('.ant-notification').getByText('新工单'));
    await visible(card.getByText(RESIDENT.address));
    await visible(card.getByText('已派单'));
    await visible(card.getByText('发烧两天了'));
    // The list shows the phone masked; calling asks the server for the full number.
    await visible(card.getByRole('button', { name: `拨打电话 ${RESIDENT.phone.slice(0, 3)}****` }));
    expect(await doctor.content()).not.toContain(RESIDENT.phone);
    await doctor.screenshot({ path: '/tmp/orders-mine.png', fullPage: true });

    await card.getByRole('button', { name: '签收' }).click();
    await visible(card.getByText('已签收'));
    await card.getByRole('button', { name: '办结' }).click();
    const dialog = doctor.getByRole('dialog');
    await dialog.getByRole('textbox').fill('已上门测体温，开了退烧药');
    await dialog.getByRole('button', { name: '确定' }).click();
    await card.waitFor({ state: 'detached' });

    // The resident's page shows it resolved; they say it is solved, then give it four stars.
    await resident.reload();
    const mine = resident.locator('#list .o').filter({ hasText: `#${id}` });
    await visible(mine.getByText('已办结'));
    await visible(mine.getByText('问题解决了吗？'));
    await mine.getByRole('button', { name: '已解决' }).click();
    await mine.getByRole('button', { name: '4 星' }).click();
    await visible(mine.getByText('已关闭'));

    // The order page holds the whole story, each step with who did it and when.
    await doctor.goto(`${app.url}/orders/${id}`);
    await visible(doctor.getByRole('heading', { name: `工单 #${id} · 发烧或其他症状` }));
    const timeline = doctor.getByRole('region', { name: '办理记录' });
    await visible(timeline.getByText('群众评价'));
    const steps = timeline.locator('.ant-timeline-item');
    expect(await steps.count()).toBe(5);
    const texts = await steps.allInnerTexts();
    expect(texts[0]).toContain('待派单');
    expect(texts[0]).toContain('群众');
    expect(texts[0]).toContain('发烧两天了');
    expect(texts[1]).toContain('派单');
    expect(texts[1]).toContain('系统自动派单');
    expect(texts[1]).toContain(`派给：${DOCTOR.name}`);
    expect(texts[2]).toContain('已签收');
    expect(texts[2]).toContain(DOCTOR.name);
    expect(texts[3]).toContain('已办结');
    expect(texts[3]).toContain('已上门测体温，开了退烧药');
    expect(texts[4]).toContain('已关闭');
    expect(texts[4]).toContain('已解决');
    await visible(timeline.getByRole('img', { name: '4 星' }).or(timeline.getByLabel('4 星')));
    const main = doctor.getByRole('main');
    await visible(main.getByRole('heading').locator('..').getByText('已关闭'));
    // The resident's three contacts: their doctor is the health contact, the others not yet set.
    await visible(main.getByRole('listitem').filter({ hasText: '联户医生' }).getByText(DOCTOR.name));
    await doctor.screenshot({ path: '/tmp/orders-page.png', fullPage: true });
  });

  test('the live stream comes back after a drop and a refusal, and what was filed meanwhile still arrives', async () => {
    const api = await session(app.url, DOCTOR.username);
    const seen = await api.json<{ id: number }[]>('GET', '/api/notifications');
    const latest = seen.at(-1)?.id ?? 0;
    const fileByCard = async (needCode: string) => {
      const res = await fetch(`${app.url}/api/public${cardPath.replace(/^\/c\//, '/cards/')}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ needCode, urgency: 'urgent' }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: number }).id;
    };

    const doctor = await phone();
    await signInAsDoctor(doctor);
    // 1: the stream opens and drops at once (the browser reconnects by itself, with Last-Event-ID);
    // 2: an error answer, a restarting server say (the browser gives up; the console tries again);
    // 3: an order has been filed while the console was away; then the real stream answers.
    const asked: string[] = [];
    let filed = 0;
    await doctor.route('**/api/notifications/stream**', async (route) => {
      asked.push(route.request().url());
      if (asked.length === 1)
        return route.fulfill({
          status: 200,
          contentType: 'text/event-stream',
          body: `retry: 100\nid: ${latest}\nevent: ready\ndata: ${latest}\n\n`,
        });
      if (asked.length === 2) return route.fulfill({ status: 503, body: 'restarting' });
      if (asked.length === 3) filed = await fileByCard('transfer');
      return route.continue();
    });
    await doctor.goto(`${app.url}/orders`);
    await visible(doctor.getByRole('heading', { name: '我的工单' }));
    await expect.poll(() => filed, { timeout: 15_000 }).toBeGreaterThan(0);

    const card = doctor.getByRole('article', { name: `#${filed} 协助转运重症` });
    await visible(card);
    await visible(card.getByText('紧急'));
    // The notification filed during the outage is delivered, not skipped: the console asked for
    // what came after the last one it had seen.
    await visible(doctor.locator('.ant-notification').getByText(`#${filed}`, { exact: false }));
    expect(new URL(asked[2]!).searchParams.get('after')).toBe(String(latest));
  });

  test('the doctor asks for more time (延期) on their phone; the official approves it on the order page', async () => {
    const res = await fetch(`${app.url}/api/public${cardPath.replace(/^\/c\//, '/cards/')}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ needCode: 'fever', urgency: 'normal' }),
    });
    const id = ((await res.json()) as { id: number }).id;

    const doctor = await phone();
    await signInAsDoctor(doctor);
    await doctor.goto(`${app.url}/orders`);
    const card = doctor.getByRole('article', { name: `#${id} 发烧或其他症状` });
    await card.getByRole('button', { name: '签收' }).click();
    await visible(card.getByText('已签收'));
    await card.getByRole('button', { name: '申请延期' }).click();
    const ask = doctor.getByRole('dialog');
    await ask.getByLabel('延期原因').fill('退烧药缺货，县医院后天才送到');
    // Two days from now, to the minute, in Shanghai wall time (what the picker shows).
    const until = new Date(Date.now() + 2 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
    await ask.getByLabel('延期至').fill(until);
    await ask.getByRole('button', { name: '确定' }).click();
    await visible(card.getByText(`已申请延期至 ${until.replace('T', ' ')}，待审批`));
    await visible(card.getByText('已签收'));
    expect(await card.getByRole('button', { name: '申请延期' }).count()).toBe(0);

    // The official sees the request on the order page (who, until when, why) and approves it.
    const official = await app.open('/login', { width: 1280, height: 900 });
    await app.signIn(official, 'county');
    await official.waitForURL((url) => !url.pathname.startsWith('/login'));
    await official.goto(`${app.url}/orders/${id}`);
    const request = official.getByRole('status').filter({ hasText: '延期申请待审批' });
    await visible(request.getByText(`${DOCTOR.name} 申请延期至 ${until.replace('T', ' ')}`));
    await visible(request.getByText('原因：退烧药缺货，县医院后天才送到'));
    await visible(official.getByRole('button', { name: '驳回延期' }));
    await official.getByRole('button', { name: '批准延期' }).click();
    const approve = official.getByRole('dialog');
    expect(await approve.getByLabel('延期至').inputValue()).toBe(until);
    await approve.getByRole('button', { name: '确定' }).click();
    const main = official.getByRole('main');
    await visible(main.getByRole('heading').locator('..').getByText('延期中'));
    expect(await official.getByRole('status').count()).toBe(0);
    const timeline = official.getByRole('region', { name: '办理记录' });
    await visible(timeline.getByText('申请延期', { exact: true }));
    await visible(timeline.getByText('批准延期', { exact: true }));
    await official.screenshot({ path: '/tmp/orders-hold.png', fullPage: true });

    // The doctor's phone shows it on hold, live, with the new deadline and a way to pick it up again.
    await visible(card.getByText('延期中'));
    await visible(card.getByText(`${until.replace('T', ' ')} 前办结`));
    await visible(card.getByRole('button', { name: '恢复办理' }));
  });

  test('an official files an order for a resident who phoned, dispatches it, and sees the SMS it sent', async () => {
    const official = await app.open('/login', { width: 1280, height: 900 });
    await app.signIn(official, 'county');
    await official.waitForURL((url) => !url.pathname.startsWith('/login'));
    await official.goto(`${app.url}/orders/board`);
    await visible(official.getByRole('heading', { name: '派单台' }));

    // The hotline: find the resident by name, pick the need and the urgency.
    await official.getByRole('button', { name: '代群众点单' }).click();
    const filing = official.getByRole('dialog');
    await choose(filing.getByLabel('查找群众'), RESIDENT.address, RESIDENT.name.slice(0, 2));
    await choose(filing.getByLabel('需求'), '生活困难');
    await filing.getByText('紧急', { exact: true }).click();
    await filing.getByLabel('情况说明').fill('来电：家中断粮');
    await filing.getByRole('button', { name: '提交工单' }).click();
    const filed = await visible(official.getByText(/已提交工单 #\d+/));
    const id = Number(/#(\d+)/.exec((await filed.textContent()) ?? '')![1]);

    // Nobody answers for this resident's livelihood yet: it waits on the board for a dispatcher.
    await choose(official.getByLabel('需求类型'), '生活困难');
    await official.keyboard.press('Escape');
    const row = official.getByRole('article', { name: `#${id} 生活困难` });
    await visible(row.getByText('待派单'));
    await visible(row.getByText('紧急'));
    await row.getByRole('button', { name: '派单' }).click();
    const dispatch = official.getByRole('dialog');
    await choose(dispatch.getByLabel('承办人'), DOCTOR.name, DOCTOR.name.slice(0, 1));
    await dispatch.getByRole('button', { name: '派单' }).click();
    await visible(row.getByText('已派单'));
    await visible(row.getByText(`承办人：${DOCTOR.name}`));

    // Opened from the board, the order page names whom it went to and leads back to the board, filtered as it was.
    await dispatch.waitFor({ state: 'hidden' });
    await row.getByRole('link', { name: `#${id}` }).click();
    await visible(official.getByRole('heading', { name: `工单 #${id} · 生活困难` }));
    await visible(official.getByRole('region', { name: '办理记录' }).getByText(`派给：${DOCTOR.name}`));
    await official.locator('.ant-breadcrumb').getByRole('link', { name: '派单台' }).click();
    await visible(official.getByRole('heading', { name: '派单台' }));
    await visible(row.getByText('已派单'));
    expect(await official.getByRole('article').count()).toBe(
      await official.getByRole('article').filter({ hasText: '生活困难' }).count(),
    );

    // The doctor was told by SMS too (waiting or sent, by the log adapter), the mobile masked.
    await official.getByText('短信记录').click();
    await visible(official.getByRole('heading', { name: '短信记录' }));
    const sms = official
      .getByRole('listitem')
      .filter({ hasText: `工单 #${id}` })
      .filter({ hasText: DOCTOR.name });
    await visible(sms.getByText(`${DOCTOR.name} ${DOCTOR.mobile.slice(0, 3)}****${DOCTOR.mobile.slice(7)}`));
    await visible(sms.getByText(`“生活困难”诉求（紧急，#${id}）已派给您`, { exact: false }));
  });
});
