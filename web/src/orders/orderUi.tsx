// Small pieces every order view shares: state and urgency tags, the deadline line, the need's
// name in the UI language, and the client-side mirror of who may do what in which state.
import { ClockCircleOutlined, HourglassOutlined, WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../ledger/format.ts';
import type { Named, OrderEvent, OrderItem, OrderState, Urgency } from './types.ts';

const STATE_COLOURS: Record<OrderState, string> = {
  submitted: 'orange',
  dispatched: 'blue',
  accepted: 'cyan',
  in_progress: 'geekblue',
  on_hold: 'purple',
  resolved: 'green',
  closed: 'default',
  returned: 'volcano',
  reopened: 'magenta',
  cancelled: 'default',
  failed: 'red',
  duplicate: 'default',
};
const URGENCY_COLOURS: Record<Urgency, string> = { normal: 'default', urgent: 'orange', critical: 'red' };

export function StateTag({ state }: { state: OrderState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOURS[state]} data-state={state}>
      {t(`orders.state.${state}`)}
    </Tag>
  );
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation();
  return <Tag color={URGENCY_COLOURS[urgency]}>{t(`orders.urgency.${urgency}`)}</Tag>;
}

export function OverdueTag({ order }: { order: Pick<OrderItem, 'overdueAccept' | 'overdueResolve'> }) {
  const { t } = useTranslation();
  if (!order.overdueAccept && !order.overdueResolve) return null;
  return (
    <Tag color="red" icon={<WarningOutlined />}>
      {order.overdueAccept ? t('orders.overdueAccept') : t('orders.overdueResolve')}
    </Tag>
  );
}

/** The deadline that matters now: accepting while nobody has, resolving once accepted. */
export function DueLine({ order }: { order: Pick<OrderItem, 'state' | 'acceptDueAt' | 'resolveDueAt'> }) {
  const { t, i18n } = useTranslation();
  const accepting = ['submitted', 'dispatched', 'returned', 'reopened'].includes(order.state);
  const working = ['accepted', 'in_progress', 'on_hold'].includes(order.state);
  if (!accepting && !working) return null;
  const time = formatDateTime(accepting ? order.acceptDueAt : order.resolveDueAt, i18n.language);
  return (
    <Space size={4}>
      <ClockCircleOutlined aria-hidden />
      <Typography.Text>
        {accepting ? t('orders.acceptBy', { time }) : t('orders.resolveBy', { time })}
      </Typography.Text>
    </Space>
  );
}

export function useNeedName() {
  const { i18n } = useTranslation();
  return (n: Named) => (i18n.language === 'en' ? n.en : n.zh);
}

type Holdable = Pick<OrderItem, 'state' | 'holdRequestedAt'>;

/**
 * What the assignee may do in each state (mirrors src/orders/rules.ts; the server decides): while
 * working, ask for more time (one request at a time); on hold, pick the work up again.
 */
export function workerActions({ state, holdRequestedAt }: Holdable): OrderEvent[] {
  const ask: OrderEvent[] = holdRequestedAt ? [] : ['request_hold'];
  switch (state) {
    case 'dispatched':
    case 'reopened':
      return ['accept', 'return'];
    case 'accepted':
      return ['start', 'resolve', ...ask, 'return'];
    case 'in_progress':
      return ['resolve', ...ask];
    case 'on_hold':
      return ['resume'];
    default:
      return [];
  }
}

/** What the board offers a dispatcher in each state; a pending 延期 request is approved or denied. */
export function boardActions({ state, holdRequestedAt }: Holdable): OrderEvent[] {
  const answer: OrderEvent[] = holdRequestedAt ? ['hold', 'deny_hold'] : ['hold'];
  switch (state) {
    case 'submitted':
    case 'returned':
      return ['dispatch', 'cancel'];
    case 'dispatched':
      return ['dispatch', 'cancel'];
    case 'reopened':
      return ['dispatch'];
    case 'accepted':
      return [...answer, 'cancel'];
    case 'in_progress':
      return answer;
    case 'on_hold':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

/** Events that ask for a few words first, and whether the words are required. */
export const NOTE_EVENTS: Partial<Record<OrderEvent, { required: boolean }>> = {
  resolve: { required: false },
  return: { required: true },
  hold: { required: true },
  fail: { required: true },
  cancel: { required: false },
  request_hold: { required: true },
  deny_hold: { required: true },
};

/** Events that set a time (延期至) as well: asking for more time, and granting it. */
export const UNTIL_EVENTS: ReadonlySet<OrderEvent> = new Set(['request_hold', 'hold']);

/**
 * The <input type="datetime-local"> value of an instant, and back: Shanghai wall time to the
 * minute, as every time in the console is shown (China keeps +08:00 all year).
 */
export function toShanghaiInput(iso: string | Date): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}
export function fromShanghaiInput(value: string): string {
  return new Date(`${value}:00+08:00`).toISOString();
}

/** A pending 延期 request on a card or page: "X asked for more time until …, waiting". */
export function HoldRequestLine({ order }: { order: Pick<OrderItem, 'holdRequestedUntil'> }) {
  const { t, i18n } = useTranslation();
  if (!order.holdRequestedUntil) return null;
  return (
    <Space size={4}>
      <HourglassOutlined aria-hidden />
      <Typography.Text type="warning">
        {t('orders.hold.asked', { time: formatDateTime(order.holdRequestedUntil, i18n.language) })}
      </Typography.Text>
    </Space>
  );
}

/** A fresh idempotency key for one filing (kept across retries of that filing). */
export function newKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
