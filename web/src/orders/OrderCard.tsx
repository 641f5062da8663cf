// One order as a card, made for a phone: need, urgency, resident, address, deadline, overdue, a
// pending 延期 request, and big buttons for what the assignee may do now (accept, start, resolve,
// ask for more time, return) and to call.
import { EnvironmentOutlined, UserOutlined } from '@ant-design/icons';
import { Card, Flex, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { CallButton } from './CallButton.tsx';
import { OrderActions } from './OrderActions.tsx';
import {
  DueLine,
  HoldRequestLine,
  OverdueTag,
  StateTag,
  UrgencyTag,
  useNeedName,
  workerActions,
} from './orderUi.tsx';
import type { OrderItem } from './types.ts';
import styles from './orders.module.css';

export function OrderCard({ order }: { order: OrderItem }) {
  const needName = useNeedName();
  const title = needName(order.needName);
  return (
    <Card
      className={styles.card}
      role="article"
      aria-label={`#${order.id} ${title}`}
      title={
        <Flex wrap gap={4} align="center">
          <Typography.Text strong className={styles.big}>
            {title}
          </Typography.Text>
          <UrgencyTag urgency={order.urgency} />
          <StateTag state={order.state} />
          <OverdueTag order={order} />
        </Flex>
      }
      extra={<Link to={`/orders/${order.id}`}>#{order.id}</Link>}
    >
      <Flex vertical gap={8} className={styles.meta}>
        <Space size={6}>
          <UserOutlined aria-hidden />
          <span>{order.residentName}</span>
          <span>· {order.gridName}</span>
        </Space>
        {order.address && (
          <Space size={6}>
            <EnvironmentOutlined aria-hidden />
            <span>{order.address}</span>
          </Space>
        )}
        <DueLine order={order} />
        <HoldRequestLine order={order} />
        {order.description && (
          <Typography.Paragraph className={styles.note}>{order.description}</Typography.Paragraph>
        )}
        <OrderActions
          orderId={order.id}
          events={workerActions(order)}
          hold={{ resolveDueAt: order.resolveDueAt, requestedUntil: order.holdRequestedUntil }}
          large
        />
        <CallButton orderId={order.id} masked={order.residentPhones} size="large" block />
      </Flex>
    </Card>
  );
}
