// The /pairing?regionId=N page — the first page a township official sees: how many key residents
// have all three contacts (and how many lack each), the same for every sub-region (drill down), the
// gaps, members over capacity or idle, the capacities; auto-assign, print cards and import members.
import { ImportOutlined, PrinterOutlined, ThunderboltOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Result,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { useCurrentUser } from '../auth/currentUser.ts';
import { percent } from '../ledger/format.ts';
import { parseId } from '../ledger/ledgerApi.ts';
import { LevelTag } from '../regions/LevelTag.tsx';
import { useRegion } from '../regions/regionApi.ts';
import { GapsCard } from './GapsCard.tsx';
import { LoadsCard } from './LoadsCard.tsx';
import {
  pairingHref,
  useCoverage,
  usePropose,
  type CoverageLine,
  type PairingCoverage,
} from './pairingApi.ts';
import { SettingsCard } from './SettingsCard.tsx';
import styles from './pairing.module.css';

function Totals({ line }: { line: CoverageLine }) {
  const { t } = useTranslation();
  const full = line.key > 0 && line.complete >= line.key;
  return (
    <Card variant="borderless" title={t('pairing.coverage')}>
      <Row gutter={[16, 16]} align="middle">
        <Col xs={24} lg={8}>
          <Progress
            type="dashboard"
            aria-label={t('pairing.coverage')}
            percent={percent(line.coverage)}
            status={full ? 'success' : 'normal'}
            format={(p) => (line.key ? `${p ?? 0}%` : '—')}
          />
          <div>
            <Typography.Text type="secondary" data-testid="coverage-summary">
              {line.key
                ? t('pairing.coverageSummary', { complete: line.complete, key: line.key })
                : t('pairing.noKey')}
            </Typography.Text>
          </div>
        </Col>
        <Col xs={24} lg={16}>
          <Row gutter={[16, 16]} role="list" aria-label={t('pairing.coverage')}>
            {(
              [
                ['key', line.key, undefined],
                ['complete', line.complete, '#389e0d'],
                ['lackHelp', line.lackHelp, line.lackHelp ? '#cf1322' : undefined],
                ['lackHealth', line.lackHealth, line.lackHealth ? '#cf1322' : undefined],
                ['lackLivelihood', line.lackLivelihood, line.lackLivelihood ? '#cf1322' : undefined],
              ] as const
            ).map(([key, value, colour]) => (
              <Col key={key} xs={12} md={8} role="listitem">
                <Statistic
                  title={t(`pairing.stat.${key}`)}
                  value={value}
                  styles={{ content: { color: colour } }}
                />
              </Col>
            ))}
          </Row>
        </Col>
      </Row>
    </Card>
  );
}

type Child = PairingCoverage['children'][number];

function Children({ coverage }: { coverage: PairingCoverage }) {
  const { t } = useTranslation();
  const lack = (value: number) => (value ? <Typography.Text type="danger">{value}</Typography.Text> : 0);
  const columns: TableColumnsType<Child> = [
    {
      title: t('pairing.childName'),
      dataIndex: 'name',
      render: (_: string, c) => (
        <Flex gap={6} align="center">
          <Link to={pairingHref(c.id)}>{c.name}</Link>
          <LevelTag level={c.level} />
        </Flex>
      ),
    },
    { title: t('pairing.stat.key'), dataIndex: 'key', align: 'right' },
    { title: t('pairing.stat.complete'), dataIndex: 'complete', align: 'right' },
    {
      title: t('pairing.stat.lackHelp'),
      dataIndex: 'lackHelp',
      align: 'right',
      render: lack,
      responsive: ['md'],
    },
    {
      title: t('pairing.stat.lackHealth'),
      dataIndex: 'lackHealth',
      align: 'right',
      render: lack,
      responsive: ['md'],
    },
    {
      title: t('pairing.stat.lackLivelihood'),
      dataIndex: 'lackLivelihood',
      align: 'right',
      render: lack,
      responsive: ['md'],
    },
    {
      title: t('pairing.percent'),
      dataIndex: 'coverage',
      width: 180,
      render: (_: unknown, c) =>
        c.key ? (
          <Progress
            size="small"
            percent={percent(c.coverage)}
            status={c.complete >= c.key ? 'success' : 'normal'}
          />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];
  return (
    <Card variant="borderless" title={t('pairing.children')}>
      <Table<Child>
        aria-label={t('pairing.children')}
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={coverage.children}
        pagination={coverage.children.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      />
    </Card>
  );
}

function Actions({ regionId }: { regionId: number }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const propose = usePropose(regionId);
  const can = (action: string) => me.capabilities.includes(action);
  return (
    <Flex vertical gap={8} align="end">
      <Flex gap={8} wrap role="group" aria-label={t('pairing.actions')}>
        {can('staff.import') && (
          <Button
            icon={<ImportOutlined />}
            onClick={() => void navigate(`/pairing/members/import?regionId=${regionId}`)}
          >
            {t('pairing.importMembers')}
          </Button>
        )}
        {can('card.issue') && (
          <Button
            icon={<PrinterOutlined />}
            onClick={() => void navigate(`/pairing/cards?regionId=${regionId}`)}
          >
            {t('pairing.printCards')}
          </Button>
        )}
        {can('pairing.write') && (
          <Tooltip title={t('pairing.autoAssignHint')}>
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              loading={propose.isPending}
              onClick={() =>
                propose.mutate(undefined, {
                  onSuccess: (p) => void navigate(`/pairing/proposals/${p.id}`),
                })
              }
            >
              {t('pairing.autoAssign')}
            </Button>
          </Tooltip>
        )}
      </Flex>
      {propose.isError && <Alert type="error" showIcon role="alert" title={propose.error.message} />}
    </Flex>
  );
}

export function CoveragePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params] = useSearchParams();
  const regionId = parseId(params.get('regionId')) ?? me.region.id;
  const region = useRegion(regionId);
  const coverage = useCoverage(regionId);
  const ready = coverage.isSuccess;
  // The way back up after drilling down: ancestors from the user's own region to this one.
  const line = region.data ? [...region.data.ancestors, region.data] : [];
  const trail = line.slice(
    Math.max(
      0,
      line.findIndex((a) => a.id === me.region.id),
    ),
  );
  const name = coverage.data?.region.name ?? region.data?.name ?? '';
  return (
    <Flex vertical gap={16}>
      <header>
        {trail.length > 1 && (
          <Breadcrumb
            items={trail.map((a) => ({
              key: a.id,
              title: a.id === regionId ? a.name : <Link to={pairingHref(a.id)}>{a.name}</Link>,
            }))}
          />
        )}
        <div className={styles.header}>
          <Flex align="center" gap={12} wrap>
            <Typography.Title level={3} className={styles.title}>
              {name ? t('pairing.titleOf', { name }) : t('pairing.title')}
            </Typography.Title>
            {region.data && <LevelTag level={region.data.level} />}
          </Flex>
          {ready && <Actions regionId={regionId} />}
        </div>
      </header>
      {coverage.isPending && <Skeleton active paragraph={{ rows: 6 }} />}
      {coverage.isError &&
        (isApiError(coverage.error) && coverage.error.code === 'pairing.county_only' ? (
          <Result status="info" title={t('pairing.countyOnly')} />
        ) : (
          <Result
            status={isApiError(coverage.error) && coverage.error.status === 404 ? '404' : 'error'}
            title={t('common.loadFailed')}
            subTitle={coverage.error.message}
            extra={<Button onClick={() => void coverage.refetch()}>{t('common.retry')}</Button>}
          />
        ))}
      {coverage.data && (
        <>
          <Totals line={coverage.data.total} />
          {coverage.data.children.length > 0 && <Children coverage={coverage.data} />}
          <GapsCard regionId={regionId} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <LoadsCard regionId={regionId} />
            </Col>
            <Col xs={24} xl={10}>
              <SettingsCard regionId={regionId} />
            </Col>
          </Row>
        </>
      )}
    </Flex>
  );
}
