// Reading the service loop: the dispatch board, "my orders", one order with its timeline, the
// figures per region (响应率、办结率、满意率、时长、超时), and the console's notifications.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { household, resident } from '../ledger/schema.ts';
import { chainForResident } from '../pairing/service.ts';
import { assertCan, can, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, notFound } from '../platform/errors.ts';
import { maskPhone } from '../platform/identity.ts';
import { maskName } from '../ledger/rules.ts';
import { regionInScope } from '../regions/service.ts';
import { team } from '../staff/schema.ts';
import { pendingHold } from './hold.ts';
import * as repo from './repo.ts';
import { EVENTS, OPEN_STATES, holdGate, mayTake, next, type OrderEvent } from './rules.ts';
import { notification, orderParty, type OrderState, type Urgency } from './schema.ts';

type ListedRow = Awaited<ReturnType<typeof repo.listOrders>>[number];

/**
 * What a work list shows of each order beyond its row: the need's name, the resident's address and
 * phones (masked: a call goes through callResident, which is audited), the assigned team's name.
 */
async function present(ex: Executor, rows: ListedRow[]) {
  if (rows.length === 0) return [];
  const residentIds = [...new Set(rows.map((r) => r.order.residentId))];
  const teamIds = [...new Set(rows.flatMap((r) => (r.order.assigneeTeamId ? [r.order.assigneeTeamId] : [])))];
  const counties = [...new Set(rows.map((r) => r.order.countyCode))];
  const [people, teams, needs] = await Promise.all([
    ex
      .select({ id: resident.id, phones: resident.phones, address: household.address })
      .from(resident)
      .innerJoin(household, eq(household.id, resident.householdId))
      .where(inArray(resident.id, residentIds)),
    teamIds.length
      ? ex.select({ id: team.id, name: team.name }).from(team).where(inArray(team.id, teamIds))
      : Promise.resolve([]),
    Promise.all(counties.map(async (c) => [c, await repo.needTypesFor(ex, c)] as const)),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const teamName = new Map(teams.map((x) => [x.id, x.name]));
  const needOf = new Map(needs.map(([c, list]) => [c, new Map(list.map((n) => [n.code, n]))]));
  return rows.map((r) => {
    const need = needOf.get(r.order.countyCode)?.get(r.order.needCode);
    const p = person.get(r.order.residentId);
    // The row's own object, extended: copying its 34 columns into a new one cost more than the query.
    return Object.assign(r.order, {
      needName: need ? { zh: need.nameZh, en: need.nameEn } : { zh: r.order.needCode, en: r.order.needCode },
      residentName: maskName(r.residentName),
      residentPhones: (p?.phones ?? []).map(maskPhone),
      address: p?.address ?? null,
      gridName: r.gridName,
      assigneeName: r.assigneeName,
      assigneeTeamName: r.order.assigneeTeamId ? (teamName.get(r.order.assigneeTeamId) ?? null) : null,
      overdue: r.order.overdueAccept || r.order.overdueResolve,
    });
  });
}

export interface BoardQuery {
  regionId?: number;
  states?: OrderState[];
  needCodes?: string[];
  urgency?: Urgency[];
  overdueOnly?: boolean;
  page?: number;
  pageSize?: number;
}

/** The dispatch board: overdue first, then urgency, then the nearest deadline. */
export async function board(ctx: Ctx, actor: Actor, q: BoardQuery) {
  assertCan(actor, 'order.read');
  const path = q.regionId ? (await regionInScope(ctx.db, actor, q.regionId))?.path : actor.regionPath;
  if (!path) throw notFound();
  const pageSize = q.pageSize ?? 50;
  const rows = await repo.listOrders(ctx.db, {
    path,
    states: q.states ?? [...OPEN_STATES],
    needCodes: q.needCodes,
    urgency: q.urgency,
    overdueOnly: q.overdueOnly,
    limit: pageSize,
    offset: ((q.page ?? 1) - 1) * pageSize,
  });
  return present(ctx.db, rows);
}

/** Orders assigned to the signed-in member, to their team, or escalated to them. */
export async function myOrders(ctx: Ctx, actor: Actor, q: { states?: OrderState[] }) {
  assertCan(actor, 'order.read');
  const me = await repo.memberOfAccount(ctx.db, actor.accountId);
  if (!me) return [];
  const rows = await repo.listOrders(ctx.db, {
    path: '/',
    states: q.states ?? [...OPEN_STATES],
    assigneeMemberId: me.id,
    partyMemberId: me.id,
    limit: 200,
    offset: 0,
  });
  return present(ctx.db, rows);
}

/**
 * One order for its page: the row, the resident (masked name and phones, address), the three
 * contacts, everyone it reached, every event, a pending 延期 request (who, until, why), and what
 * the viewer may do to it now (by state, role and the pending request, as transition decides).
 */
export async function getOrder(ctx: Ctx, actor: Actor, id: number) {
  assertCan(actor, 'order.read');
  const found = await repo.findOrder(ctx.db, id, actor.regionPath);
  if (!found) throw notFound();
  const o = found.order;
  const [events, parties, r, chain, needs, me, assignee, assignedTeam] = await Promise.all([
    repo.eventsOf(ctx.db, id),
    repo.partiesOf(ctx.db, id),
    repo.residentForOrder(ctx.db, o.residentId),
    chainForResident(ctx.db, o.residentId),
    repo.needTypesFor(ctx.db, o.countyCode),
    repo.memberOfAccount(ctx.db, actor.accountId),
    o.assigneeMemberId ? repo.memberById(ctx.db, o.assigneeMemberId) : undefined,
    o.assigneeTeamId
      ? ctx.db.select({ id: team.id, name: team.name }).from(team).where(eq(team.id, o.assigneeTeamId))
      : Promise.resolve([]),
  ]);
  const inTeam =
    !!me &&
    !!o.assigneeTeamId &&
    (await repo.teamMembers(ctx.db, o.assigneeTeamId)).some((m) => m.id === me.id);
  const isAssignee = !!me && (o.assigneeMemberId === me.id || inTeam);
  const who = { assignee: isAssignee, dispatcher: can(actor, 'order.dispatch') };
  const pending = o.holdRequestedAt !== null;
  const allowed = (e: OrderEvent) =>
    e !== 'reopen' && next(o.state, e) && mayTake(e, who) && !holdGate(e, pending);
  // Whoever may grant 延期 (a dispatcher working the order themselves) does not ask anyone for it.
  const actions: (OrderEvent | 'feedback')[] = EVENTS.filter(
    (e) => allowed(e) && !(e === 'request_hold' && allowed('hold')),
  );
  if (who.dispatcher && o.state === 'resolved') actions.push('feedback');
  const need = needs.find((n) => n.code === o.needCode);
  const contacts = (['help', 'health', 'livelihood'] as const).map((role) => {
    const c = chain.find((x) => x.level === 0 && x.role === role);
    return { role, member: c ? { id: c.member_id, name: c.name, mobile: c.mobile } : null };
  });
  return {
    ...o,
    overdue: o.overdueAccept || o.overdueResolve,
    needName: need ? { zh: need.nameZh, en: need.nameEn } : { zh: o.needCode, en: o.needCode },
    assigneeName: assignee?.name ?? null,
    assigneeTeamName: assignedTeam[0]?.name ?? null,
    resident: r && {
      id: r.resident.id,
      name: maskName(r.resident.name),
      address: r.address,
      phones: r.resident.phones.map(maskPhone),
    },
    contacts,
    parties,
    events,
    holdRequest: await pendingHold(ctx.db, o),
    actions,
    canCall: isAssignee || parties.some((p) => p.memberId === me?.id) || can(actor, 'pii.reveal'),
  };
}

/**
 * The resident's phones in full, to call them about an order: for anyone the order reached (its
 * assignee, its team, each rung it climbed) or who may reveal personal data in scope. Audited like
 * a reveal (the numbers themselves never go into the audit row).
 * @throws forbidden | not_found
 */
export async function callResident(ctx: Ctx, actor: Actor, id: number) {
  assertCan(actor, 'order.read');
  return ctx.db.transaction(async (tx) => {
    if (!can(actor, 'pii.reveal')) {
      // Decided before the scope is looked at: "not yours" for a missing order too, so nothing leaks.
      const me = await repo.memberOfAccount(tx, actor.accountId);
      if (!me || !(await isParty(tx, id, me.id))) throw new DomainError('forbidden');
    }
    const found = await repo.findOrder(tx, id, actor.regionPath);
    if (!found) throw notFound();
    const r = await repo.residentForOrder(tx, found.order.residentId);
    if (!r) throw notFound();
    await audit(tx, ctx.clock, actor, {
      action: 'order.call_resident',
      targetType: 'order',
      targetId: id,
      regionId: found.order.gridId,
      after: { residentId: r.resident.id },
    });
    return { residentId: r.resident.id, name: maskName(r.resident.name), phones: r.resident.phones };
  });
}

async function isParty(ex: Executor, orderId: number, memberId: number): Promise<boolean> {
  const o = await repo.findOrderById(ex, orderId);
  if (!o) return false;
  if (o.assigneeMemberId === memberId) return true;
  if (o.assigneeTeamId && (await repo.teamMembers(ex, o.assigneeTeamId)).some((m) => m.id === memberId))
    return true;
  const [p] = await ex
    .select({ memberId: orderParty.memberId })
    .from(orderParty)
    .where(and(eq(orderParty.orderId, orderId), eq(orderParty.memberId, memberId)));
  return !!p;
}

/**
 * Figures over orders filed in [from, to) under a region: on-time acceptance (响应率), resolution
 * (办结率), satisfaction (满意率: solved and rated 4–5 of those rated), median minutes to accept
 * and resolve, and what is overdue now.
 */
export async function figures(ctx: Ctx, actor: Actor, regionId: number, from: Date, to: Date) {
  assertCan(actor, 'order.read');
  const node = await regionInScope(ctx.db, actor, regionId);
  if (!node) throw notFound();
  const res = await ctx.db.execute<{
    total: number;
    accepted: number;
    accepted_on_time: number;
    resolved: number;
    resolved_on_time: number;
    rated: number;
    satisfied: number;
    median_accept_min: number | null;
    median_resolve_min: number | null;
    overdue_now: number;
    open_now: number;
  }>(sql`
    select count(*)::int as total,
      count(o.accepted_at)::int as accepted,
      count(*) filter (where o.accepted_at <= o.accept_due_at)::int as accepted_on_time,
      count(o.resolved_at)::int as resolved,
      count(*) filter (where o.resolved_at <= o.resolve_due_at)::int as resolved_on_time,
      count(o.rating)::int as rated,
      count(*) filter (where o.rating >= 4 and o.solved)::int as satisfied,
      percentile_cont(0.5) within group (order by extract(epoch from o.accepted_at - o.created_at) / 60)
        filter (where o.accepted_at is not null) as median_accept_min,
      percentile_cont(0.5) within group (order by extract(epoch from o.resolved_at - o.created_at) / 60)
        filter (where o.resolved_at is not null) as median_resolve_min,
      count(*) filter (where (o.overdue_accept or o.overdue_resolve)
        and o.state in ('submitted','dispatched','accepted','in_progress','on_hold','returned','reopened'))::int as overdue_now,
      count(*) filter (where o.state in ('submitted','dispatched','accepted','in_progress','on_hold','returned','reopened'))::int as open_now
    from service_order o join region g on g.id = o.grid_id
    where g.path like ${node.path + '%'} and o.created_at >= ${from} and o.created_at < ${to}`);
  const f = res.rows[0]!;
  const rate = (a: number, b: number) => (b ? a / b : null);
  return {
    region: { id: node.id, name: node.name },
    from,
    to,
    total: f.total,
    responseRate: rate(f.accepted_on_time, f.total),
    resolutionRate: rate(f.resolved, f.total),
    onTimeResolutionRate: rate(f.resolved_on_time, f.total),
    satisfactionRate: rate(f.satisfied, f.rated),
    medianMinutesToAccept: f.median_accept_min,
    medianMinutesToResolve: f.median_resolve_min,
    overdueNow: f.overdue_now,
    openNow: f.open_now,
  };
}

/** Console notifications of the signed-in member after a given id (for the live stream). */
export async function notificationsAfter(ctx: Ctx, actor: Actor, afterId: number) {
  const me = await repo.memberOfAccount(ctx.db, actor.accountId);
  if (!me) return [];
  return repo.notificationsFor(ctx.db, me.id, afterId, 100);
}

export type SmsStatus = 'pending' | 'sent' | 'failed';

/**
 * SMS of orders under a region (the actor's own subtree by default), newest first, whatever the
 * adapter: waiting (with its attempts and last error), sent, or given up. Mobiles are masked.
 * @throws forbidden | not_found
 */
export async function smsMessages(ctx: Ctx, actor: Actor, q: { regionId?: number; status?: SmsStatus }) {
  assertCan(actor, 'order.config');
  const path = q.regionId ? (await regionInScope(ctx.db, actor, q.regionId))?.path : actor.regionPath;
  if (!path) throw notFound();
  const status =
    q.status === 'sent'
      ? sql`and n.sent_at is not null`
      : q.status === 'failed'
        ? sql`and n.failed_at is not null`
        : q.status === 'pending'
          ? sql`and n.sent_at is null and n.failed_at is null`
          : sql``;
  const res = await ctx.db.execute<{
    id: number;
    order_id: number | null;
    member_id: number | null;
    member_name: string | null;
    mobile: string | null;
    kind: string;
    text: string;
    created_at: Date;
    sent_at: Date | null;
    failed_at: Date | null;
    attempts: number;
    last_error: string | null;
  }>(sql`
    select n.id, n.order_id, n.member_id, m.name as member_name, coalesce(n.mobile, m.mobile) as mobile,
      n.kind, n.text, n.created_at, n.sent_at, n.failed_at, n.attempts, n.last_error
    from notification n
      join service_order o on o.id = n.order_id
      join region g on g.id = o.grid_id
      left join member m on m.id = n.member_id
    where n.channel = 'sms' and g.path like ${path + '%'} ${status}
    order by n.id desc limit 200`);
  const at = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return res.rows.map((n) => ({
    id: Number(n.id),
    orderId: n.order_id === null ? null : Number(n.order_id),
    memberName: n.member_name,
    mobile: n.mobile ? maskPhone(n.mobile) : null,
    kind: n.kind,
    text: n.text,
    createdAt: at(n.created_at),
    sentAt: at(n.sent_at),
    failedAt: at(n.failed_at),
    attempts: n.attempts,
    lastError: n.last_error,
    status: (n.failed_at ? 'failed' : n.sent_at ? 'sent' : 'pending') as SmsStatus,
  }));
}

/** The newest console notification of the signed-in member (where a fresh live stream starts). */
export async function latestNotificationId(ctx: Ctx, actor: Actor): Promise<number> {
  const me = await repo.memberOfAccount(ctx.db, actor.accountId);
  if (!me) return 0;
  const [row] = await ctx.db
    .select({ id: sql<number>`max(${notification.id})`.mapWith(Number) })
    .from(notification)
    .where(and(eq(notification.memberId, me.id), eq(notification.channel, 'console')));
  return row?.id ?? 0;
}
