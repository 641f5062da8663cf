// Seeding the small demo into a fresh database: a ledger in every grid with valid IDs and rule-made
// colours, staff in every village and grid, pairing complete but for one village, orders in every
// state with escalations, and the demo sign-ins finding their own orders.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testWorld } from '../../test/helpers/world.ts';
import { COLOUR_RANK, type Colour } from '../ledger/colour.ts';
import { countyRules, evaluate } from '../ledger/service.ts';
import { resolveCard } from '../pairing/cards.ts';
import { coverage, settingsOf } from '../pairing/service.ts';
import { systemActor } from '../platform/access.ts';
import { checkIdNumber } from '../platform/identity.ts';
import { gridStaffing } from '../staff/service.ts';
import { DEMO_HOTLINE } from './seed/pairing.ts';
import { seedDemo } from './seed.ts';
import { DEMO_PASSWORD, type DemoWorld } from './world.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let world: DemoWorld;
const sys = systemActor('test');
const rows = async <T>(q: ReturnType<typeof sql>) =>
  (await t.ctx.db.execute<T & Record<string, unknown>>(q)).rows;
const idOf = async (code: string) =>
  Number((await rows<{ id: number }>(sql`select id from region where code = ${code}`))[0]!.id);

beforeAll(async () => {
  t = await testWorld();
  world = await seedDemo(t.ctx, 'small', 1);
}, 120_000);
afterAll(async () => t?.close());

describe('seedDemo small: the ledger', () => {
  it('puts 15–25 residents in every grid, most with a valid ID number of the county', async () => {
    const perGrid = await rows<{ code: string; n: number }>(sql`
      select g.code, count(r.id)::int as n from region g left join resident r on r.grid_id = g.id
      where g.level = 'grid' group by g.code`);
    expect(perGrid).toHaveLength(world.regions.filter((r) => r.level === 'grid').length);
    for (const g of perGrid) expect(g.n, g.code).toBeGreaterThanOrEqual(15);
    for (const g of perGrid) expect(g.n, g.code).toBeLessThanOrEqual(25);

    const people = await rows<{
      id_number: string | null;
      birth_date: string;
      sex: 'M' | 'F';
      phones: string[];
    }>(sql`select id_number, birth_date::text, sex, phones from resident`);
    const today = t.ctx.clock.now();
    const withId = people.filter((p) => p.id_number !== null);
    expect(withId.length / people.length).toBeGreaterThan(0.95);
    for (const p of withId) {
      const c = checkIdNumber(p.id_number!, { today });
      expect(c.ok, p.id_number!).toBe(true);
      if (c.ok) expect([c.birthDate, c.sex, c.regionCode]).toEqual([p.birth_date, p.sex, '340828']);
    }
    // Only babies lack one (户口 not registered yet).
    for (const p of people.filter((x) => x.id_number === null))
      expect(today.getTime() - Date.parse(p.birth_date)).toBeLessThan(366 * 86_400_000);
    // Demo numbers only: the 171 virtual-operator block.
    for (const p of people) for (const phone of p.phones) expect(phone).toMatch(/^171\d{8}$/);
  });

  it('colours everyone by the county rules, with a history row, and households by their worst member', async () => {
    const people = await rows<{
      colour: Colour;
      colour_score: number;
      birth_date: string;
      conditions: { name: string; state: 'stable' | 'unstable' }[];
      vaccination: 'full' | 'partial' | 'none' | null;
      categories: string[];
      first: Colour | null;
      household_colour: Colour;
    }>(sql`
      select r.colour, r.colour_score, r.birth_date::text, r.conditions, r.vaccination, r.categories,
        h.colour as household_colour,
        (select c.to_colour from colour_change c where c.resident_id = r.id and c.source = 'rule') as first
      from resident r join household h on h.id = r.household_id`);
    const county = await countyRules(t.ctx.db, '340828');
    const now = t.ctx.clock.now();
    for (const p of people) {
      const birthDate = p.birth_date;
      expect(evaluate(county, { ...p, birthDate }, now)).toEqual({ colour: p.colour, score: p.colour_score });
      expect(p.first).toBe(p.colour);
      expect(COLOUR_RANK[p.household_colour]).toBeGreaterThanOrEqual(COLOUR_RANK[p.colour]);
    }
    const share = (c: Colour) => people.filter((p) => p.colour === c).length / people.length;
    expect(share('red')).toBeGreaterThan(0.03);
    expect(share('yellow')).toBeGreaterThan(0.15);
    expect(share('green')).toBeGreaterThan(0.3);
  });

  it('has about 60 % of households surveyed in the last month', async () => {
    const [r] = await rows<{ recent: number; all: number }>(sql`
      select count(*) filter (where last_surveyed_at >= ${new Date(t.ctx.clock.now().getTime() - 30 * 86_400_000)})::int as recent,
        count(*)::int as all from household`);
    expect(r!.recent / r!.all).toBeGreaterThan(0.4);
    expect(r!.recent / r!.all).toBeLessThan(0.8);
  });
});

