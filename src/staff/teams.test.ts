// Work units and service teams over HTTP: county bureaus usable (not editable) by townships, unit
// names unique per region, no unit under its own sub-unit; teams formed with a leader, restaffed,
// disbanded, and invisible to the next township.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { makeMember } from '../../test/helpers/staff.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let county: string;
let townA: string;
let townB: string;

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { cookie } });
const names = (items: { name: string }[]) => items.map((i) => i.name);
const villageA = () => c.townships[0]!.villages[0]!.village;

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 1 });
  county = (await signedIn(t, 'official', c.county)).cookie;
  townA = (await signedIn(t, 'official', c.townships[0]!.township)).cookie;
  townB = (await signedIn(t, 'official', c.townships[1]!.township)).cookie;
});
afterAll(() => t.close());

describe('units', () => {
  let bureau: { id: number };
  let clinic: { id: number };

  it('a county bureau with its party organisation; the office phone normalised', async () => {
    const res = await call(county, 'POST', '/api/units', {
      name: '县卫生健康委员会',
      regionId: c.county.id,
      partyOrgName: '县卫健委机关党支部',
      partyOrgContact: '刘书记',
      partyOrgMobile: '0556 5551234',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ partyOrgMobile: '0556-5551234', editable: true });
    bureau = res.json();
    const bad = await call(county, 'POST', '/api/units', {
      name: '某局',
      regionId: c.county.id,
      partyOrgMobile: '12',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/partyOrgMobile');
    const dup = await call(county, 'POST', '/api/units', { name: '县卫生健康委员会', regionId: c.county.id });
    expect(dup.json().code).toBe('staff.unit_name_taken');
  });

  it("a township sees the county's units read-only and its own; the next township sees neither of A's", async () => {
    const res = await call(townA, 'POST', '/api/units', {
      name: '镇卫生院',
      regionId: c.townships[0]!.township.id,
      parentId: bureau.id,
    });
    expect(res.statusCode).toBe(201);
    clinic = res.json();
    const listA = (await call(townA, 'GET', '/api/units')).json();
    expect(listA.map((u: { name: string; editable: boolean }) => [u.name, u.editable])).toEqual([
      ['县卫生健康委员会', false],
      ['镇卫生院', true],
    ]);
    expect(names((await call(townB, 'GET', '/api/units')).json())).toEqual(['县卫生健康委员会']);
    expect((await call(townA, 'PATCH', `/api/units/${bureau.id}`, { name: '改名' })).statusCode).toBe(404);
    expect((await call(townB, 'PATCH', `/api/units/${clinic.id}`, { name: '改名' })).statusCode).toBe(404);
  });

  it('a unit cannot move under its own sub-unit', async () => {
    const res = await call(county, 'PATCH', `/api/units/${bureau.id}`, { parentId: clinic.id });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('staff.unit_cycle');
    const renamed = await call(townA, 'PATCH', `/api/units/${clinic.id}`, {
      name: '镇中心卫生院',
      parentId: null,
    });
    expect(renamed.json()).toMatchObject({ name: '镇中心卫生院', parentId: null });
  });

  it("a member of a county bureau shows the unit's party organisation (their escalation point)", async () => {
    const res = await call(townA, 'POST', '/api/members', {
      name: '下沉干部甲',
      mobile: '13800000001',
      roles: ['cadre', 'party_member'],
      regionId: villageA().id,
      unitId: bureau.id,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ unitName: '县卫生健康委员会', unitPartyOrg: '县卫健委机关党支部' });
    const byUnit = (await call(townA, 'GET', `/api/members?unitId=${bureau.id}`)).json();
    expect(names(byUnit.items)).toEqual(['下沉干部甲']);
  });
});

describe('teams', () => {
  let team: { id: number };
  let m: { id: number }[];

  it('forms a team with members and a leader', async () => {
    m = [];
    for (const name of ['队员一', '队员二', '队员三'])
      m.push(await makeMember(t.ctx, villageA(), { roles: ['volunteer'], name }));
    const res = await call(townA, 'POST', '/api/teams', {
      name: '暖心服务队',
      regionId: villageA().id,
      memberIds: [m[0]!.id, m[1]!.id],
      leaderId: m[0]!.id,
    });
    expect(res.statusCode).toBe(201);
    team = res.json();
    expect(res.json()).toMatchObject({ name: '暖心服务队', active: true, leader: { name: '队员一' } });
    expect(names(res.json().members)).toEqual(['队员一', '队员二']);
    const dup = await call(townA, 'POST', '/api/teams', { name: '暖心服务队', regionId: villageA().id });
    expect(dup.json().code).toBe('staff.team_name_taken');
  });

  it('a new leader replaces the old; a member leaves; leaving twice is 404', async () => {
    const res = await call(townA, 'POST', `/api/teams/${team.id}/members`, {
      memberId: m[2]!.id,
      leader: true,
    });
    expect(res.json().leader.name).toBe('队员三');
    expect(res.json().members.filter((p: { leader: boolean }) => p.leader)).toHaveLength(1);
    expect((await call(townA, 'DELETE', `/api/teams/${team.id}/members/${m[1]!.id}`)).statusCode).toBe(204);
    expect((await call(townA, 'DELETE', `/api/teams/${team.id}/members/${m[1]!.id}`)).statusCode).toBe(404);
    const [listed] = (await call(townA, 'GET', `/api/teams?regionId=${villageA().id}`)).json();
    expect(names(listed.members)).toEqual(['队员三', '队员一']);
  });

  it('township B neither sees nor changes the team', async () => {
    expect((await call(townB, 'GET', '/api/teams')).json()).toEqual([]);
    expect((await call(townB, 'PATCH', `/api/teams/${team.id}`, { name: 'x' })).statusCode).toBe(404);
    expect(
      (await call(townB, 'POST', `/api/teams/${team.id}/members`, { memberId: m[1]!.id })).statusCode,
    ).toBe(404);
  });

  it('renames, then disbands: no new members, gone from the active list', async () => {
    const renamed = await call(townA, 'PATCH', `/api/teams/${team.id}`, { name: '东门村服务小分队' });
    expect(renamed.json().name).toBe('东门村服务小分队');
    expect((await call(townA, 'PATCH', `/api/teams/${team.id}`, { active: false })).json().active).toBe(
      false,
    );
    const added = await call(townA, 'POST', `/api/teams/${team.id}/members`, { memberId: m[1]!.id });
    expect(added.statusCode).toBe(409);
    expect(added.json().code).toBe('staff.team_inactive');
    expect((await call(townA, 'GET', '/api/teams?active=true')).json()).toEqual([]);
    expect((await call(county, 'GET', '/api/teams?active=false')).json()).toHaveLength(1);
  });
});
