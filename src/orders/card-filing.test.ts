// Filing from a card folds the card's lookup into the order's own read: what the resident sees must
// not change — the assignee's name (also on a retried tap), and 404 for a revoked or unknown card
// with nothing filed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { issueCards } from '../pairing/cards.ts';
import type { Actor } from '../platform/access.ts';
import { makeCounty, makeMember, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { serviceOrder } from './schema.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let official: string;
let actor: Actor;
let residentId = 0;

const file = (token: string, needCode: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/public/cards/${token}/orders`,
    payload: { needCode, urgency: 'normal' },
    headers,
  });
const ordersOfResident = async () =>
  (await t.ctx.db.select().from(serviceOrder).where(eq(serviceOrder.residentId, residentId))).length;

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
  const s = await signedIn(t, 'official', c.county);
  official = s.cookie;
  actor = s.actor;
  const v = c.townships[0]!.villages[0]!;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/residents',
    payload: {
      name: '李秀兰',
      birthDate: '1938-06-01',
      household: { gridId: v.grids[0]!.id, address: '二组3号' },
    },
    headers: { cookie: official },
  });
  residentId = r.json().id;
  await makeMember(t.ctx, {
    countyCode: c.county.countyCode!,
    name: '包联党员甲',
    roles: ['party_member'],
    region: v.village,
    duty: { role: 'help', on: 'resident', id: residentId },
  });
});
afterAll(() => t.close());

describe('filing from a card', () => {
  it("answers with the assignee's name, and the same on a retried tap", async () => {
    const [card] = await issueCards(t.ctx, actor, { regionId: c.townships[0]!.villages[0]!.village.id });
    const first = await file(card!.token, 'medicine', { 'idempotency-key': 'tap-1' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ state: 'dispatched', assigneeName: '包联党员甲' });
    const again = await file(card!.token, 'medicine', { 'idempotency-key': 'tap-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    // Nobody answers for health: left for a dispatcher, nobody named.
    expect((await file(card!.token, 'fever')).json()).toMatchObject({
      state: 'submitted',
      assigneeName: null,
    });
  });

  it('a revoked card answers 404 and files nothing', async () => {
    const [card] = await issueCards(t.ctx, actor, {
      regionId: c.townships[0]!.villages[0]!.village.id,
      reissue: true,
    });
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/residents/${residentId}/card/revoke`,
      payload: { reason: '遗失' },
      headers: { cookie: official },
    });
    expect(revoke.json()).toEqual({ revoked: 1 });
    const before = await ordersOfResident();
    const res = await file(card!.token, 'medicine');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('card.not_found');
    expect(await ordersOfResident()).toBe(before);
  });

  it('an unknown or malformed code answers 404', async () => {
    for (const token of ['A'.repeat(24), 'not a code!']) {
      const res = await file(encodeURIComponent(token), 'medicine');
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('card.not_found');
    }
  });
});
