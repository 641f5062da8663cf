// Table tests of the order state machine, due times and the escalation climb.
import { describe, expect, it } from 'vitest';
import { ORDER_STATES, type OrderState } from './schema.ts';
import {
  EVENTS,
  climb,
  dueTimes,
  holdGate,
  holdUntilProblem,
  mayTake,
  next,
  reminderAt,
  type OrderEvent,
} from './rules.ts';

const ALLOWED: [OrderState, OrderEvent, OrderState][] = [
  ['submitted', 'dispatch', 'dispatched'],
  ['returned', 'dispatch', 'dispatched'],
  ['dispatched', 'dispatch', 'dispatched'],
  ['reopened', 'dispatch', 'dispatched'],
  ['dispatched', 'accept', 'accepted'],
  ['reopened', 'accept', 'accepted'],
  ['accepted', 'start', 'in_progress'],
  ['accepted', 'resolve', 'resolved'],
  ['in_progress', 'resolve', 'resolved'],
  ['resolved', 'close', 'closed'],
  ['dispatched', 'return', 'returned'],
  ['accepted', 'return', 'returned'],
  ['reopened', 'return', 'returned'],
  ['accepted', 'hold', 'on_hold'],
  ['in_progress', 'hold', 'on_hold'],
  ['on_hold', 'resume', 'in_progress'],
  ['submitted', 'cancel', 'cancelled'],
  ['dispatched', 'cancel', 'cancelled'],
  ['returned', 'cancel', 'cancelled'],
  ['accepted', 'cancel', 'cancelled'],
  ['on_hold', 'cancel', 'cancelled'],
  ['accepted', 'fail', 'failed'],
  ['in_progress', 'fail', 'failed'],
  ['on_hold', 'fail', 'failed'],
  ['resolved', 'reopen', 'reopened'],
  ['closed', 'reopen', 'reopened'],
  ['submitted', 'duplicate', 'duplicate'],
  ['dispatched', 'duplicate', 'duplicate'],
  ['returned', 'duplicate', 'duplicate'],
  // 延期申请 and its denial leave the state as it is (approving is 'hold').
  ['accepted', 'request_hold', 'accepted'],
  ['in_progress', 'request_hold', 'in_progress'],
  ['accepted', 'deny_hold', 'accepted'],
  ['in_progress', 'deny_hold', 'in_progress'],
];

describe('state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(next(from, event)).toBe(to);
  });

  // Every other pair of the full table is refused.
  const allowed = new Set(ALLOWED.map(([f, e]) => `${f}:${e}`));
  const refused = ORDER_STATES.flatMap((s) => EVENTS.map((e) => [s, e] as const)).filter(
    ([s, e]) => !allowed.has(`${s}:${e}`),
  );
  it.each(refused)('%s --%s--> refused', (from, event) => {
    expect(next(from, event)).toBeNull();
  });

  it('closed, cancelled, failed and duplicate orders only ever reopen (closed) or stay', () => {
    for (const s of ['cancelled', 'failed', 'duplicate'] as const)
      for (const e of EVENTS) expect(next(s, e)).toBeNull();
  });
});

describe('who may take an event', () => {
  const worker = { assignee: true, dispatcher: false };
  const dispatcher = { assignee: false, dispatcher: true };
  const both = { assignee: true, dispatcher: true };
  const stranger = { assignee: false, dispatcher: false };
  it.each([
    ['the assignee asks for more time', 'request_hold', worker, true],
    ['a dispatcher who is not the assignee does not ask', 'request_hold', dispatcher, false],
    ['a dispatcher who is the assignee may ask', 'request_hold', both, true],
    ['the assignee cannot approve their own request', 'hold', worker, false],
    ['nor deny it', 'deny_hold', worker, false],
    ['a dispatcher approves', 'hold', dispatcher, true],
    ['a dispatcher denies', 'deny_hold', dispatcher, true],
    ['the assignee picks the work up again after a hold', 'resume', worker, true],
    ['the assignee does not dispatch', 'dispatch', worker, false],
    ['nobody else does anything', 'accept', stranger, false],
  ] as const)('%s', (_what, event, who, allowed) => {
    expect(mayTake(event, who)).toBe(allowed);
  });
});

