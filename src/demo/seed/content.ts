// What makes the demo county alive, in order: the ledger and the staff in bulk, then per county the
// real pairing (one village left for an official to confirm), the service orders played on a clock
// moved back, one sample connection card, and the summary of what each sign-in will see.
import { sql } from 'drizzle-orm';
import { countyRules } from '../../ledger/service.ts';
import { needTypesFor } from '../../orders/repo.ts';
import type { Colour } from '../../ledger/colour.ts';
import type { Deadlines } from '../../orders/schema.ts';
import { issueCards } from '../../pairing/cards.ts';
import type { ContactRole } from '../../pairing/schema.ts';
import { systemActor, type Actor } from '../../platform/access.ts';
import type { Ctx } from '../../platform/context.ts';
import { ageOn } from '../../platform/identity.ts';
import { buildPopulation } from '../people.ts';
import { deriveSeed, rng } from '../prng.ts';
import { buildStaff, type DemoStaff } from '../staffing.ts';
import type { DemoRegion, DemoSummary, DemoWorld } from '../world.ts';
import { analyze, must } from './bulk.ts';
import { storeLedger } from './ledger.ts';
import { playOrders } from './orders.ts';
import { pairCounty } from './pairing.ts';
import { planOrders, type PlanResident } from './plans.ts';
import { storeStaff } from './staff.ts';
import { summarize } from './summary.ts';

export interface RegionRef {
  id: number;
  path: string;
}

export interface Refs {
  regions: ReadonlyMap<string, RegionRef>;
  /** The demo sign-ins as actors, by username. */
  actors: ReadonlyMap<string, Actor>;
}

/** Fills the stored region tree with people, staff, contacts and orders; the caller's ctx.db is a transaction. */
export async function populate(ctx: Ctx, world: DemoWorld, refs: Refs): Promise<DemoSummary> {
  const now = ctx.clock.now();
  const regionIds = new Map([...refs.regions].map(([code, r]) => [code, r.id]));
  const counties = world.regions.filter((r) => r.level === 'county');
  // A fresh database has no county rules yet: every county colours by the national default.
  const rules = await countyRules(ctx.db, counties[0]!.code.slice(0, 6));
  const households = buildPopulation(world, now, rules.rules);
  const staff = buildStaff(world);
  const leaders = new Map(
    staff.duties
      .filter((d) => d.role === 'grid_leader')
      .map((d) => [d.regionCode, staff.members[d.member]!.name]),
  );
  const stored = await storeLedger(ctx.db, households, {
    regionIds,
    now,
    ruleName: rules.ruleName,
    surveyor: (grid) => leaders.get(grid) ?? null,
  });
  const accountIds = new Map([...refs.actors].map(([u, a]) => [u, a.accountId!]));
  const { memberIds, teamIds } = await storeStaff(ctx.db, staff, { regionIds, accountIds, now });
  await analyze(ctx.db, [...LEDGER_TABLES, ...STAFF_TABLES]);

  // Everyone the orders may concern, with where they live and whether they are a key person.
  const people = households.flatMap((h, i) =>
    h.residents.map((p, k) => ({
      id: stored[i]!.residentIds[k]!,
      gridCode: h.gridCode,
      colour: p.colour,
      key: p.colour !== 'green' || p.categories.length > 0 || ageOn(p.birthDate, now) >= 65,
    })),
  );
  const state: Seeded = {
    world,
    refs,
    regionIds,
    staff,
    people,
    memberIds,
    teamIds,
    members: new Map(staff.members.map((m, i) => [memberIds[i]!, { name: m.name, account: m.account }])),
    teams: new Map(staff.teams.map((t, i) => [teamIds[i]!, t.members.map((m) => memberIds[m.member]!)])),
  };
  const held: DemoRegion[] = [];
  let cardPath: string | null = null;
  const swept = { reminded: 0, escalated: 0 };
  for (const county of counties) {
    const done = await liveCounty(ctx, state, county);
    if (done.held) held.push(done.held);
    swept.reminded += done.swept.reminded;
    swept.escalated += done.swept.escalated;
    cardPath ??= done.cardPath;
  }
  await analyze(ctx.db, ORDER_TABLES);
  return summarize(ctx, world, refs, { held, cardPath, swept });
}

/** What the per-county steps share: the world as stored, with ids. */
interface Seeded {
  world: DemoWorld;
  refs: Refs;
  regionIds: ReadonlyMap<string, number>;
  staff: DemoStaff;
  people: { id: number; gridCode: string; colour: Colour; key: boolean }[];
  memberIds: number[];
  teamIds: number[];
  members: ReadonlyMap<number, { name: string; account: string | null }>;
  teams: ReadonlyMap<number, number[]>;
}

