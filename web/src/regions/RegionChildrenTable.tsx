// Table of a region's direct children: code, name (linked), level, sub-node count, and any extra columns.
import { Card, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RegionNode } from '../app/types.ts';
import { LevelTag } from './LevelTag.tsx';
import { useRegionChildren } from './regionApi.ts';

type Props = { regionId: number; extraColumns?: TableColumnsType<RegionNode> };

export function RegionChildrenTable({ regionId, extraColumns = [] }: Props) {
  const { t } = useTranslation();
  const children = useRegionChildren(regionId);
  const columns: TableColumnsType<RegionNode> = [
    { title: t('region.code'), dataIndex: 'code', width: 170 },
    {
      title: t('region.name'),
      dataIndex: 'name',
      render: (_name: string, row) => <Link to={`/regions/${row.id}`}>{row.name}</Link>,
    },
    {
      title: t('region.level'),
      dataIndex: 'level',
      width: 120,
      render: (_l, row) => <LevelTag level={row.level} />,
    },
    { title: t('region.subNodes'), dataIndex: 'childCount', width: 100, align: 'right' },
    ...extraColumns,
  ];
  return (
    <Card title={t('region.children')} variant="borderless">
      <Table<RegionNode>
        aria-label={t('region.children')}
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={children.data ?? []}
        loading={children.isPending}
        locale={{ emptyText: children.isError ? children.error.message : t('region.noChildren') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}
