// /orders/:id — one order: what was asked, by whom and where; the resident's three contacts; the
// deadlines; a pending 延期 request (who, until when, why); the actions the viewer may take; and the
// full timeline (every event with its actor, time, note and escalation level).
import { PhoneOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  List,
  Rate,
  Result,
  Row,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { PageLoading } from '../app/PageLoading.tsx';
import { formatDateTime } from '../ledger/format.ts';
import { CallButton } from './CallButton.tsx';
import { OrderActions } from './OrderActions.tsx';
import { OverdueTag, StateTag, UrgencyTag, useNeedName } from './orderUi.tsx';
import { useOrder } from './ordersApi.ts';
import type { CameFrom, OrderDetail, TimelineEvent } from './types.ts';
import styles from './orders.module.css';

const KINDS = [
  'transition',
  'dispatch',
  'escalate',
  'remind',
  'feedback',
  'note',
  'hold_request',
  'hold_denied',
] as const;
type Kind = (typeof KINDS)[number] | 'hold' | 'hold_approved';

/** The name of an event: its kind, or for a hold whether it answered a request (批准延期) or not. */
function kindOf(e: TimelineEvent): Kind {
  if (e.kind === 'transition' && e.toState === 'on_hold' && e.fromState !== 'on_hold')
    return e.data?.requested ? 'hold_approved' : 'hold';
  return (KINDS as readonly string[]).includes(e.kind) ? (e.kind as Kind) : 'note';
}

function EventLine({ e }: { e: TimelineEvent }) {
  const { t, i18n } = useTranslation();
  const kind = kindOf(e);
  const level = e.kind === 'escalate' && typeof e.data?.to === 'number' ? e.data.to : null;
  const until = typeof e.data?.until === 'string' ? e.data.until : null;
  const reached = Array.isArray(e.data?.reached) ? (e.data.reached as string[]).join('、') : null;
  const rating = typeof e.data?.rating === 'number' ? e.data.rating : null;
  const to = e.kind === 'dispatch' && typeof e.data?.to === 'string' ? e.data.to : null;
  return (
    <Flex vertical gap={2} data-kind={e.kind}>
      <Flex wrap gap={6} align="center">
        <Typography.Text strong>{t(`orders.kind.${kind}`)}</Typography.Text>
        {/* Asking for more time, or being denied it, leaves the state as it was: no tag. */}
        {e.toState && kind !== 'hold_request' && kind !== 'hold_denied' && <StateTag state={e.toState} />}
        {level !== null && <Tag color="red">{t('orders.order.escalatedTo', { level })}</Tag>}
        {until && (
          <Tag color={kind === 'hold_denied' ? 'default' : 'purple'}>
            {t('orders.order.holdUntil', { time: formatDateTime(until, i18n.language) })}
          </Tag>
        )}
        {e.kind === 'feedback' && typeof e.data?.solved === 'boolean' && (
          <Tag color={e.data.solved ? 'green' : 'red'}>
            {e.data.solved ? t('orders.order.solved') : t('orders.order.notSolved')}
          </Tag>
        )}
        {rating !== null && (
          <Rate
            disabled
            value={rating}
            style={{ fontSize: 14 }}
            aria-label={t('orders.order.stars', { rating })}
          />
        )}
      </Flex>
      <Typography.Text type="secondary">
        {formatDateTime(e.at, i18n.language)} · {e.actorName ?? t('orders.order.system')}
      </Typography.Text>
      {to && <Typography.Text>{t('orders.order.dispatchedTo', { name: to })}</Typography.Text>}
      {reached && <Typography.Text>{reached}</Typography.Text>}
      {e.note && <Typography.Text className={styles.note}>{e.note}</Typography.Text>}
    </Flex>
  );
}

function OrderView({ order }: { order: OrderDetail }) {
  const { t, i18n } = useTranslation();
  const needName = useNeedName();
  const time = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : '—');
  // Back to where the order was opened from (the board with its filters, the SMS log), else 我的工单.
  const from = (useLocation().state as CameFrom | null) ?? { tab: 'mine', path: '/orders' };
  return (
    <Flex vertical gap={16} className={styles.page}>
      <Breadcrumb
        items={[
          { key: from.tab, title: <Link to={from.path}>{t(`orders.tabs.${from.tab}`)}</Link> },
          { key: 'order', title: `#${order.id}` },
        ]}
      />
      <Flex wrap gap={8} align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('orders.order.title', { id: order.id })} · {needName(order.needName)}
        </Typography.Title>
        <UrgencyTag urgency={order.urgency} />
        <StateTag state={order.state} />
        <OverdueTag order={order} />
        {order.escalationLevel > 0 && (
          <Tag color="red">{t('orders.level', { level: order.escalationLevel })}</Tag>
        )}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Flex vertical gap={16}>
            {order.holdRequest && (
              <Alert
                type="warning"
                showIcon
                role="status"
                title={t('orders.hold.pending')}
                description={
                  <Flex vertical gap={2}>
                    <span>
                      {t('orders.hold.pendingText', {
                        name: order.holdRequest.byName ?? t('orders.hold.someone'),
                        time: time(order.holdRequest.until),
                      })}
                    </span>
                    {order.holdRequest.reason && (
                      <span className={styles.note}>
                        {t('orders.hold.reason', { reason: order.holdRequest.reason })}
                      </span>
                    )}
                  </Flex>
                }
              />
            )}
            <Card title={t('orders.order.actions')} size="small">
              {order.actions.length ? (
                <OrderActions
                  orderId={order.id}
                  events={order.actions}
                  hold={{
                    resolveDueAt: order.resolveDueAt,
                    requestedUntil: order.holdRequest?.until ?? null,
                  }}
                />
              ) : (
                <Typography.Text type="secondary">{t('orders.order.noActions')}</Typography.Text>
              )}
            </Card>
            <Card size="small">
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: 'resident', label: t('orders.resident'), children: order.resident?.name ?? '—' },
                  { key: 'address', label: t('orders.address'), children: order.resident?.address ?? '—' },
                  {
                    key: 'phone',
                    label: t('orders.phone'),
                    children: order.canCall ? (
                      <CallButton orderId={order.id} masked={order.resident?.phones ?? []} />
                    ) : (
                      (order.resident?.phones.join('、') ?? '—')
                    ),
                  },
                  {
                    key: 'channel',
                    label: t('orders.channelLabel'),
                    children: t(`orders.channel.${order.channel}`),
                  },
                  {
                    key: 'assignee',
                    label: t('orders.assignee'),
                    children:
                      order.assigneeName ??
                      (order.assigneeTeamName
                        ? t('orders.team', { name: order.assigneeTeamName })
                        : t('orders.unassigned')),
                  },
                  { key: 'description', label: t('orders.description'), children: order.description ?? '—' },
                  { key: 'acceptDue', label: t('orders.order.acceptDue'), children: time(order.acceptDueAt) },
                  {
                    key: 'resolveDue',
                    label: t('orders.order.resolveDue'),
                    children: time(order.resolveDueAt),
                  },
                  {
                    key: 'acceptedAt',
                    label: t('orders.order.acceptedAt'),
                    children: time(order.acceptedAt),
                  },
                  {
                    key: 'resolvedAt',
                    label: t('orders.order.resolvedAt'),
                    children: time(order.resolvedAt),
                  },
                  ...(order.rating !== null || order.solved !== null
                    ? [
                        {
                          key: 'rating',
                          label: t('orders.order.rating'),
                          children: (
                            <Flex gap={8} align="center">
                              {order.solved !== null &&
                                (order.solved ? t('orders.order.solved') : t('orders.order.notSolved'))}
                              {order.rating !== null && <Rate disabled value={order.rating} />}
                            </Flex>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
            <Card title={t('orders.order.timeline')} size="small">
              <section aria-label={t('orders.order.timeline')}>
                <Timeline
                  items={order.events.map((e) => ({
                    key: e.id,
                    color:
                      e.kind === 'escalate' || e.kind === 'hold_denied'
                        ? 'red'
                        : e.kind === 'feedback'
                          ? 'green'
                          : e.kind === 'hold_request'
                            ? 'purple'
                            : 'blue',
                    content: <EventLine e={e} />,
                  }))}
                />
              </section>
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={10}>
          <Flex vertical gap={16}>
            <Card title={t('orders.order.contacts')} size="small">
              <List
                dataSource={order.contacts}
                renderItem={(c) => (
                  <List.Item key={c.role}>
                    <List.Item.Meta
                      title={t(`pairing.role.${c.role}`)}
                      description={c.member ? c.member.name : t('orders.order.noContact')}
                    />
                    {c.member && (
                      <Button icon={<PhoneOutlined />} href={`tel:${c.member.mobile}`}>
                        {c.member.mobile}
                      </Button>
                    )}
                  </List.Item>
                )}
              />
            </Card>
            <Card title={t('orders.order.parties')} size="small">
              {order.parties.length ? (
                <Flex wrap gap={6}>
                  {order.parties.map((p) => (
                    <Tag key={p.memberId}>
                      {p.name} ·{' '}
                      {p.reason === 'assignee'
                        ? t('orders.order.assigneeParty')
                        : t('orders.order.escalationParty', { level: p.level })}
                    </Tag>
                  ))}
                </Flex>
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </Card>
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}

export function OrderPage() {
  const { t } = useTranslation();
  const params = useParams();
  const id = /^\d+$/.test(params.id ?? '') ? Number(params.id) : undefined;
  const order = useOrder(id);
  if (id === undefined || (order.isError && isApiError(order.error) && order.error.status === 404))
    return (
      <Result
        status="404"
        title={t('orders.order.notFound')}
        extra={
          <Link to="/orders">
            <Button type="primary">{t('orders.order.backMine')}</Button>
          </Link>
        }
      />
    );
  if (order.isPending) return <PageLoading />;
  if (order.isError)
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={order.error.message}
        extra={<Button onClick={() => void order.refetch()}>{t('common.retry')}</Button>}
      />
    );
  return <OrderView order={order.data} />;
}
