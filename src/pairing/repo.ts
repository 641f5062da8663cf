// All SQL of pairing: key residents and their gaps, candidate members with their loads, proposals,
// contacts, the chain of responsibility, and coverage. Reads are scoped by a region path.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { prepared } from '../db/prepared.ts';
import { household, resident } from '../ledger/schema.ts';
import { region } from '../regions/schema.ts';
import { responsibility, type ResponsibilityRole } from '../staff/schema.ts';
import { card, pairingProposal, pairingProposalItem, pairingSetting, type ContactRole } from './schema.ts';

export interface KeyFilter {
  /** Categories that make a resident key (besides red and yellow). */
  keyCategories: string[];
  /** Born on or before this date ⇒ 65+ (when 'elderly' is a key category). */
  elderlyBornBy: string;
}

/** The SQL condition "this resident is a key person". */
export function isKeySql(f: KeyFilter) {
  const stored = f.keyCategories.filter((c) => c !== 'elderly');
  const elderly = f.keyCategories.includes('elderly');
  return sql`(r.colour in ('red', 'yellow')
    or r.categories && ${sql.param(stored)}::text[]
    or (${elderly} and r.birth_date <= ${f.elderlyBornBy}))`;
}

/** Which of the three contacts each resident has: open responsibilities of active members. */
const contactFlags = sql`
  left join lateral (
    select bool_or(x.role = 'help') as has_help, bool_or(x.role = 'health') as has_health,
           bool_or(x.role = 'livelihood') as has_livelihood
    from responsibility x join member m on m.id = x.member_id and m.active
    where x.target_type = 'resident' and x.target_id = r.id and x.to_date is null
  ) c on true`;

export type KeyResidentRow = {
  id: number;
  household_id: number;
  grid_id: number;
  village_id: number;
  township_id: number;
  has_help: boolean | null;
  has_health: boolean | null;
  has_livelihood: boolean | null;
};

export async function keyResidents(ex: Executor, path: string, f: KeyFilter): Promise<KeyResidentRow[]> {
  const res = await ex.execute<KeyResidentRow>(sql`
    select r.id, r.household_id, r.grid_id, g.parent_id as village_id, v.parent_id as township_id,
           c.has_help, c.has_health, c.has_livelihood
    from resident r
    join region g on g.id = r.grid_id
    join region v on v.id = g.parent_id
    ${contactFlags}
    where g.path like ${path + '%'} and r.status = 'active' and ${isKeySql(f)}`);
  return res.rows;
}

export type CoverageRow = {
  /** A child of the node, or null for residents counted on the node itself (a grid's). */
  child_id: number | null;
  name: string | null;
  level: string | null;
  key: number;
  complete: number;
  lack_help: number;
  lack_health: number;
  lack_livelihood: number;
};

/**
 * Key residents and their gaps on the node itself (child_id null) and per child (every child, in
 * code order, zeros included), from the coverage rollup: the cells of the node and of its children
 * — a dozen regions, a few hundred cells, whatever the level. Which kinds of resident are key is
 * the county's setting (settingsOf: its own list, else the ledger's key categories), applied here
 * in the same statement: on a busy machine every round trip to PGlite's thread costs more than the
 * query. `day_ok` false means the rollup's "elderly" is not `bornBy`'s: alignCoverageDay, then again.
 */
export async function coverageByChild(
  ex: Executor,
  node: { id: number; countyCode: string },
  bornBy: string,
): Promise<(CoverageRow & { day_ok: boolean })[]> {
  // Summed per region in a lateral (no grouping of text columns: sorting hundreds of rows by a
  // collated text took longer than the rest of the query on PGlite); ordered by code in "C".
  const res = await ex.execute<CoverageRow & { day_ok: boolean }>(sql`
    with f as (
      select coalesce((select key_categories from pairing_setting where county_code = ${node.countyCode}),
          (select coalesce(array_agg(code), '{}') from category where county_code in ('', ${node.countyCode}) and key)) as cats,
        coalesce((select elderly_born_by = ${bornBy}::date from pairing_coverage_state where id = 1), false) as day_ok)
    select case when k.name is null then null else k.id end as child_id, k.name, k.level, s.*, f.day_ok
    from f cross join (select id, name, level, code from region where parent_id = ${node.id}
      union all select ${node.id}::bigint, null, null, null) k
    cross join lateral (
      select coalesce(sum(c.residents), 0)::int as key,
        coalesce(sum(c.residents) filter (where c.contacts = 7), 0)::int as complete,
        coalesce(sum(c.residents) filter (where c.contacts & 1 = 0), 0)::int as lack_help,
        coalesce(sum(c.residents) filter (where c.contacts & 2 = 0), 0)::int as lack_health,
        coalesce(sum(c.residents) filter (where c.contacts & 4 = 0), 0)::int as lack_livelihood
      from pairing_coverage_cell c where c.region_id = k.id and c.residents <> 0
        and (c.red_yellow or c.categories && f.cats or ('elderly' = any(f.cats) and c.elderly))) s
    order by k.code collate "C" nulls first`);
  return res.rows;
}

