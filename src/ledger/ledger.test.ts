// The ledger's use cases over HTTP on a real database: adding residents with checked identities,
// colours by the rules and by hand with history, masking and audited reveals, scope, surveys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvent } from '../platform/audit/schema.ts';
import { idCheckDigit } from '../platform/identity.ts';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let official: string;
let doctor: string;
let townB: string;
let supervisor: string;

/** A valid 18-digit ID for a birth date and sex, with the check digit computed. */
function idFor(birth: string, sex: 'M' | 'F', seq = 1): string {
  const n = String(seq * 2 + (sex === 'M' ? 1 : 0)).padStart(3, '0');
  const body = `340828${birth.replaceAll('-', '')}${n}`;
  return body + idCheckDigit(body);
}

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 2 });
  official = (await signedIn(t, 'official', c.county)).cookie;
  doctor = (await signedIn(t, 'doctor', c.townships[0]!.villages[0]!.grids[0]!)).cookie;
  townB = (await signedIn(t, 'official', c.townships[1]!.township)).cookie;
  supervisor = (await signedIn(t, 'supervisor', c.county)).cookie;
});
afterAll(() => t.close());

const gridA = () => c.townships[0]!.villages[0]!.grids[0]!;

async function addResident(body: object, cookie = official) {
  const res = await call(cookie, 'POST', '/api/residents', {
    household: { gridId: gridA().id, address: '城西村 3 组 12 号' },
    ...body,
  });
  return res;
}

describe('adding residents', () => {
  it('derives birth date and sex from the ID number and colours by the default rule', async () => {
    // 82 years old (2 points), unstable disease (2), partly vaccinated (1) = 5 → red.
    const res = await addResident({
      name: '王桂英',
      idNumber: idFor('1940-03-02', 'F').toLowerCase(),
      phones: '+86 138-0013-8000',
      conditions: [{ name: '高血压', state: 'unstable' }],
      vaccination: 'partial',
      categories: ['living_alone'],
    });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      name: '王桂英',
      sex: 'F',
      birthDate: '1940-03-02',
      age: 82,
      colour: 'red',
      colourScore: 5,
    });
    expect(r.idNumber).toMatch(/^340828\*{8}\d{3}[\dX]$/);
    expect(r.phones).toEqual(['138****8000']);
    expect(r.categories).toEqual(expect.arrayContaining(['living_alone', 'elderly']));
    const hh = (await call(official, 'GET', `/api/households/${r.householdId}`)).json();
    expect(hh.colour).toBe('red');
    // Every village has a 第1网格: the pages say which township's village it is in.
    const where = ['第1镇', '1镇1村', '第1网格'];
    expect(hh.place).toEqual(where);
    expect((await call(official, 'GET', `/api/residents/${r.id}`)).json().household.place).toEqual(where);
  });

  it('a pregnant woman is at least yellow whatever her score', async () => {
    const r = (
      await addResident({
        name: '李娟',
        idNumber: idFor('1995-06-01', 'F', 7),
        vaccination: 'full',
        pregnancyDueDate: '2023-03-10',
      })
    ).json();
    expect(r).toMatchObject({ colour: 'yellow', colourScore: 0 });
    expect(r.categories).toContain('pregnant');
  });

  it.each([
    ['a wrong check digit', { idNumber: '34082819400302002X' }, '/idNumber', 'id.checksum'],
    [
      'a sex that contradicts the ID',
      { idNumber: idFor('1950-01-01', 'M', 3), sex: 'F' },
      '/sex',
      'id.mismatch',
    ],
    ['a bad phone', { phones: '5551234' }, '/phones', 'phone.invalid'],
    ['an unknown category', { categories: ['astronaut'] }, '/categories', 'enum'],
  ])('rejects %s with the field named, and adds nothing', async (_what, body, path, code) => {
    const before = (await call(official, 'GET', '/api/residents?pageSize=1')).json().total;
    const res = await addResident({ name: '赵强', ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
    expect((await call(official, 'GET', '/api/residents?pageSize=1')).json().total).toBe(before);
  });

  it('one resident per ID number: adding them again is refused', async () => {
    const id = idFor('1960-05-05', 'M', 9);
    expect((await addResident({ name: '陈国华', idNumber: id })).statusCode).toBe(201);
    const again = await addResident({ name: '陈国华', idNumber: id });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ledger.resident_exists');
  });

  it('a resident without an ID number is allowed and flagged', async () => {
    const r = (await addResident({ name: '刘宝宝', birthDate: '2022-10-01', sex: 'M' })).json();
    expect(r).toMatchObject({ idMissing: true, idNumber: null, age: 0, colour: 'yellow' }); // infant floor
  });
});

