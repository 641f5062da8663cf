// Reading the service loop: the dispatch board, "my orders", one order with its timeline, the
// figures per region (响应率、办结率、满意率、时长、超时), and the console's notifications.
import { sql } from 'drizzle-orm';
import { assertCan, type Actor } from '../platform/access.ts';
import type { Ctx } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { maskName } from '../ledger/rules.ts';
import { regionInScope } from '../regions/service.ts';
import * as repo from './repo.ts';
import { OPEN_STATES } from './rules.ts';
import type { OrderState, Urgency } from './schema.ts';

const present = (r: Awaited<ReturnType<typeof repo.listOrders>>[number]) => ({
  ...r.order,
  residentName: maskName(r.residentName),
  gridName: r.gridName,
  assigneeName: r.assigneeName,
  overdue: r.order.overdueAccept || r.order.overdueResolve,
});

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
  return rows.map(present);
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
  return rows.map(present);
}

export async function getOrder(ctx: Ctx, actor: Actor, id: number) {
  assertCan(actor, 'order.read');
  const found = await repo.findOrder(ctx.db, id, actor.regionPath);
  if (!found) throw notFound();
  const [events, parties, r] = await Promise.all([
    repo.eventsOf(ctx.db, id),
    repo.partiesOf(ctx.db, id),
    repo.residentForOrder(ctx.db, found.order.residentId),
  ]);
  return {
    ...found.order,
    overdue: found.order.overdueAccept || found.order.overdueResolve,
    resident: r && { id: r.resident.id, name: maskName(r.resident.name), address: r.address },
    parties,
    events,
  };
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