/**
 * Makes the rollup's "elderly" mean born on or before `bornBy` (today's), recounting only those
 * whose 65th birthday lies between its day and this one. A no-op read on every day but the first.
 */
export async function alignCoverageDay(ex: Executor, bornBy: string): Promise<void> {
  const res = await ex.execute<{ d: string | null }>(
    sql`select elderly_born_by::text as d from pairing_coverage_state where id = 1`,
  );
  if (res.rows[0]?.d !== bornBy) await ex.execute(sql`select pairing_coverage_day(${bornBy}::date)`);
}

/** Key residents under `path` lacking `role` (or any role), with names and addresses, for the gap list. */
export async function gapList(
  ex: Executor,
  path: string,
  f: KeyFilter,
  role: ContactRole | null,
  limit: number,
) {
  const lacking =
    role === null
      ? sql`(c.has_help is not true or c.has_health is not true or c.has_livelihood is not true)`
      : sql`c.${sql.raw(`has_${role}`)} is not true`;
  const res = await ex.execute<{
    id: number;
    name: string;
    colour: string;
    address: string;
    grid_name: string;
    has_help: boolean | null;
    has_health: boolean | null;
    has_livelihood: boolean | null;
  }>(sql`
    select r.id, r.name, r.colour, h.address, g.name as grid_name, c.has_help, c.has_health, c.has_livelihood
    from resident r
    join household h on h.id = r.household_id
    join region g on g.id = r.grid_id
    ${contactFlags}
    where g.path like ${path + '%'} and r.status = 'active' and ${isKeySql(f)} and ${lacking}
    order by case r.colour when 'red' then 0 when 'yellow' then 1 else 2 end, r.id
    limit ${limit}`);
  return res.rows;
}

export type CandidateRow = {
  id: number;
  name: string;
  roles: string[];
  capacity: number | null;
  region_id: number;
  region_level: string;
  region_parent: number | null;
  medic_of: number[] | null;
  secretary_of: number[] | null;
  help_households: number[] | null;
  health_load: number;
  livelihood_load: number;
};

/**
 * What each member answers for now, in one pass over their open responsibilities (resp_member_idx):
 * the regions they are grid medic or village secretary of, the residents they help, and how many
 * residents they are the doctor or the village head for. One lateral keyed by member on purpose:
 * separate subqueries filtered by target type and role let the planner walk resp_target_idx by
 * role for every member — with statistics from before a county's pairing (PGlite never analyses
 * on its own) that made listing a paired county's candidates take 8 minutes instead of 1 s.
 */
const memberHolds = sql`
  left join lateral (
    select array_agg(x.target_id) filter (where x.target_type = 'region' and x.role = 'grid_medic') as medic_of,
      array_agg(x.target_id) filter (where x.target_type = 'region' and x.role = 'village_secretary') as secretary_of,
      array_agg(x.target_id) filter (where x.target_type = 'resident' and x.role = 'help') as help_residents,
      count(*) filter (where x.target_type = 'resident' and x.role = 'health')::int as health_load,
      count(*) filter (where x.target_type = 'resident' and x.role = 'livelihood')::int as livelihood_load
    from responsibility x where x.member_id = m.id and x.to_date is null) h on true`;

/** Active members of a county who can be contacts, with where they serve and what they carry now. */
export async function candidates(ex: Executor, countyCode: string): Promise<CandidateRow[]> {
  const res = await ex.execute<CandidateRow>(sql`
    select m.id, m.name, m.roles, m.capacity, m.region_id, rg.level as region_level, rg.parent_id as region_parent,
      h.medic_of, h.secretary_of,
      (select array_agg(distinct r.household_id) from resident r where r.id = any(h.help_residents)) as help_households,
      h.health_load, h.livelihood_load
    from member m join region rg on rg.id = m.region_id
    ${memberHolds}
    where m.county_code = ${countyCode} and m.active
      and m.roles && array['party_member','village_doctor','family_doctor','grid_medic','village_secretary','first_secretary']::text[]`);
  return res.rows;
}

