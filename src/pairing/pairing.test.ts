// Pairing on a real database: proposals that respect village, grid medic, capacity and households;
// confirming whole or in part; coverage and gaps; deactivation reopening gaps; cards and their codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { member, responsibility, unit } from '../staff/schema.ts';
import { makeCounty, makeMember, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import { issueCards } from './cards.ts';
import { proposeContacts } from './rules.ts';
import { pairingProposalItem } from './schema.ts';
import type { Actor } from '../platform/access.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let official: string;
let actor: Actor;

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, cookie = official) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

const addMember = (
  region: { id: number },
  roles: string[],
  name: string,
  extra: Partial<typeof member.$inferInsert> = {},
) => makeMember(t.ctx, { countyCode: c.county.countyCode!, name, roles, region, extra });

async function holds(
  m: { id: number },
  region: { id: number },
  role: 'grid_medic' | 'village_secretary' | 'grid_leader',
) {
  await t.ctx.db.insert(responsibility).values({
    countyCode: c.county.countyCode!,
    memberId: m.id,
    targetType: 'region',
    targetId: region.id,
    role,
    fromDate: '2023-01-01',
    createdAt: t.ctx.clock.now(),
  });
}

async function addResident(grid: { id: number }, address: string, name: string, birthDate: string) {
  const res = await call('POST', '/api/residents', {
    name,
    birthDate,
    vaccination: 'full',
    household: { gridId: grid.id, address },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; householdId: number; colour: string };
}

const v1 = () => c.townships[0]!.villages[0]!;
const v2 = () => c.townships[0]!.villages[1]!;
let partyA: { id: number };
let partyB: { id: number };
let medic: { id: number };

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 2, gridsPer: 2 });
  const s = await signedIn(t, 'official', c.county);
  official = s.cookie;
  actor = s.actor;
  const [u] = await t.ctx.db
    .insert(unit)
    .values({
      regionId: c.county.id,
      name: '县卫健委',
      partyOrgName: '县卫健委机关党支部',
      partyOrgMobile: '05565550001',
      createdAt: t.ctx.clock.now(),
      updatedAt: t.ctx.clock.now(),
    })
    .returning();
  partyA = await addMember(v1().village, ['party_member', 'cadre'], '党员甲', { unitId: u!.id, capacity: 2 });
  partyB = await addMember(v1().village, ['party_member'], '党员乙', { capacity: 2 });
  medic = await addMember(v1().grids[0]!, ['grid_medic', 'party_member'], '网格医生', { capacity: 0 });
  await holds(medic, v1().grids[0]!, 'grid_medic');
  await addMember(v1().village, ['village_doctor'], '村医');
  const secretary = await addMember(v1().village, ['village_secretary', 'party_member'], '村书记', {
    capacity: 0,
  });
  await holds(secretary, v1().village, 'village_secretary');
  await holds(await addMember(v1().grids[0]!, ['grid_leader'], '网格长'), v1().grids[0]!, 'grid_leader');
  // Village 1: three elderly households (key), one young household (not key).
  await addResident(v1().grids[0]!, '一组1号', '张大爷', '1940-01-01');
  await addResident(v1().grids[0]!, '一组1号', '张奶奶', '1942-02-02');
  await addResident(v1().grids[0]!, '一组2号', '李大爷', '1945-03-03');
  await addResident(v1().grids[1]!, '二组5号', '王奶奶', '1938-04-04');
  await addResident(v1().grids[1]!, '二组6号', '赵青年', '1995-05-05');
  // Village 2 has a key resident but nobody to pair with.
  await addResident(v2().grids[0]!, '三组1号', '孙大爷', '1941-06-06');
});
afterAll(() => t.close());

