// /orders/board — the dispatch board for officials: orders by state, overdue first (the server
// sorts), filtered by region, need and urgency; dispatch or re-dispatch, approve a delay, resume,
// cancel; and filing an order for a resident who phoned.
import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Empty, Flex, Result, Segmented, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { RegionPicker } from '../ledger/RegionPicker.tsx';
import { FileOrderModal } from './FileOrderModal.tsx';
import { OrderActions } from './OrderActions.tsx';
import { OrdersTabs } from './OrdersTabs.tsx';
import {
  boardActions,
  DueLine,
  HoldRequestLine,
  OverdueTag,
  StateTag,
  UrgencyTag,
  useNeedName,
} from './orderUi.tsx';
import { useBoard, useNeedTypes } from './ordersApi.ts';
import { useBoardFilter } from './useBoardFilter.ts';
import {
  OPEN_STATES,
  ORDER_STATES,
  URGENCIES,
  type CameFrom,
  type OrderItem,
  type OrderState,
} from './types.ts';
import styles from './orders.module.css';

/** The board's views by state; the states picker refines any of them. */
const PRESETS = {
  open: OPEN_STATES,
  toDispatch: ['submitted', 'returned', 'reopened'],
  dispatched: ['dispatched'],
  working: ['accepted', 'in_progress'],
  onHold: ['on_hold'],
  resolved: ['resolved'],
  ended: ['closed', 'cancelled', 'failed', 'duplicate'],
} as const satisfies Record<string, readonly OrderState[]>;
type Preset = keyof typeof PRESETS;

const presetOf = (states: readonly OrderState[]): Preset | undefined =>
  (Object.keys(PRESETS) as Preset[]).find(
    (k) => PRESETS[k].length === states.length && PRESETS[k].every((s) => states.includes(s)),
  );

function BoardRow({ order, from }: { order: OrderItem; from: CameFrom }) {
  const { t } = useTranslation();
  const needName = useNeedName();
  return (
    <Card size="small" role="article" aria-label={`#${order.id} ${needName(order.needName)}`}>
      <Flex wrap gap={12} justify="space-between" align="center">
        <Flex vertical gap={4} style={{ minWidth: 260, flex: 1 }}>
          <Flex wrap gap={4} align="center">
            <Link to={`/orders/${order.id}`} state={from}>
              #{order.id}
            </Link>
            <Typography.Text strong>{needName(order.needName)}</Typography.Text>
            <UrgencyTag urgency={order.urgency} />
            <StateTag state={order.state} />
            <OverdueTag order={order} />
            {order.escalationLevel > 0 && (
              <Typography.Text type="danger">
                {t('orders.level', { level: order.escalationLevel })}
              </Typography.Text>
            )}
          </Flex>
          <Typography.Text type="secondary">
            {order.residentName} · {order.gridName}
            {order.address ? ` · ${order.address}` : ''}
          </Typography.Text>
          <Space size={12} wrap>
            <span>
              {t('orders.assignee')}：
              {order.assigneeName ??
                (order.assigneeTeamName
                  ? t('orders.team', { name: order.assigneeTeamName })
                  : t('orders.unassigned'))}
            </span>
            <DueLine order={order} />
            <HoldRequestLine order={order} />
          </Space>
        </Flex>
        <OrderActions
          orderId={order.id}
          events={boardActions(order)}
          hold={{ resolveDueAt: order.resolveDueAt, requestedUntil: order.holdRequestedUntil }}
        />
      </Flex>
    </Card>
  );
}

export function BoardPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const { filter, set } = useBoardFilter();
  // Where the rows' order pages lead back to: this board, its filters kept.
  const here = useLocation();
  const from: CameFrom = { tab: 'board', path: here.pathname + here.search };
  const [filing, setFiling] = useState(false);
  const needs = useNeedTypes(me.region.id);
  const board = useBoard(filter);
  const canFile = me.capabilities.includes('order.create');

  return (
    <Flex vertical gap={16} className={styles.page}>
      <OrdersTabs />
      <Flex align="center" justify="space-between" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('orders.board.title')}
        </Typography.Title>
        {canFile && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling(true)}>
            {t('orders.board.file')}
          </Button>
        )}
      </Flex>
      {/* Seven presets are wider than a phone: they scroll sideways instead of widening the page. */}
      <div className={styles.scrollX}>
        <Segmented
          aria-label={t('orders.board.byState')}
          value={presetOf(filter.states) ?? ''}
          onChange={(v) => set({ states: [...PRESETS[v as Preset]] })}
          options={(Object.keys(PRESETS) as Preset[]).map((k) => ({
            value: k,
            label: t(`orders.board.preset.${k}`),
          }))}
        />
      </div>
      <Card size="small">
        <Flex wrap gap={12} align="center" role="search">
          <Space>
            <span>{t('orders.board.region')}</span>
            <div style={{ width: 220 }}>
              <RegionPicker
                value={filter.regionId ?? me.region.id}
                onChange={(regionId) => set({ regionId })}
              />
            </div>
          </Space>
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 200 }}
            aria-label={t('orders.board.need')}
            placeholder={t('orders.board.need')}
            value={filter.needCodes}
            onChange={(needCodes) => set({ needCodes })}
            options={(needs.data ?? []).map((n) => ({
              value: n.code,
              label: i18n.language === 'en' ? n.nameEn : n.nameZh,
            }))}
          />
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 160 }}
            aria-label={t('orders.board.urgency')}
            placeholder={t('orders.board.urgency')}
            value={filter.urgency}
            onChange={(urgency) => set({ urgency })}
            options={URGENCIES.map((u) => ({ value: u, label: t(`orders.urgency.${u}`) }))}
          />
          <Select
            mode="multiple"
            style={{ minWidth: 240 }}
            aria-label={t('orders.board.states')}
            placeholder={t('orders.board.states')}
            value={filter.states}
            onChange={(states) => set({ states })}
            options={ORDER_STATES.map((s) => ({ value: s, label: t(`orders.state.${s}`) }))}
          />
          <Checkbox checked={filter.overdueOnly} onChange={(e) => set({ overdueOnly: e.target.checked })}>
            {t('orders.board.overdueOnly')}
          </Checkbox>
          {board.data && (
            <Typography.Text type="secondary">
              {t('orders.board.count', { count: board.data.length })}
            </Typography.Text>
          )}
        </Flex>
      </Card>
      {board.isError ? (
        <Result
          status="error"
          title={t('common.loadFailed')}
          subTitle={board.error.message}
          extra={<Button onClick={() => void board.refetch()}>{t('common.retry')}</Button>}
        />
      ) : board.data?.length === 0 ? (
        <Empty description={t('orders.board.empty')} />
      ) : (
        <Flex vertical gap={8} role="feed" aria-label={t('orders.board.title')} aria-busy={board.isFetching}>
          {(board.data ?? []).map((o) => (
            <BoardRow key={o.id} order={o} from={from} />
          ))}
        </Flex>
      )}
      {filing && <FileOrderModal onClose={() => setFiling(false)} />}
    </Flex>
  );
}