/** Parents of regions, to place a member serving at grid level in a village and township. */
export async function parentsOf(ex: Executor, ids: number[]): Promise<Map<number, number | null>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .select({ id: region.id, parentId: region.parentId })
    .from(region)
    .where(inArray(region.id, ids));
  return new Map(rows.map((r) => [r.id, r.parentId]));
}

export async function settingFor(ex: Executor, countyCode: string) {
  const [row] = await ex.select().from(pairingSetting).where(eq(pairingSetting.countyCode, countyCode));
  return row;
}

export async function upsertSetting(ex: Executor, values: typeof pairingSetting.$inferInsert): Promise<void> {
  const { countyCode: _c, ...set } = values;
  await ex
    .insert(pairingSetting)
    .values(values)
    .onConflictDoUpdate({ target: pairingSetting.countyCode, set });
}

export async function insertProposal(
  ex: Executor,
  p: typeof pairingProposal.$inferInsert,
  items: Omit<typeof pairingProposalItem.$inferInsert, 'proposalId'>[],
) {
  const [row] = await ex.insert(pairingProposal).values(p).returning();
  // Arrays unnested by the server: a county's 75,000 items are a few statements, not 75 of 1,000
  // rows × 5 parameters (twice as fast on PGlite, where every parameter and statement costs).
  for (let i = 0; i < items.length; i += 25_000) {
    const chunk = items.slice(i, i + 25_000);
    await ex.execute(sql`
      insert into ${pairingProposalItem} (proposal_id, resident_id, role, member_id, reason, reason_en, decision)
      select ${row!.id}, * from unnest(${sql.param(chunk.map((it) => it.residentId))}::bigint[],
        ${sql.param(chunk.map((it) => it.role))}::text[], ${sql.param(chunk.map((it) => it.memberId ?? null))}::bigint[],
        ${sql.param(chunk.map((it) => it.reason))}::text[], ${sql.param(chunk.map((it) => it.reasonEn ?? null))}::text[],
        ${sql.param(chunk.map((it) => it.decision ?? 'pending'))}::text[])`);
  }
  return row!;
}

export async function findProposal(ex: Executor, id: number, scopePath: string) {
  const [row] = await ex
    .select({ proposal: pairingProposal, path: region.path })
    .from(pairingProposal)
    .innerJoin(region, eq(region.id, pairingProposal.regionId))
    .where(and(eq(pairingProposal.id, id), sql`${region.path} like ${scopePath + '%'}`));
  return row;
}

export async function proposalItems(ex: Executor, proposalId: number) {
  const res = await ex.execute<{
    id: number;
    resident_id: number;
    resident_name: string;
    role: ContactRole;
    member_id: number | null;
    member_name: string | null;
    reason: string;
    reason_en: string | null;
    decision: string;
  }>(sql`
    select i.id, i.resident_id, r.name as resident_name, i.role, i.member_id, m.name as member_name, i.reason, i.reason_en, i.decision
    from pairing_proposal_item i join resident r on r.id = i.resident_id left join member m on m.id = i.member_id
    where i.proposal_id = ${proposalId} order by i.id`);
  return res.rows;
}

export async function decideItems(
  ex: Executor,
  proposalId: number,
  accepted: number[] | 'all',
): Promise<void> {
  await ex.execute(sql`
    update pairing_proposal_item set decision = case when member_id is not null and
      ${accepted === 'all' ? sql`true` : sql`id = any(${sql.param(accepted)}::bigint[])`} then 'accepted' else 'rejected' end
    where proposal_id = ${proposalId}`);
  await ex
    .update(pairingProposal)
    .set({ status: 'confirmed', decidedAt: sql`now()` })
    .where(eq(pairingProposal.id, proposalId));
}

/**
 * Turns the accepted items into responsibilities, skipping any resident who meanwhile got that
 * contact (two officials confirming overlapping proposals never double a contact) and any member
 * deactivated since the proposal (the items carry no foreign keys: this is where they are checked).
 * The check is a lateral count, not NOT EXISTS: as an anti-join the planner may probe
 * resp_target_idx by target_type alone (when statistics say residents have few contacts, as before
 * a county's first pairing), and every probe then walks the entries this very statement is adding —
 * quadratic: 7,200 items took 8 s on PGlite, a county's 75,000 would take most of an hour.
 */
