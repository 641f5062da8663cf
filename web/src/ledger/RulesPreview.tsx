// The effect of candidate colour rules: how many residents move, and a from → to matrix.
import { Alert, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ColourTag } from './ColourTag.tsx';
import type { RulesPreview as Preview } from './rulesApi.ts';
import { COLOURS, type Colour } from './types.ts';
import styles from './ledger.module.css';

type Row = { from: Colour } & Record<Colour, number>;

export function RulesPreview({ preview, stale }: { preview: Preview; stale: boolean }) {
  const { t } = useTranslation();
  const rows: Row[] = COLOURS.map((from) => ({ from, ...preview.matrix[from] }));
  const columns: TableColumnsType<Row> = [
    { title: t('rules.matrixFrom'), key: 'from', render: (_: unknown, r) => <ColourTag colour={r.from} /> },
    ...COLOURS.map((to) => ({
      title: <ColourTag colour={to} />,
      key: to,
      render: (_: unknown, r: Row) => (r.from === to ? '—' : r[to]),
    })),
  ];
  return (
    <Alert
      type={stale ? 'warning' : preview.moved > 0 ? 'info' : 'success'}
      showIcon
      role="status"
      title={
        stale
          ? t('rules.previewStale')
          : preview.moved > 0
            ? t('rules.moved', { count: preview.moved })
            : t('rules.nobodyMoves')
      }
      description={
        preview.moved > 0 && (
          <Table<Row>
            aria-label={t('rules.previewTitle')}
            className={styles.matrix}
            rowKey="from"
            size="small"
            columns={columns}
            dataSource={rows}
            pagination={false}
            style={{ marginTop: 8, maxWidth: 420 }}
          />
        )
      }
    />
  );
}