describe('colour', () => {
  it('changes with the inputs and keeps the history; a doctor overrides with a reason', async () => {
    const r = (
      await addResident({ name: '周文', idNumber: idFor('1950-02-02', 'M', 11), vaccination: 'full' })
    ).json();
    expect(r.colour).toBe('green'); // 72: 1 point
    const edited = (await call(official, 'PATCH', `/api/residents/${r.id}`, { vaccination: 'none' })).json();
    expect(edited.colour).toBe('yellow'); // 1 + 2 = 3
    const missingReason = await call(doctor, 'POST', `/api/residents/${r.id}/colour`, {
      colour: 'red',
      reason: ' ',
    });
    expect(missingReason.statusCode).toBe(400);
    t.ctx.clock.advance(60_000);
    const over = await call(doctor, 'POST', `/api/residents/${r.id}/colour`, {
      colour: 'red',
      reason: '血氧 91%',
    });
    expect(over.json()).toMatchObject({ colour: 'red', colourOverride: 'red' });
    // An edit that lowers the score does not undo the doctor's override.
    const after = (await call(official, 'PATCH', `/api/residents/${r.id}`, { vaccination: 'full' })).json();
    expect(after.colour).toBe('red');
    const detail = (await call(official, 'GET', `/api/residents/${r.id}`)).json();
    expect(detail.colourHistory.map((h: { to: string; source: string }) => `${h.source}:${h.to}`)).toEqual([
      'override:red',
      'rule:yellow',
      'rule:green',
    ]);
    expect(detail.colourHistory[0].reason).toBe('血氧 91%');
    const lifted = (
      await call(doctor, 'POST', `/api/residents/${r.id}/colour`, { colour: null, reason: '复查正常' })
    ).json();
    expect(lifted).toMatchObject({ colour: 'green', colourOverride: null });
  });

  it('a grid member may not override a colour', async () => {
    const gm = (await signedIn(t, 'grid_member', gridA())).cookie;
    const r = (await addResident({ name: '吴敏', birthDate: '1980-01-01' })).json();
    expect(
      (await call(gm, 'POST', `/api/residents/${r.id}/colour`, { colour: 'red', reason: 'x' })).statusCode,
    ).toBe(403);
  });

  it('saving county rules re-colours residents; the preview counts them first', async () => {
    const rules = (await call(official, 'GET', `/api/regions/${c.county.id}/colour-rules`)).json().rules;
    // A stricter county: yellow already from 1 point.
    rules.scoreBands = [
      { min: 0, max: 0, colour: 'green' },
      { min: 1, max: 3, colour: 'yellow' },
      { min: 4, max: null, colour: 'red' },
    ];
    const preview = (
      await call(official, 'POST', `/api/regions/${c.county.id}/colour-rules/preview`, { rules })
    ).json();
    expect(preview.moved).toBeGreaterThan(0);
    const saved = (await call(official, 'PUT', `/api/regions/${c.county.id}/colour-rules`, { rules })).json();
    expect(saved.moved).toBe(preview.moved);
    const greens = (await call(official, 'GET', '/api/residents?colour=green&pageSize=200')).json();
    expect(greens.items.every((r: { colourScore: number }) => r.colourScore === 0)).toBe(true);
  });

  it('rejects rules with a gap in the bands, naming the path', async () => {
    const rules = (await call(official, 'GET', `/api/regions/${c.county.id}/colour-rules`)).json().rules;
    rules.scoreBands = [
      { min: 0, max: 1, colour: 'green' },
      { min: 3, max: null, colour: 'red' },
    ];
    const res = await call(official, 'PUT', `/api/regions/${c.county.id}/colour-rules`, { rules });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ledger.rules_invalid');
    expect(res.json().errors[0].path).toMatch(/scoreBands/);
  });
});

