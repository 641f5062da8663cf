// The gap list on the coverage page: key residents lacking a contact (red first), with their grid,
// the contacts they lack, and a link to the resident.
import { Card, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ColourTag } from '../ledger/ColourTag.tsx';
import { GAP_LIMIT, useGaps, type PairingGap } from './pairingApi.ts';

export function GapsCard({ regionId }: { regionId: number }) {
  const { t } = useTranslation();
  const gaps = useGaps(regionId, true);
  const columns: TableColumnsType<PairingGap> = [
    {
      title: t('pairing.resident'),
      dataIndex: 'name',
      render: (_: string, g) => <Link to={`/residents/${g.residentId}`}>{g.name}</Link>,
    },
    {
      title: t('pairing.colour'),
      dataIndex: 'colour',
      render: (_: unknown, g) => <ColourTag colour={g.colour} />,
    },
    { title: t('pairing.grid'), dataIndex: 'gridName' },
    { title: t('pairing.address'), dataIndex: 'address', responsive: ['md'] },
    {
      title: t('pairing.lacking'),
      dataIndex: 'lacking',
      render: (_: unknown, g) => (
        <Flex gap={4} wrap>
          {g.lacking.map((role) => (
            <Tag key={role} color="red" data-role={role}>
              {t(`pairing.role.${role}`)}
            </Tag>
          ))}
        </Flex>
      ),
    },
  ];
  return (
    <section aria-label={t('pairing.gaps')}>
      <Card variant="borderless" title={t('pairing.gaps')}>
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('pairing.gapsHint', { limit: GAP_LIMIT })}</Typography.Text>
          <Table<PairingGap>
            aria-label={t('pairing.gaps')}
            rowKey="residentId"
            size="small"
            columns={columns}
            dataSource={gaps.data ?? []}
            loading={gaps.isPending}
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            locale={{ emptyText: gaps.isError ? gaps.error.message : t('pairing.noGaps') }}
          />
        </Flex>
      </Card>
    </section>
  );
}