describe('coverage and proposals', () => {
  it('starts with every key resident a gap; the young are not key', async () => {
    const cov = (await call('GET', `/api/regions/${c.county.id}/pairing/coverage`)).json();
    expect(cov.total).toMatchObject({ key: 5, complete: 0, lackHelp: 5, lackHealth: 5, lackLivelihood: 5 });
    const gaps = (await call('GET', `/api/regions/${c.county.id}/pairing/gaps`)).json();
    expect(gaps.map((g: { name: string }) => g.name)).not.toContain('赵青年');
  });

  it('proposes by the rules, with reasons; a household stays with one party member', async () => {
    const created = (
      await call('POST', `/api/regions/${c.townships[0]!.township.id}/pairing/proposals`)
    ).json();
    expect(created).toMatchObject({ keyResidents: 5, gaps: 15 });
    const p = (await call('GET', `/api/pairing/proposals/${created.id}`)).json();
    const item = (name: string, role: string) =>
      p.items.find(
        (i: { resident_name: string; role: string }) => i.resident_name === name && i.role === role,
      );
    // The grid's own medical worker for grid 1, the village doctor for grid 2.
    expect(item('张大爷', 'health').member_name).toBe('网格医生');
    expect(item('王奶奶', 'health').member_name).toBe('村医');
    expect(item('张大爷', 'livelihood').member_name).toBe('村书记');
    expect(item('张大爷', 'livelihood').reason).toContain('本村党组织书记');
    // The couple at 一组1号 share a party member; capacity 2 households each spreads the rest.
    expect(item('张大爷', 'help').member_name).toBe(item('张奶奶', 'help').member_name);
    const helpers = ['张大爷', '李大爷', '王奶奶'].map((n) => item(n, 'help').member_name);
    expect(new Set(helpers)).toEqual(new Set(['党员甲', '党员乙']));
    // Village 2 has no secretary (only its own may be): the gap stays, and says who would fit.
    expect(item('孙大爷', 'livelihood')).toMatchObject({ member_id: null });
    expect(item('孙大爷', 'livelihood').reason).toBe(
      '没有符合条件的人员（本村党组织书记、本村书记或第一书记）',
    );
    // The same proposal read in English gives every reason in English.
    const en = (
      await t.app.inject({
        method: 'GET',
        url: `/api/pairing/proposals/${created.id}`,
        headers: { cookie: official, 'accept-language': 'en-US,en;q=0.9' },
      })
    ).json();
    const enItem = (name: string, role: string) =>
      en.items.find(
        (i: { resident_name: string; role: string }) => i.resident_name === name && i.role === role,
      );
    expect(enItem('张大爷', 'livelihood').reason).toMatch(/^secretary of the village; load now \d+\/\d+$/);
    expect(enItem('张大爷', 'health').reason).toContain("the grid's medical worker");
    expect(enItem('孙大爷', 'livelihood').reason).toBe(
      'nobody suitable (secretary of the village; secretary or first secretary of the village)',
    );
    expect(en.items.map((i: { reason: string }) => i.reason).join('')).not.toMatch(/[\u4e00-\u9fff]/);
    expect(en.items.some((i: { reason_en?: unknown }) => 'reason_en' in i)).toBe(false);
    // Items proposed before English was kept show their Chinese reason in English too.
    await t.ctx.db
      .update(pairingProposalItem)
      .set({ reasonEn: null })
      .where(eq(pairingProposalItem.proposalId, created.id));
    const old = (
      await t.app.inject({
        method: 'GET',
        url: `/api/pairing/proposals/${created.id}`,
        headers: { cookie: official, 'accept-language': 'en' },
      })
    ).json();
    expect(old.items.map((i: { reason: string }) => i.reason)).toEqual(
      p.items.map((i: { reason: string }) => i.reason),
    );
  });

  it('confirming part assigns only those items; coverage follows', async () => {
    const created = (await call('POST', `/api/regions/${v1().village.id}/pairing/proposals`)).json();
    const p = (await call('GET', `/api/pairing/proposals/${created.id}`)).json();
    const healthOnly = p.items
      .filter((i: { role: string }) => i.role === 'health')
      .map((i: { id: number }) => i.id);
    expect(
      (await call('POST', `/api/pairing/proposals/${created.id}/confirm`, { accept: healthOnly })).json(),
    ).toEqual({
      assigned: 4,
    });
    const again = await call('POST', `/api/pairing/proposals/${created.id}/confirm`, { accept: 'all' });
    expect(again.json().code).toBe('pairing.proposal_closed');
    const cov = (await call('GET', `/api/regions/${v1().village.id}/pairing/coverage`)).json();
    expect(cov.total).toMatchObject({ key: 4, complete: 0, lackHealth: 0, lackHelp: 4 });
  });

  it('confirming all reaches 100 % in village 1; existing pairs are kept', async () => {
    const created = (await call('POST', `/api/regions/${v1().village.id}/pairing/proposals`)).json();
    expect(created.gaps).toBe(8); // help and livelihood for four residents; health is done
    await call('POST', `/api/pairing/proposals/${created.id}/confirm`, { accept: 'all' });
    const cov = (await call('GET', `/api/regions/${v1().village.id}/pairing/coverage`)).json();
    expect(cov.total).toMatchObject({ key: 4, complete: 4, coverage: 1 });
    const county = (await call('GET', `/api/regions/${c.county.id}/pairing/coverage`)).json();
    expect(county.children[0]).toMatchObject({ key: 5, complete: 4 });
  });

  it("a resident's contacts and chain: contacts, grid leader, village secretary; the unit's party organisation", async () => {
    const list = (await call('GET', `/api/residents?q=${encodeURIComponent('张大爷')}`)).json();
    const r = (await call('GET', `/api/residents/${list.items[0].id}/contacts`)).json();
    expect(r.contacts.health.name).toBe('网格医生');
    expect(r.contacts.livelihood.name).toBe('村书记');
    expect(r.chain.map((x: { role: string }) => x.role)).toEqual([
      'help',
      'health',
      'livelihood',
      'grid_leader',
      'village_secretary',
    ]);
    const help = r.chain.find((x: { role: string }) => x.role === 'help');
    if (help.name === '党员甲')
      expect(help.partyOrg).toEqual({ name: '县卫健委机关党支部', mobile: '05565550001' });
  });

  it('deactivating a member turns their residents back into gaps', async () => {
    await t.ctx.db.update(member).set({ active: false }).where(eq(member.id, partyA.id));
    const cov = (await call('GET', `/api/regions/${v1().village.id}/pairing/coverage`)).json();
    expect(cov.total.complete).toBeLessThan(4);
    expect(cov.total.lackHelp).toBe(4 - cov.total.complete);
    const loads = (await call('GET', `/api/regions/${v1().village.id}/pairing/loads`)).json();
    expect(loads.overCapacity).toEqual([]);
    await t.ctx.db.update(member).set({ active: true }).where(eq(member.id, partyA.id));
  });

  it('a manual assignment replaces the previous contact and is checked for the role', async () => {
    const list = (await call('GET', `/api/residents?q=${encodeURIComponent('王奶奶')}`)).json();
    const id = list.items[0].id;
    const bad = await call('PUT', `/api/residents/${id}/contacts/health`, { memberId: partyB.id });
    expect(bad.statusCode).toBe(400);
    expect(
      (await call('PUT', `/api/residents/${id}/contacts/health`, { memberId: medic.id, reason: '就近' }))
        .statusCode,
    ).toBe(200);
    const r = (await call('GET', `/api/residents/${id}/contacts`)).json();
    expect(r.contacts.health.name).toBe('网格医生');
    expect(r.chain.filter((x: { role: string }) => x.role === 'health')).toHaveLength(1);
  });
});