export async function applyAccepted(
  ex: Executor,
  proposalId: number,
  at: Date,
  today: string,
  by: number | null,
) {
  const res = await ex.execute<{ n: number }>(sql`
    with ins as (
      insert into responsibility (county_code, member_id, target_type, target_id, role, from_date, source, reason, created_at, created_by)
      select r.county_code, i.member_id, 'resident', i.resident_id, i.role, ${today}, 'auto', i.reason, ${at}, ${by}
      from pairing_proposal_item i join resident r on r.id = i.resident_id
      join member p on p.id = i.member_id and p.active
      cross join lateral (select count(*) as n from responsibility x join member m on m.id = x.member_id and m.active
          where x.target_type = 'resident' and x.target_id = i.resident_id and x.role = i.role and x.to_date is null) held
      where i.proposal_id = ${proposalId} and i.decision = 'accepted' and held.n = 0
      returning 1)
    select count(*)::int as n from ins`);
  return res.rows[0]?.n ?? 0;
}

export async function insertResponsibility(ex: Executor, values: typeof responsibility.$inferInsert) {
  const [row] = await ex.insert(responsibility).values(values).returning();
  return row!;
}

export async function endContacts(
  ex: Executor,
  residentId: number,
  role: ContactRole,
  today: string,
): Promise<void> {
  await ex
    .update(responsibility)
    .set({ toDate: today })
    .where(
      and(
        eq(responsibility.targetType, 'resident'),
        eq(responsibility.targetId, residentId),
        eq(responsibility.role, role),
        isNull(responsibility.toDate),
      ),
    );
}

export type ContactRow = {
  role: ResponsibilityRole;
  member_id: number;
  name: string;
  mobile: string;
  level: number;
  unit_party_org: string | null;
  unit_party_mobile: string | null;
};

/**
 * The chain of responsibility above a resident, nearest first: their three contacts (0), the grid
 * leader (1), the village secretary (2), the township cadre (3), the county leader (4); the help
 * contact's unit party organisation rides along on that row. The grid's ancestors come from its
 * materialised path (…/township/village/grid/) rather than three joins of region, and each rung is
 * its own index lookup (a union, not one join on five OR-ed conditions): planning the old shape —
 * eight relations, a BitmapOr — cost 15–30 ms a call on a busy machine, more than running it, and
 * every order filed paid it.
 */
export async function chainOf(ex: Executor, residentId: number): Promise<ContactRow[]> {
  const rows = await prepared<ContactRow & { resident_id: number }>(ex, 'chains', (place) =>
    chainsSql(sql`${place([residentId])}::bigint[]`),
  );
  return rows.map(({ resident_id: _r, ...row }) => row);
}

/** The ancestors of a grid path's array `a` (…, county, township, village, grid), as k's columns. */
const ANCESTORS = sql`a[cardinality(a)] as grid_id, a[cardinality(a) - 1] as village_id,
  a[cardinality(a) - 2] as township_id, a[cardinality(a) - 3] as county_id`;

/** The four region rungs above k's grid (grid_id … county_id), each its own index lookup. */
const REGION_RUNGS = sql`select x.id, x.role, x.member_id from responsibility x where x.to_date is null
    and x.target_type = 'region' and x.target_id = k.grid_id and x.role = 'grid_leader'
  union all select x.id, x.role, x.member_id from responsibility x where x.to_date is null
    and x.target_type = 'region' and x.target_id = k.village_id and x.role = 'village_secretary'
  union all select x.id, x.role, x.member_id from responsibility x where x.to_date is null
    and x.target_type = 'region' and x.target_id = k.township_id and x.role = 'township_cadre'
  union all select x.id, x.role, x.member_id from responsibility x where x.to_date is null
    and x.target_type = 'region' and x.target_id = k.county_id and x.role = 'county_leader'`;

const LEVEL = sql`case x.role when 'grid_leader' then 1 when 'village_secretary' then 2 when 'township_cadre' then 3
  when 'county_leader' then 4 else 0 end`;

/**
 * The statement behind chainOf, for `ids` (an SQL bigint[]): rows of ContactRow with
 * resident_id, ordered by resident then rung. Filing an order embeds it as a subquery, so the
 * resident, the need types and the chain come back in one round trip.
 */
