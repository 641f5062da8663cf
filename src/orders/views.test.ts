// The console's work views over HTTP: "my orders" and the board carry what a worker needs (need,
// address, masked phone, overdue), the order page its contacts and the viewer's actions, calling the
// resident is for the order's people (audited), the SMS view stays inside the official's scope, and
// the live stream starts from now and resumes after what a console last saw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { issueCards } from '../pairing/cards.ts';
import { auditEvent } from '../platform/audit/schema.ts';
import { member } from '../staff/schema.ts';
import {
  makeCounty,
  makeMember,
  signIn,
  signedIn,
  testWorld,
  type County,
} from '../../test/helpers/world.ts';
import type { ResponsibilityRole } from '../staff/vocabulary.ts';
import { deliverSms, logAdapter } from './outbox.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let official = '';
let otherOfficial = '';
let token = '';
let residentId = 0;
const people: Record<string, { id: number; cookie: string }> = {};
const RESIDENT_PHONE = '13812345678';

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

/** A member with an account of `role`, answering for the resident in `contact` (or for nobody). */
async function person(
  name: string,
  role: 'doctor' | 'party_member' | 'official',
  roles: string[],
  contact: ResponsibilityRole | null,
) {
  const m = await makeMember(t.ctx, {
    countyCode: c.county.countyCode!,
    name,
    roles,
    region: c.townships[0]!.villages[0]!.village,
    account: role,
    duty: contact ? { role: contact, on: 'resident', id: residentId } : undefined,
  });
  people[name] = { id: m.id, cookie: await signIn(t.app, m.username!) };
}

