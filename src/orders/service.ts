// Use cases of the service loop: filing an order (by card, hotline or visit; idempotent), routing
// it to the resident's own contact or a team, working it through its states, and the resident's
// feedback. Every change is an order event and an audit row in one transaction.
import type { Executor } from '../db/engine.ts';
import { maskName } from '../ledger/rules.ts';
import type { ContactRow } from '../pairing/repo.ts';
import { chainForResident } from '../pairing/service.ts';
import { assertCan, can, type Actor } from '../platform/access.ts';
import type { auditEvent } from '../platform/audit/schema.ts';
import { audit, type AuditEntry } from '../platform/audit/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Ctx } from '../platform/context.ts';
import { batcher, settle, type Outcome } from '../platform/batcher.ts';
import { DomainError, notFound } from '../platform/errors.ts';
import { NO_HOLD_REQUEST, holdAnswerTo, holdUntil } from './hold.ts';
import { noticeRows, noticeText, notify, type NoticeKind, type Recipient } from './notify.ts';
import * as repo from './repo.ts';
import {
  AWAITING_RESOLVE,
  dueTimes,
  holdGate,
  mayTake,
  next,
  reminderAt,
  routeOf,
  type OrderEvent,
} from './rules.ts';
import type { Channel, Urgency } from './schema.ts';

export type NewOrder = repo.FiledFor & {
  needCode: string;
  urgency: Urgency;
  description?: string | null;
  idempotencyKey?: string | null;
};

export interface Filer {
  channel: Channel;
  actor: Actor | null;
}

const residentLabel = (name: string) => maskName(name);

/** What createOrder answers: the order, whether this call made it, and who it went to. */
export interface Filed {
  order: repo.OrderRow;
  created: boolean;
  assigneeName: string | null;
}

/**
 * Files an order and routes it: to the resident's own contact for that need, to the team serving
 * the grid for team needs, or left for a dispatcher when nobody is there. The same idempotency
 * key in a county returns the order already filed.
 *
 * Filed for a resident, or by a card's token hash (the resident's channel): a revoked or unknown
 * card is card.not_found. The answer names the assignee, so the resident can be told who comes.
 *
 * Filings that arrive together are read and written together (src/platform/batcher.ts): one read
 * of the cards, residents, need types and chains of responsibility, and one statement writing the
 * orders, their events, parties, notices and audit rows — two round trips and one commit for the
 * batch, however many are in it. This is the resident channel's hot path.
 * @throws order.need_unknown | not_found | card.not_found
 */
export function createOrder(ctx: Ctx, filer: Filer, input: NewOrder): Promise<Filed> {
  let file = filingQueues.get(ctx);
  if (!file) {
    file = batcher((batch: Filing[]) => fileBatch(ctx, batch), { inFlight: 2, maxBatch: 200 });
    filingQueues.set(ctx, file);
  }
  return file({ filer, input });
}

interface Filing {
  filer: Filer;
  input: NewOrder;
}

/** One filing queue per context (an app's; tests open many). */
const filingQueues = new WeakMap<Ctx, (f: Filing) => Promise<Filed>>();

/** Files a batch; if its one write fails, each is tried alone so one bad filing fails only itself. */
async function fileBatch(ctx: Ctx, batch: Filing[]): Promise<Outcome<Filed>[]> {
  const ex = ctx.db;
  const found = await repo.filingContexts(
    ex,
    batch.map(({ input }) => ({
      filedFor:
        'cardTokenHash' in input ? { cardTokenHash: input.cardTokenHash } : { residentId: input.residentId },
      needCode: input.needCode,
      idempotencyKey: input.idempotencyKey ?? null,
    })),
  );
  const plans = await Promise.all(batch.map((f, i) => settle(() => planFiling(ctx, f, found[i]))));
  const writes = plans.flatMap((p) => (p.ok && p.value.write ? [p.value.write] : []));
  const write = async (ws: Filings[]) => repo.fileOrders(ex, mergeFilings(ws));
  let written: Set<number>;
  try {
    written = writes.length ? await write(writes) : new Set();
  } catch (err) {
    // The statement fails whole: write each alone, so only the filing the database refuses fails
    // (alone in the batch, it is that one); the others' answers (an earlier order, a bad need) stand.
    return Promise.all(
      plans.map((p) =>
        settle(async () => {
          const plan = unwrap(p);
          if (!plan.write) return finish(plan, new Set());
          if (writes.length === 1) throw err;
          return finish(plan, await write([plan.write]));
        }),
      ),
    );
  }
  return Promise.all(plans.map((p) => settle(() => finish(unwrap(p), written))));
}