export function chainsSql(ids: SQL): SQL {
  return sql`
    with p as (
      select r.id, string_to_array(trim(both '/' from g.path), '/')::bigint[] as a
      from resident r join region g on g.id = r.grid_id
      where r.id = any(${ids})),
    k as (select id, ${ANCESTORS} from p where cardinality(a) >= 3)
    select k.id as resident_id, x.role, m.id as member_id, m.name, m.mobile, ${LEVEL} as level,
      u.party_org_name as unit_party_org, u.party_org_mobile as unit_party_mobile
    from k cross join lateral (
        select x.id, x.role, x.member_id from responsibility x where x.to_date is null
          and x.target_type = 'resident' and x.target_id = k.id and x.role in ('help', 'health', 'livelihood')
        union all ${REGION_RUNGS}) x
      join member m on m.id = x.member_id and m.active
      left join unit u on u.id = m.unit_id and x.role = 'help'
    order by k.id, level, case x.role when 'help' then 0 when 'health' then 1 when 'livelihood' then 2 else 3 end, x.id`;
}

export type GridRungRow = Pick<ContactRow, 'role' | 'member_id' | 'name' | 'mobile'> & { grid_id: number };

/**
 * The region part of the chain (grid leader up to county leader) above each of `gridIds`, ordered
 * by grid then rung: the same for every resident of a grid, so the sweeper reads it once a grid.
 */
export async function gridRungsOf(ex: Executor, gridIds: number[]): Promise<GridRungRow[]> {
  if (gridIds.length === 0) return [];
  return prepared<GridRungRow>(
    ex,
    'grid_rungs',
    (place) => sql`
    with p as (
      select g.id, string_to_array(trim(both '/' from g.path), '/')::bigint[] as a
      from region g where g.id = any(${place(gridIds)}::bigint[])),
    k as (select ${ANCESTORS} from p where cardinality(a) >= 3)
    select k.grid_id, x.role, m.id as member_id, m.name, m.mobile
    from k cross join lateral (${REGION_RUNGS}) x join member m on m.id = x.member_id and m.active
    order by k.grid_id, ${LEVEL}, x.id`,
  );
}

/** Members and their loads under a path, for "over capacity" and "paired with nobody". */
export async function memberLoads(ex: Executor, path: string) {
  const res = await ex.execute<{
    id: number;
    name: string;
    roles: string[];
    capacity: number | null;
    county_code: string;
    help_households: number;
    health: number;
    livelihood: number;
  }>(sql`
    select m.id, m.name, m.roles, m.capacity, m.county_code,
      (select count(distinct r.household_id) from resident r where r.id = any(h.help_residents))::int as help_households,
      h.health_load as health, h.livelihood_load as livelihood
    from member m join region g on g.id = m.region_id
    ${memberHolds}
    where g.path like ${path + '%'} and m.active
      and m.roles && array['party_member','village_doctor','family_doctor','grid_medic','village_secretary','first_secretary']::text[]`);
  return res.rows;
}

export async function insertCard(ex: Executor, values: typeof card.$inferInsert) {
  const [row] = await ex.insert(card).values(values).returning();
  return row!;
}

/**
 * Many cards in a few statements: arrays unnested by the server, not a round trip per card (a
 * township's 10,000 cards one by one took 20 s on PGlite).
 */
export async function insertCards(
  ex: Executor,
  cards: { countyCode: string; residentId: number; tokenHash: string }[],
  issuedAt: Date,
  issuedBy: number | null,
): Promise<void> {
  for (let i = 0; i < cards.length; i += 20_000) {
    const chunk = cards.slice(i, i + 20_000);
    await ex.execute(sql`
      insert into ${card} (county_code, resident_id, token_hash, issued_at, issued_by)
      select county_code, resident_id, token_hash, ${issuedAt}, ${issuedBy}
      from unnest(${sql.param(chunk.map((c) => c.countyCode))}::text[], ${sql.param(chunk.map((c) => c.residentId))}::bigint[],
        ${sql.param(chunk.map((c) => c.tokenHash))}::text[]) as u(county_code, resident_id, token_hash)`);
  }
}

export async function revokeCards(
  ex: Executor,
  residentIds: number[],
  at: Date,
  reason: string,
): Promise<number> {
  if (residentIds.length === 0) return 0;
  const rows = await ex
    .update(card)
    .set({ revokedAt: at, revokeReason: reason })
    .where(and(inArray(card.residentId, residentIds), isNull(card.revokedAt)))
    .returning({ id: card.id });
  return rows.length;
}