describe('seedDemo small: staff and pairing', () => {
  it('gives every village a secretary and a doctor, and every grid its leader and medic (1+1)', async () => {
    const villages = world.regions.filter((r) => r.level === 'village');
    for (const v of villages) {
      const id = await idOf(v.code);
      const [s] = await rows<{ secretaries: number; doctors: number }>(sql`
        select (select count(*) from responsibility where target_type = 'region' and target_id = ${id}
                  and role = 'village_secretary' and to_date is null)::int as secretaries,
          (select count(*) from member where region_id = ${id} and 'village_doctor' = any(roles))::int as doctors`);
      expect(s, v.name).toEqual({ secretaries: 1, doctors: 1 });
    }
    const staffing = await gridStaffing(t.ctx, sys, await idOf(world.regions[0]!.code));
    expect(staffing.summary.complete).toBe(staffing.summary.grids);
    const mobiles = await rows<{ mobile: string }>(sql`select mobile from member`);
    for (const m of mobiles) expect(m.mobile).toMatch(/^170\d{8}$/);
  });

  it('pairs every key resident except in the one village whose proposal is still open', async () => {
    const township = world.regions.find((r) => r.level === 'township')!;
    const held = world.regions.filter((r) => r.parentCode === township.code).at(-1)!;
    const c = await coverage(t.ctx, sys, await idOf(township.code));
    expect(c.children).toHaveLength(3);
    for (const v of c.children) {
      expect(v.key, v.name).toBeGreaterThan(0);
      if (v.name === held.name) expect(v.coverage, v.name).toBe(0);
      else expect(v.coverage, v.name).toBe(1);
    }
    const open = await rows<{ region_id: number }>(
      sql`select region_id from pairing_proposal where status = 'open'`,
    );
    expect(open.map((p) => Number(p.region_id))).toEqual([await idOf(held.code)]);
    expect((await settingsOf(t.ctx.db, '340828')).hotline).toBe(DEMO_HOTLINE);
  });
});

describe('seedDemo small: orders', () => {
  it('has orders in many states over the last days, some overdue and escalated, some rated', async () => {
    const orders = await rows<{
      state: string;
      overdue: boolean;
      escalation_level: number;
      rating: number | null;
      created_at: Date | string;
    }>(sql`select state, overdue_accept or overdue_resolve as overdue, escalation_level, rating, created_at
           from service_order`);
    expect(orders.length).toBeGreaterThanOrEqual(10);
    const states = new Set(orders.map((o) => o.state));
    for (const s of ['submitted', 'dispatched', 'in_progress', 'closed']) expect(states).toContain(s);
    expect(orders.filter((o) => o.overdue).length).toBeGreaterThan(0);
    expect(orders.filter((o) => o.escalation_level > 0).length).toBeGreaterThan(0);
    expect(orders.some((o) => o.escalation_level >= 5)).toBe(true);
    expect(orders.filter((o) => o.rating !== null).length).toBeGreaterThan(0);
    const times = orders.map((o) => new Date(o.created_at).getTime());
    const now = t.ctx.clock.now().getTime();
    expect(Math.max(...times)).toBeLessThanOrEqual(now);
    expect(Math.min(...times)).toBeLessThan(now - 86_400_000);
    const [sms] = await rows<{ n: number }>(
      sql`select count(*)::int as n from notification where channel = 'sms' and mobile not like '170%'`,
    );
    expect(sms!.n).toBe(0);
  });

  it.each(['doctor', 'party', 'secretary', 'gridleader', 'team'])(
    "signs in as the demo %s and finds a non-empty 'my orders'",
    async (username) => {
      const cookie = await signIn(t.app, username, DEMO_PASSWORD);
      const res = await t.app.inject({ method: 'GET', url: '/api/orders/mine', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect((res.json() as unknown[]).length).toBeGreaterThan(0);
      expect(world.summary?.sees[username]).toContain('我的工单');
    },
  );

  it('prints a working sample card and counts what it stored', async () => {
    const token = world.summary?.cardPath?.replace(/^\/c\//, '') ?? '';
    const card = await resolveCard(t.ctx.db, token);
    expect(Object.keys(card.contacts).sort()).toEqual(['health', 'help', 'livelihood']);
    expect(card.hotline).toBe(DEMO_HOTLINE);
    expect(world.summary?.counts).toMatchObject({ regions: world.regions.length });
    expect(world.summary?.counts.residents).toBeGreaterThan(100);
  });
});
