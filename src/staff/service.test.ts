// The staff register over HTTP on a real database: members with normalised, county-unique mobiles,
// scope between townships, capabilities, deactivation ending responsibilities, grid staffing 1+1+N
// and region-level roles (one leader and one medic per grid, roles fitting the level).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvent } from '../platform/audit/schema.ts';
import { makeAccount, makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { makeMember } from '../../test/helpers/staff.ts';
import { responsibility } from './schema.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let county: string;
let townA: string;
let townB: string;

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

const villageA = () => c.townships[0]!.villages[0]!.village;
const gridA1 = () => c.townships[0]!.villages[0]!.grids[0]!;
const gridA2 = () => c.townships[0]!.villages[0]!.grids[1]!;
const villageB = () => c.townships[1]!.villages[0]!.village;

beforeAll(async () => {
  t = await testWorld();
  // 01:30 on 6 January in Shanghai, still 5 January in UTC: "today" must be Shanghai's.
  t.ctx.clock.set('2023-01-05T17:30:00Z');
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 2 });
  county = (await signedIn(t, 'official', c.county)).cookie;
  townA = (await signedIn(t, 'official', c.townships[0]!.township)).cookie;
  townB = (await signedIn(t, 'official', c.townships[1]!.township)).cookie;
});
afterAll(() => t.close());

async function register(body: Record<string, unknown>, cookie = townA) {
  return call(cookie, 'POST', '/api/members', { roles: ['party_member'], regionId: villageA().id, ...body });
}

