// All SQL of the service loop: need types, orders (scoped by the resident's grid), events,
// parties, the sweeper's pick of due orders, and the outbox.
import {
  and,
  asc,
  desc,
  eq,
  fillPlaceholders,
  inArray,
  isNotNull,
  isNull,
  lte,
  or,
  sql,
  type Param,
  type Placeholder,
  type SQL,
} from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import { queryHot, type Executor } from '../db/engine.ts';
import { household, resident } from '../ledger/schema.ts';
import { chainsSql, type ContactRow } from '../pairing/repo.ts';
import { card } from '../pairing/schema.ts';
import { auditEvent } from '../platform/audit/schema.ts';
import { region } from '../regions/schema.ts';
import { member, team, teamMember } from '../staff/schema.ts';
import {
  needType,
  notification,
  orderEvent,
  orderParty,
  serviceOrder,
  smsLog,
  type OrderState,
  type Urgency,
} from './schema.ts';

export type OrderRow = typeof serviceOrder.$inferSelect;

const dialect = new PgDialect();

/** How a statement's builder places each value: as a parameter, or a compiled statement's placeholder. */
type Place = (value: unknown) => Param | Placeholder;

/** The text of each named statement, compiled once with placeholders for its values. */
const compiled = new Map<string, { sql: string; params: unknown[] }>();

/**
 * Runs a statement of fixed text as a named prepared statement with a generic plan (queryHot in
 * db/engine.ts): each session parses and plans it once. Filing an order is the resident channel's hot path, and planning its read
 * (resident, need types, chain) cost more than running it — 50 ms a time on PGlite. Its text is
 * compiled once too (drizzle building these statements cost a tenth of a filing's CPU): each call
 * only fills in the values. Inside a transaction (no pool to name it on) it runs as an ordinary
 * statement.
 */
async function prepared<T extends Record<string, unknown>>(
  ex: Executor,
  name: string,
  build: (place: Place) => SQL,
): Promise<T[]> {
  if (!('$client' in ex)) return (await ex.execute(build((value) => sql.param(value)))).rows as T[];
  // The same text places the same values in the same order every time: numbered placeholders.
  const values: Record<string, unknown> = {};
  let n = 0;
  const query = build((value) => {
    const key = String(n++);
    values[key] = value;
    return sql.placeholder(key);
  });
  let q = compiled.get(name);
  if (!q) {
    q = dialect.sqlToQuery(query);
    compiled.set(name, q);
  }
  return queryHot<T>((ex as { $client: Pool }).$client, {
    name,
    text: q.sql,
    values: fillPlaceholders(q.params, values),
  });
}
export type NeedTypeRow = typeof needType.$inferSelect;

/** National need types with the county's overrides (same code) applied. */
export async function needTypesFor(ex: Executor, countyCode: string): Promise<NeedTypeRow[]> {
  const rows = await ex
    .select()
    .from(needType)
    .where(or(eq(needType.countyCode, ''), eq(needType.countyCode, countyCode)))
    .orderBy(asc(needType.sort));
  return mergeNeedTypes(rows);
}

/** The national rows and a county's (any order): the county's override by code; active ones, by sort. */
function mergeNeedTypes(rows: NeedTypeRow[]): NeedTypeRow[] {
  const byCode = new Map<string, NeedTypeRow>();
  for (const r of rows) if (!byCode.has(r.code) || r.countyCode !== '') byCode.set(r.code, r);
  return [...byCode.values()].filter((r) => r.active).sort((a, b) => a.sort - b.sort);
}

/** Everything filing an order for a resident reads, fetched with the rest of its batch. */
export interface FilingContext {
  resident: { id: number; countyCode: string; gridId: number; name: string; gridPath: string };
  /** The need type asked for, in force in the resident's county (none: unknown or inactive). */
  need: NeedTypeRow | undefined;
  /** The resident's chain of responsibility (pairing's chainOf). */
  chain: ContactRow[];
  /** The order already filed with this idempotency key in the county, if any. */
  existingId: number | null;
  /** An id drawn for the new order, so its notices can name it before it is written. */
  newId: number;
}