export async function findCardByHash(ex: Executor, tokenHash: string) {
  const [row] = await ex
    .select({ card, resident, address: household.address })
    .from(card)
    .innerJoin(resident, eq(resident.id, card.residentId))
    .innerJoin(household, eq(household.id, resident.householdId))
    .where(and(eq(card.tokenHash, tokenHash), isNull(card.revokedAt)));
  return row;
}

export async function activeCardResidents(ex: Executor, residentIds: number[]): Promise<Set<number>> {
  if (residentIds.length === 0) return new Set();
  const rows = await ex
    .select({ residentId: card.residentId })
    .from(card)
    .where(and(inArray(card.residentId, residentIds), isNull(card.revokedAt)));
  return new Set(rows.map((r) => r.residentId));
}

export type CardContactRow = {
  resident_id: number;
  role: ContactRole;
  name: string;
  mobile: string;
};

/** The three contacts of many residents at once (for printing cards). */
export async function contactsForResidents(ex: Executor, residentIds: number[]): Promise<CardContactRow[]> {
  if (residentIds.length === 0) return [];
  const res = await ex.execute<CardContactRow>(sql`
    select distinct on (x.target_id, x.role) x.target_id as resident_id, x.role, m.name, m.mobile
    from responsibility x join member m on m.id = x.member_id and m.active
    where x.target_type = 'resident' and x.to_date is null and x.role in ('help', 'health', 'livelihood')
      and x.target_id = any(${sql.param(residentIds)}::bigint[])
    order by x.target_id, x.role, x.id desc`);
  return res.rows;
}

export type CardResidentRow = {
  id: number;
  name: string;
  county_code: string;
  address: string;
  grid_name: string;
  village_name: string;
};

/** Key residents under a path (or these ids within it), with what a card prints about them. */
export async function cardResidents(
  ex: Executor,
  path: string,
  f: KeyFilter,
  ids: number[] | null,
  onlyWithoutCard: boolean,
): Promise<CardResidentRow[]> {
  const res = await ex.execute<CardResidentRow>(sql`
    select r.id, r.name, r.county_code, h.address, g.name as grid_name, v.name as village_name
    from resident r join household h on h.id = r.household_id
    join region g on g.id = r.grid_id join region v on v.id = g.parent_id
    where g.path like ${path + '%'} and r.status = 'active'
      and ${ids ? sql`r.id = any(${sql.param(ids)}::bigint[])` : isKeySql(f)}
      and ${onlyWithoutCard ? sql`not exists (select 1 from card k where k.resident_id = r.id and k.revoked_at is null)` : sql`true`}
    order by g.path, h.address, r.id`);
  return res.rows;
}

/**
 * Recounts a county's coverage at once, set-based (pairing_rebuild_county, migrations 0010 and 0015), for a
 * transaction that wrote with the rollup deferred (deferCoverage): call it before the commit.
 */
export async function rebuildCoverage(ex: Executor, countyCode: string): Promise<void> {
  await ex.execute(sql`select pairing_rebuild_county(${countyCode})`);
  // The resident triggers deferCoverage switched off come on again, in the same transaction.
  const off = await ex.execute(sql`select 1 from pg_trigger
    where tgrelid = 'resident'::regclass and tgname like 'pairing_resident_%' and tgenabled = 'D'`);
  if (off.rows.length)
    await ex.execute(
      sql`alter table resident enable trigger pairing_resident_ins, enable trigger pairing_resident_upd`,
    );
}

/**
 * Lets the rest of this transaction write residents, contacts and members without recounting the
 * rollup statement by statement; rebuildCoverage(county) must follow before the commit, and the
 * transaction must write only that county.
 */
export async function deferCoverage(ex: Executor, opts: { residentLocked?: boolean } = {}): Promise<void> {
  await ex.execute(sql`select set_config('lianxin.defer_coverage', 'on', true)`);
  // A transaction that holds the resident table exclusively anyway (an initial load, its indexes
  // dropped) switches the table's triggers off outright: deferred, they still had PostgreSQL collect
  // every written row for them, a fifth of an insert's cost. A rollback switches them on again.
  if (opts.residentLocked)
    await ex.execute(
      sql`alter table resident disable trigger pairing_resident_ins, disable trigger pairing_resident_upd`,
    );
}