describe('members', () => {
  it('registers a member with the mobile normalised; the audit row masks it', async () => {
    const res = await register({
      name: ' 张伟 ',
      mobile: '+86 138-0013-8001',
      roles: ['party_member', 'cadre'],
    });
    expect(res.statusCode).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({
      name: '张伟',
      mobile: '13800138001',
      roles: ['party_member', 'cadre'],
      regionName: villageA().name,
      countyCode: c.county.countyCode,
      active: true,
    });
    const list = (await call(townA, 'GET', `/api/members?q=${encodeURIComponent('张')}`)).json();
    expect(list.items.map((i: { name: string }) => i.name)).toEqual(['张伟']);
    const [row] = await t.ctx.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'member.create'), eq(auditEvent.targetId, String(m.id))));
    expect(row?.after).toMatchObject({ mobile: '138****8001' });
    expect(JSON.stringify(await t.ctx.db.select().from(auditEvent))).not.toContain('13800138001');
  });

  it.each([
    ['a landline', '0556-5551234', 'mobile_invalid'],
    ['ten digits', '1380013800', 'mobile_invalid'],
    ['nothing', ' ', 'required'],
  ])('refuses %s as the mobile, naming the field, and registers nobody', async (_what, mobile, code) => {
    const before = (await call(townA, 'GET', '/api/members')).json().total;
    const res = await register({ name: '李明', mobile });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: '/mobile', code })]);
    expect((await call(townA, 'GET', '/api/members')).json().total).toBe(before);
  });

  it('one member per mobile in a county, whichever township registers it; another county may reuse it', async () => {
    const again = await register({ name: '张伟', mobile: '13800138001', regionId: villageB().id }, townB);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('staff.mobile_taken');
    // Township B may not learn who in A holds the number.
    expect(again.json().detail).not.toContain('张伟');
    const other = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
    const official2 = (await signedIn(t, 'official', other.county)).cookie;
    const elsewhere = await register(
      { name: '张伟', mobile: '138 0013 8001', regionId: other.townships[0]!.villages[0]!.village.id },
      official2,
    );
    expect(elsewhere.statusCode).toBe(201);
  });

  it("township B can neither list, open, edit nor deactivate A's members", async () => {
    const m = (await register({ name: '王芳', mobile: '13900139002' })).json();
    expect((await call(townB, 'GET', '/api/members?pageSize=200')).json().items).toEqual([]);
    expect((await call(townB, 'GET', `/api/members/${m.id}`)).statusCode).toBe(404);
    expect((await call(townB, 'PATCH', `/api/members/${m.id}`, { name: '改名' })).statusCode).toBe(404);
    expect((await call(townB, 'POST', `/api/members/${m.id}/deactivate`)).statusCode).toBe(404);
    const byRegion = await call(townB, 'GET', `/api/members?regionId=${c.townships[0]!.township.id}`);
    expect(byRegion.statusCode).toBe(404);
    expect((await register({ name: '越界', mobile: '13900139003' }, townB)).statusCode).toBe(404);
    expect((await call(county, 'GET', `/api/members/${m.id}`)).json().name).toBe('王芳');
  });

  it('edits roles, home community and capacity; null clears; a grid is no home community', async () => {
    const m = (await register({ name: '赵敏', mobile: '13700137004' })).json();
    const edited = await call(townA, 'PATCH', `/api/members/${m.id}`, {
      roles: ['village_doctor', 'party_member'],
      homeRegionId: villageA().id,
      capacity: 5,
      mobile: '137 0013 7005',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      roles: ['village_doctor', 'party_member'],
      homeRegionName: villageA().name,
      capacity: 5,
      mobile: '13700137005',
    });
    const cleared = (await call(townA, 'PATCH', `/api/members/${m.id}`, { capacity: null })).json();
    expect(cleared.capacity).toBeNull();
    const grid = await call(townA, 'PATCH', `/api/members/${m.id}`, { homeRegionId: gridA1().id });
    expect(grid.statusCode).toBe(400);
    expect(grid.json().errors[0]).toMatchObject({ path: '/homeRegionId', code: 'region_level' });
    const unknownRole = await call(townA, 'PATCH', `/api/members/${m.id}`, { roles: ['astronaut'] });
    expect(unknownRole.statusCode).toBe(400);
  });

  it('links an account in scope, one member per account', async () => {
    const acc = await makeAccount(t.ctx, 'party_member', villageA());
    const m1 = (await register({ name: '钱进', mobile: '13600136006', accountId: acc.id })).json();
    expect(m1.accountId).toBe(acc.id);
    const m2 = await register({ name: '孙立', mobile: '13600136007', accountId: acc.id });
    expect(m2.statusCode).toBe(409);
    expect(m2.json().code).toBe('staff.account_linked');
    const accB = await makeAccount(t.ctx, 'party_member', villageB());
    expect((await register({ name: '孙立', mobile: '13600136007', accountId: accB.id })).statusCode).toBe(
      404,
    );
  });

  it('filters by role, active and mobile digits', async () => {
    const q = async (qs: string) => (await call(townA, 'GET', `/api/members?pageSize=200&${qs}`)).json();
    expect((await q('role=village_doctor')).items.map((i: { name: string }) => i.name)).toEqual(['赵敏']);
    expect((await q('q=0013800')).items.map((i: { name: string }) => i.name)).toEqual(['张伟']);
    expect((await q('active=false')).total).toBe(0);
  });

  it('grid members cannot read the register; supervisors read but cannot write', async () => {
    const gm = (await signedIn(t, 'grid_member', gridA1())).cookie;
    expect((await call(gm, 'GET', '/api/members')).statusCode).toBe(403);
    const sup = (await signedIn(t, 'supervisor', c.county)).cookie;
    expect((await call(sup, 'GET', '/api/members')).statusCode).toBe(200);
    expect((await register({ name: '某人', mobile: '13500135008' }, sup)).statusCode).toBe(403);
    expect((await call(sup, 'GET', `/api/regions/${villageA().id}/staffing`)).statusCode).toBe(200);
  });
});

