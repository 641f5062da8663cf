// Reading the audit trail over HTTP: who may read it, the subtree each reader sees, filters and paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, signedIn, testWorld, type County } from '../../../test/helpers/world.ts';

interface AuditEvent {
  id: number;
  at: string;
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: string | null;
  regionId: number | null;
  before: unknown;
  after: unknown;
}
interface Page {
  items: AuditEvent[];
  next: number | null;
}

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let admin: string;
let supervisorA: string;

const villageA = () => c.townships[0]!.villages[0]!.village;
const villageB = () => c.townships[1]!.villages[0]!.village;

const read = (cookie: string, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/audit${query}`, headers: { cookie } });
const page = async (cookie: string, query = ''): Promise<Page> => {
  const res = await read(cookie, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
const rename = async (id: number, name: string) => {
  const res = await t.app.inject({
    method: 'PATCH',
    url: `/api/regions/${id}`,
    headers: { cookie: admin },
    payload: { name },
  });
  expect(res.statusCode, res.body).toBe(200);
};

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 1 });
  admin = (await signedIn(t, 'admin', c.county)).cookie;
  supervisorA = (await signedIn(t, 'supervisor', c.townships[0]!.township)).cookie;
  // Seven renames of A's village (a history worth paging through) and two of B's.
  for (let i = 1; i <= 7; i++) await rename(villageA().id, `甲村${i}`);
  for (let i = 1; i <= 2; i++) await rename(villageB().id, `乙村${i}`);
});
afterAll(() => t.close());

describe('who may read the trail', () => {
  it.each(['admin', 'supervisor'] as const)('%s → 200', async (role) => {
    const { cookie } = await signedIn(t, role, c.county);
    const res = await read(cookie);
    expect(res.statusCode).toBe(200);
    expect((res.json() as Page).items.length).toBeGreaterThan(0);
  });

  it.each(['official', 'doctor'] as const)('%s → 403 forbidden', async (role) => {
    const { cookie } = await signedIn(t, role, c.county);
    const res = await read(cookie);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
  });

  it('without signing in → 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });
});

describe("a township supervisor's view", () => {
  it("sees the region events of township A and none of township B's", async () => {
    const { items } = await page(supervisorA, '?action=region.&limit=200');
    const targets = new Set(items.map((e) => e.targetId));
    expect(targets.has(String(villageA().id))).toBe(true);
    expect(targets.has(String(villageB().id))).toBe(false);
    expect(items.filter((e) => e.targetId === String(villageA().id))).toHaveLength(7);
  });

  it("asking for B's village by id finds nothing", async () => {
    const { items } = await page(supervisorA, `?targetType=region&targetId=${villageB().id}`);
    expect(items).toEqual([]);
    const all = await page(admin, `?targetType=region&targetId=${villageB().id}`);
    expect(all.items).toHaveLength(2);
  });
});

describe('filters and paging', () => {
  it('an action prefix keeps only those actions', async () => {
    const { items } = await page(admin, '?action=region.&limit=200');
    expect(items.length).toBeGreaterThanOrEqual(9);
    expect(items.every((e) => e.action.startsWith('region.'))).toBe(true);
    const logins = await page(admin, '?action=auth.login&limit=200');
    expect(logins.items.length).toBeGreaterThan(0);
    expect(logins.items.every((e) => e.action.startsWith('auth.login'))).toBe(true);
  });

  it('a target gives that target’s history, newest first, with before and after', async () => {
    const { items } = await page(admin, `?targetType=region&targetId=${villageA().id}`);
    expect(items.map((e) => (e.after as { name: string }).name)).toEqual([
      '甲村7',
      '甲村6',
      '甲村5',
      '甲村4',
      '甲村3',
      '甲村2',
      '甲村1',
    ]);
    expect(items[0]).toMatchObject({
      action: 'region.rename',
      before: { name: '甲村6' },
      after: { name: '甲村7' },
    });
  });

  it('the `before` cursor walks the whole history in pages without overlap or gaps', async () => {
    const target = `targetType=region&targetId=${villageA().id}`;
    const whole = (await page(admin, `?${target}`)).items.map((e) => e.id);
    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: number | null = null;
    do {
      const p: Page = await page(admin, `?${target}&limit=3${cursor === null ? '' : `&before=${cursor}`}`);
      sizes.push(p.items.length);
      seen.push(...p.items.map((e) => e.id));
      cursor = p.next;
    } while (cursor !== null);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(whole);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
