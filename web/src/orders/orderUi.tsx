// Small pieces every order view shares: state and urgency tags, the deadline line, the need's
// name in the UI language, and the client-side mirror of who may do what in which state.
import { ClockCircleOutlined, WarningOutlined } from '@ant-design/icons';
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

/** What the assignee may do in each state (mirrors src/orders/rules.ts; the server decides). */
export function workerActions(state: OrderState): OrderEvent[] {
  switch (state) {
    case 'dispatched':
    case 'reopened':
      return ['accept', 'return'];
    case 'accepted':
      return ['start', 'resolve', 'return'];
    case 'in_progress':
      return ['resolve'];
    default:
      return [];
  }
}

/** What the board offers a dispatcher in each state. */
export function boardActions(state: OrderState): OrderEvent[] {
  switch (state) {
    case 'submitted':
    case 'returned':
      return ['dispatch', 'cancel'];
    case 'dispatched':
      return ['dispatch', 'cancel'];
    case 'reopened':
      return ['dispatch'];
    case 'accepted':
      return ['hold', 'cancel'];
    case 'in_progress':
      return ['hold'];
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
};

/** A fresh idempotency key for one filing (kept across retries of that filing). */
export function newKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
