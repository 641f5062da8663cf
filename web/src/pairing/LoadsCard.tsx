// Members' loads on the coverage page: who is over their capacity, who answers for nobody yet.
import { Card, Flex, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLoads, type MemberLoad } from './pairingApi.ts';
import styles from './pairing.module.css';

function LoadTable({ rows, loading, empty }: { rows: MemberLoad[]; loading: boolean; empty: string }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<MemberLoad> = [
    { title: t('pairing.member'), dataIndex: 'name' },
    {
      title: t('pairing.load'),
      dataIndex: 'load',
      render: (_: unknown, m) => (
        <Flex gap={4} wrap>
          {m.fills.map((role) => (
            <Tag key={role} color={m.over.includes(role) ? 'red' : undefined}>
              {t(`pairing.role.${role}`)}{' '}
              <span className={styles.mono}>
                {m.load[role]}/{m.capacity[role]}
              </span>
            </Tag>
          ))}
        </Flex>
      ),
    },
  ];
  return (
    <Table<MemberLoad>
      rowKey="memberId"
      size="small"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={{ pageSize: 8, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: empty }}
    />
  );
}

export function LoadsCard({ regionId }: { regionId: number }) {
  const { t } = useTranslation();
  const loads = useLoads(regionId, true);
  const over = loads.data?.overCapacity ?? [];
  const idle = loads.data?.idle ?? [];
  return (
    <section aria-label={t('pairing.loads')}>
      <Card variant="borderless" title={t('pairing.loads')}>
        {loads.isError ? (
          <Typography.Text type="danger">{loads.error.message}</Typography.Text>
        ) : (
          <Tabs
            items={[
              {
                key: 'over',
                label: `${t('pairing.overCapacity')} (${over.length})`,
                children: <LoadTable rows={over} loading={loads.isPending} empty={t('pairing.noOver')} />,
              },
              {
                key: 'idle',
                label: `${t('pairing.idle')} (${idle.length})`,
                children: <LoadTable rows={idle} loading={loads.isPending} empty={t('pairing.noIdle')} />,
              },
            ]}
          />
        )}
      </Card>
    </section>
  );
}