/**
 * Whom an order is filed for: a resident, or the holder of a valid card, named by its token's hash
 * (the resident channel: the card's lookup is folded into the same read).
 */
export type FiledFor = { residentId: number } | { cardTokenHash: string };

export interface FilingRequest {
  filedFor: FiledFor;
  needCode: string;
  idempotencyKey: string | null;
}

/**
 * What filing reads for each request, in one round trip for all of them: the card, the resident,
 * the need type asked for, the chain of responsibility, an order already filed with the same key,
 * and a fresh order id. Undefined where the card or resident is not found. The requests travel as
 * arrays, so the statement's text (and its plan) is the same for any number.
 */
export async function filingContexts(
  ex: Executor,
  reqs: FilingRequest[],
): Promise<(FilingContext | undefined)[]> {
  const col = <T>(f: (r: FilingRequest) => T) => reqs.map(f);
  const rows = await prepared<{
    i: number;
    id: number;
    county_code: string;
    grid_id: number;
    name: string;
    grid_path: string;
    existing_id: number | null;
    needs: NeedTypeRow[];
    chain: ContactRow[];
    new_id: number;
  }>(
    ex,
    'orders_filing',
    // The chain's own aliases (r, g, p, k, x, m, u) must not capture the outer resident: it is
    // named through the request's alias.
    (p) => sql`
    select q.i::int as i, r.id, r.county_code, r.grid_id, r.name, g.path as grid_path,
      (select o.id from ${serviceOrder} o where q.idem_key is not null and o.county_code = r.county_code
        and o.idempotency_key = q.idem_key) as existing_id,
      (select coalesce(json_agg(json_build_object('countyCode', n.county_code, 'code', n.code, 'nameZh', n.name_zh,
          'nameEn', n.name_en, 'route', n.route, 'deadlines', n.deadlines, 'icon', n.icon, 'sort', n.sort,
          'active', n.active)), '[]') from ${needType} n
        where n.county_code in ('', r.county_code) and n.code = q.need_code) as needs,
      (select coalesce(json_agg(c), '[]') from (${chainsSql(sql`array[q.rid]::bigint[]`)}) c) as chain,
      nextval(pg_get_serial_sequence('service_order', 'id')) as new_id
    from (
      select u.*, coalesce(u.resident_id, cd.resident_id) as rid
      from unnest(${p(col((r) => ('cardTokenHash' in r.filedFor ? r.filedFor.cardTokenHash : null)))}::text[],
        ${p(col((r) => ('residentId' in r.filedFor ? r.filedFor.residentId : null)))}::bigint[],
        ${p(col((r) => r.needCode))}::text[], ${p(col((r) => r.idempotencyKey))}::text[])
        with ordinality as u(token_hash, resident_id, need_code, idem_key, i)
      left join ${card} cd on cd.token_hash = u.token_hash and cd.revoked_at is null) q
    join ${resident} r on r.id = q.rid
    join ${region} g on g.id = r.grid_id`,
  );
  const out: (FilingContext | undefined)[] = reqs.map(() => undefined);
  for (const row of rows) {
    out[row.i - 1] = {
      resident: {
        id: row.id,
        countyCode: row.county_code,
        gridId: row.grid_id,
        name: row.name,
        gridPath: row.grid_path,
      },
      need: mergeNeedTypes(row.needs)[0],
      chain: row.chain.map(({ resident_id: _r, ...c }: ContactRow & { resident_id?: number }) => c),
      existingId: row.existing_id,
      newId: row.new_id,
    };
  }
  return out;
}

/** What filing writes for a batch of new orders. */
export interface Filings {
  orders: OrderRow[];
  events: EventRow[];
  parties: (typeof orderParty.$inferInsert)[];
  notices: NoticeRow[];
  audits: (typeof auditEvent.$inferInsert)[];
}

/**
 * New orders with everything they write — events, the parties they reached, notices and audit
 * rows — in one statement (one round trip and one commit for the batch, atomic without a
 * transaction around it). An order whose idempotency key was used meanwhile is not written, nor
 * anything of it; the answer is the ids written.
 */
