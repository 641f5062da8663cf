// All SQL of the service loop: need types, orders (scoped by the resident's grid), events,
// parties, the sweeper's pick of due orders, and the outbox.
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { prepared, type Place } from '../db/prepared.ts';
import { household, resident } from '../ledger/schema.ts';
import { chainsSql, type ContactRow } from '../pairing/repo.ts';
import { card } from '../pairing/schema.ts';
import { auditEvent } from '../platform/audit/schema.ts';
import { region } from '../regions/schema.ts';
import { member, responsibility, team, teamMember, unit } from '../staff/schema.ts';
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

/** An instant as text; a batch's rows mostly share one, formatted once (toISOString is ~1 µs). */
let lastIso = { t: NaN, text: '' };
function iso(d: Date | null | undefined): string | null {
  if (!d) return null;
  const t = d.getTime();
  if (t !== lastIso.t) lastIso = { t, text: d.toISOString() };
  return lastIso.text;
}

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

/**
 * The insert of outbox rows from column arrays (`orderId`: only those of orders written, in
 * fileOrders). A notice's text goes to each recipient on each channel: it travels once, numbered.
 */
function noticesInsert(rows: NoticeRow[], orderId?: SQL, place: Place = (value) => sql.param(value)): SQL {
  const col = <T>(f: (r: NoticeRow) => T) => place(rows.map(f));
  const texts = new Map<string, number>();
  const textNo = (text: string) => {
    let i = texts.get(text);
    if (i === undefined) texts.set(text, (i = texts.size + 1));
    return i;
  };
  const numbers = col((r) => textNo(r.text));
  return sql`
    insert into ${notification} (${NOTICE_COLUMNS})
    select v.county_code, v.member_id, v.mobile, v.channel, v.order_id, v.kind, t.text, v.created_at, v.sent_at,
      v.next_attempt_at
    from unnest(${col((r) => r.countyCode)}::text[], ${col((r) => r.memberId ?? null)}::bigint[],
      ${col((r) => r.mobile ?? null)}::text[], ${col((r) => r.channel)}::text[], ${col((r) => r.orderId ?? null)}::bigint[],
      ${col((r) => r.kind)}::text[], ${numbers}::int[], ${col((r) => iso(r.createdAt))}::timestamptz[],
      ${col((r) => iso(r.sentAt))}::timestamptz[], ${col((r) => iso(r.nextAttemptAt))}::timestamptz[])
      with ordinality v(county_code, member_id, mobile, channel, order_id, kind, text_no, created_at, sent_at,
        next_attempt_at, n)
    join unnest(${place([...texts.keys()])}::text[]) with ordinality t(text, text_no) using (text_no)
      ${writtenOnly(orderId)} order by v.n`;
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
  await prepared(ex, 'sweep_write', (place) => {
    const param = <T>(f: (r: SweptOrder) => T) => place(w.orders.map(f));
    return sql`
    with n as (${noticesInsert(w.notices, undefined, place)}),
    p as (${partiesInsert(w.parties, undefined, place)}),
    e as (${eventsInsert(w.events, undefined, place)})
    update ${serviceOrder} o set next_check_at = v.next_check_at, escalation_level = v.escalation_level,
      reminded_at = coalesce(v.reminded_at, o.reminded_at),
      overdue_accept = o.overdue_accept or v.overdue_accept, overdue_resolve = o.overdue_resolve or v.overdue_resolve
    from unnest(${param((r) => r.id)}::bigint[], ${param((r) => iso(r.nextCheckAt))}::timestamptz[],
      ${param((r) => r.escalationLevel)}::smallint[], ${param((r) => iso(r.remindedAt))}::timestamptz[],
      ${param((r) => r.overdueAccept ?? false)}::boolean[], ${param((r) => r.overdueResolve ?? false)}::boolean[])
      as v(id, next_check_at, escalation_level, reminded_at, overdue_accept, overdue_resolve)
    where o.id = v.id`;
  });
}

/** An instant read as milliseconds since the epoch (a number, where the driver would give text). */
const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/** What the sweeper reads of a due order (and what a notice's text needs of it). */
export type DueOrderRow = Pick<
  OrderRow,
  | 'id'
  | 'countyCode'
  | 'residentId'
  | 'needCode'
  | 'urgency'
  | 'state'
  | 'assigneeMemberId'
  | 'acceptDueAt'
  | 'resolveDueAt'
  | 'acceptedAt'
  | 'remindedAt'
  | 'escalationLevel'
  | 'holdRequestedUntil'
>;

/**
 * A due order as the sweeper reads it: with the resident's name and current grid, the assignee's
 * mobile, and — when the assignee is the resident's help contact (帮扶联系人) — the party
 * organisation of their unit, the rung a party member's overdue order reaches above the township.
 */
