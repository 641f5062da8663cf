// Table of a region's direct children: code, name (linked), level and how many sub-nodes each has.
import { Card, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RegionNode } from '../app/types.ts';
import { LevelTag } from './LevelTag.tsx';
import { useRegionChildren } from './regionApi.ts';

export function RegionChildrenTable({ regionId }: { regionId: number }) {
  const { t } = useTranslation();
  const children = useRegionChildren(regionId);
  const columns: TableColumnsType<RegionNode> = [
    { title: t('region.code'), dataIndex: 'code', width: 200 },
    {
      title: t('region.name'),
      dataIndex: 'name',
      render: (_name: string, row) => <Link to={`/regions/${row.id}`}>{row.name}</Link>,
    },
    {
      title: t('region.level'),
      dataIndex: 'level',
      width: 160,
      render: (_l, row) => <LevelTag level={row.level} />,
    },
    { title: t('region.subNodes'), dataIndex: 'childCount', width: 140, align: 'right' },
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
      />
    </Card>
  );
}