describe('延期 requests', () => {
  it.each([
    ['request_hold', false, null],
    ['request_hold', true, 'order.hold_pending'],
    ['deny_hold', true, null],
    ['deny_hold', false, 'order.hold_none'],
    ['hold', true, null],
    ['hold', false, null],
    ['resolve', true, null],
  ] as const)('%s with a request pending: %s → %s', (event, pending, problem) => {
    expect(holdGate(event, pending)).toBe(problem);
  });

  const now = new Date('2023-01-05T10:00:00Z');
  const due = new Date('2023-01-05T12:00:00Z');
  it.each([
    ['after the deadline', '2023-01-06T12:00:00Z', due, null],
    ['before now', '2023-01-05T09:00:00Z', due, 'order.hold_until_past'],
    ['exactly now', '2023-01-05T10:00:00Z', due, 'order.hold_until_past'],
    ['after now but not after the deadline', '2023-01-05T11:00:00Z', due, 'order.hold_until_early'],
    ['at the deadline', '2023-01-05T12:00:00Z', due, 'order.hold_until_early'],
    [
      'after now when the deadline already passed',
      '2023-01-05T10:30:00Z',
      new Date('2023-01-05T08:00:00Z'),
      null,
    ],
  ] as const)('延期至 %s', (_what, until, resolveDueAt, problem) => {
    expect(holdUntilProblem(new Date(until), now, resolveDueAt)).toBe(problem);
  });
});

describe('deadlines', () => {
  const d = {
    normal: { accept: 7200, resolve: 86400 },
    urgent: { accept: 1800, resolve: 14400 },
    critical: { accept: 600, resolve: 3600 },
  };
  it('due times follow the urgency', () => {
    const t0 = new Date('2023-01-05T00:00:00Z');
    expect(dueTimes(d, 'urgent', t0)).toEqual({
      acceptDueAt: new Date('2023-01-05T00:30:00Z'),
      resolveDueAt: new Date('2023-01-05T04:00:00Z'),
    });
  });
  it('the reminder comes at three quarters of the window', () => {
    expect(reminderAt(new Date('2023-01-05T00:00:00Z'), new Date('2023-01-05T04:00:00Z'))).toEqual(
      new Date('2023-01-05T03:00:00Z'),
    );
  });
});

describe('escalation climb', () => {
  const chain = [
    { level: 1, memberId: 10, name: '网格长', mobile: '1' },
    { level: 2, memberId: 11, name: '村书记', mobile: '2' },
    { level: 4, memberId: null, name: '单位党组织', mobile: '4' },
  ];
  const deadline = new Date('2023-01-05T10:00:00Z');
  const hour = 3_600_000;
  it.each([
    ['before the deadline nothing happens', 0, -1, [], 0],
    ['at the deadline, one rung', 0, 0, ['网格长'], 1],
    ['one window later, the next rung', 1, hour, ['村书记'], 2],
    ['after a long downtime, every rung missed, at once', 0, 5 * hour, ['网格长', '村书记', '单位党组织'], 4],
    ['at the top nothing more', 4, 9 * hour, [], 4],
  ] as const)('%s', (_what, level, after, names, newLevel) => {
    const r = climb(chain, level, deadline, hour, new Date(deadline.getTime() + after));
    expect(r.reached.map((x) => x.name)).toEqual(names);
    expect(r.level).toBe(newLevel);
  });
  it('schedules the next look one window after each rung, and none at the top', () => {
    expect(climb(chain, 0, deadline, hour, deadline).nextCheckAt).toEqual(
      new Date(deadline.getTime() + hour),
    );
    expect(climb(chain, 0, deadline, hour, new Date(deadline.getTime() + 5 * hour)).nextCheckAt).toBeNull();
  });
});
