// The service loop end to end on a real database: routing to the resident's own contact, deadlines
// and escalation (exactly once, across restarts and instances), idempotent filing, the state
// machine over HTTP, the resident's feedback, notifications and figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase } from '../db/engine.ts';
import { issueCards } from '../pairing/cards.ts';
import type { Actor } from '../platform/access.ts';
import { account } from '../platform/auth/schema.ts';
import { member, unit } from '../staff/schema.ts';
import {
  makeCounty,
  makeMember,
  signIn,
  signedIn,
  testWorld,
  type County,
} from '../../test/helpers/world.ts';
import type { ResponsibilityRole } from '../staff/vocabulary.ts';
import { notification, orderEvent, serviceOrder, smsLog } from './schema.ts';
import { deliverSms, logAdapter } from './outbox.ts';
import { createOrder, type Filed } from './service.ts';
import { sweep } from './sweeper.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let official: string;
let actor: Actor;
const people: Record<string, { id: number; cookie: string }> = {};
let token = '';
let residentId = 0;

const call = (
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
  cookie = official,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, payload, headers: { cookie, ...headers } });
const card = (method: 'GET' | 'POST', path: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/public/cards/${token}${path}`, payload, headers });
const MIN = 60_000;

/** A member with a signed-in account, answering for `region` in `role` (or for the resident). */
async function person(
  name: string,
  roles: string[],
  region: { id: number },
  role: ResponsibilityRole | null,
  target: 'region' | 'resident' = 'region',
  unitId?: number,
) {
  const m = await makeMember(t.ctx, {
    countyCode: c.county.countyCode!,
    name,
    roles,
    region,
    account: roles.includes('party_member') && roles.length === 1 ? 'party_member' : 'doctor',
    extra: { unitId },
    duty: role ? { role, on: target, id: target === 'resident' ? residentId : region.id } : undefined,
  });
  people[name] = { id: m.id, cookie: await signIn(t.app, m.username!) };
}

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
  const s = await signedIn(t, 'official', c.county);
  official = s.cookie;
  actor = s.actor;
  const v = c.townships[0]!.villages[0]!;
  const r = await call('POST', '/api/residents', {
    name: '王桂英',
    birthDate: '1940-03-02',
    household: { gridId: v.grids[0]!.id, address: '一组1号' },
  });
  residentId = r.json().id;
  const [u] = await t.ctx.db
    .insert(unit)
    .values({
      regionId: c.county.id,
      name: '县民政局',
      partyOrgName: '县民政局机关党支部',
      partyOrgMobile: '13600000000',
      createdAt: t.ctx.clock.now(),
      updatedAt: t.ctx.clock.now(),
    })
    .returning();
  await person('包联党员', ['party_member'], v.village, 'help', 'resident', u!.id);
  await person('村医', ['village_doctor'], v.village, 'health', 'resident');
  await person('村书记', ['village_secretary'], v.village, 'livelihood', 'resident');
  await person('网格长', ['grid_leader'], v.grids[0]!, 'grid_leader');
  await person('支部书记', ['village_secretary'], v.village, 'village_secretary');
  await person('镇干部', ['cadre'], c.townships[0]!.township, 'township_cadre');
  token = (await issueCards(t.ctx, actor, { regionId: v.village.id }))[0]!.token;
});
afterAll(() => t.close());

async function fileByCard(needCode: string, key?: string) {
  const res = await card(
    'POST',
    '/orders',
    { needCode, urgency: 'normal' },
    key ? { 'idempotency-key': key } : {},
  );
  expect([200, 201]).toContain(res.statusCode);
  return res.json() as { id: number; state: string; assigneeName: string | null };
}
const eventsOf = (id: number) => t.ctx.db.select().from(orderEvent).where(eq(orderEvent.orderId, id));
const consoleFor = (name: string) =>
  t.ctx.db
    .select()
    .from(notification)
    .where(and(eq(notification.memberId, people[name]!.id), eq(notification.channel, 'console')));

describe('routing', () => {
  it("a fever order from the card reaches the resident's doctor, notified in the console and by SMS", async () => {
    const o = await fileByCard('fever');
    expect(o).toMatchObject({ state: 'dispatched', assigneeName: '村医' });
    const notes = await t.ctx.db.select().from(notification).where(eq(notification.orderId, o.id));
    expect(notes.map((n) => `${n.channel}:${n.memberId}`).sort()).toEqual(
      [`console:${people['村医']!.id}`, `sms:${people['村医']!.id}`].sort(),
    );
    const mine = (await call('GET', '/api/orders/mine', undefined, people['村医']!.cookie)).json();
    expect(mine.map((x: { id: number }) => x.id)).toContain(o.id);
    await deliverSms(t.ctx, logAdapter);
    const log = await t.ctx.db.select().from(smsLog);
    expect(log.some((l) => l.text.includes('发烧或其他症状') && l.text.includes(`#${o.id}`))).toBe(true);
  });

  it('a livelihood order reaches the village secretary', async () => {
    expect(await fileByCard('livelihood')).toMatchObject({ assigneeName: '村书记' });
  });

  it('ten concurrent submissions with one idempotency key make one order', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => fileByCard('meals', 'tap-tap-tap')));
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    const rows = await t.ctx.db
      .select()
      .from(serviceOrder)
      .where(eq(serviceOrder.idempotencyKey, 'tap-tap-tap'));
    expect(rows).toHaveLength(1);
  });

  it('filings that arrive together are written together, each routed, and a bad one fails alone', async () => {
    const file = (needCode: string, idempotencyKey?: string) =>
      createOrder(
        t.ctx,
        { channel: 'hotline', actor },
        { residentId, needCode, urgency: 'normal', idempotencyKey },
      );
    const before = await t.ctx.db.select().from(serviceOrder);
    // A row the database refuses (here: a check this test adds) fails the batch's one statement;
    // each filing is then written alone, and only that one fails.
    await t.ctx.db.execute(
      sql`alter table service_order add constraint refused check (idempotency_key <> 'refused')`,
    );
    // Filed in one turn of the event loop: one batch.
    const [fever, livelihood, unknown, refused] = await Promise.allSettled([
      file('fever'),
      file('livelihood'),
      file('no_such_need'),
      file('meals', 'refused'),
    ]).finally(() => t.ctx.db.execute(sql`alter table service_order drop constraint refused`));
    expect(fever).toMatchObject({ status: 'fulfilled', value: { created: true, assigneeName: '村医' } });
    expect(livelihood).toMatchObject({
      status: 'fulfilled',
      value: { created: true, assigneeName: '村书记' },
    });
    expect(unknown).toMatchObject({ status: 'rejected', reason: { code: 'order.need_unknown' } });
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: '23514' } });
    const after = await t.ctx.db.select().from(serviceOrder);
    expect(after.length - before.length).toBe(2);
    for (const o of [fever, livelihood]) {
      const id = (o as PromiseFulfilledResult<Filed>).value.order.id;
      expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['transition', 'dispatch']);
    }

    // The refused filing alone with a retry of an earlier one: the retry still gets its order.
    const first = await file('meals', 'retried');
    await t.ctx.db.execute(
      sql`alter table service_order add constraint refused check (idempotency_key <> 'refused')`,
    );
    const [retry, refusedAgain] = await Promise.allSettled([
      file('meals', 'retried'),
      file('meals', 'refused'),
    ]).finally(() => t.ctx.db.execute(sql`alter table service_order drop constraint refused`));
    expect(retry).toMatchObject({
      status: 'fulfilled',
      value: { created: false, order: { id: first.order.id } },
    });
    expect(refusedAgain).toMatchObject({ status: 'rejected', reason: { code: '23514' } });
  });

  it('members, teams and orders are kept for the record: deleting one is refused', async () => {
    for (const table of ['member', 'team', 'service_order']) {
      await expect(t.ctx.db.execute(sql.raw(`delete from ${table}`))).rejects.toMatchObject({
        cause: { code: '23001', message: expect.stringMatching(/kept for the record/) },
      });
    }
    expect((await t.ctx.db.select().from(member)).length).toBeGreaterThan(0);
  });
});