type Filings = repo.Filings;

const unwrap = <T>(o: Outcome<T>): T => {
  if (!o.ok) throw o.error;
  return o.value;
};

function mergeFilings(ws: Filings[]): Filings {
  return {
    orders: ws.flatMap((w) => w.orders),
    events: ws.flatMap((w) => w.events),
    parties: ws.flatMap((w) => w.parties),
    notices: ws.flatMap((w) => w.notices),
    audits: ws.flatMap((w) => w.audits),
  };
}

/** One filing's plan: what it writes (none when its key was used already) and how to answer. */
interface Plan {
  write: Filings | null;
  order: repo.OrderRow | null;
  assigneeName: string | null;
  /** The order already filed under the key, answered when this one was not written. */
  existing: () => Promise<Filed>;
}

async function finish(p: Plan, written: Set<number>): Promise<Filed> {
  // Not written: the key was used before, or by a concurrent filing that committed first.
  if (!p.order || !written.has(p.order.id)) return p.existing();
  return { order: p.order, created: true, assigneeName: p.assigneeName };
}

async function planFiling(
  ctx: Ctx,
  { filer, input }: Filing,
  f: repo.FilingContext | undefined,
): Promise<Plan> {
  const ex = ctx.db;
  if (!f) throw 'cardTokenHash' in input ? new DomainError('card.not_found') : notFound();
  const r = f.resident;
  const existing = async (): Promise<Filed> => {
    const order = (await repo.findByIdempotencyKey(ex, r.countyCode, input.idempotencyKey!))!;
    const id = order.assigneeMemberId;
    const name =
      id === null
        ? null
        : (f.chain.find((c) => c.member_id === id)?.name ?? (await repo.memberById(ex, id))?.name ?? null);
    return { order, created: false, assigneeName: name };
  };
  if (f.existingId !== null) return { write: null, order: null, assigneeName: null, existing };
  const need = f.need;
  if (!need) throw new DomainError('order.need_unknown', { code: input.needCode });
  const now = ctx.clock.now();
  const due = dueTimes(need.deadlines, input.urgency, now);
  const target = await routeTarget(ex, need.route, f.chain, r.gridPath);
  const state = target ? 'dispatched' : 'submitted';
  const order: repo.OrderRow = {
    id: f.newId,
    countyCode: r.countyCode,
    residentId: r.id,
    gridId: r.gridId,
    needCode: need.code,
    urgency: input.urgency,
    channel: filer.channel,
    description: input.description?.trim() || null,
    state,
    assigneeMemberId: target?.memberId ?? null,
    assigneeTeamId: target?.teamId ?? null,
    ...due,
    nextCheckAt: reminderAt(now, due.acceptDueAt),
    remindedAt: null,
    escalationLevel: 0,
    overdueAccept: false,
    overdueResolve: false,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    ...NO_HOLD_REQUEST,
    solved: null,
    rating: null,
    feedback: null,
    idempotencyKey: input.idempotencyKey ?? null,
    createdByAccount: filer.actor?.accountId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const events: repo.EventRow[] = [
    {
      orderId: order.id,
      at: now,
      kind: 'transition',
      fromState: null,
      toState: 'submitted',
      actorAccountId: filer.actor?.accountId ?? null,
      actorName: filer.actor?.displayName ?? '群众',
      note: order.description,
      data: { channel: filer.channel },
    },
  ];
  let parties: { memberId: number; level: number; reason: string }[];
  let notices: repo.NoticeRow[];
  const label = residentLabel(r.name);
  if (target) {
    events.push({
      orderId: order.id,
      at: now,
      kind: 'dispatch',
      fromState: 'submitted',
      toState: 'dispatched',
      actorName: '系统自动派单',
      data: { memberId: target.memberId, teamId: target.teamId, to: target.label, reason: target.reason },
    });
    parties = target.recipients
      .filter((x) => x.memberId !== null)
      .map((x) => ({ memberId: x.memberId!, level: 0, reason: 'assignee' }));
    notices = noticeRows(
      order,
      'dispatched',
      noticeText('dispatched', order, need.nameZh, label),
      target.recipients,
      now,
    );
  } else {
    // Nobody to route to: the grid leader (and the dispatch board) must pick it up.
    const leaders = f.chain
      .filter((c) => c.level === 1)
      .map((c) => ({ memberId: c.member_id, mobile: c.mobile }));
    parties = leaders.map((x) => ({ memberId: x.memberId, level: 1, reason: 'dispatcher' }));
    notices = noticeRows(order, 'unrouted', noticeText('unrouted', order, need.nameZh, label), leaders, now);
  }
  const write: Filings = {
    orders: [order],
    events,
    parties: parties.map((p) => ({ orderId: order.id, ...p, since: now })),
    notices,
    audits: [
      auditRow(ctx.clock, filer.actor, {
        action: 'order.create',
        targetType: 'order',
        targetId: order.id,
        regionId: order.gridId,
        after: { need: need.code, urgency: order.urgency, channel: filer.channel, state },
      }),
    ],
  };
  return { write, order, assigneeName: target?.memberId ? target.label : null, existing };
}

/** The row audit() would write, for fileOrders' single statement. */
function auditRow(clock: Clock, actor: Actor | null, e: AuditEntry): typeof auditEvent.$inferInsert {
  return {
    at: clock.now(),
    actorId: actor?.accountId ?? null,
    actorName: actor?.displayName ?? null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId == null ? null : String(e.targetId),
    regionId: e.regionId ?? null,
    reason: e.reason ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    ip: actor?.ip ?? null,
  };
}

interface Target {
  memberId: number | null;
  teamId: number | null;
  /** Whom the order went to: the member's name or the team's. */
  label: string;
  reason: string;
  recipients: Recipient[];
}

async function routeTarget(
  ex: Executor,
  route: string,
  chain: ContactRow[],
  gridPath: string,
): Promise<Target | null> {
  const role = routeOf(route as 'help');
  if (role) {
    const contact = chain.find((c) => c.level === 0 && c.role === role);
    return contact
      ? {
          memberId: contact.member_id,
          teamId: null,
          label: contact.name,
          reason: role,
          recipients: [{ memberId: contact.member_id, mobile: contact.mobile }],
        }
      : null;
  }
  const team = await repo.teamForGrid(ex, gridPath);
  if (!team) return null;
  const members = await repo.teamMembers(ex, team.id);
  return {
    memberId: null,
    teamId: team.id,
    label: team.name,
    reason: 'team',
    recipients: members.map((m) => ({ memberId: m.id, mobile: m.mobile })),
  };
}

/** Who may move an order: its assignee (or a member of its team), or a dispatcher in scope. */
async function actorRights(ex: Executor, actor: Actor, o: repo.OrderRow) {
  const me = await repo.memberOfAccount(ex, actor.accountId);
  const team =
    o.assigneeTeamId && me
      ? (await repo.teamMembers(ex, o.assigneeTeamId)).some((m) => m.id === me.id)
      : false;
  return {
    member: me,
    isAssignee: !!me && (o.assigneeMemberId === me.id || team),
    isDispatcher: can(actor, 'order.dispatch'),
  };
}

export interface TransitionInput {
  event: OrderEvent;
  note?: string | null;
  /** For dispatch: the member or team to send it to. */
  memberId?: number;
  teamId?: number;
  /** For request_hold and hold: the time asked for (延期至); approving a request defaults to its. */
  until?: string | Date | null;
}

/** Events that need a reason, and the error when it is missing. */
const NOTE_REQUIRED: Partial<Record<OrderEvent, 'order.note_required' | 'order.reason_required'>> = {
  return: 'order.note_required',
  fail: 'order.note_required',
  hold: 'order.note_required',
  request_hold: 'order.reason_required',
  deny_hold: 'order.reason_required',
};

/** The grid leaders of the resident's chain: who dispatches again, and answers a 延期 request. */
async function gridLeaders(ex: Executor, residentId: number): Promise<Recipient[]> {
  return (await chainForResident(ex, residentId))
    .filter((c) => c.level === 1)
    .map((c) => ({ memberId: c.member_id, mobile: c.mobile }));
}

/**
 * Moves an order by an event of the state machine. Workers (the assignee) accept, start,
 * resolve, return, fail, resume, or ask for more time (request_hold: recorded on the order, the
 * grid leaders notified, the state unchanged); dispatchers may do anything else, and answer a
 * request: 'hold' approves it (on hold, resolve deadline moved to the time asked, or to their own),
 * 'deny_hold' refuses it. A refused transition changes nothing.
 * @throws not_found | forbidden | order.invalid_transition | order.note_required |
 *   order.reason_required | order.hold_pending | order.hold_none | order.hold_until_required |
 *   order.hold_until_past | order.hold_until_early | order.assignee_required | order.assignee_unknown
 */
export async function transition(ctx: Ctx, actor: Actor, orderId: number, input: TransitionInput) {
  assertCan(actor, 'order.read');
  return ctx.db.transaction(async (tx) => {
    const found = await repo.findOrder(tx, orderId, actor.regionPath, true);
    if (!found) throw notFound();
    const o = found.order;
    const rights = await actorRights(tx, actor, o);
    if (!mayTake(input.event, { assignee: rights.isAssignee, dispatcher: rights.isDispatcher }))
      throw new DomainError('forbidden');
    const to = next(o.state, input.event);
    if (!to)
      throw new DomainError('order.invalid_transition', {
        from: STATE_NAMES[o.state],
        event: EVENT_NAMES[input.event],
      });
    const pending = o.holdRequestedAt !== null;
    const gate = holdGate(input.event, pending);
    if (gate) throw new DomainError(gate);
    const noteRequired = NOTE_REQUIRED[input.event];
    // Approving a request needs no words of the dispatcher's: the assignee gave the reason.
    if (noteRequired && !(input.event === 'hold' && pending) && !input.note?.trim())
      throw new DomainError(noteRequired, { event: EVENT_NAMES[input.event] });
    const now = ctx.clock.now();
    const values: Partial<repo.OrderRow> = { state: to, updatedAt: now };
    let notice: { kind: NoticeKind; to: Recipient[] } | null = null;
    let recorded: { kind: string; data: Record<string, unknown> | null } = { kind: 'transition', data: null };
    const need = (await repo.needTypesFor(tx, o.countyCode)).find((n) => n.code === o.needCode);
    switch (input.event) {
      case 'accept':
        Object.assign(values, {
          acceptedAt: now,
          remindedAt: null,
          nextCheckAt: reminderAt(now, o.resolveDueAt),
        });
        if (!o.assigneeMemberId && rights.member) values.assigneeMemberId = rights.member.id;
        break;
      case 'resolve':
        Object.assign(values, { resolvedAt: now, nextCheckAt: null });
        break;
      case 'dispatch': {
        const target = await dispatchTarget(tx, input, o.countyCode);
        Object.assign(values, { assigneeMemberId: target.memberId, assigneeTeamId: target.teamId });
        await repo.addParties(
          tx,
          o.id,
          target.recipients
            .filter((r) => r.memberId !== null)
            .map((r) => ({ memberId: r.memberId!, level: 0, reason: 'assignee' })),
          now,
        );
        notice = { kind: 'dispatched', to: target.recipients };
        recorded = {
          kind: 'dispatch',
          data: { memberId: target.memberId, teamId: target.teamId, to: target.label },
        };
        break;
      }
      case 'return':
        Object.assign(values, { assigneeMemberId: null, assigneeTeamId: null });
        notice = { kind: 'returned', to: await gridLeaders(tx, o.residentId) };
        break;
      case 'request_hold': {
        const until = holdUntil(input.until, o, now);
        Object.assign(values, {
          holdRequestedAt: now,
          holdRequestedUntil: until,
          holdRequestedBy: rights.member?.id ?? null,
          holdRequestReason: input.note!.trim(),
        });
        notice = { kind: 'hold_requested', to: await gridLeaders(tx, o.residentId) };
        recorded = { kind: 'hold_request', data: { until } };
        break;
      }
      case 'deny_hold':
        notice = { kind: 'hold_denied', to: await holdAnswerTo(tx, o) };
        recorded = { kind: 'hold_denied', data: { until: o.holdRequestedUntil } };
        break;
      case 'hold': {
        // Approving a request: the time asked for, unless the dispatcher gives their own.
        const until = holdUntil(input.until || o.holdRequestedUntil, o, now);
        // The clock stops while on hold; resume restarts it towards the new deadline.
        Object.assign(values, { resolveDueAt: until, nextCheckAt: null, remindedAt: null });
        notice = { kind: 'hold_approved', to: await holdAnswerTo(tx, o) };
        recorded.data = { until, requested: pending };
        break;
      }
      case 'resume':
        Object.assign(values, { nextCheckAt: reminderAt(now, o.resolveDueAt), remindedAt: null });
        break;
      case 'cancel':
      case 'fail':
      case 'duplicate':
      case 'close':
        Object.assign(values, { nextCheckAt: null, ...(input.event === 'close' ? { closedAt: now } : {}) });
        break;
    }
    // A request is answered, or overtaken: the order left the work (resolved, returned, on hold,
    // cancelled, failed). Starting the work keeps it waiting.
    if (pending && (input.event === 'deny_hold' || !AWAITING_RESOLVE.includes(to)))
      Object.assign(values, NO_HOLD_REQUEST);
    await repo.updateOrder(tx, o.id, values);
    const after = { ...o, ...values } as repo.OrderRow;
    await repo.insertEvent(tx, {
      orderId: o.id,
      at: now,
      kind: recorded.kind,
      fromState: o.state,
      toState: to,
      actorAccountId: actor.accountId,
      actorName: actor.displayName,
      note: input.note?.trim() || (input.event === 'hold' ? o.holdRequestReason : null),
      data: recorded.data,
    });
    if (notice) {
      const r = await repo.residentForOrder(tx, o.residentId);
      await notify(
        tx,
        after,
        notice.kind,
        noticeText(notice.kind, after, need?.nameZh ?? o.needCode, residentLabel(r!.resident.name)),
        notice.to,
        now,
      );
    }
    await audit(tx, ctx.clock, actor, {
      action: `order.${input.event}`,
      targetType: 'order',
      targetId: o.id,
      regionId: o.gridId,
      reason: input.note ?? null,
      before: { state: o.state },
      after: { state: to, ...(recorded.data?.until ? { until: recorded.data.until } : {}) },
    });
    return after;
  });
}

/** A dispatcher's choice: an active member or team of the order's own county. */
async function dispatchTarget(ex: Executor, input: TransitionInput, countyCode: string): Promise<Target> {
  if (input.teamId) {
    const t = await repo.teamById(ex, input.teamId);
    if (!t || !t.active || t.countyCode !== countyCode) throw new DomainError('order.assignee_unknown');
    const members = await repo.teamMembers(ex, t.id);
    return {
      memberId: null,
      teamId: t.id,
      label: t.name,
      reason: 'team',
      recipients: members.map((m) => ({ memberId: m.id, mobile: m.mobile })),
    };
  }
  if (!input.memberId) throw new DomainError('order.assignee_required');
  const m = await repo.memberById(ex, input.memberId);
  if (!m || !m.active || m.countyCode !== countyCode) throw new DomainError('order.assignee_unknown');
  return {
    memberId: m.id,
    teamId: null,
    label: m.name,
    reason: 'manual',
    recipients: [{ memberId: m.id, mobile: m.mobile }],
  };
}

/**
 * The resident's (or the operator's call-back) verdict on a resolved order: solved closes it with
 * a rating; not solved reopens it to the same assignee with fresh deadlines, escalation level kept.
 * @throws not_found | order.invalid_transition
 */
export async function recordFeedback(
  ctx: Ctx,
  by: { actor: Actor | null; residentId?: number },
  orderId: number,
  input: { solved: boolean; rating?: number | null; comment?: string | null },
) {
  return ctx.db.transaction(async (tx) => {
    const o = by.actor
      ? (await repo.findOrder(tx, orderId, by.actor.regionPath, true))?.order
      : await repo.findOrderById(tx, orderId, true);
    if (!o || (by.residentId !== undefined && o.residentId !== by.residentId)) throw notFound();
    if (by.actor) assertCan(by.actor, 'order.dispatch');
    if (o.state !== 'resolved')
      throw new DomainError('order.invalid_transition', {
        from: STATE_NAMES[o.state],
        event: EVENT_NAMES.close,
      });
    const now = ctx.clock.now();
    const need = (await repo.needTypesFor(tx, o.countyCode)).find((n) => n.code === o.needCode)!;
    let values: Partial<repo.OrderRow>;
    if (input.solved) {
      values = {
        state: 'closed',
        closedAt: now,
        solved: true,
        rating: input.rating ?? null,
        feedback: input.comment ?? null,
        updatedAt: now,
      };
    } else {
      const due = dueTimes(need.deadlines, o.urgency, now);
      values = {
        state: 'reopened',
        solved: false,
        remindedAt: null,
        rating: input.rating ?? null,
        feedback: input.comment ?? null,
        acceptedAt: null,
        resolvedAt: null,
        ...due,
        nextCheckAt: reminderAt(now, due.acceptDueAt),
        updatedAt: now,
      };
    }
    await repo.updateOrder(tx, o.id, values);
    const after = { ...o, ...values } as repo.OrderRow;
    await repo.insertEvent(tx, {
      orderId: o.id,
      at: now,
      kind: 'feedback',
      fromState: o.state,
      toState: after.state,
      actorAccountId: by.actor?.accountId ?? null,
      actorName: by.actor?.displayName ?? '群众',
      note: input.comment?.trim() || null,
      data: { solved: input.solved, rating: input.rating ?? null },
    });
    if (!input.solved && o.assigneeMemberId) {
      const m = await repo.memberById(tx, o.assigneeMemberId);
      const r = await repo.residentForOrder(tx, o.residentId);
      await notify(
        tx,
        after,
        'reopened',
        noticeText('reopened', after, need.nameZh, residentLabel(r!.resident.name)),
        [{ memberId: m!.id, mobile: m!.mobile }],
        now,
      );
    }
    await audit(tx, ctx.clock, by.actor, {
      action: input.solved ? 'order.feedback_solved' : 'order.reopen',
      targetType: 'order',
      targetId: o.id,
      regionId: o.gridId,
      after: { solved: input.solved, rating: input.rating ?? null },
    });
    return after;
  });
}

export const STATE_NAMES = {
  submitted: { zh: '待派单', en: 'submitted' },
  dispatched: { zh: '已派单', en: 'dispatched' },
  accepted: { zh: '已签收', en: 'accepted' },
  in_progress: { zh: '办理中', en: 'in progress' },
  on_hold: { zh: '延期中', en: 'on hold' },
  resolved: { zh: '已办结', en: 'resolved' },
  closed: { zh: '已关闭', en: 'closed' },
  returned: { zh: '已退单', en: 'returned' },
  reopened: { zh: '重新办理', en: 'reopened' },
  cancelled: { zh: '已撤销', en: 'cancelled' },
  failed: { zh: '无法办理', en: 'failed' },
  duplicate: { zh: '重复工单', en: 'duplicate' },
} as const;

export const EVENT_NAMES: Record<OrderEvent, { zh: string; en: string }> = {
  dispatch: { zh: '派单', en: 'dispatch' },
  accept: { zh: '签收', en: 'accept' },
  start: { zh: '开始办理', en: 'start' },
  resolve: { zh: '办结', en: 'resolve' },
  close: { zh: '关闭', en: 'close' },
  return: { zh: '退单', en: 'return' },
  hold: { zh: '延期', en: 'hold' },
  resume: { zh: '恢复办理', en: 'resume' },
  cancel: { zh: '撤销', en: 'cancel' },
  fail: { zh: '无法办理', en: 'fail' },
  reopen: { zh: '重新打开', en: 'reopen' },
  duplicate: { zh: '标记重复', en: 'mark duplicate' },
  request_hold: { zh: '申请延期', en: 'ask for more time' },
  deny_hold: { zh: '驳回延期', en: 'deny more time' },
};