describe('cards', () => {
  it('prints A4 sheets with the three contacts and a QR code for each key resident', async () => {
    const res = await call('POST', '/api/cards/print', { regionId: v1().village.id });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html.match(/class="card"/g)).toHaveLength(4);
    for (const s of [
      '党员+“家”连心卡',
      '遇事无助找同志',
      '头疼脑热找大夫',
      '生活困难找村长',
      '24小时开机',
      '村书记',
      '<svg',
    ]) {
      expect(html).toContain(s);
    }
    // Printing again prints only residents still without a valid card.
    const again = await call('POST', '/api/cards/print', { regionId: v1().village.id });
    expect(again.body.match(/class="card"/g)).toBeNull();
  });

  it("a card's address opens the resident's page; reissuing revokes the old code (404)", async () => {
    const [first] = await issueCards(t.ctx, actor, { regionId: v2().village.id });
    const page = await t.app.inject({ method: 'GET', url: `/c/${first!.token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('孙**');
    expect(page.body).toContain('正在为您安排'); // no contacts yet in village 2
    const [second] = await issueCards(t.ctx, actor, { regionId: v2().village.id, reissue: true });
    expect((await t.app.inject({ method: 'GET', url: `/c/${first!.token}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/c/${second!.token}` })).statusCode).toBe(200);
    const api = await t.app.inject({ method: 'GET', url: `/api/public/cards/${first!.token}` });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('card.not_found');
  });

  it('a revoked card answers 404', async () => {
    const [card] = await issueCards(t.ctx, actor, { regionId: v2().village.id, reissue: true });
    const r = await call('POST', `/api/residents/${card!.residentId}/card/revoke`, { reason: '遗失' });
    expect(r.json()).toEqual({ revoked: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/c/${card!.token}` })).statusCode).toBe(404);
  });
});

describe('the reason a gap stays open', () => {
  const gap = {
    residentId: 1,
    householdId: 1,
    gridId: 3,
    villageId: 2,
    townshipId: 1,
    role: 'help' as const,
  };
  const party = (capacity: number, villageId: number) => ({
    memberId: 7,
    name: '党员',
    fills: ['help' as const],
    villageId,
    townshipId: 1,
    medicOfGrids: [],
    secretaryOfVillages: [],
    capacity: { help: capacity, health: 0, livelihood: 0 },
    load: { help: capacity, health: 0, livelihood: 0 },
    helpHouseholds: new Set<number>(),
  });

  it('says everyone suitable is at capacity when someone fits but is full', () => {
    const [p] = proposeContacts([gap], [party(2, 2)]);
    expect(p).toMatchObject({ memberId: null, reason: { zh: '符合条件的人员均已满负荷' } });
  });

  it('names who would fit when nobody does', () => {
    const [p] = proposeContacts([{ ...gap, townshipId: 9 }], [party(2, 2)]);
    expect(p!.reason.zh).toBe('没有符合条件的人员（同户已由其包联、同村党员、同乡镇党员）');
  });
});