describe('deadlines and escalation', () => {
  it('unaccepted in time it climbs to the grid leader, then the village secretary, each notified once', async () => {
    const o = await fileByCard('consultation'); // 2 h to accept
    t.ctx.clock.advance(90 * MIN + 1000);
    await sweep(t.ctx);
    expect((await eventsOf(o.id)).filter((e) => e.kind === 'remind')).toHaveLength(1);
    expect(
      (await consoleFor('村医')).filter((n) => n.orderId === o.id && n.kind === 'reminder'),
    ).toHaveLength(1);
    t.ctx.clock.advance(30 * MIN);
    await sweep(t.ctx);
    expect(
      (await consoleFor('网格长')).filter((n) => n.orderId === o.id && n.kind === 'escalated'),
    ).toHaveLength(1);
    expect((await consoleFor('支部书记')).filter((n) => n.orderId === o.id)).toHaveLength(0);
    await sweep(t.ctx); // nothing new yet
    t.ctx.clock.advance(120 * MIN);
    await sweep(t.ctx);
    expect((await consoleFor('支部书记')).filter((n) => n.orderId === o.id)).toHaveLength(1);
    expect(
      (await consoleFor('网格长')).filter((n) => n.orderId === o.id && n.kind === 'escalated'),
    ).toHaveLength(1);
    const view = (await call('GET', `/api/orders/${o.id}`)).json();
    expect(view).toMatchObject({ escalationLevel: 2, overdueAccept: true, overdue: true });
    // Everyone on the way sees it in "my orders".
    const gl = (await call('GET', '/api/orders/mine', undefined, people['网格长']!.cookie)).json();
    expect(gl.map((x: { id: number }) => x.id)).toContain(o.id);
  });

  it("a party member's overdue order reaches their unit's party organisation, catching up after downtime", async () => {
    const o = await fileByCard('medicine'); // help → the party member; 2 h windows
    t.ctx.clock.advance(2 * 60 * MIN + 4 * 120 * MIN); // the server was "down" for four windows past the deadline
    await sweep(t.ctx);
    const sms = await t.ctx.db
      .select()
      .from(notification)
      .where(and(eq(notification.orderId, o.id), eq(notification.channel, 'sms')));
    expect(sms.some((n) => n.mobile === '13600000000' && n.kind === 'escalated')).toBe(true);
    const esc = (await eventsOf(o.id)).filter((e) => e.kind === 'escalate');
    expect(esc).toHaveLength(1);
    expect(esc[0]!.data).toMatchObject({ from: 0, to: 4 });
  });

  it('a restart between deadline and sweep still escalates exactly once', async () => {
    const o = await fileByCard('errand');
    t.ctx.clock.advance(2 * 60 * MIN + MIN);
    // The server restarts after the deadline passed; then the sweeper runs (twice, for good measure).
    await t.reopen();
    await sweep(t.ctx);
    await sweep(t.ctx);
    expect((await eventsOf(o.id)).filter((e) => e.kind === 'escalate')).toHaveLength(1);
  }, 60_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'two app instances on PostgreSQL escalate exactly once',
    async () => {
      const ids = await Promise.all([1, 2, 3, 4, 5].map(() => fileByCard('other')));
      t.ctx.clock.advance(2 * 60 * MIN + MIN);
      const a = await openDatabase(t.location);
      const b = await openDatabase(t.location);
      try {
        await Promise.all([sweep({ ...t.ctx, db: a.db }, 1), sweep({ ...t.ctx, db: b.db }, 1)]);
      } finally {
        await a.close();
        await b.close();
      }
      for (const o of ids)
        expect((await eventsOf(o.id)).filter((e) => e.kind === 'escalate')).toHaveLength(1);
    },
  );
});

