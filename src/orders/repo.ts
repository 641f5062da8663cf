// All SQL of the service loop: need types, orders (scoped by the resident's grid), events,
// parties, the sweeper's pick of due orders, and the outbox.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { household, resident } from '../ledger/schema.ts';
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
export type NeedTypeRow = typeof needType.$inferSelect;

/** National need types with the county's overrides (same code) applied. */
export async function needTypesFor(ex: Executor, countyCode: string): Promise<NeedTypeRow[]> {
  const rows = await ex
    .select()
    .from(needType)
    .where(or(eq(needType.countyCode, ''), eq(needType.countyCode, countyCode)))
    .orderBy(asc(needType.sort));
  const byCode = new Map<string, NeedTypeRow>();
  for (const r of rows) if (!byCode.has(r.code) || r.countyCode !== '') byCode.set(r.code, r);
  return [...byCode.values()].filter((r) => r.active).sort((a, b) => a.sort - b.sort);
}

export async function upsertNeedType(ex: Executor, row: typeof needType.$inferInsert): Promise<void> {
  const { countyCode: _c, code: _k, ...set } = row;
  await ex
    .insert(needType)
    .values(row)
    .onConflictDoUpdate({ target: [needType.countyCode, needType.code], set });
}

/** Inserts unless the idempotency key was used in the county; returns null when it was. */
export async function insertOrder(
  ex: Executor,
  values: typeof serviceOrder.$inferInsert,
): Promise<OrderRow | null> {
  const rows = await ex
    .insert(serviceOrder)
    .values(values)
    .onConflictDoNothing({
      target: [serviceOrder.countyCode, serviceOrder.idempotencyKey],
      where: sql`${serviceOrder.idempotencyKey} is not null`,
    })
    .returning();
  return rows[0] ?? null;
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

export async function insertNotifications(
  ex: Executor,
  rows: (typeof notification.$inferInsert)[],
): Promise<void> {
  if (rows.length) await ex.insert(notification).values(rows);
}

/**
 * Orders whose reminder or escalation is due, locked so that another instance's sweeper skips
 * them (on PostgreSQL); each is handled and committed once.
 */
export async function pickDue(
  ex: Executor,
  now: Date,
  limit: number,
  skipLocked: boolean,
): Promise<OrderRow[]> {
  const q = ex
    .select()
    .from(serviceOrder)
    .where(lte(serviceOrder.nextCheckAt, now))
    .orderBy(asc(serviceOrder.nextCheckAt))
    .limit(limit);
  return skipLocked ? q.for('update', { skipLocked: true }) : q.for('update');
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

export async function listOrders(ex: Executor, f: BoardFilter) {
  const where: (SQL | undefined)[] = [sql`${region.path} like ${f.path + '%'}`];
  if (f.states?.length) where.push(inArray(serviceOrder.state, f.states));
  if (f.needCodes?.length) where.push(inArray(serviceOrder.needCode, f.needCodes));
  if (f.urgency?.length) where.push(inArray(serviceOrder.urgency, f.urgency));
  if (f.overdueOnly)
    where.push(or(eq(serviceOrder.overdueAccept, true), eq(serviceOrder.overdueResolve, true)));
  if (f.assigneeMemberId !== undefined || f.partyMemberId !== undefined) {
    where.push(
      or(
        f.assigneeMemberId !== undefined ? eq(serviceOrder.assigneeMemberId, f.assigneeMemberId) : undefined,
        f.partyMemberId !== undefined
          ? sql`exists (select 1 from order_party p where p.order_id = ${serviceOrder.id} and p.member_id = ${f.partyMemberId})`
          : undefined,
      ),
    );
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
      desc(sql`(${serviceOrder.overdueAccept} or ${serviceOrder.overdueResolve})`),
      desc(sql`case ${serviceOrder.urgency} when 'critical' then 2 when 'urgent' then 1 else 0 end`),
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

export async function smsLogRecent(ex: Executor, limit: number) {
  return ex.select().from(smsLog).orderBy(desc(smsLog.id)).limit(limit);
}

export async function failedNotifications(ex: Executor, limit: number) {
  return ex
    .select()
    .from(notification)
    .where(sql`${notification.failedAt} is not null`)
    .orderBy(desc(notification.id))
    .limit(limit);
}
