// THE permission table: every role × (own subtree | sibling township) × every endpoint, checked over
// HTTP against expectations written out here by hand — never derived from src/platform/access.ts — so
// a wrong capability or a leak across townships fails a named row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResident } from '../src/ledger/service.ts';
import { createOrder } from '../src/orders/service.ts';
import { systemActor } from '../src/platform/access.ts';
import { ROLES, type Role } from '../src/platform/auth/schema.ts';
import { createRegion, renameRegion } from '../src/regions/service.ts';
import type { RegionRow } from '../src/regions/repo.ts';
import { makeAccount, makeCounty, signIn, testWorld, type County } from './helpers/world.ts';

type Capability =
  | 'region.read'
  | 'region.write'
  | 'account.read'
  | 'account.write'
  | 'audit.read'
  | 'staff.import'
  /** Call the resident of any order in scope (a member the order reached may call theirs too). */
  | 'order.call'
  /** See the SMS sent about orders in scope. */
  | 'order.config';

/**
 * What each role may do, as the product intends it (DOMAIN.md "Who uses it"): officials run the
 * tree and the staff, supervisors inspect (accounts and the audit trail) but change nothing,
 * village secretaries see who works in their villages, everyone else only reads the tree. Officials
 * and village secretaries import the staff register (members) from a file; nobody else does.
 */
const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    'region.read',
    'region.write',
    'account.read',
    'account.write',
    'audit.read',
    'staff.import',
    'order.call',
    'order.config',
  ],
  official: [
    'region.read',
    'region.write',
    'account.read',
    'account.write',
    'staff.import',
    'order.call',
    'order.config',
  ],
  supervisor: ['region.read', 'account.read', 'audit.read'],
  secretary: ['region.read', 'account.read', 'staff.import', 'order.call'],
  grid_leader: ['region.read', 'order.call'],
  grid_member: ['region.read', 'order.call'],
  doctor: ['region.read', 'order.call'],
  party_member: ['region.read'],
  team_member: ['region.read'],
  operator: ['region.read', 'order.call'],
};

/**
 * Where each role's account sits. The grid workers (网格长, 网格员, 网格医务人员) are scoped at a grid
 * of township A, as in real deployments; everyone else at township A itself. A grid worker's
 * "own" reads therefore target that grid (or things in it); their writes are refused for the role
 * before any target is looked at, so the write targets (a village of A) need not be in their grid.
 */
const AT_GRID: ReadonlySet<Role> = new Set(['grid_leader', 'grid_member', 'doctor']);

type Side = 'own' | 'sibling';

/** The nodes each side's requests aim at; `throwaway` holds one fresh grid per role and purpose. */
interface Targets {
  township: RegionRow;
  /** A grid every account of township A (or B) can see, grid workers included. Never changed. */
  grid: RegionRow;
  village: RegionRow;
  otherVillage: RegionRow;
  /** A grid_member account at `grid`, for account endpoints (not one of the signed-in actors). */
  victimId: number;
  /** An order for a resident of `grid`, routed to nobody (no signed-in actor is on it). */
  orderId: number;
  throwaway: Map<string, { id: number }>;
  /** Member-import jobs: each importing role's own (checked on `village`); on B, one of B's official. */
  memberJob: (role: Role) => string;
}

interface Request {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: Record<string, unknown> | string;
  headers?: Record<string, string>;
}

interface Endpoint {
  name: string;
  needs: Capability;
  /** The answer on one's own subtree when the role has the capability. */
  ok: 200 | 201 | 204;
  /**
   * The answer for township B when the role has the capability: 404 for anything that names a
   * node or account of B (exactly like a missing id); a list filtered to B answers 200 with none
   * of B's rows, just as a filter on a missing id would.
   */
  sibling: 404 | 'empty list';
  request(role: Role, on: Targets): Request;
}

