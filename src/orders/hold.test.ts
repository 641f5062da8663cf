// 延期 on a real database, over HTTP: the doctor asks for more time, the grid leader is told and
// approves (on hold, deadline moved; the sweeper leaves it alone; after resume only the extended
// deadline counts) or denies it; bad requests change nothing; and an order nobody can take is
// announced to the grid leader as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Actor, Role } from '../platform/access.ts';
import {
  makeCounty,
  makeMember,
  signIn,
  signedIn,
  testWorld,
  type County,
} from '../../test/helpers/world.ts';
import type { ResponsibilityRole } from '../staff/vocabulary.ts';
import { notification, orderEvent, serviceOrder } from './schema.ts';
import { createOrder } from './service.ts';
import { sweep } from './sweeper.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let actor: Actor;
let residentId = 0;
const people: Record<string, { id: number; username: string; cookie: string }> = {};
const MIN = 60_000;
const HOUR = 60 * MIN;

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object, lang = 'zh-CN') =>
  t.app.inject({ method, url, payload, headers: { cookie, 'accept-language': lang } });
const move = (name: string, id: number, body: object, lang?: string) =>
  call('POST', `/api/orders/${id}/transitions`, people[name]!.cookie, body, lang);
const view = async (name: string, id: number) =>
  (await call('GET', `/api/orders/${id}`, people[name]!.cookie)).json();
const row = async (id: number) =>
  (await t.ctx.db.select().from(serviceOrder).where(eq(serviceOrder.id, id)))[0]!;
const eventsOf = (id: number) => t.ctx.db.select().from(orderEvent).where(eq(orderEvent.orderId, id));
const noticesTo = (name: string, id: number) =>
  t.ctx.db
    .select()
    .from(notification)
    .where(and(eq(notification.memberId, people[name]!.id), eq(notification.orderId, id)));
const later = (d: Date | string, ms: number) => new Date(new Date(d).getTime() + ms).toISOString();

/** A member with a signed-in account of `role`, answering for the resident (health) or the region. */
async function person(
  name: string,
  role: Role,
  roles: string[],
  region: { id: number },
  duty: ResponsibilityRole | null,
) {
  const on = duty === 'health' ? 'resident' : 'region';
  const m = await makeMember(t.ctx, {
    countyCode: c.county.countyCode!,
    name,
    roles,
    region,
    account: role,
    duty: duty ? { role: duty, on, id: on === 'resident' ? residentId : region.id } : undefined,
  });
  people[name] = { id: m.id, username: m.username!, cookie: await signIn(t.app, m.username!) };
}

/** Days later: the clock moves and everyone signs in again (idle sessions end after 12 hours). */
async function dayOf(iso: string) {
  t.ctx.clock.set(iso);
  for (const p of Object.values(people)) p.cookie = await signIn(t.app, p.username);
}

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
  const s = await signedIn(t, 'official', c.county);
  actor = s.actor;
  const v = c.townships[0]!.villages[0]!;
  const grid = v.grids[0]!;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/residents',
    headers: { cookie: s.cookie },
    payload: { name: '李秀兰', birthDate: '1938-06-01', household: { gridId: grid.id, address: '二组3号' } },
  });
  residentId = r.json().id;
  await person('村医', 'doctor', ['village_doctor'], v.village, 'health');
  await person('网格长', 'grid_leader', ['grid_leader'], grid, 'grid_leader');
  await person('另一位村医', 'doctor', ['village_doctor'], v.village, null);
});
afterAll(() => t.close());

/** A fever order (normal: 1 h to accept, 4 h to resolve) for the doctor, accepted by them. */
async function acceptedFever() {
  const { order } = await createOrder(
    t.ctx,
    { channel: 'hotline', actor },
    { residentId, needCode: 'fever', urgency: 'normal' },
  );
  expect(order.assigneeMemberId).toBe(people['村医']!.id);
  expect((await move('村医', order.id, { event: 'accept' })).json().state).toBe('accepted');
  return row(order.id);
}