describe('working an order and feedback', () => {
  beforeAll(async () => {
    // Hours passed above: everyone signs in again.
    official = (await signedIn(t, 'official', c.county)).cookie;
    for (const p of Object.values(people)) {
      const [m] = await t.ctx.db.select().from(member).where(eq(member.id, p.id));
      const [acc] = await t.ctx.db.select().from(account).where(eq(account.id, m!.accountId!));
      p.cookie = await signIn(t.app, acc!.username);
    }
  });

  it('accept → resolve by the doctor; not solved reopens to the same doctor with the level kept; then solved and rated', async () => {
    const doctor = people['村医']!.cookie;
    const o = await fileByCard('fever');
    const bad = await call('POST', `/api/orders/${o.id}/transitions`, { event: 'resolve' }, doctor);
    expect(bad.statusCode).toBe(409);
    expect(bad.json().code).toBe('order.invalid_transition');
    const stranger = await call(
      'POST',
      `/api/orders/${o.id}/transitions`,
      { event: 'accept' },
      people['包联党员']!.cookie,
    );
    expect([403, 404]).toContain(stranger.statusCode);
    expect(
      (await call('POST', `/api/orders/${o.id}/transitions`, { event: 'accept' }, doctor)).json().state,
    ).toBe('accepted');
    expect(
      (
        await call(
          'POST',
          `/api/orders/${o.id}/transitions`,
          { event: 'resolve', note: '已上门测体温' },
          doctor,
        )
      ).json().state,
    ).toBe('resolved');
    const no = await card('POST', `/orders/${o.id}/feedback`, { solved: false, rating: 2 });
    expect(no.json()).toEqual({ id: o.id, state: 'reopened' });
    const reopened = (await call('GET', `/api/orders/${o.id}`)).json();
    expect(reopened.assigneeMemberId).toBe(people['村医']!.id);
    await call('POST', `/api/orders/${o.id}/transitions`, { event: 'accept' }, doctor);
    await call('POST', `/api/orders/${o.id}/transitions`, { event: 'resolve' }, doctor);
    expect((await card('POST', `/orders/${o.id}/feedback`, { solved: true, rating: 5 })).json().state).toBe(
      'closed',
    );
    const timeline = (await call('GET', `/api/orders/${o.id}`))
      .json()
      .events.map((e: { toState: string }) => e.toState);
    expect(timeline).toEqual([
      'submitted',
      'dispatched',
      'accepted',
      'resolved',
      'reopened',
      'accepted',
      'resolved',
      'closed',
    ]);
    const list = (await card('GET', '/orders')).json();
    expect(list.find((x: { id: number }) => x.id === o.id)).toMatchObject({ stateName: '已关闭' });
  });

  it('a dispatcher re-dispatches, the timeline naming whom to; an unknown member or one of another county is refused and changes nothing', async () => {
    const o = await fileByCard('fever');
    const other = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
    const outsider = await makeMember(t.ctx, {
      countyCode: other.county.countyCode!,
      name: '外县医生',
      roles: ['village_doctor'],
      region: other.townships[0]!.villages[0]!.village,
    });
    for (const choice of [{ memberId: 999_999 }, { memberId: outsider.id }, { teamId: 999_999 }]) {
      const payload = { event: 'dispatch', ...choice };
      const zh = { 'accept-language': 'zh-CN' };
      const r = await call('POST', `/api/orders/${o.id}/transitions`, payload, official, zh);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({
        code: 'order.assignee_unknown',
        detail: expect.stringContaining('本县'),
      });
    }
    expect((await call('GET', `/api/orders/${o.id}`)).json()).toMatchObject({
      state: 'dispatched',
      assigneeMemberId: people['村医']!.id,
    });
    const moved = await call('POST', `/api/orders/${o.id}/transitions`, {
      event: 'dispatch',
      memberId: people['网格长']!.id,
    });
    expect(moved.statusCode).toBe(200);
    const detail = (await call('GET', `/api/orders/${o.id}`)).json();
    expect(detail.assigneeMemberId).toBe(people['网格长']!.id);
    const dispatches = detail.events.filter((e: { kind: string }) => e.kind === 'dispatch');
    expect(dispatches.map((e: { data: { to: string } }) => e.data.to)).toEqual(['村医', '网格长']);
  });

  it('figures: response, resolution and satisfaction rates over the period', async () => {
    const f = (
      await call(
        'GET',
        `/api/orders/figures?regionId=${c.county.id}&from=2023-01-01T00:00:00Z&to=2023-02-01T00:00:00Z`,
      )
    ).json();
    expect(f.total).toBeGreaterThanOrEqual(7);
    expect(f.satisfactionRate).toBe(1);
    expect(f.resolutionRate).toBeGreaterThan(0);
    expect(f.overdueNow).toBeGreaterThanOrEqual(3);
  });

  it("the resident's page from the card lists the needs and contacts; a revoked card's page is gone", async () => {
    const page = await t.app.inject({ method: 'GET', url: `/c/${token}` });
    expect(page.statusCode).toBe(200);
    for (const s of ['王**', '发烧或其他症状', '遇事无助找同志', '包联党员', 'tel:'])
      expect(page.body).toContain(s);
    expect(Buffer.byteLength(page.body)).toBeLessThan(150 * 1024);
  });

  it('the public channel is rate-limited per card', async () => {
    let last = 0;
    for (let i = 0; i < 25; i++)
      last = (await card('POST', '/orders', { needCode: 'bogus', urgency: 'normal' })).statusCode;
    expect(last).toBe(429);
  });
});
