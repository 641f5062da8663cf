// Statistic cards counting the townships, villages and grids below a region (only those its level has).
import { ApartmentOutlined, AppstoreOutlined, HomeOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Level, RegionDetail } from '../app/types.ts';

type CountKey = keyof RegionDetail['counts'];

const RANK: Record<Level, number> = { province: 0, city: 1, county: 2, township: 3, village: 4, grid: 5 };
const BELOW: Record<CountKey, Level> = { townships: 'township', villages: 'village', grids: 'grid' };
const ICONS: Record<CountKey, ReactNode> = {
  townships: <ApartmentOutlined />,
  villages: <HomeOutlined />,
  grids: <AppstoreOutlined />,
};
const COLOURS: Record<CountKey, string> = { townships: '#1557b0', villages: '#08979c', grids: '#389e0d' };

/** The counts that make sense for a level: a township has villages and grids below it, but no townships. */
export function countsFor(level: Level): CountKey[] {
  return (['townships', 'villages', 'grids'] as const).filter((key) => RANK[BELOW[key]] > RANK[level]);
}

export function RegionStats({ region }: { region: RegionDetail }) {
  const { t } = useTranslation();
  const keys = countsFor(region.level);
  if (keys.length === 0) return null;
  return (
    <Row gutter={[16, 16]} role="list" aria-label={t('region.overview')}>
      {keys.map((key) => (
        <Col key={key} xs={24} sm={12} lg={8} role="listitem">
          <Card variant="borderless" style={{ borderTop: `3px solid ${COLOURS[key]}` }}>
            <Statistic
              title={t(`region.${key}`)}
              value={region.counts[key]}
              prefix={<span style={{ color: COLOURS[key] }}>{ICONS[key]}</span>}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