describe('延期: asked by the assignee, approved by the dispatcher', () => {
  it('request → grid leader told → approve → on hold, untouched by the sweeper → resume → overdue only after the new deadline', async () => {
    const o = await acceptedFever();
    await move('村医', o.id, { event: 'start' });
    const until = later(o.resolveDueAt, 24 * HOUR);

    // The doctor asks; nothing else changes.
    const asked = await move('村医', o.id, { event: 'request_hold', note: '药房缺药，需从县里调配', until });
    expect(asked.statusCode).toBe(200);
    expect(asked.json().state).toBe('in_progress');
    const mine = await view('村医', o.id);
    expect(mine).toMatchObject({
      state: 'in_progress',
      resolveDueAt: o.resolveDueAt.toISOString(),
      holdRequest: { byName: '村医', until, reason: '药房缺药，需从县里调配' },
    });
    expect(mine.actions).not.toContain('request_hold');
    expect(mine.actions).toContain('resolve');
    const asking = (await eventsOf(o.id)).find((e) => e.kind === 'hold_request');
    expect(asking).toMatchObject({ note: '药房缺药，需从县里调配', toState: 'in_progress', data: { until } });

    // The grid leader hears it in the console and by SMS, and may approve or deny.
    const told = await noticesTo('网格长', o.id);
    expect(told.map((n) => `${n.channel}:${n.kind}`).sort()).toEqual([
      'console:hold_requested',
      'sms:hold_requested',
    ]);
    expect(told[0]!.text).toContain('申请延期至 1/6');
    expect(told[0]!.text).toContain('请审批');
    expect((await view('网格长', o.id)).actions).toEqual(expect.arrayContaining(['hold', 'deny_hold']));

    // Approved as asked: on hold, the deadline moved, the request gone, the doctor told.
    const approved = await move('网格长', o.id, { event: 'hold' });
    expect(approved.statusCode).toBe(200);
    let now = await row(o.id);
    expect(now).toMatchObject({ state: 'on_hold', holdRequestedAt: null, nextCheckAt: null });
    expect(now.resolveDueAt.toISOString()).toBe(until);
    const ok = (await noticesTo('村医', o.id)).filter((n) => n.kind === 'hold_approved');
    expect(ok.map((n) => n.channel).sort()).toEqual(['console', 'sms']);
    expect(ok[0]!.text).toContain('已批准延期');
    const held = (await eventsOf(o.id)).find((e) => e.toState === 'on_hold');
    expect(held).toMatchObject({ note: '药房缺药，需从县里调配', data: { until, requested: true } });
    expect((await view('村医', o.id)).holdRequest).toBeNull();

    // Past the old deadline while on hold: nothing is escalated, nobody reminded.
    t.ctx.clock.set(later(o.resolveDueAt, 2 * HOUR));
    await sweep(t.ctx);
    expect((await eventsOf(o.id)).filter((e) => e.kind === 'escalate' || e.kind === 'remind')).toEqual([]);
    expect(await row(o.id)).toMatchObject({ state: 'on_hold', overdueResolve: false, escalationLevel: 0 });

    // The doctor picks it up again; the extended deadline is the one that counts.
    expect((await move('村医', o.id, { event: 'resume' })).json().state).toBe('in_progress');
    t.ctx.clock.set(later(until, -MIN));
    await sweep(t.ctx);
    now = await row(o.id);
    expect(now).toMatchObject({ overdueResolve: false, escalationLevel: 0 });
    expect((await eventsOf(o.id)).filter((e) => e.kind === 'remind')).toHaveLength(1);
    t.ctx.clock.set(later(until, MIN));
    await sweep(t.ctx);
    expect(await row(o.id)).toMatchObject({ overdueResolve: true, escalationLevel: 1 });
    expect((await noticesTo('网格长', o.id)).filter((n) => n.kind === 'escalated')).toHaveLength(2);
  });

  it('denied with a reason: the state stays, the request is gone, the doctor is told and may ask again', async () => {
    await dayOf('2023-01-10T08:00:00+08:00');
    const o = await acceptedFever();
    const until = later(o.resolveDueAt, 2 * HOUR);
    await move('村医', o.id, { event: 'request_hold', note: '需等家属回来', until });

    const bare = await move('网格长', o.id, { event: 'deny_hold' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json()).toMatchObject({ code: 'order.reason_required', detail: '驳回延期须填写原因' });
    expect((await row(o.id)).holdRequestedAt).not.toBeNull();

    const denied = await move('网格长', o.id, { event: 'deny_hold', note: '发热须当天处置' });
    expect(denied.statusCode).toBe(200);
    expect(await row(o.id)).toMatchObject({
      state: 'accepted',
      holdRequestedAt: null,
      resolveDueAt: o.resolveDueAt,
    });
    const no = (await noticesTo('村医', o.id)).filter((n) => n.kind === 'hold_denied');
    expect(no.map((n) => n.channel).sort()).toEqual(['console', 'sms']);
    expect(no[0]!.text).toContain('延期申请未获批准');
    expect((await eventsOf(o.id)).find((e) => e.kind === 'hold_denied')).toMatchObject({
      note: '发热须当天处置',
      toState: 'accepted',
    });
    const again = await view('村医', o.id);
    expect(again.holdRequest).toBeNull();
    expect(again.actions).toContain('request_hold');
    expect((await view('网格长', o.id)).actions).not.toContain('deny_hold');
  });

  it('a dispatcher may hold unasked, with a reason and their own time', async () => {
    await dayOf('2023-01-11T08:00:00+08:00');
    const o = await acceptedFever();
    const until = later(o.resolveDueAt, 6 * HOUR);
    const noTime = await move('网格长', o.id, { event: 'hold', note: '群众外出' });
    expect(noTime.json()).toMatchObject({ code: 'order.hold_until_required' });
    const noReason = await move('网格长', o.id, { event: 'hold', until });
    expect(noReason.json()).toMatchObject({ code: 'order.note_required' });
    expect((await move('网格长', o.id, { event: 'hold', note: '群众外出', until })).json().state).toBe(
      'on_hold',
    );
    expect((await row(o.id)).resolveDueAt.toISOString()).toBe(until);
    expect((await noticesTo('村医', o.id)).some((n) => n.kind === 'hold_approved')).toBe(true);
  });

  it('a request overtaken by the work is gone: resolving leaves nothing to approve', async () => {
    const o = await acceptedFever();
    await move('村医', o.id, { event: 'request_hold', note: '缺药', until: later(o.resolveDueAt, HOUR) });
    expect((await move('村医', o.id, { event: 'resolve', note: '药到了，已送上门' })).json().state).toBe(
      'resolved',
    );
    expect(await row(o.id)).toMatchObject({ holdRequestedAt: null, holdRequestedUntil: null });
    expect((await view('网格长', o.id)).holdRequest).toBeNull();
  });
});

describe('bad requests are refused and change nothing', () => {
  it.each([
    ['no reason', '村医', { until: 24 * HOUR }, 400, 'order.reason_required', '申请延期须填写原因'],
    ['no time', '村医', { note: '缺药' }, 400, 'order.hold_until_required', '请选择延期至的日期和时间'],
    [
      'a time in the past',
      '村医',
      { note: '缺药', until: -HOUR },
      400,
      'order.hold_until_past',
      '延期至的时间须晚于现在',
    ],
    [
      'a time before the deadline',
      '村医',
      { note: '缺药', until: 'before-due' },
      400,
      'order.hold_until_early',
      '延期至的时间须晚于当前办结时限',
    ],
    [
      'not the assignee',
      '另一位村医',
      { note: '缺药', until: 24 * HOUR },
      403,
      'forbidden',
      '当前角色无权执行此操作',
    ],
    [
      'a dispatcher, not the assignee',
      '网格长',
      { note: '缺药', until: 24 * HOUR },
      403,
      'forbidden',
      '无权',
    ],
  ] as const)('%s', async (_what, who, body, status, code, zh) => {
    await dayOf('2023-01-12T08:00:00+08:00');
    const o = await acceptedFever();
    const before = await eventsOf(o.id);
    const until =
      'until' in body
        ? body.until === 'before-due'
          ? later(o.resolveDueAt, -HOUR)
          : later(t.ctx.clock.now(), body.until)
        : undefined;
    const payload = { event: 'request_hold', ...('note' in body ? { note: body.note } : {}), until };
    const res = await move(who, o.id, payload);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(res.json().detail).toContain(zh);
    expect(await row(o.id)).toEqual(o);
    expect(await eventsOf(o.id)).toEqual(before);
  });

  it('in English too', async () => {
    const o = await acceptedFever();
    const res = await move(
      '村医',
      o.id,
      { event: 'request_hold', note: '缺药', until: later(o.resolveDueAt, -HOUR) },
      'en',
    );
    expect(res.json().detail).toMatch(/^The new deadline must be later than the current one \(/);
  });

  it('a second request while one is pending', async () => {
    const o = await acceptedFever();
    const until = later(o.resolveDueAt, HOUR);
    expect((await move('村医', o.id, { event: 'request_hold', note: '缺药', until })).statusCode).toBe(200);
    const pending = await row(o.id);
    const again = await move('村医', o.id, {
      event: 'request_hold',
      note: '还缺药',
      until: later(until, HOUR),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'order.hold_pending',
      detail: expect.stringContaining('待审批'),
    });
    expect(await row(o.id)).toEqual(pending);
  });

  it('in the wrong state: before accepting, and once on hold', async () => {
    const { order } = await createOrder(
      t.ctx,
      { channel: 'hotline', actor },
      { residentId, needCode: 'fever', urgency: 'normal' },
    );
    const until = later(order.resolveDueAt, HOUR);
    const early = await move('村医', order.id, { event: 'request_hold', note: '缺药', until });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'order.invalid_transition',
      detail: '工单当前为“已派单”，不能执行“申请延期”',
    });
    expect((await row(order.id)).state).toBe('dispatched');
    const nothing = await move('网格长', order.id, { event: 'deny_hold', note: '不行' });
    expect(nothing.statusCode).toBe(409);
  });
});

it('an order nobody can take tells the grid leader so, not that it was returned', async () => {
  // No livelihood contact is set for this resident.
  const { order } = await createOrder(
    t.ctx,
    { channel: 'hotline', actor },
    { residentId, needCode: 'livelihood', urgency: 'normal' },
  );
  expect(order.state).toBe('submitted');
  const told = await noticesTo('网格长', order.id);
  expect(told.map((n) => `${n.channel}:${n.kind}`).sort()).toEqual(['console:unrouted', 'sms:unrouted']);
  expect(told[0]!.text).toMatch(/^【连心】李\*\*的“.+”诉求（一般，#\d+）暂无对应联系人，请尽快派单。$/);
  expect(told[0]!.text).not.toContain('退回');
});
