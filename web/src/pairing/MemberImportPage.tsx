// The /pairing/members/import page: choose the village (or township, grid) → upload the staff
// register (.xlsx/.csv) → the check, every problem by its Excel row and column → import (all rows
// or none) → the result, and on to the pairing coverage.
import { useState } from 'react';
import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Result,
  Row,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { parseId } from '../ledger/ledgerApi.ts';
import { RegionPicker } from '../ledger/RegionPicker.tsx';
import { LevelTag } from '../regions/LevelTag.tsx';
import { useRegion } from '../regions/regionApi.ts';
import {
  pairingHref,
  useCommitMembers,
  useMemberImport,
  useUploadMembers,
  type ImportProblem,
  type MemberImportJob,
  type MemberImportReport,
} from './pairingApi.ts';
import styles from './pairing.module.css';

function Report({ report }: { report: MemberImportReport }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<ImportProblem & { key: number }> = [
    { title: t('pairing.members.row'), dataIndex: 'row', width: 90, render: (_: unknown, p) => p.row ?? '—' },
    {
      title: t('pairing.members.column'),
      dataIndex: 'column',
      width: 160,
      render: (_: unknown, p) => <Tag color="error">{p.column}</Tag>,
    },
    { title: t('pairing.members.message'), dataIndex: 'message' },
  ];
  return (
    <Flex vertical gap={12}>
      <Row gutter={[16, 16]} role="list" aria-label={t('pairing.members.importTitle')}>
        {(
          [
            ['rows', report.rows, undefined],
            ['valid', report.valid, '#389e0d'],
            ['invalid', report.invalidCount, report.invalidCount ? '#cf1322' : undefined],
            ['created', report.created, undefined],
            ['updated', report.updated, undefined],
          ] as const
        ).map(([key, value, colour]) => (
          <Col key={key} xs={12} md={4} role="listitem">
            <Statistic
              title={t(`pairing.members.stat.${key}`)}
              value={value}
              styles={{ content: { color: colour } }}
            />
          </Col>
        ))}
      </Row>
      {report.invalidCount > 0 && (
        <Table<ImportProblem & { key: number }>
          aria-label={t('pairing.members.problems')}
          size="small"
          columns={columns}
          dataSource={report.invalid.map((p, key) => ({ ...p, key }))}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        />
      )}
    </Flex>
  );
}

function Choose({ regionId, onJob }: { regionId: number; onJob: (id: string) => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const region = useRegion(regionId);
  const upload = useUploadMembers();
  const [createUnits, setCreateUnits] = useState(false);
  return (
    <Flex vertical gap={12}>
      {me.capabilities.includes('staff.write') && (
        <Checkbox checked={createUnits} onChange={(e) => setCreateUnits(e.target.checked)}>
          {t('pairing.members.createUnits')}
        </Checkbox>
      )}
      {upload.isError && <Alert type="error" showIcon role="alert" title={upload.error.message} />}
      <Upload.Dragger
        accept=".xlsx,.csv"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending || !region.data}
        beforeUpload={(file) => {
          if (region.data)
            upload.mutate(
              { file, regionCode: region.data.code, createUnits },
              { onSuccess: (job) => onJob(job.id) },
            );
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">
          {upload.isPending ? t('pairing.members.uploading') : t('pairing.members.drop')}
        </p>
      </Upload.Dragger>
    </Flex>
  );
}

function Review({ job, regionId, onAgain }: { job: MemberImportJob; regionId: number; onAgain: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const commit = useCommitMembers(job.id);
  const result = job.result;
  if (result?.committed)
    return (
      <Result
        status="success"
        title={t('pairing.members.done')}
        subTitle={
          <>
            {t('pairing.members.doneSummary', result)}
            {result.unitsCreated.length > 0 && (
              <div>{t('pairing.members.unitsCreated', { units: result.unitsCreated.join('、') })}</div>
            )}
          </>
        }
        extra={[
          <Button key="coverage" type="primary" onClick={() => void navigate(pairingHref(regionId))}>
            {t('pairing.members.openCoverage')}
          </Button>,
          <Button key="again" onClick={onAgain}>
            {t('pairing.members.again')}
          </Button>,
        ]}
      />
    );
  const report = result ?? job.check;
  const clean = report.invalidCount === 0;
  return (
    <Flex vertical gap={16}>
      <Alert
        type={clean ? 'success' : 'warning'}
        showIcon
        title={
          result
            ? t('pairing.members.rejected')
            : clean
              ? t('pairing.members.checkedClean')
              : t('pairing.members.checkedWithProblems', { count: report.invalidCount })
        }
        description={job.fileName}
      />
      <Report report={report} />
      {commit.isError && <Alert type="error" showIcon role="alert" title={commit.error.message} />}
      <Flex justify="end" gap={8}>
        <Button onClick={onAgain}>{t('pairing.members.again')}</Button>
        <Button
          type="primary"
          disabled={!clean || report.valid === 0}
          loading={commit.isPending}
          onClick={() => commit.mutate()}
        >
          {t('pairing.members.commit')}
        </Button>
      </Flex>
    </Flex>
  );
}

export function MemberImportPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const regionId = parseId(params.get('regionId')) ?? me.region.id;
  const jobId = params.get('job') ?? undefined;
  const job = useMemberImport(jobId);
  const region = useRegion(regionId);
  const go = (next: { regionId?: number; job?: string }) => {
    const q = new URLSearchParams({ regionId: String(next.regionId ?? regionId) });
    if (next.job) q.set('job', next.job);
    setParams(q);
  };
  return (
    <Flex vertical gap={16}>
      <header className={styles.header}>
        <Flex vertical gap={4}>
          <Link to={pairingHref(regionId)}>← {t('pairing.proposal.back')}</Link>
          <Typography.Title level={3} className={styles.title}>
            {t('pairing.members.importTitle')}
          </Typography.Title>
        </Flex>
      </header>
      <Card variant="borderless">
        <Flex vertical gap={16}>
          <Flex align="center" gap={12} wrap>
            <Typography.Text strong>{t('pairing.members.target')}</Typography.Text>
            {jobId ? (
              <Typography.Text>{region.data?.name}</Typography.Text>
            ) : (
              <RegionPicker value={regionId} onChange={(id) => go({ regionId: id })} />
            )}
            {region.data && <LevelTag level={region.data.level} />}
            {region.data && <Typography.Text type="secondary">{region.data.code}</Typography.Text>}
          </Flex>
          {!jobId && <Typography.Text type="secondary">{t('pairing.members.targetHint')}</Typography.Text>}
          {!jobId && <Choose regionId={regionId} onJob={(id) => go({ job: id })} />}
          {jobId && job.isPending && (
            <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
          )}
          {jobId && job.isError && (
            <Result
              status="error"
              title={t('common.loadFailed')}
              subTitle={job.error.message}
              extra={<Button onClick={() => go({})}>{t('pairing.members.again')}</Button>}
            />
          )}
          {job.data && <Review key={job.data.id} job={job.data} regionId={regionId} onAgain={() => go({})} />}
        </Flex>
      </Card>
    </Flex>
  );
}