let serial = 0;
/** A one-row staff register with a mobile no other row uses. */
const memberCsv = () => `姓名,手机号,身份\n权限${++serial},139${String(serial).padStart(8, '0')},党员\n`;
const ENDPOINTS: Endpoint[] = [
  {
    name: 'GET /api/regions/:id',
    needs: 'region.read',
    ok: 200,
    sibling: 404,
    request: (_r, on) => ({ method: 'GET', url: `/api/regions/${on.grid.id}` }),
  },
  {
    name: 'GET /api/regions/:id/children',
    needs: 'region.read',
    ok: 200,
    sibling: 404,
    request: (_r, on) => ({ method: 'GET', url: `/api/regions/${on.grid.id}/children` }),
  },
  {
    name: 'GET /api/regions/search?q=',
    needs: 'region.read',
    ok: 200,
    sibling: 'empty list',
    // Own side: a grid name shared by every village of both townships; sibling: B's grid's code.
    request: (_r, on) => ({
      method: 'GET',
      url: `/api/regions/search?limit=50&q=${encodeURIComponent(on === own ? on.grid.name : on.grid.code)}`,
    }),
  },
  {
    name: 'PATCH /api/regions/:id',
    needs: 'region.write',
    ok: 200,
    sibling: 404,
    request: (role, on) => ({
      method: 'PATCH',
      url: `/api/regions/${on.throwaway.get(`${role}:rename`)!.id}`,
      payload: { name: `改名${++serial}` },
    }),
  },
  {
    name: 'POST /api/regions',
    needs: 'region.write',
    ok: 201,
    sibling: 404,
    request: (_r, on) => ({
      method: 'POST',
      url: '/api/regions',
      payload: { parentId: on.village.id, name: `新网格${++serial}` },
    }),
  },
  {
    name: 'POST /api/regions/:id/move',
    needs: 'region.write',
    ok: 200,
    sibling: 404,
    request: (role, on) => ({
      method: 'POST',
      url: `/api/regions/${on.throwaway.get(`${role}:move`)!.id}/move`,
      payload: { parentId: on.otherVillage.id },
    }),
  },
  {
    name: 'DELETE /api/regions/:id',
    needs: 'region.write',
    ok: 204,
    sibling: 404,
    request: (role, on) => ({
      method: 'DELETE',
      url: `/api/regions/${on.throwaway.get(`${role}:delete`)!.id}`,
    }),
  },
  {
    name: 'GET /api/accounts?regionId=',
    needs: 'account.read',
    ok: 200,
    sibling: 'empty list',
    request: (_r, on) => ({ method: 'GET', url: `/api/accounts?regionId=${on.grid.id}` }),
  },
  {
    name: 'POST /api/accounts',
    needs: 'account.write',
    ok: 201,
    sibling: 404,
    request: (_r, on) => ({
      method: 'POST',
      url: '/api/accounts',
      payload: {
        username: `made_${++serial}`,
        displayName: `新账号${serial}`,
        role: 'grid_member',
        regionId: on.grid.id,
        password: 'Member2023',
      },
    }),
  },
  {
    name: 'PATCH /api/accounts/:id',
    needs: 'account.write',
    ok: 200,
    sibling: 404,
    request: (_r, on) => ({
      method: 'PATCH',
      url: `/api/accounts/${on.victimId}`,
      payload: { displayName: `网格员${++serial}` },
    }),
  },
  {
    name: 'POST /api/accounts/:id/password',
    needs: 'account.write',
    ok: 204,
    sibling: 404,
    request: (_r, on) => ({
      method: 'POST',
      url: `/api/accounts/${on.victimId}/password`,
      payload: { password: `Reset2023n${++serial}` },
    }),
  },
  {
    name: 'POST /api/members/imports?regionCode=',
    needs: 'staff.import',
    ok: 201,
    sibling: 404,
    request: (_r, on) => ({
      method: 'POST',
      url: `/api/members/imports?regionCode=${on.village.code}&fileName=members.csv`,
      headers: { 'content-type': 'text/csv' },
      payload: memberCsv(),
    }),
  },
  {
    name: 'GET /api/members/imports/:id',
    needs: 'staff.import',
    ok: 200,
    sibling: 404,
    request: (role, on) => ({ method: 'GET', url: `/api/members/imports/${on.memberJob(role)}` }),
  },
  {
    name: 'POST /api/members/imports/:id/commit',
    needs: 'staff.import',
    ok: 200,
    sibling: 404,
    request: (role, on) => ({ method: 'POST', url: `/api/members/imports/${on.memberJob(role)}/commit` }),
  },
  {
    name: 'GET /api/audit',
    needs: 'audit.read',
    ok: 200,
    sibling: 'empty list',
    request: (_r, on) => ({ method: 'GET', url: `/api/audit?targetType=region&targetId=${on.grid.id}` }),
  },
  {
    name: 'POST /api/orders/:id/call',
    needs: 'order.call',
    ok: 200,
    sibling: 404,
    request: (_r, on) => ({ method: 'POST', url: `/api/orders/${on.orderId}/call` }),
  },
  {
    name: 'GET /api/orders/sms?regionId=',
    needs: 'order.config',
    ok: 200,
    sibling: 404,
    request: (_r, on) => ({ method: 'GET', url: `/api/orders/sms?regionId=${on.grid.id}` }),
  },
];

function expectedStatus(role: Role, side: Side, ep: Endpoint): number {
  if (!GRANTS[role].includes(ep.needs)) return 403; // the role is checked before the target
  if (side === 'own') return ep.ok;
  return ep.sibling === 404 ? 404 : 200;
}

const cases = ROLES.flatMap((role) =>
  (['own', 'sibling'] as const).flatMap((side) =>
    ENDPOINTS.map((ep) => [role, side, ep.name, expectedStatus(role, side, ep)] as const),
  ),
);

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let own: Targets;
let sibling: Targets;
const cookies = new Map<Role, string>();