/** Pairs one county (but one village), plays its orders and, where the demo doctor works, issues a card. */
async function liveCounty(ctx: Ctx, s: Seeded, county: DemoRegion) {
  const c6 = county.code.slice(0, 6);
  const id = (code: string) => must(s.regionIds, code, 'region');
  const village = heldVillage(s.world, county);
  await pairCounty(ctx, id(county.code), village ? id(village.code) : null);
  const contacts = await contactsIn(ctx, c6);
  const mine = s.people.filter((p) => p.gridCode.startsWith(c6));
  const residents: PlanResident[] = mine
    .filter((p) => p.key)
    .map((p) => ({
      id: p.id,
      villageId: id(p.gridCode.slice(0, 12)),
      townshipId: id(p.gridCode.slice(0, 9) + '000'),
      colour: p.colour,
      contacts: contacts.get(p.id) ?? {},
    }));
  const linked = (username: string) => {
    const i = s.staff.members.findIndex((m) => m.account === username && m.regionCode.startsWith(c6));
    return i < 0 ? undefined : s.memberIds[i];
  };
  const teamOf = teamOfAccount(s.staff, 'team', c6);
  const plans = planOrders(rng(deriveSeed(s.world.seed, `orders:${county.code}`)), {
    residents,
    heldVillageId: village ? id(village.code) : null,
    deadlines: await deadlinesIn(ctx, c6),
    doctor: linked('doctor'),
    party: linked('party'),
    secretary: linked('secretary'),
    team:
      teamOf === null
        ? undefined
        : { id: s.teamIds[teamOf]!, townshipId: id(s.staff.teams[teamOf]!.regionCode) },
    teams: s.staff.teams.flatMap((t, i) =>
      t.regionCode.startsWith(c6) ? [{ id: s.teamIds[i]!, townshipId: id(t.regionCode) }] : [],
    ),
    extra: extraOrders(s.world, c6),
  });
  const countyPath = s.refs.regions.get(county.code)!.path;
  const swept = await playOrders(ctx, plans, {
    accounts: new Map([...s.refs.actors].filter(([, a]) => a.regionPath.startsWith(countyPath))),
    members: s.members,
    teams: s.teams,
    residents: new Map(
      mine.map((p) => [
        p.id,
        { gridPath: s.refs.regions.get(p.gridCode)!.path, townshipId: id(p.gridCode.slice(0, 9) + '000') },
      ]),
    ),
  });
  const cardPath = await sampleCard(ctx, residents, linked('doctor'), s.regionIds, mine);
  return { held: village, swept, cardPath };
}

const LEDGER_TABLES = ['region', 'household', 'resident', 'colour_change', 'survey'];
const STAFF_TABLES = ['unit', 'member', 'team', 'team_member', 'responsibility', 'account'];
const ORDER_TABLES = ['service_order', 'order_event', 'order_party', 'notification', 'card', 'audit_event'];

/** The last village of the county's first township: its pairing waits for an official. */
function heldVillage(world: DemoWorld, county: DemoRegion): DemoRegion | null {
  const township = world.regions.find((r) => r.level === 'township' && r.parentCode === county.code);
  const villages = world.regions.filter((r) => r.level === 'village' && r.parentCode === township?.code);
  return villages.length >= 2 ? villages.at(-1)! : null;
}

/**
 * Orders beyond the demo sign-ins' own (~13): ~30 more in a county of 180 villages, a couple in the
 * small world (whose seeding tests wait for), a dozen in each county of a city.
 */
function extraOrders(world: DemoWorld, c6: string): number {
  if (world.scale === 'city') return 12;
  const villages = world.regions.filter((r) => r.level === 'village' && r.code.startsWith(c6)).length;
  return Math.min(30, Math.max(2, Math.round(villages / 6)));
}

function teamOfAccount(staff: DemoStaff, username: string, c6: string): number | null {
  const m = staff.members.findIndex((x) => x.account === username && x.regionCode.startsWith(c6));
  const t = staff.teams.findIndex((x) => x.members.some((y) => y.member === m));
  return m < 0 || t < 0 ? null : t;
}

/** Each resident's current contacts in a county, by role. */
async function contactsIn(ctx: Ctx, c6: string) {
  const res = await ctx.db.execute<{ resident_id: number; role: ContactRole; member_id: number }>(sql`
    select target_id as resident_id, role, member_id from responsibility
    where county_code = ${c6} and target_type = 'resident' and to_date is null`);
  const out = new Map<number, Partial<Record<ContactRole, number>>>();
  for (const row of res.rows) {
    const id = Number(row.resident_id);
    out.set(id, { ...out.get(id), [row.role]: Number(row.member_id) });
  }
  return out;
}

async function deadlinesIn(ctx: Ctx, c6: string): Promise<Map<string, Deadlines>> {
  return new Map((await needTypesFor(ctx.db, c6)).map((n) => [n.code, n.deadlines]));
}

/** One card for a red or yellow resident the demo doctor looks after; its page is printed at start. */
async function sampleCard(
  ctx: Ctx,
  residents: PlanResident[],
  doctor: number | undefined,
  regionIds: ReadonlyMap<string, number>,
  people: { id: number; gridCode: string }[],
): Promise<string | null> {
  if (doctor === undefined) return null;
  const mine = residents.filter(
    (r) => r.contacts.health === doctor && r.contacts.help && r.contacts.livelihood,
  );
  const who = mine.find((r) => r.colour === 'red') ?? mine[0];
  const grid = people.find((p) => p.id === who?.id)?.gridCode;
  if (!who || !grid) return null;
  const [card] = await issueCards(ctx, systemActor('演示数据'), {
    regionId: must(regionIds, grid, 'grid'),
    residentIds: [who.id],
  });
  return card ? `/c/${card.token}` : null;
}