async function fileByCard(needCode: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/public/cards/${token}/orders`,
    payload: { needCode, urgency: 'urgent' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number };
}

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 1 });
  const s = await signedIn(t, 'official', c.townships[0]!.township);
  official = s.cookie;
  otherOfficial = (await signedIn(t, 'official', c.townships[1]!.township)).cookie;
  const v = c.townships[0]!.villages[0]!;
  const r = await call('POST', '/api/residents', official, {
    name: '李秀兰',
    birthDate: '1938-06-01',
    phones: [RESIDENT_PHONE],
    household: { gridId: v.grids[0]!.id, address: '三组8号' },
  });
  expect(r.statusCode, r.body).toBe(201);
  residentId = r.json().id;
  await person('张医生', 'doctor', ['village_doctor'], 'health');
  await person('王党员', 'party_member', ['party_member'], 'help');
  await person('赵党员', 'party_member', ['party_member'], null);
  const actor = s.actor;
  token = (await issueCards(t.ctx, actor, { regionId: v.village.id }))[0]!.token;
});
afterAll(() => t.close());

describe('work lists', () => {
  it('"my orders" shows the need, the address, the masked phone and the deadline', async () => {
    const o = await fileByCard('fever');
    const mine = (await call('GET', '/api/orders/mine', people['张医生']!.cookie)).json();
    const row = mine.find((x: { id: number }) => x.id === o.id);
    expect(row).toMatchObject({
      needName: { zh: '发烧或其他症状', en: 'Fever or other symptoms' },
      urgency: 'urgent',
      address: '三组8号',
      residentName: '李**',
      residentPhones: ['138****5678'],
      assigneeName: '张医生',
      overdue: false,
      state: 'dispatched',
    });
    expect(JSON.stringify(mine)).not.toContain(RESIDENT_PHONE);
    const board = (await call('GET', '/api/orders?states=dispatched', official)).json();
    expect(board.find((x: { id: number }) => x.id === o.id)).toMatchObject({
      needName: { zh: '发烧或其他症状' },
      residentPhones: ['138****5678'],
    });
    expect((await call('GET', '/api/orders', otherOfficial)).json()).toEqual([]);
  });
});

describe('the order page', () => {
  it("shows the resident's three contacts and what each viewer may do", async () => {
    const o = await fileByCard('fever');
    const asDoctor = (await call('GET', `/api/orders/${o.id}`, people['张医生']!.cookie)).json();
    expect(asDoctor.contacts).toEqual([
      { role: 'help', member: expect.objectContaining({ name: '王党员' }) },
      { role: 'health', member: expect.objectContaining({ name: '张医生' }) },
      { role: 'livelihood', member: null },
    ]);
    expect(asDoctor.resident).toMatchObject({ address: '三组8号', phones: ['138****5678'] });
    expect(asDoctor.actions.sort()).toEqual(['accept', 'return']);
    expect(asDoctor.canCall).toBe(true);
    const asOfficial = (await call('GET', `/api/orders/${o.id}`, official)).json();
    // A dispatcher may do anything the state allows (accepting on the assignee's behalf included).
    expect(asOfficial.actions.sort()).toEqual(['accept', 'cancel', 'dispatch', 'duplicate', 'return']);

    await call('POST', `/api/orders/${o.id}/transitions`, people['张医生']!.cookie, { event: 'accept' });
    const accepted = (await call('GET', `/api/orders/${o.id}`, people['张医生']!.cookie)).json();
    expect(accepted.actions.sort()).toEqual(['fail', 'request_hold', 'resolve', 'return', 'start']);
    expect(accepted.events.map((e: { toState: string }) => e.toState)).toEqual([
      'submitted',
      'dispatched',
      'accepted',
    ]);
    // A party member the order never reached sees it (in scope) but may do nothing to it.
    const bystander = (await call('GET', `/api/orders/${o.id}`, people['赵党员']!.cookie)).json();
    expect(bystander.actions).toEqual([]);
    expect(bystander.canCall).toBe(false);
  });

  it('a dispatcher working an order themselves is offered 延期, not a request for it to themselves', async () => {
    const o = await fileByCard('fever');
    await person('刘书记', 'official', ['village_secretary'], null);
    const secretary = people['刘书记']!;
    const to = { event: 'dispatch', memberId: secretary.id };
    expect((await call('POST', `/api/orders/${o.id}/transitions`, official, to)).statusCode).toBe(200);
    await call('POST', `/api/orders/${o.id}/transitions`, secretary.cookie, { event: 'accept' });
    const view = (await call('GET', `/api/orders/${o.id}`, secretary.cookie)).json();
    expect(view.actions).toContain('hold');
    expect(view.actions).not.toContain('request_hold');
  });
});

describe('calling the resident', () => {
  it('gives the full number to the assignee, audited without the number', async () => {
    const o = await fileByCard('meals'); // a help need: the party member's
    const res = await call('POST', `/api/orders/${o.id}/call`, people['王党员']!.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ phones: [RESIDENT_PHONE] });
    const rows = await t.ctx.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'order.call_resident'), eq(auditEvent.targetId, String(o.id))));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(RESIDENT_PHONE);
  });

  it('refuses a member the order never reached, and another township', async () => {
    const o = await fileByCard('meals');
    const bystander = await call('POST', `/api/orders/${o.id}/call`, people['赵党员']!.cookie);
    expect(bystander.statusCode).toBe(403);
    // The same answer for an order that does not exist: nothing leaks.
    expect((await call('POST', '/api/orders/999999/call', people['赵党员']!.cookie)).statusCode).toBe(403);
    expect((await call('POST', `/api/orders/${o.id}/call`, otherOfficial)).statusCode).toBe(404);
    expect((await call('POST', `/api/orders/${o.id}/call`, official)).statusCode).toBe(200);
  });
});

describe('the SMS view', () => {
  it('shows waiting then sent messages of orders in scope, with mobiles masked', async () => {
    const o = await fileByCard('consultation');
    const doctorMobile = (await t.ctx.db.select().from(member).where(eq(member.id, people['张医生']!.id)))[0]!
      .mobile;
    const pending = (await call('GET', '/api/orders/sms?status=pending', official)).json();
    const mine = pending.find((m: { orderId: number }) => m.orderId === o.id);
    expect(mine).toMatchObject({ status: 'pending', memberName: '张医生', kind: 'dispatched' });
    expect(mine.mobile).not.toBe(doctorMobile);
    expect(mine.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
    await deliverSms(t.ctx, logAdapter);
    const sent = (await call('GET', '/api/orders/sms?status=sent', official)).json();
    expect(sent.some((m: { orderId: number }) => m.orderId === o.id)).toBe(true);
    expect((await call('GET', '/api/orders/sms?status=failed', official)).json()).toEqual([]);
    expect((await call('GET', '/api/orders/sms', otherOfficial)).json()).toEqual([]);
    const other = await call('GET', `/api/orders/sms?regionId=${c.townships[0]!.township.id}`, otherOfficial);
    expect(other.statusCode).toBe(404);
    expect((await call('GET', '/api/orders/sms', people['张医生']!.cookie)).statusCode).toBe(403);
  });
});

describe('the live stream', () => {
  it('starts from now, says where, and resumes after ?after= with what was missed', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const open = async (query = '') => {
      const abort = new AbortController();
      const res = await fetch(`${address}/api/notifications/stream${query}`, {
        headers: { cookie: people['张医生']!.cookie },
        signal: abort.signal,
      });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      /** Reads until the pattern shows in what arrived (the test's timeout bounds the wait). */
      const until = async (pattern: RegExp) => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended before ${pattern}`);
          text += value;
        }
        return pattern.exec(text)!;
      };
      return { until, close: () => abort.abort(), text: () => text };
    };
    const eventIds = (text: string) =>
      [...text.matchAll(/id: (\d+)\nevent: notification/g)].map((m) => Number(m[1]));

    const live = await open();
    const from = Number((await live.until(/event: ready\ndata: (\d+)/))[1]);
    expect(from).toBeGreaterThan(0); // the doctor has had notices already; none of them is replayed
    const o = await fileByCard('fever');
    await live.until(new RegExp(`#${o.id}）已派给您`));
    expect(eventIds(live.text()).every((id) => id > from)).toBe(true);
    live.close();

    // A console that was away asks for what came after the last it saw, and gets it.
    const back = await open(`?after=${from}`);
    await back.until(new RegExp(`#${o.id}）已派给您`));
    expect(back.text()).toContain(`event: ready\ndata: ${from}\n`);
    back.close();
  });
});
