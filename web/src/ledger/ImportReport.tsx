// An import check or result: counts, and the problem rows (row, column, message) with the error workbook.
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Col, Row, Statistic, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorWorkbookHref, type ImportProblem, type ImportReport as Report } from './importApi.ts';
import styles from './ledger.module.css';

function Problems({
  problems,
  total,
  tone,
}: {
  problems: ImportProblem[];
  total: number;
  tone: 'error' | 'warning';
}) {
  const { t } = useTranslation();
  const columns: TableColumnsType<ImportProblem & { key: number }> = [
    { title: t('import.row'), dataIndex: 'row', width: 90, render: (_: unknown, p) => p.row ?? '—' },
    {
      title: t('import.column'),
      dataIndex: 'column',
      width: 160,
      render: (_: unknown, p) => <Tag color={tone}>{p.column}</Tag>,
    },
    { title: t('import.message'), dataIndex: 'message' },
  ];
  return (
    <Table<ImportProblem & { key: number }>
      aria-label={tone === 'error' ? t('import.problems') : t('import.warnings')}
      size="small"
      columns={columns}
      dataSource={problems.map((p, key) => ({ ...p, key }))}
      rowClassName={() => (tone === 'error' ? (styles.problemRow ?? '') : '')}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      footer={
        total > problems.length ? () => t('import.shownOf', { shown: problems.length, total }) : undefined
      }
    />
  );
}

export function ImportReport({ jobId, report }: { jobId: string; report: Report }) {
  const { t } = useTranslation();
  const tabs = [
    {
      key: 'invalid',
      label: t('import.problemsCount', { count: report.invalidCount }),
      children: <Problems problems={report.invalid} total={report.invalidCount} tone="error" />,
    },
    ...(report.warningCount > 0
      ? [
          {
            key: 'warnings',
            label: t('import.warningsCount', { count: report.warningCount }),
            children: <Problems problems={report.warnings} total={report.warningCount} tone="warning" />,
          },
        ]
      : []),
  ];
  return (
    <>
      <Row gutter={[16, 16]} role="list" aria-label={t('import.summary')}>
        {(
          [
            ['rows', report.rows, undefined],
            ['valid', report.valid, '#389e0d'],
            ['invalid', report.invalidCount, report.invalidCount ? '#cf1322' : undefined],
            ['households', report.households, undefined],
          ] as const
        ).map(([key, value, colour]) => (
          <Col key={key} xs={12} md={6} role="listitem">
            <Statistic
              title={t(`import.stat.${key}`)}
              value={value}
              styles={{ content: { color: colour } }}
            />
          </Col>
        ))}
      </Row>
      {report.gridsCreated.length > 0 && (
        <p>
          {t('import.gridsCreated')}：{report.gridsCreated.join('、')}
        </p>
      )}
      {(report.invalidCount > 0 || report.warningCount > 0) && (
        <Tabs
          items={tabs}
          tabBarExtraContent={
            report.invalidCount > 0 && (
              <Button icon={<DownloadOutlined />} href={errorWorkbookHref(jobId)} download>
                {t('import.errorWorkbook')}
              </Button>
            )
          }
        />
      )}
    </>
  );
}
