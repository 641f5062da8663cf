// Survey coverage on a region page (敲门行动): totals and the households still to visit (each child's
// coverage is shown as columns of the sub-region table, see useCoverageColumns).
import { Card, Col, Divider, Flex, Progress, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ColourTag } from './ColourTag.tsx';
import { formatDate, percent } from './format.ts';
import { DEFAULT_STALE_DAYS, ledgerHref } from './ledgerQuery.ts';
import { useCoverage, useHouseholdsToSurvey } from './ledgerApi.ts';
import type { Coverage, Household } from './types.ts';

const TO_SURVEY_LIMIT = 20;

type ToSurvey = ReturnType<typeof useHouseholdsToSurvey>;

function ToSurveyTable({ households }: { households: ToSurvey }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<Household> = [
    {
      title: t('household.address'),
      dataIndex: 'address',
      render: (_: string, h) => <Link to={`/households/${h.id}`}>{h.address}</Link>,
    },
    { title: t('household.grid'), dataIndex: 'gridName', responsive: ['sm'] },
    {
      title: t('household.colour'),
      dataIndex: 'colour',
      render: (_: unknown, h) => <ColourTag colour={h.colour} />,
    },
    {
      title: t('household.lastSurveyed'),
      dataIndex: 'lastSurveyedAt',
      render: (_: unknown, h) =>
        h.lastSurveyedAt ? formatDate(h.lastSurveyedAt, i18n.language) : t('ledger.neverSurveyed'),
    },
  ];
  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">
        {t('coverage.toSurveyHint', { days: DEFAULT_STALE_DAYS, limit: TO_SURVEY_LIMIT })}
      </Typography.Text>
      <Table<Household>
        aria-label={t('coverage.toSurvey')}
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={households.data ?? []}
        loading={households.isPending}
        pagination={false}
        locale={{ emptyText: households.isError ? households.error.message : t('coverage.noToSurvey') }}
      />
    </Flex>
  );
}

function Totals({ coverage }: { coverage: Coverage }) {
  const { t } = useTranslation();
  const { total } = coverage;
  return (
    <Row gutter={[16, 16]} align="middle" style={{ marginBottom: 8 }}>
      <Col xs={24} md={12}>
        <Typography.Text type="secondary">{t('coverage.total')}</Typography.Text>
        <Progress
          aria-label={t('coverage.total')}
          percent={percent(total.coverage)}
          status={total.known > 0 && total.surveyed >= total.known ? 'success' : 'normal'}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('coverage.summary', { surveyed: total.surveyed, known: total.known })}
        </Typography.Text>
      </Col>
      <Col xs={12} md={6}>
        <Statistic title={t('coverage.known')} value={total.known} />
      </Col>
      <Col xs={12} md={6}>
        <Statistic title={t('coverage.recent', { days: coverage.staleDays })} value={total.recent} />
      </Col>
    </Row>
  );
}

export function SurveyCoverageCard({ regionId }: { regionId: number }) {
  const { t } = useTranslation();
  // Both queries start together when the card mounts (nothing waits for the other to finish).
  const coverage = useCoverage(regionId, DEFAULT_STALE_DAYS);
  const households = useHouseholdsToSurvey(regionId, DEFAULT_STALE_DAYS, TO_SURVEY_LIMIT);
  return (
    <section aria-label={t('coverage.title')}>
      <Card
        title={t('coverage.title')}
        variant="borderless"
        extra={<Link to={ledgerHref(regionId)}>{t('ledger.openHint')}</Link>}
      >
        {coverage.isPending ? (
          <Skeleton active paragraph={{ rows: 2 }} />
        ) : coverage.isError ? (
          <Typography.Text type="danger">{coverage.error.message}</Typography.Text>
        ) : (
          <Totals coverage={coverage.data} />
        )}
        <Divider titlePlacement="start" plain style={{ margin: '8px 0 12px' }}>
          <Typography.Text strong>{t('coverage.toSurvey')}</Typography.Text>
        </Divider>
        <ToSurveyTable households={households} />
      </Card>
    </section>
  );
}
