// Top of the region page: breadcrumb through the ancestors, then name, code, level tag and actions.
import type { ReactNode } from 'react';
import { Breadcrumb, Flex, Typography } from 'antd';
import { Link } from 'react-router';
import type { RegionDetail } from '../app/types.ts';
import { LevelTag } from './LevelTag.tsx';

export function RegionHeading({ region, actions }: { region: RegionDetail; actions?: ReactNode }) {
  const items = [
    ...region.ancestors
      .filter((a) => a.id !== region.id)
      .map((a) => ({ key: a.id, title: <Link to={`/regions/${a.id}`}>{a.name}</Link> })),
    { key: region.id, title: region.name },
  ];
  return (
    <header>
      <Breadcrumb items={items} />
      <Flex align="center" justify="space-between" gap={12} wrap style={{ marginTop: 12 }}>
        <Flex align="center" gap={12} wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {region.name}
          </Typography.Title>
          <LevelTag level={region.level} />
          <Typography.Text type="secondary" copyable={{ text: region.code }}>
            {region.code}
          </Typography.Text>
        </Flex>
        {actions}
      </Flex>
    </header>
  );
}
