// /orders/sms — what was sent by SMS about orders in my area, and what failed (with the error and
// the attempts), whichever adapter delivers them. Mobiles are masked by the server.
import { useState } from 'react';
import { Button, Card, Empty, Flex, List, Result, Segmented, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../ledger/format.ts';
import { OrdersTabs } from './OrdersTabs.tsx';
import { useSms } from './ordersApi.ts';
import type { CameFrom, SmsStatus } from './types.ts';
import styles from './orders.module.css';

const FROM_SMS: CameFrom = { tab: 'sms', path: '/orders/sms' };

const COLOURS: Record<SmsStatus, string> = { pending: 'blue', sent: 'green', failed: 'red' };

export function SmsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<SmsStatus | 'all'>('all');
  const sms = useSms(status === 'all' ? undefined : status);
  return (
    <Flex vertical gap={16} className={styles.page}>
      <OrdersTabs />
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('orders.sms.title')}
      </Typography.Title>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as SmsStatus | 'all')}
        options={(['all', 'pending', 'sent', 'failed'] as const).map((s) => ({
          value: s,
          label: t(`orders.sms.${s}`),
        }))}
      />
      {sms.isError ? (
        <Result
          status="error"
          title={t('common.loadFailed')}
          subTitle={sms.error.message}
          extra={<Button onClick={() => void sms.refetch()}>{t('common.retry')}</Button>}
        />
      ) : (
        <Card size="small">
          <List
            loading={sms.isPending}
            dataSource={sms.data ?? []}
            locale={{ emptyText: <Empty description={t('orders.sms.empty')} /> }}
            renderItem={(m) => (
              <List.Item key={m.id}>
                <Flex vertical gap={4} style={{ width: '100%' }}>
                  <Flex wrap gap={8} align="center">
                    <Tag color={COLOURS[m.status]}>{t(`orders.sms.${m.status}`)}</Tag>
                    <Typography.Text strong>
                      {[m.memberName, m.mobile].filter(Boolean).join(' ')}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {formatDateTime(m.sentAt ?? m.failedAt ?? m.createdAt, i18n.language)}
                    </Typography.Text>
                    {m.orderId !== null && (
                      <Link to={`/orders/${m.orderId}`} state={FROM_SMS}>
                        {t('orders.sms.order', { id: m.orderId })}
                      </Link>
                    )}
                  </Flex>
                  <Typography.Text>{m.text}</Typography.Text>
                  {(m.status !== 'sent' || m.attempts > 1) && (
                    <Typography.Text type={m.status === 'failed' ? 'danger' : 'secondary'}>
                      {t('orders.sms.attempts', { count: m.attempts })}
                      {m.lastError ? ` · ${t('orders.sms.error', { error: m.lastError })}` : ''}
                    </Typography.Text>
                  )}
                </Flex>
              </List.Item>
            )}
          />
        </Card>
      )}
    </Flex>
  );
}