describe('grid staffing and region-level roles', () => {
  const assign = (memberId: number, regionId: number, role: string, extra: object = {}, cookie = townA) =>
    call(cookie, 'POST', '/api/responsibilities', { memberId, regionId, role, ...extra });
  let leader1: { id: number };
  let medic: { id: number };

  it('shows 1+1+N per grid and flags the grid without a medic or leader', async () => {
    leader1 = await makeMember(t.ctx, villageA(), { roles: ['grid_leader'], name: '网格长甲' });
    medic = await makeMember(t.ctx, villageA(), { roles: ['village_doctor'], name: '村医乙' });
    const gm = await makeMember(t.ctx, villageA(), { roles: ['grid_member'], name: '网格员丙' });
    expect((await assign(leader1.id, gridA1().id, 'grid_leader')).statusCode).toBe(201);
    expect((await assign(medic.id, gridA1().id, 'grid_medic')).statusCode).toBe(201);
    expect((await assign(gm.id, gridA1().id, 'grid_member')).statusCode).toBe(201);
    expect((await assign(leader1.id, gridA2().id, 'grid_leader')).statusCode).toBe(201);
    const s = (await call(townA, 'GET', `/api/regions/${villageA().id}/staffing`)).json();
    expect(s.summary).toEqual({ grids: 2, complete: 1, withoutLeader: 0, withoutMedic: 1 });
    const [g1, g2] = s.grids;
    expect(g1).toMatchObject({
      id: gridA1().id,
      leader: { name: '网格长甲', fromDate: '2023-01-06' },
      medic: { name: '村医乙' },
      members: [{ name: '网格员丙' }],
      missing: [],
    });
    expect(g2).toMatchObject({
      id: gridA2().id,
      leader: { name: '网格长甲' },
      medic: null,
      missing: ['grid_medic'],
    });
  });

  it('a second grid leader ends the first the day the new one starts', async () => {
    const leader2 = await makeMember(t.ctx, villageA(), { roles: ['grid_leader'], name: '网格长丁' });
    const res = await assign(leader2.id, gridA1().id, 'grid_leader', { fromDate: '2023-01-10' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.responsibility).toMatchObject({ memberName: '网格长丁', role: 'grid_leader', toDate: null });
    expect(body.ended).toEqual([expect.objectContaining({ memberName: '网格长甲', toDate: '2023-01-10' })]);
    const s = (await call(townA, 'GET', `/api/regions/${gridA1().id}/staffing`)).json();
    expect(s.grids[0].leader.name).toBe('网格长丁');
    // The first leader still leads grid 2; assigning what one holds changes nothing.
    const same = (await assign(leader2.id, gridA1().id, 'grid_leader')).json();
    expect(same.ended).toEqual([]);
    expect(same.responsibility.id).toBe(body.responsibility.id);
  });

  it.each([
    ['grid_leader', () => villageA().id, '“网格长”只能设在网格上'],
    ['village_secretary', () => gridA1().id, '“村（社区）书记”只能设在村（社区）上'],
    ['township_cadre', () => villageA().id, '“乡镇包联干部”只能设在乡镇（街道）上'],
  ])('refuses %s on the wrong level with 400, saying where it belongs', async (role, region, detail) => {
    const res = await assign(medic.id, region(), role);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'staff.role_level', detail });
  });

  it('county leaders on the county, township cadres on townships; outside the scope is 404', async () => {
    const lead = await makeMember(t.ctx, c.county, { roles: ['cadre'], name: '县领导' });
    expect((await assign(lead.id, c.county.id, 'county_leader', {}, county)).statusCode).toBe(201);
    expect((await assign(medic.id, c.townships[0]!.township.id, 'township_cadre')).statusCode).toBe(201);
    expect((await assign(medic.id, c.townships[1]!.township.id, 'township_cadre')).statusCode).toBe(404);
  });

  it('lists who answers for the county, each township and village above the grids; gaps flagged', async () => {
    const secretary = await makeMember(t.ctx, villageA(), { roles: ['village_secretary'], name: '书记戊' });
    expect((await assign(secretary.id, villageA().id, 'village_secretary')).statusCode).toBe(201);
    const mine = (
      await call(townA, 'GET', `/api/regions/${c.townships[0]!.township.id}/responsibilities`)
    ).json();
    expect(mine.summary).toEqual({ nodes: 2, missing: 0 });
    expect(mine.nodes).toEqual([
      expect.objectContaining({
        id: c.townships[0]!.township.id,
        level: 'township',
        role: 'township_cadre',
        missing: false,
        holders: [expect.objectContaining({ name: '村医乙', memberId: medic.id })],
      }),
      expect.objectContaining({
        id: villageA().id,
        level: 'village',
        role: 'village_secretary',
        missing: false,
        holders: [
          expect.objectContaining({
            name: '书记戊',
            responsibilityId: expect.any(Number),
            fromDate: '2023-01-06',
          }),
        ],
      }),
    ]);
    const all = (await call(county, 'GET', `/api/regions/${c.county.id}/responsibilities`)).json();
    expect(all.nodes.map((n: { level: string; missing: boolean }) => [n.level, n.missing])).toEqual([
      ['county', false],
      ['township', false],
      ['village', false],
      ['township', true],
      ['village', true],
    ]);
    expect(all.summary).toEqual({ nodes: 5, missing: 2 });
    // Another township's official sees none of it.
    const other = await call(townB, 'GET', `/api/regions/${c.townships[0]!.township.id}/responsibilities`);
    expect(other.statusCode).toBe(404);
    const theirs = (
      await call(townB, 'GET', `/api/regions/${c.townships[1]!.township.id}/responsibilities`)
    ).json();
    expect(JSON.stringify(theirs)).not.toContain('书记戊');
  });

  it('ends one responsibility; ending it again is refused', async () => {
    const s = (await call(townA, 'GET', `/api/regions/${gridA1().id}/staffing`)).json();
    const id = s.grids[0].members[0].responsibilityId;
    const ended = await call(townA, 'POST', `/api/responsibilities/${id}/end`, { reason: '调离' });
    expect(ended.json()).toMatchObject({ id, toDate: '2023-01-06' });
    const again = await call(townA, 'POST', `/api/responsibilities/${id}/end`);
    expect(again.statusCode).toBe(409);
    expect((await call(townB, 'POST', `/api/responsibilities/${id}/end`)).statusCode).toBe(404);
  });

  it('deactivating a member ends all they answer for (today in Shanghai) and says how many', async () => {
    const resident = await call(county, 'POST', '/api/residents', {
      name: '周大爷',
      birthDate: '1940-01-01',
      household: { gridId: gridA2().id, address: '东街 1 号' },
    });
    await t.ctx.db.insert(responsibility).values({
      countyCode: c.county.countyCode!,
      memberId: medic.id,
      targetType: 'resident',
      targetId: resident.json().id,
      role: 'health',
      fromDate: '2023-01-01',
      createdAt: t.ctx.clock.now(),
    });
    await assign(medic.id, gridA2().id, 'grid_medic', { fromDate: '2023-02-01' }); // starts later
    const before = (await call(townA, 'GET', `/api/members/${medic.id}`)).json();
    expect(before.responsibilities.map((r: { role: string }) => r.role).sort()).toEqual([
      'grid_medic',
      'grid_medic',
      'health',
      'township_cadre',
    ]);
    const res = await call(townA, 'POST', `/api/members/${medic.id}/deactivate`, { reason: '退休' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ended: 4, member: { active: false, openResponsibilities: 0 } });
    const rows = await t.ctx.db.select().from(responsibility).where(eq(responsibility.memberId, medic.id));
    // Ended today (Shanghai), or the day it was to start.
    expect(rows.map((r) => r.toDate).sort()).toEqual([
      '2023-01-06',
      '2023-01-06',
      '2023-01-06',
      '2023-02-01',
    ]);
    const s = (await call(townA, 'GET', `/api/regions/${villageA().id}/staffing`)).json();
    expect(s.summary.withoutMedic).toBe(2);
    expect((await call(townA, 'GET', `/api/members/${medic.id}`)).json().responsibilities).toEqual([]);
    const refused = await assign(medic.id, gridA1().id, 'grid_medic');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('staff.member_inactive');
    const active = (await call(townA, 'POST', `/api/members/${medic.id}/activate`)).json();
    expect(active).toMatchObject({ active: true, openResponsibilities: 0 });
  });
});
