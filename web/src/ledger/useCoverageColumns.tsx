// Survey-coverage columns (households known, surveyed, coverage bar, recent) for the sub-region table.
import { Progress } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RegionNode } from '../app/types.ts';
import { percent } from './format.ts';
import { DEFAULT_STALE_DAYS } from './ledgerQuery.ts';
import { useCoverage } from './ledgerApi.ts';

export function CoverageBar({ ratio }: { ratio: number | null }) {
  const value = percent(ratio);
  return (
    <Progress
      percent={value}
      size="small"
      status={value >= 100 ? 'success' : 'normal'}
      style={{ minWidth: 110, marginBottom: 0 }}
    />
  );
}

/** Columns to add to a region's children table; empty while loading or without ledger access. */
export function useCoverageColumns(regionId: number, enabled: boolean): TableColumnsType<RegionNode> {
  const { t } = useTranslation();
  const coverage = useCoverage(regionId, DEFAULT_STALE_DAYS, enabled);
  if (!enabled || !coverage.data) return [];
  const byId = new Map(coverage.data.children.map((c) => [c.id, c]));
  const of = (row: RegionNode) => byId.get(row.id);
  return [
    {
      title: t('coverage.known'),
      key: 'known',
      align: 'right',
      width: 96,
      responsive: ['md'],
      render: (_: unknown, row) => of(row)?.known ?? 0,
    },
    {
      title: t('coverage.surveyed'),
      key: 'surveyed',
      align: 'right',
      width: 104,
      responsive: ['md'],
      render: (_: unknown, row) => of(row)?.surveyed ?? 0,
    },
    {
      title: t('coverage.coverage'),
      key: 'coverage',
      width: 180,
      render: (_: unknown, row) => <CoverageBar ratio={of(row)?.coverage ?? null} />,
    },
    {
      title: t('coverage.recent', { days: coverage.data.staleDays }),
      key: 'recent',
      align: 'right',
      width: 120,
      responsive: ['xl'],
      render: (_: unknown, row) => of(row)?.recent ?? 0,
    },
  ];
}
