// Tables of the service loop (群众点单 — 组织派单 — 小分队接单): need types as data, orders with their
// due times and escalation level stored on the row, the event trail, and the notification outbox.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  type PgColumn,
} from 'drizzle-orm/pg-core';
import { resident } from '../ledger/schema.ts';
import {
  CHANNELS,
  OPEN_STATES,
  ORDER_STATES,
  ROUTES,
  URGENCIES,
  type Channel,
  type OrderState,
  type Route,
  type Urgency,
} from './vocabulary.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export { URGENCIES, ROUTES, CHANNELS, ORDER_STATES };
export type { Urgency, Route, Channel, OrderState };

/** Seconds to accept (签收) and to resolve (办结) at each urgency. */
export type Deadlines = Record<Urgency, { accept: number; resolve: number }>;

export const needType = pgTable(
  'need_type',
  {
    /** '' for the national defaults; a county's own rows override by code. */
    countyCode: text('county_code').notNull().default(''),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    route: text('route', { enum: ROUTES }).notNull(),
    deadlines: jsonb('deadlines').$type<Deadlines>().notNull(),
    icon: text('icon'),
    sort: integer('sort').notNull().default(100),
    active: boolean('active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.code] })],
);

/** OPEN_STATES as the predicate of the partial indexes of open orders (a change needs a migration). */
export const OPEN_STATES_SQL = OPEN_STATES.map((s) => `'${s}'`).join(',');
const openOrder = (state: PgColumn) => sql`${state} in (${sql.raw(OPEN_STATES_SQL)})`;

export const serviceOrder = pgTable(
  'service_order',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    residentId: bigint('resident_id', { mode: 'number' })
      .notNull()
      .references(() => resident.id),
    /** The resident's grid when filed: the scope filter joins it to the region tree. */
    gridId: bigint('grid_id', { mode: 'number' }).notNull(),
    needCode: text('need_code').notNull(),
    urgency: text('urgency', { enum: URGENCIES }).notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    description: text('description'),
    state: text('state', { enum: ORDER_STATES }).notNull(),
    // No foreign keys to member and team, nor from events and parties to the order: checking them
    // on every filing locked each assignee's row and cost more than the filing itself (migration
    // 0013). Members, teams and orders are never deleted — a trigger refuses it — so none can dangle.
    assigneeMemberId: bigint('assignee_member_id', { mode: 'number' }),
    assigneeTeamId: bigint('assignee_team_id', { mode: 'number' }),
    acceptDueAt: ts('accept_due_at').notNull(),
    resolveDueAt: ts('resolve_due_at').notNull(),
    /** When the sweeper next looks at it: a reminder, or the next rung of escalation. */
    nextCheckAt: ts('next_check_at'),
    remindedAt: ts('reminded_at'),
    escalationLevel: smallint('escalation_level').notNull().default(0),
    overdueAccept: boolean('overdue_accept').notNull().default(false),
    overdueResolve: boolean('overdue_resolve').notNull().default(false),
    acceptedAt: ts('accepted_at'),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    // A pending 延期 request (申请延期): when the assignee asked, for how long, who and why. Cleared
    // when the dispatcher approves (→ on_hold) or denies it, or the order moves on without it.
    holdRequestedAt: ts('hold_requested_at'),
    holdRequestedUntil: ts('hold_requested_until'),
    holdRequestedBy: bigint('hold_requested_by', { mode: 'number' }),
    holdRequestReason: text('hold_request_reason'),
    solved: boolean('solved'),
    rating: smallint('rating'),
    feedback: text('feedback'),
    idempotencyKey: text('idempotency_key'),
    createdByAccount: bigint('created_by_account', { mode: 'number' }),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('order_idem_uq')
      .on(t.countyCode, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('order_check_idx')
      .on(t.nextCheckAt)
      .where(sql`${t.nextCheckAt} is not null`),
    index('order_assignee_idx').on(t.assigneeMemberId, t.state),
    // The board's first page for a wide scope, read in order (repo.BOARD_ORDER): open orders only.
    index('order_open_board_idx')
      .on(
        sql`(not (${t.overdueAccept} or ${t.overdueResolve}))`,
        sql`(case ${t.urgency} when 'critical' then 0 when 'urgent' then 1 else 2 end)`,
        t.acceptDueAt,
        t.id,
      )
      .where(openOrder(t.state)),
    // "My orders": open ones assigned to a member or to a team (ids only: read without the table).
    index('order_open_assignee_idx').on(t.assigneeMemberId, t.id).where(openOrder(t.state)),
    index('order_open_team_idx')
      .on(t.assigneeTeamId)
      .where(sql`${openOrder(t.state)} and ${t.assigneeTeamId} is not null`),
    index('order_grid_state_idx').on(t.gridId, t.state, t.createdAt),
    index('order_resident_idx').on(t.residentId),
    index('order_county_created_idx').on(t.countyCode, t.createdAt),
  ],
);

export const orderEvent = pgTable(
  'order_event',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    orderId: bigint('order_id', { mode: 'number' }).notNull(),
    at: ts('at').notNull(),
    /** 'transition', 'dispatch', 'escalate', 'remind', 'feedback', 'note', 'hold_request', 'hold_denied'. */
    kind: text('kind').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    actorAccountId: bigint('actor_account_id', { mode: 'number' }),
    actorName: text('actor_name'),
    note: text('note'),
    data: jsonb('data'),
  },
  (t) => [index('order_event_order_idx').on(t.orderId, t.at)],
);

/** Everyone an order has reached: the assignee and each rung of escalation ("everyone on the way sees it"). */
export const orderParty = pgTable(
  'order_party',
  {
    orderId: bigint('order_id', { mode: 'number' }).notNull(),
    memberId: bigint('member_id', { mode: 'number' }).notNull(),
    level: smallint('level').notNull(),
    reason: text('reason').notNull(),
    since: ts('since').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.memberId] }),
    index('order_party_member_idx').on(t.memberId),
    // Whom an order reached other than as its assignee (escalation, dispatcher): "my orders" reads it.
    index('order_party_reached_idx')
      .on(t.memberId, t.orderId)
      .where(sql`${t.reason} <> 'assignee'`),
  ],
);

/** The outbox: written in the same transaction as the change it announces, delivered with retries. */
export const notification = pgTable(
  'notification',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    countyCode: text('county_code').notNull(),
    memberId: bigint('member_id', { mode: 'number' }),
    /** When the recipient is not a member (a unit's party organisation): a phone number. */
    mobile: text('mobile'),
    channel: text('channel', { enum: ['console', 'sms'] }).notNull(),
    orderId: bigint('order_id', { mode: 'number' }),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    createdAt: ts('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    sentAt: ts('sent_at'),
    failedAt: ts('failed_at'),
    lastError: text('last_error'),
    readAt: ts('read_at'),
  },
  (t) => [
    index('notification_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
    index('notification_member_idx').on(t.memberId, t.createdAt),
  ],
);

/** What the default SMS adapter "sends": a log the console shows. */
export const smsLog = pgTable('sms_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  notificationId: bigint('notification_id', { mode: 'number' }),
  mobile: text('mobile').notNull(),
  text: text('text').notNull(),
  at: ts('at').notNull(),
});
