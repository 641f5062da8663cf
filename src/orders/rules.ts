// Pure rules of the service loop: the order state machine, routing a need to a contact, due
// times, reminders and escalation up the chain of responsibility. No I/O, table-tested.
import type { Deadlines, OrderState, Route, Urgency } from './schema.ts';
import { OPEN_STATES } from './vocabulary.ts';

export const EVENTS = [
  'dispatch',
  'accept',
  'start',
  'resolve',
  'close',
  'return',
  'hold',
  'resume',
  'cancel',
  'fail',
  'reopen',
  'duplicate',
  'request_hold',
  'deny_hold',
] as const;
export type OrderEvent = (typeof EVENTS)[number];

/** Every allowed transition; anything else is refused and changes nothing. */
const TRANSITIONS: Record<OrderEvent, Partial<Record<OrderState, OrderState>>> = {
  dispatch: {
    submitted: 'dispatched',
    returned: 'dispatched',
    dispatched: 'dispatched',
    reopened: 'dispatched',
  },
  accept: { dispatched: 'accepted', reopened: 'accepted' },
  start: { accepted: 'in_progress' },
  resolve: { accepted: 'resolved', in_progress: 'resolved' },
  close: { resolved: 'closed' },
  return: { dispatched: 'returned', accepted: 'returned', reopened: 'returned' },
  hold: { accepted: 'on_hold', in_progress: 'on_hold' },
  resume: { on_hold: 'in_progress' },
  cancel: {
    submitted: 'cancelled',
    dispatched: 'cancelled',
    returned: 'cancelled',
    accepted: 'cancelled',
    on_hold: 'cancelled',
  },
  fail: { accepted: 'failed', in_progress: 'failed', on_hold: 'failed' },
  reopen: { resolved: 'reopened', closed: 'reopened' },
  duplicate: { submitted: 'duplicate', dispatched: 'duplicate', returned: 'duplicate' },
  // 延期申请: the assignee asks for more time and the dispatcher denies it (or approves: 'hold');
  // neither changes the state, and the request itself lives on the order (holdGate).
  request_hold: { accepted: 'accepted', in_progress: 'in_progress' },
  deny_hold: { accepted: 'accepted', in_progress: 'in_progress' },
};

export function next(state: OrderState, event: OrderEvent): OrderState | null {
  return TRANSITIONS[event][state] ?? null;
}

/** What an assignee (not a dispatcher) may do to their own order. */
export const WORKER_EVENTS: readonly OrderEvent[] = [
  'accept',
  'start',
  'resolve',
  'return',
  'fail',
  'request_hold',
  'resume',
];

/**
 * Whether someone may take an event at all, whatever the state: a dispatcher anything but asking
 * for more time (only the one doing the work asks); an assignee the worker's events.
 */
export function mayTake(event: OrderEvent, who: { assignee: boolean; dispatcher: boolean }): boolean {
  if (event === 'request_hold') return who.assignee;
  return who.dispatcher || (who.assignee && WORKER_EVENTS.includes(event));
}

/**
 * What a pending 延期 request allows beyond the state: one request at a time, and only a pending
 * one can be denied. (Approving is 'hold', which a dispatcher may also do unasked.)
 */
export function holdGate(
  event: OrderEvent,
  pending: boolean,
): 'order.hold_pending' | 'order.hold_none' | null {
  if (event === 'request_hold' && pending) return 'order.hold_pending';
  if (event === 'deny_hold' && !pending) return 'order.hold_none';
  return null;
}

/** Why a 延期至 time is refused: it must lie after now and after the resolve deadline it extends. */
export function holdUntilProblem(
  until: Date,
  now: Date,
  resolveDueAt: Date,
): 'order.hold_until_past' | 'order.hold_until_early' | null {
  if (until <= now) return 'order.hold_until_past';
  if (until <= resolveDueAt) return 'order.hold_until_early';
  return null;
}

export { OPEN_STATES };
/** States waiting for someone to accept (签收). */
export const AWAITING_ACCEPT: readonly OrderState[] = ['submitted', 'dispatched', 'returned', 'reopened'];
/** States in which the work is under way and the resolve deadline runs. */
export const AWAITING_RESOLVE: readonly OrderState[] = ['accepted', 'in_progress'];

export function dueTimes(
  deadlines: Deadlines,
  urgency: Urgency,
  t0: Date,
): { acceptDueAt: Date; resolveDueAt: Date } {
  const d = deadlines[urgency];
  return {
    acceptDueAt: new Date(t0.getTime() + d.accept * 1000),
    resolveDueAt: new Date(t0.getTime() + d.resolve * 1000),
  };
}

/** Which of the resident's contacts a need goes to; 'team' needs an official's (or rule's) choice. */
export function routeOf(route: Route): 'help' | 'health' | 'livelihood' | null {
  return route === 'team' ? null : route;
}

/** A reminder (催办) goes out when three quarters of the window have passed. */
export function reminderAt(from: Date, due: Date): Date {
  return new Date(from.getTime() + (due.getTime() - from.getTime()) * 0.75);
}

export interface Rung {
  level: number;
  memberId: number | null;
  name: string;
  mobile: string;
}

/**
 * How far an overdue order climbs: one rung per elapsed window since the deadline, never past
 * the top of the chain. Returns the rungs newly reached (possibly several after downtime).
 */
export function climb(
  chain: readonly Rung[],
  currentLevel: number,
  deadline: Date,
  windowMs: number,
  now: Date,
): { reached: Rung[]; level: number; nextCheckAt: Date | null } {
  const all = [...new Set(chain.map((r) => r.level))].sort((a, b) => a - b);
  const taken = all.filter((l) => l <= currentLevel).length;
  const ahead = all.filter((l) => l > currentLevel);
  const window = Math.max(windowMs, 1000);
  if (ahead.length === 0) return { reached: [], level: currentLevel, nextCheckAt: null };
  if (now < deadline) return { reached: [], level: currentLevel, nextCheckAt: deadline };
  // The first rung is due at the deadline, each next one a window later.
  const due = 1 + Math.floor((now.getTime() - deadline.getTime()) / window);
  const steps = Math.min(ahead.length, Math.max(0, due - taken));
  if (steps === 0)
    return { reached: [], level: currentLevel, nextCheckAt: new Date(deadline.getTime() + taken * window) };
  const level = ahead[steps - 1]!;
  const reached = chain.filter((r) => r.level > currentLevel && r.level <= level);
  const more = ahead.length > steps;
  return {
    reached,
    level,
    nextCheckAt: more ? new Date(deadline.getTime() + (taken + steps) * window) : null,
  };
}
