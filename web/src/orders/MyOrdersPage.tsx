// /orders — "my orders": what reached me (assigned to me, my team, or escalated to me), overdue
// first, as cards sized for a phone. Refreshed live by LiveOrders when a notification arrives. A
// worker may also file an order for a resident met on a visit.
import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageLoading } from '../app/PageLoading.tsx';
import { useCurrentUser } from '../auth/currentUser.ts';
import { FileOrderModal } from './FileOrderModal.tsx';
import { OrderCard } from './OrderCard.tsx';
import { OrdersTabs } from './OrdersTabs.tsx';
import { useMyOrders } from './ordersApi.ts';
import styles from './orders.module.css';

export function MyOrdersPage() {
  const { t } = useTranslation();
  const mine = useMyOrders();
  const me = useCurrentUser();
  const [filing, setFiling] = useState(false);
  return (
    <Flex vertical gap={16} className={styles.phone}>
      <OrdersTabs />
      <Flex align="baseline" justify="space-between" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('orders.mine.title')}
        </Typography.Title>
        {mine.data && (
          <Typography.Text type="secondary">
            {t('orders.mine.count', { count: mine.data.length })}
          </Typography.Text>
        )}
      </Flex>
      {me.capabilities.includes('order.create') && (
        <Button size="large" block icon={<PlusOutlined />} onClick={() => setFiling(true)}>
          {t('orders.board.file')}
        </Button>
      )}
      {mine.isPending ? (
        <PageLoading />
      ) : mine.isError ? (
        <Result
          status="error"
          title={t('common.loadFailed')}
          subTitle={mine.error.message}
          extra={<Button onClick={() => void mine.refetch()}>{t('common.retry')}</Button>}
        />
      ) : mine.data.length === 0 ? (
        <Empty description={t('orders.mine.empty')} />
      ) : (
        <Flex vertical gap={12} role="feed" aria-label={t('orders.mine.title')}>
          {mine.data.map((o) => (
            <OrderCard key={o.id} order={o} />
          ))}
        </Flex>
      )}
      {filing && <FileOrderModal channel="visit" onClose={() => setFiling(false)} />}
    </Flex>
  );
}