export async function fileOrders(ex: Executor, w: Filings): Promise<Set<number>> {
  const col = <T>(f: (r: OrderRow) => T) => w.orders.map(f);
  const aud = <T>(f: (r: typeof auditEvent.$inferInsert) => T) => w.audits.map(f);
  const rows = await prepared<{ id: number }>(
    ex,
    'orders_file',
    (p) => sql`
    with o as (
      insert into ${serviceOrder} (id, county_code, resident_id, grid_id, need_code, urgency, channel, description,
        state, assignee_member_id, assignee_team_id, accept_due_at, resolve_due_at, next_check_at,
        idempotency_key, created_by_account, created_at, updated_at)
      select v.* from unnest(${p(col((o) => o.id))}::bigint[], ${p(col((o) => o.countyCode))}::text[],
        ${p(col((o) => o.residentId))}::bigint[], ${p(col((o) => o.gridId))}::bigint[], ${p(col((o) => o.needCode))}::text[],
        ${p(col((o) => o.urgency))}::text[], ${p(col((o) => o.channel))}::text[], ${p(col((o) => o.description))}::text[],
        ${p(col((o) => o.state))}::text[], ${p(col((o) => o.assigneeMemberId))}::bigint[],
        ${p(col((o) => o.assigneeTeamId))}::bigint[], ${p(col((o) => iso(o.acceptDueAt)))}::timestamptz[],
        ${p(col((o) => iso(o.resolveDueAt)))}::timestamptz[], ${p(col((o) => iso(o.nextCheckAt)))}::timestamptz[],
        ${p(col((o) => o.idempotencyKey))}::text[], ${p(col((o) => o.createdByAccount))}::bigint[],
        ${p(col((o) => iso(o.createdAt)))}::timestamptz[], ${p(col((o) => iso(o.updatedAt)))}::timestamptz[]) v
      on conflict (county_code, idempotency_key) where idempotency_key is not null do nothing
      returning id),
    e as (${eventsInsert(w.events, sql`v.order_id`, p)}),
    p as (${partiesInsert(w.parties, sql`v.order_id`, p)}),
    n as (${noticesInsert(w.notices, sql`v.order_id`, p)}),
    a as (
      insert into ${auditEvent} (at, actor_id, actor_name, action, target_type, target_id, region_id, reason,
        before, after, ip)
      select v.* from unnest(${p(aud((a) => iso(a.at)))}::timestamptz[], ${p(aud((a) => a.actorId ?? null))}::bigint[],
        ${p(aud((a) => a.actorName ?? null))}::text[], ${p(aud((a) => a.action))}::text[],
        ${p(aud((a) => a.targetType))}::text[], ${p(aud((a) => a.targetId ?? null))}::text[],
        ${p(aud((a) => a.regionId ?? null))}::bigint[], ${p(aud((a) => a.reason ?? null))}::text[],
        ${p(aud((a) => json(a.before)))}::jsonb[], ${p(aud((a) => json(a.after)))}::jsonb[],
        ${p(aud((a) => a.ip ?? null))}::text[])
        v(at, actor_id, actor_name, action, target_type, target_id, region_id, reason, before, after, ip)
      ${writtenOnly(sql`v.target_id::bigint`)})
    select id from o`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

const json = (v: unknown) => (v == null ? null : JSON.stringify(v));

export async function upsertNeedType(ex: Executor, row: typeof needType.$inferInsert): Promise<void> {
  const { countyCode: _c, code: _k, ...set } = row;
  await ex
    .insert(needType)
    .values(row)
    .onConflictDoUpdate({ target: [needType.countyCode, needType.code], set });
}

export async function findByIdempotencyKey(ex: Executor, countyCode: string, key: string) {
  const [row] = await ex
    .select()
    .from(serviceOrder)
    .where(and(eq(serviceOrder.countyCode, countyCode), eq(serviceOrder.idempotencyKey, key)));
  return row;
}

/** An order inside a scope, locked for update when changing it. */
export async function findOrder(ex: Executor, id: number, scopePath: string, forUpdate = false) {
  const q = ex
    .select({ order: serviceOrder, gridPath: region.path })
    .from(serviceOrder)
    .innerJoin(region, eq(region.id, serviceOrder.gridId))
    .where(and(eq(serviceOrder.id, id), sql`${region.path} like ${scopePath + '%'}`));
  const [row] = await (forUpdate ? q.for('update', { of: serviceOrder }) : q);
  return row;
}

/** Unscoped, for the resident's own page (reached by card) and the sweeper. */
export async function findOrderById(ex: Executor, id: number, forUpdate = false) {
  const q = ex.select().from(serviceOrder).where(eq(serviceOrder.id, id));
  const [row] = await (forUpdate ? q.for('update') : q);
  return row;
}

export async function updateOrder(
  ex: Executor,
  id: number,
  values: Partial<typeof serviceOrder.$inferInsert>,
) {
  await ex.update(serviceOrder).set(values).where(eq(serviceOrder.id, id));
}

export async function insertEvent(ex: Executor, values: typeof orderEvent.$inferInsert): Promise<void> {
  await ex.insert(orderEvent).values(values);
}

export async function eventsOf(ex: Executor, orderId: number) {
  return ex
    .select()
    .from(orderEvent)
    .where(eq(orderEvent.orderId, orderId))
    .orderBy(asc(orderEvent.at), asc(orderEvent.id));
}

export async function addParties(
  ex: Executor,
  orderId: number,
  parties: { memberId: number; level: number; reason: string }[],
  since: Date,
): Promise<void> {
  if (parties.length === 0) return;
  await ex
    .insert(orderParty)
    .values(parties.map((p) => ({ orderId, ...p, since })))
    .onConflictDoNothing();
}

export async function partiesOf(ex: Executor, orderId: number) {
  return ex
    .select({
      memberId: orderParty.memberId,
      level: orderParty.level,
      reason: orderParty.reason,
      name: member.name,
    })
    .from(orderParty)
    .innerJoin(member, eq(member.id, orderParty.memberId))
    .where(eq(orderParty.orderId, orderId))
    .orderBy(asc(orderParty.level));
}

/** An outbox row as notify() composes it (everything else takes the column's default). */
export type NoticeRow = Pick<
  typeof notification.$inferInsert,
  | 'countyCode'
  | 'memberId'
  | 'mobile'
  | 'channel'
  | 'orderId'
  | 'kind'
  | 'text'
  | 'createdAt'
  | 'sentAt'
  | 'nextAttemptAt'
>;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * Outbox rows, any number, in one statement: the columns travel as arrays the server unnests.
 * (Building a multi-row insert of 26,000 notices cost the sweeper more JavaScript time than the
 * database spent on them.)
 */
export async function insertNotifications(ex: Executor, rows: NoticeRow[]): Promise<void> {
  if (rows.length) await ex.execute(noticesInsert(rows));
}

// The columns of the rows written from arrays, in the arrays' order (`with ordinality … order by n`:
// an order's events keep the order they happened in).
const NOTICE_COLUMNS = sql.raw(
  'county_code, member_id, mobile, channel, order_id, kind, text, created_at, sent_at, next_attempt_at',
);
const EVENT_COLUMNS = sql.raw(
  'order_id, at, kind, from_state, to_state, actor_account_id, actor_name, note, data',
);
const PARTY_COLUMNS = sql.raw('order_id, member_id, level, reason, since');

/** The insert of outbox rows from column arrays (`orderId`: only those of orders written, in fileOrders). */
function noticesInsert(rows: NoticeRow[], orderId?: SQL, place: Place = (value) => sql.param(value)): SQL {
  const col = <T>(f: (r: NoticeRow) => T) => place(rows.map(f));
  return sql`
    insert into ${notification} (${NOTICE_COLUMNS})
    select ${NOTICE_COLUMNS} from unnest(${col((r) => r.countyCode)}::text[], ${col((r) => r.memberId ?? null)}::bigint[],
      ${col((r) => r.mobile ?? null)}::text[], ${col((r) => r.channel)}::text[], ${col((r) => r.orderId ?? null)}::bigint[],
      ${col((r) => r.kind)}::text[], ${col((r) => r.text)}::text[], ${col((r) => iso(r.createdAt))}::timestamptz[],
      ${col((r) => iso(r.sentAt))}::timestamptz[], ${col((r) => iso(r.nextAttemptAt))}::timestamptz[])
      with ordinality v(${NOTICE_COLUMNS}, n)
      ${writtenOnly(orderId)} order by n`;
}

/** Inside fileOrders: lets a row through only when its order (`orderId`) was written (CTE o). */
const writtenOnly = (orderId?: SQL) => (orderId ? sql`where ${orderId} in (select id from o)` : sql``);

export type EventRow = Pick<
  typeof orderEvent.$inferInsert,
  'orderId' | 'at' | 'kind' | 'fromState' | 'toState' | 'actorAccountId' | 'actorName' | 'note' | 'data'
>;

function eventsInsert(rows: EventRow[], orderId?: SQL, place: Place = (value) => sql.param(value)): SQL {
  const col = <T>(f: (r: EventRow) => T) => place(rows.map(f));
  return sql`
    insert into ${orderEvent} (${EVENT_COLUMNS})
    select ${EVENT_COLUMNS} from unnest(${col((r) => r.orderId)}::bigint[], ${col((r) => iso(r.at))}::timestamptz[],
      ${col((r) => r.kind)}::text[], ${col((r) => r.fromState ?? null)}::text[], ${col((r) => r.toState ?? null)}::text[],
      ${col((r) => r.actorAccountId ?? null)}::bigint[], ${col((r) => r.actorName ?? null)}::text[],
      ${col((r) => r.note ?? null)}::text[], ${col((r) => json(r.data))}::jsonb[])
      with ordinality v(${EVENT_COLUMNS}, n)
      ${writtenOnly(orderId)} order by n`;
}

function partiesInsert(
  rows: (typeof orderParty.$inferInsert)[],
  orderId?: SQL,
  place: Place = (value) => sql.param(value),
): SQL {
  const col = <T>(f: (r: typeof orderParty.$inferInsert) => T) => place(rows.map(f));
  return sql`
    insert into ${orderParty} (${PARTY_COLUMNS})
    select ${PARTY_COLUMNS} from unnest(${col((r) => r.orderId)}::bigint[], ${col((r) => r.memberId)}::bigint[],
      ${col((r) => r.level)}::smallint[], ${col((r) => r.reason)}::text[], ${col((r) => iso(r.since))}::timestamptz[])
      with ordinality v(${PARTY_COLUMNS}, n)
      ${writtenOnly(orderId)} order by n
    on conflict do nothing`;
}

/**
 * What the sweeper changes on an order: its next check and escalation level always; when it
 * reminded, the time it did; which deadline it found overdue. The rest is left as it is.
 */
export interface SweptOrder {
  id: number;
  nextCheckAt: Date | null;
  escalationLevel: number;
  remindedAt?: Date;
  overdueAccept?: true;
  overdueResolve?: true;
}

/**
 * What one sweep batch writes — outbox rows, parties, events and the orders' changes — in one
 * statement (one round trip; atomic with the batch's transaction anyway).
 */
export async function writeSwept(
  ex: Executor,
  w: {
    notices: NoticeRow[];
    parties: (typeof orderParty.$inferInsert)[];
    events: EventRow[];
    orders: SweptOrder[];
  },
): Promise<void> {
  if (w.orders.length === 0) return;
  const param = <T>(f: (r: SweptOrder) => T) => sql.param(w.orders.map(f));
  await ex.execute(sql`
    with n as (${noticesInsert(w.notices)}),
    p as (${partiesInsert(w.parties)}),
    e as (${eventsInsert(w.events)})
    update ${serviceOrder} o set next_check_at = v.next_check_at, escalation_level = v.escalation_level,
      reminded_at = coalesce(v.reminded_at, o.reminded_at),
      overdue_accept = o.overdue_accept or v.overdue_accept, overdue_resolve = o.overdue_resolve or v.overdue_resolve
    from unnest(${param((r) => r.id)}::bigint[], ${param((r) => iso(r.nextCheckAt))}::timestamptz[],
      ${param((r) => r.escalationLevel)}::smallint[], ${param((r) => iso(r.remindedAt))}::timestamptz[],
      ${param((r) => r.overdueAccept ?? false)}::boolean[], ${param((r) => r.overdueResolve ?? false)}::boolean[])
      as v(id, next_check_at, escalation_level, reminded_at, overdue_accept, overdue_resolve)
    where o.id = v.id`);
}

/** A due order as the sweeper reads it: with the resident's name and the assignee's mobile. */
export interface DueOrder {
  order: OrderRow;
  residentName: string;
  assigneeMobile: string | null;
}

/**
 * Orders whose reminder or escalation is due (the partial index on next_check_at finds them),
 * locked so that another sweeper — another instance, or another batch of this one — skips them
 * (on PostgreSQL); each is handled and committed once.
 */
export async function pickDue(
  ex: Executor,
  now: Date,
  limit: number,
  skipLocked: boolean,
): Promise<DueOrder[]> {
  const q = ex
    .select({ order: serviceOrder, residentName: resident.name, assigneeMobile: member.mobile })
    .from(serviceOrder)
    .innerJoin(resident, eq(resident.id, serviceOrder.residentId))
    .leftJoin(member, eq(member.id, serviceOrder.assigneeMemberId))
    .where(lte(serviceOrder.nextCheckAt, now))
    .orderBy(asc(serviceOrder.nextCheckAt))
    .limit(limit);
  return skipLocked
    ? q.for('update', { of: serviceOrder, skipLocked: true })
    : q.for('update', { of: serviceOrder });
}

/** The member record of a signed-in account, if any. */
export async function memberOfAccount(ex: Executor, accountId: number | null) {
  if (accountId === null) return undefined;
  const [row] = await ex
    .select()
    .from(member)
    .where(and(eq(member.accountId, accountId), eq(member.active, true)));
  return row;
}

export async function memberById(ex: Executor, id: number) {
  const [row] = await ex.select().from(member).where(eq(member.id, id));
  return row;
}

/** The active team serving the grid: one set on the grid itself, else on the nearest ancestor. */
export async function teamForGrid(ex: Executor, gridPath: string) {
  const ids = gridPath.split('/').filter(Boolean).map(Number);
  const rows = await ex
    .select({ team, depth: sql<number>`length(${region.path})`.mapWith(Number) })
    .from(team)
    .innerJoin(region, eq(region.id, team.regionId))
    .where(and(inArray(team.regionId, ids), eq(team.active, true)))
    .orderBy(desc(sql`length(${region.path})`), asc(team.id))
    .limit(1);
  return rows[0]?.team;
}

export async function teamById(ex: Executor, id: number) {
  const [row] = await ex.select().from(team).where(eq(team.id, id));
  return row;
}

export async function teamMembers(ex: Executor, teamId: number) {
  return ex
    .select({ id: member.id, name: member.name, mobile: member.mobile })
    .from(teamMember)
    .innerJoin(member, eq(member.id, teamMember.memberId))
    .where(and(eq(teamMember.teamId, teamId), eq(member.active, true)));
}

export async function residentForOrder(ex: Executor, residentId: number) {
  const [row] = await ex
    .select({ resident, address: household.address, gridPath: region.path })
    .from(resident)
    .innerJoin(household, eq(household.id, resident.householdId))
    .innerJoin(region, eq(region.id, resident.gridId))
    .where(eq(resident.id, residentId));
  return row;
}

export interface BoardFilter {
  path: string;
  states?: OrderState[];
  needCodes?: string[];
  urgency?: Urgency[];
  overdueOnly?: boolean;
  assigneeMemberId?: number;
  partyMemberId?: number;
  limit: number;
  offset: number;
}

/**
 * The board's order, as expressions an index can follow (all ascending): overdue first, then the
 * most urgent, then the nearest acceptance deadline. `order_open_board_idx` on open orders holds
 * exactly these, so a wide scope reads its first page from the index instead of sorting thousands.
 */
export const BOARD_ORDER = {
  overdueFirst: sql`(not (${serviceOrder.overdueAccept} or ${serviceOrder.overdueResolve}))`,
  urgencyRank: sql`(case ${serviceOrder.urgency} when 'critical' then 0 when 'urgent' then 1 else 2 end)`,
};

export async function listOrders(ex: Executor, f: BoardFilter) {
  // '/' is everywhere (a member's own orders): no filter, so the planner is not misled by one.
  const where: (SQL | undefined)[] = [f.path === '/' ? undefined : sql`${region.path} like ${f.path + '%'}`];
  if (f.states?.length) where.push(inArray(serviceOrder.state, f.states));
  if (f.needCodes?.length) where.push(inArray(serviceOrder.needCode, f.needCodes));
  if (f.urgency?.length) where.push(inArray(serviceOrder.urgency, f.urgency));
  if (f.overdueOnly)
    where.push(or(eq(serviceOrder.overdueAccept, true), eq(serviceOrder.overdueResolve, true)));
  if (f.assigneeMemberId !== undefined || f.partyMemberId !== undefined) {
    // A member's orders as a set of ids, each branch found by its own small index: assigned to
    // them, assigned to a team of theirs, or reached by escalation or as the dispatcher. (One OR
    // over the whole table, or every order they were ever the assignee of, reads thousands.)
    const states = f.states?.length ? inArray(serviceOrder.state, f.states) : undefined;
    const branches: SQL[] = [];
    if (f.assigneeMemberId !== undefined)
      branches.push(
        sql`select ${serviceOrder.id} from ${serviceOrder} where ${and(eq(serviceOrder.assigneeMemberId, f.assigneeMemberId), states)}`,
      );
    if (f.partyMemberId !== undefined)
      branches.push(
        sql`select ${serviceOrder.id} from ${serviceOrder} where ${and(
          isNotNull(serviceOrder.assigneeTeamId),
          inArray(
            serviceOrder.assigneeTeamId,
            sql`(select ${teamMember.teamId} from ${teamMember} where ${teamMember.memberId} = ${f.partyMemberId})`,
          ),
          states,
        )}`,
        sql`select ${orderParty.orderId} from ${orderParty} where ${orderParty.memberId} = ${f.partyMemberId} and ${orderParty.reason} <> 'assignee'`,
      );
    where.push(sql`${serviceOrder.id} in (${sql.join(branches, sql` union all `)})`);
  }
  return ex
    .select({
      order: serviceOrder,
      residentName: resident.name,
      gridName: region.name,
      assigneeName: member.name,
    })
    .from(serviceOrder)
    .innerJoin(region, eq(region.id, serviceOrder.gridId))
    .innerJoin(resident, eq(resident.id, serviceOrder.residentId))
    .leftJoin(member, eq(member.id, serviceOrder.assigneeMemberId))
    .where(and(...where))
    .orderBy(
      asc(BOARD_ORDER.overdueFirst),
      asc(BOARD_ORDER.urgencyRank),
      asc(serviceOrder.acceptDueAt),
      asc(serviceOrder.id),
    )
    .limit(f.limit)
    .offset(f.offset);
}

export async function notificationsFor(ex: Executor, memberId: number, afterId: number, limit: number) {
  return ex
    .select()
    .from(notification)
    .where(
      and(
        eq(notification.memberId, memberId),
        eq(notification.channel, 'console'),
        sql`${notification.id} > ${afterId}`,
      ),
    )
    .orderBy(asc(notification.id))
    .limit(limit);
}

/** SMS waiting for delivery, locked for this deliverer. */
export async function pickSms(ex: Executor, now: Date, limit: number, skipLocked: boolean) {
  const q = ex
    .select()
    .from(notification)
    .where(
      and(
        eq(notification.channel, 'sms'),
        isNull(notification.sentAt),
        isNull(notification.failedAt),
        lte(notification.nextAttemptAt, now),
      ),
    )
    .orderBy(asc(notification.nextAttemptAt))
    .limit(limit);
  return skipLocked ? q.for('update', { skipLocked: true }) : q.for('update');
}

export async function markNotification(
  ex: Executor,
  id: number,
  values: Partial<typeof notification.$inferInsert>,
) {
  await ex.update(notification).set(values).where(eq(notification.id, id));
}

export async function insertSmsLog(ex: Executor, values: typeof smsLog.$inferInsert): Promise<void> {
  await ex.insert(smsLog).values(values);
}