describe('privacy and scope', () => {
  it('a reveal shows the full ID and is audited with its reason', async () => {
    const id = idFor('1945-09-09', 'M', 21);
    const r = (await addResident({ name: '孙建国', idNumber: id, phones: '13900001111' })).json();
    const res = await call(doctor, 'POST', `/api/residents/${r.id}/reveal`, {
      field: 'idNumber',
      reason: '上门核对',
    });
    expect(res.json()).toEqual({ idNumber: id });
    const rows = await t.ctx.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'resident.reveal'), eq(auditEvent.targetId, String(r.id))));
    expect(rows).toMatchObject([{ reason: '上门核对', after: { field: 'idNumber' } }]);
    // No audit row ever holds the full number.
    const all = await t.ctx.db.select().from(auditEvent);
    expect(JSON.stringify(all)).not.toContain(id);
  });

  it('a supervisor sees masked names and cannot reveal', async () => {
    const list = (await call(supervisor, 'GET', '/api/residents?q=孙')).json();
    expect(list.items[0].name).toBe('孙**');
    const res = await call(supervisor, 'POST', `/api/residents/${list.items[0].id}/reveal`, {
      field: 'phones',
    });
    expect(res.statusCode).toBe(403);
  });

  it("township B's official can neither list nor open A's residents", async () => {
    const mine = (await call(official, 'GET', '/api/residents?pageSize=200')).json();
    expect(mine.total).toBeGreaterThan(0);
    expect((await call(townB, 'GET', '/api/residents')).json().total).toBe(0);
    const someone = mine.items[0];
    expect((await call(townB, 'GET', `/api/residents/${someone.id}`)).statusCode).toBe(404);
    expect((await call(townB, 'GET', `/api/households/${someone.householdId}`)).statusCode).toBe(404);
    expect(
      (await call(townB, 'GET', `/api/residents?regionId=${c.townships[0]!.township.id}`)).statusCode,
    ).toBe(404);
    expect((await call(townB, 'PATCH', `/api/residents/${someone.id}`, { name: 'x' })).statusCode).toBe(404);
  });

  it('filters: colour, category, age band, search by name, phone and ID tail', async () => {
    const q = async (qs: string) => (await call(official, 'GET', `/api/residents?pageSize=200&${qs}`)).json();
    const reds = await q('colour=red');
    expect(reds.items.every((r: { colour: string }) => r.colour === 'red')).toBe(true);
    const elderly = await q('category=elderly');
    expect(elderly.items.length).toBeGreaterThan(0);
    expect(elderly.items.every((r: { age: number }) => r.age >= 65)).toBe(true);
    const band = await q('ageMin=70&ageMax=79');
    expect(band.items.map((r: { age: number }) => r.age).every((a: number) => a >= 70 && a <= 79)).toBe(true);
    const upsideDown = await t.app.inject({
      url: '/api/residents?ageMin=80&ageMax=60',
      headers: { cookie: official, 'accept-language': 'zh-CN' },
    });
    expect(upsideDown.statusCode).toBe(400);
    expect(upsideDown.json().errors).toEqual([
      { path: '/ageMin', code: 'age_band', message: '最小年龄（80）不能大于最大年龄（60）' },
    ]);
    expect((await q(`q=${encodeURIComponent('王桂')}`)).items.map((r: { name: string }) => r.name)).toEqual([
      '王桂英',
    ]);
    expect((await q('q=13900001111')).items.map((r: { name: string }) => r.name)).toEqual(['孙建国']);
    const tail = idFor('1945-09-09', 'M', 21).slice(-6);
    expect((await q(`q=${tail}`)).items.map((r: { name: string }) => r.name)).toEqual(['孙建国']);
  });
});

describe('survey', () => {
  it('coverage counts surveyed households per child; the to-do list shrinks', async () => {
    const village = c.townships[0]!.villages[0]!.village;
    const before = (await call(official, 'GET', `/api/regions/${village.id}/survey-coverage`)).json();
    expect(before.total.known).toBeGreaterThan(0);
    expect(before.total.surveyed).toBe(0);
    const todo = (await call(official, 'GET', `/api/regions/${village.id}/households-to-survey`)).json();
    const res = await call(doctor, 'POST', `/api/households/${todo[0].id}/surveys`, { membersConfirmed: 3 });
    expect(res.statusCode).toBe(201);
    const after = (await call(official, 'GET', `/api/regions/${village.id}/survey-coverage`)).json();
    expect(after.total.surveyed).toBe(1);
    const grid = after.children.find((g: { id: number }) => g.id === gridA().id);
    expect(grid).toMatchObject({ known: before.total.known, surveyed: 1, recent: 1 });
    const todo2 = (await call(official, 'GET', `/api/regions/${village.id}/households-to-survey`)).json();
    expect(todo2.map((h: { id: number }) => h.id)).not.toContain(todo[0].id);
    // Forty days later the survey is stale again.
    t.ctx.clock.advance(40 * 86_400_000);
    const fresh = (await signedIn(t, 'official', c.county)).cookie; // the old sessions expired meanwhile
    const stale = (
      await call(fresh, 'GET', `/api/regions/${village.id}/survey-coverage?staleDays=30`)
    ).json();
    expect(stale.total).toMatchObject({ surveyed: 1, recent: 0 });
  });
});