export interface DueOrder {
  order: DueOrderRow;
  residentName: string;
  residentGridId: number;
  assigneeMobile: string | null;
  unitPartyOrg: string | null;
  unitPartyMobile: string | null;
}

/**
 * Orders whose reminder or escalation is due (the partial index on next_check_at finds them),
 * locked so that another sweeper — another instance, or another batch of this one — skips them
 * (on PostgreSQL); each is handled and committed once. Only the columns the sweeper reads, mapped
 * by hand: mapping whole rows was a tenth of a sweep's JavaScript time.
 */
export async function pickDue(
  ex: Executor,
  now: Date,
  limit: number,
  skipLocked: boolean,
): Promise<DueOrder[]> {
  const rows = await prepared<{
    id: number;
    county_code: string;
    resident_id: number;
    need_code: string;
    urgency: Urgency;
    state: OrderState;
    assignee_member_id: number | null;
    accept_due_at: number;
    resolve_due_at: number;
    accepted_at: number | null;
    reminded_at: number | null;
    escalation_level: number;
    hold_requested_until: number | null;
    resident_name: string;
    resident_grid_id: number;
    assignee_mobile: string | null;
    /** [name, mobile] of the assignee's unit party organisation, when they are the help contact. */
    unit_party: [string | null, string | null] | null;
  }>(
    ex,
    // The limit is written into the statement: a generic plan guesses a tenth of the table for
    // `limit $n`, and the cost it then sees switches on JIT compilation, tens of ms per batch.
    `sweep_pick_${limit}${skipLocked ? '' : '_wait'}`,
    (place) => sql`
    select o.id, o.county_code, o.resident_id, o.need_code, o.urgency, o.state, o.assignee_member_id,
      ${epochMs(sql`o.accept_due_at`)} as accept_due_at, ${epochMs(sql`o.resolve_due_at`)} as resolve_due_at,
      ${epochMs(sql`o.accepted_at`)} as accepted_at, ${epochMs(sql`o.reminded_at`)} as reminded_at, o.escalation_level,
      ${epochMs(sql`o.hold_requested_until`)} as hold_requested_until, r.name as resident_name,
      r.grid_id as resident_grid_id, m.mobile as assignee_mobile,
      (select array[u.party_org_name, u.party_org_mobile] from ${unit} u where u.id = m.unit_id and m.active
        and exists (select from ${responsibility} x where x.target_type = 'resident' and x.target_id = o.resident_id
          and x.role = 'help' and x.member_id = o.assignee_member_id and x.to_date is null)) as unit_party
    from ${serviceOrder} o join ${resident} r on r.id = o.resident_id
      left join ${member} m on m.id = o.assignee_member_id
    where o.next_check_at <= ${place(now)} order by o.next_check_at limit ${sql.raw(String(Math.trunc(limit)))}
    for update of o${skipLocked ? sql` skip locked` : sql``}`,
  );
  return rows.map((r) => ({
    order: {
      id: r.id,
      countyCode: r.county_code,
      residentId: r.resident_id,
      needCode: r.need_code,
      urgency: r.urgency,
      state: r.state,
      assigneeMemberId: r.assignee_member_id,
      acceptDueAt: new Date(r.accept_due_at),
      resolveDueAt: new Date(r.resolve_due_at),
      acceptedAt: date(r.accepted_at),
      remindedAt: date(r.reminded_at),
      escalationLevel: r.escalation_level,
      holdRequestedUntil: date(r.hold_requested_until),
    },
    residentName: r.resident_name,
    residentGridId: r.resident_grid_id,
    assigneeMobile: r.assignee_mobile,
    unitPartyOrg: r.unit_party?.[0] ?? null,
    unitPartyMobile: r.unit_party?.[1] ?? null,
  }));
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
  const order = [
    asc(BOARD_ORDER.overdueFirst),
    asc(BOARD_ORDER.urgencyRank),
    asc(serviceOrder.acceptDueAt),
    asc(serviceOrder.id),
  ];
  // The page is chosen from the orders alone (and their grid, for the region), then only its rows
  // are joined to their residents and assignees: a member with 1,600 open orders joined them all.
  let ids = ex.select({ id: serviceOrder.id }).from(serviceOrder).$dynamic();
  if (f.path !== '/') ids = ids.innerJoin(region, eq(region.id, serviceOrder.gridId));
  const page = ids
    .where(and(...where))
    .orderBy(...order)
    .limit(f.limit)
    .offset(f.offset);
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
    .where(inArray(serviceOrder.id, page))
    .orderBy(...order);
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