async function targetsIn(tw: County['townships'][number]): Promise<Targets> {
  const [v1, v2] = tw.villages;
  const grid = v1!.grids[0]!;
  const victim = await makeAccount(t.ctx, 'grid_member', grid);
  const throwaway = new Map<string, { id: number }>();
  const system = systemActor('permission table');
  for (const role of ROLES) {
    for (const purpose of ['rename', 'move', 'delete']) {
      const g = await createRegion(t.ctx, system, { parentId: v1!.village.id, name: `${role}-${purpose}` });
      throwaway.set(`${role}:${purpose}`, g);
    }
  }
  // Something in the trail about the grid, so a leak of B's events would show.
  await renameRegion(t.ctx, system, grid.id, `${grid.name}（临时）`);
  await renameRegion(t.ctx, system, grid.id, grid.name);
  const r = await createResident(t.ctx, system, {
    name: '孙玉珍',
    birthDate: '1941-02-03',
    phones: ['13811112222'],
    household: { gridId: grid.id, address: '一组2号' },
  });
  const { order } = await createOrder(
    t.ctx,
    { channel: 'hotline', actor: system },
    { residentId: r.id, needCode: 'medicine', urgency: 'normal' },
  );
  return {
    township: tw.township,
    grid,
    village: v1!.village,
    otherVillage: v2!.village,
    victimId: victim.id,
    orderId: order.id,
    throwaway,
    memberJob: () => 'none',
  };
}

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 2, gridsPer: 1 });
  own = await targetsIn(c.townships[0]!);
  sibling = await targetsIn(c.townships[1]!);
  for (const role of ROLES) {
    const acc = await makeAccount(t.ctx, role, AT_GRID.has(role) ? own.grid : own.township);
    cookies.set(role, await signIn(t.app, acc.username));
  }
  const upload = async (cookie: string, village: RegionRow) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/members/imports?regionCode=${village.code}&fileName=members.csv`,
      headers: { cookie, 'content-type': 'text/csv' },
      payload: memberCsv(),
    });
    if (res.statusCode !== 201) throw new Error(`member import set-up: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  };
  const ownJobs = new Map<Role, string>();
  for (const role of ROLES)
    if (GRANTS[role].includes('staff.import'))
      ownJobs.set(role, await upload(cookies.get(role)!, own.village));
  own.memberJob = (role) => ownJobs.get(role) ?? 'none';
  const officialOfB = await makeAccount(t.ctx, 'official', sibling.township);
  const jobOfB = await upload(await signIn(t.app, officialOfB.username), sibling.village);
  sibling.memberJob = () => jobOfB;
});
afterAll(() => t.close());

const isIn = (r: { id: number }, tw: County['townships'][number]) =>
  r.id === tw.township.id ||
  tw.villages.some((v) => v.village.id === r.id || v.grids.some((g) => g.id === r.id)) ||
  [...(tw === c.townships[0] ? own : sibling).throwaway.values()].some((g) => g.id === r.id);

describe('the permission table', () => {
  it('covers every role and every endpoint on both sides', () => {
    expect(cases).toHaveLength(ROLES.length * 2 * ENDPOINTS.length);
    expect(Object.keys(GRANTS).sort()).toEqual([...ROLES].sort());
  });

  it.each(cases)('%s × %s × %s → %i', async (role, side, endpoint, status) => {
    const ep = ENDPOINTS.find((e) => e.name === endpoint)!;
    const on = side === 'own' ? own : sibling;
    const req = ep.request(role, on);
    const res = await t.app.inject({ ...req, headers: { ...req.headers, cookie: cookies.get(role)! } });
    expect(res.statusCode, res.body).toBe(status);

    if (status === 403) expect(res.json()).toMatchObject({ code: 'forbidden' });
    if (status === 404) expect(res.json()).toMatchObject({ code: 'not_found' });
    if (status !== 200) return;
    const body = res.json() as unknown;
    // Whatever a list holds, nothing of township B is in it when looking from A.
    if (endpoint === 'GET /api/regions/search?q=') {
      const hits = body as { id: number }[];
      expect(hits.filter((h) => isIn(h, c.townships[1]!))).toEqual([]);
      if (side === 'own') expect(hits.map((h) => h.id)).toContain(own.grid.id);
      else expect(hits).toEqual([]);
    }
    if (endpoint === 'GET /api/accounts?regionId=') {
      const ids = (body as { id: number; regionId: number }[]).map((a) => a.id);
      if (side === 'own') expect(ids).toContain(own.victimId);
      else expect(ids).toEqual([]);
    }
    if (endpoint === 'GET /api/audit') {
      const items = (body as { items: { targetId: string }[] }).items;
      if (side === 'own') expect(items.length).toBeGreaterThan(0);
      else expect(items).toEqual([]);
    }
  });
});

describe('inside township A', () => {
  it.each([...AT_GRID])(
    'a %s sees their own grid, not the neighbouring grid nor the village above',
    async (role) => {
      const cookie = cookies.get(role)!;
      const mine = await t.app.inject({
        method: 'GET',
        url: `/api/regions/${own.grid.id}`,
        headers: { cookie },
      });
      expect(mine.statusCode).toBe(200);
      for (const other of [c.townships[0]!.villages[1]!.grids[0]!, own.village]) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/regions/${other.id}`,
          headers: { cookie },
        });
        expect(res.statusCode, other.name).toBe(404);
      }
    },
  );
});
