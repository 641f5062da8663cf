// The /ledger/import wizard: choose a village → upload .xlsx/.csv → check report → confirm → progress → result.
import { useState } from 'react';
import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Progress,
  Radio,
  Result,
  Space,
  Steps,
  Typography,
  Upload,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { LevelTag } from '../regions/LevelTag.tsx';
import { useRegion } from '../regions/regionApi.ts';
import {
  errorWorkbookHref,
  useCommit,
  useImportJob,
  useUpload,
  type CommitMode,
  type ImportJob,
} from './importApi.ts';
import { ImportReport } from './ImportReport.tsx';
import { ledgerHref } from './ledgerQuery.ts';
import { parseId } from './ledgerApi.ts';
import { RegionPicker } from './RegionPicker.tsx';
import styles from './ledger.module.css';

type Phase = 'choose' | 'checking' | 'review' | 'importing' | 'done' | 'failed';

function phaseOf(job: ImportJob | undefined): Phase {
  if (!job) return 'choose';
  // A commit that failed or was interrupted (nothing written) keeps its check: confirm it again.
  if (job.state === 'failed') return job.check ? 'review' : 'failed';
  if (job.state === 'checking') return 'checking';
  if (job.state === 'committing') return 'importing';
  return job.result ? 'done' : 'review';
}

const STEP: Record<Phase, number> = { choose: 1, checking: 2, review: 2, importing: 3, done: 4, failed: 2 };

function Choose({
  regionId,
  onRegion,
  onJob,
}: {
  regionId: number;
  onRegion: (id: number) => void;
  onJob: (id: string) => void;
}) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const region = useRegion(regionId);
  const upload = useUpload();
  const [createGrids, setCreateGrids] = useState(false);
  const send = (file: File) => {
    if (!region.data) return;
    upload.mutate({ file, regionCode: region.data.code, createGrids }, { onSuccess: (job) => onJob(job.id) });
  };
  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={12} wrap>
        <Typography.Text strong>{t('import.target')}</Typography.Text>
        <RegionPicker value={regionId} onChange={onRegion} />
        {region.data && <LevelTag level={region.data.level} />}
        {region.data && <Typography.Text type="secondary">{region.data.code}</Typography.Text>}
      </Flex>
      <Typography.Text type="secondary">{t('import.targetHint')}</Typography.Text>
      {me.capabilities.includes('region.write') && (
        <Checkbox checked={createGrids} onChange={(e) => setCreateGrids(e.target.checked)}>
          {t('import.createGrids')}
        </Checkbox>
      )}
      {upload.isError && <Alert type="error" showIcon role="alert" title={upload.error.message} />}
      <Upload.Dragger
        accept=".xlsx,.csv"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending || !region.data}
        beforeUpload={(file) => {
          send(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{upload.isPending ? t('import.uploading') : t('import.drop')}</p>
        <p className="ant-upload-hint">{t('import.dropHint')}</p>
      </Upload.Dragger>
    </Flex>
  );
}

function Working({ job, label }: { job: ImportJob; label: string }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8} style={{ padding: '24px 0' }} role="status">
      <Typography.Text>
        {label} · {job.fileName}
      </Typography.Text>
      <Progress percent={Math.round(job.progress.fraction * 100)} status="active" />
      <Typography.Text type="secondary">{t('import.rowsRead', { count: job.progress.rows })}</Typography.Text>
    </Flex>
  );
}

function Review({ job, onAgain }: { job: ImportJob; onAgain: () => void }) {
  const { t } = useTranslation();
  const commit = useCommit(job.id);
  const check = job.check;
  const [mode, setMode] = useState<CommitMode>(check && check.invalidCount > 0 ? 'valid-only' : 'all');
  if (!check) return null;
  const nothing = check.valid === 0;
  const empty = check.rows === 0;
  return (
    <Flex vertical gap={16}>
      {job.state === 'failed' && job.error && (
        <Alert type="error" showIcon role="alert" title={job.error.message} />
      )}
      <Alert
        type={check.invalidCount || empty ? 'warning' : 'success'}
        showIcon
        title={
          check.invalidCount
            ? t('import.checkedWithProblems', { count: check.invalidCount })
            : empty
              ? t('import.checkedEmpty')
              : t('import.checkedClean')
        }
        description={t('import.checkedSummary', {
          rows: check.rows,
          valid: check.valid,
          imported: check.imported,
          updated: check.updated,
        })}
      />
      <ImportReport jobId={job.id} report={check} />
      <Card size="small" title={t('import.confirm')} className={styles.actionBar}>
        <Flex vertical gap={12}>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as CommitMode)}>
            <Space orientation="vertical">
              <Radio value="all">{t('import.modeAll')}</Radio>
              <Radio value="valid-only">{t('import.modeValidOnly', { count: check.valid })}</Radio>
            </Space>
          </Radio.Group>
          {commit.isError && <Alert type="error" showIcon title={commit.error.message} />}
          {nothing && <Typography.Text type="danger">{t('import.nothingValid')}</Typography.Text>}
          <Flex justify="end" gap={8}>
            <Button onClick={onAgain}>{t('import.another')}</Button>
            <Button
              type="primary"
              disabled={nothing}
              loading={commit.isPending}
              onClick={() => commit.mutate({ mode })}
            >
              {t('import.commit')}
            </Button>
          </Flex>
        </Flex>
      </Card>
    </Flex>
  );
}

function Done({ job, regionId, onAgain }: { job: ImportJob; regionId: number; onAgain: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const r = job.result;
  if (!r) return null;
  const extra = [
    <Button key="ledger" type="primary" onClick={() => void navigate(ledgerHref(regionId))}>
      {t('import.openLedger')}
    </Button>,
    r.invalidCount > 0 && (
      <Button key="errors" href={errorWorkbookHref(job.id)} download>
        {t('import.errorWorkbook')}
      </Button>
    ),
    <Button key="again" onClick={onAgain}>
      {t('import.again')}
    </Button>,
  ];
  return (
    <>
      <Result
        status={r.committed ? 'success' : 'warning'}
        title={r.committed ? t('import.done') : t('import.rejected', { count: r.invalidCount })}
        subTitle={
          r.committed
            ? t('import.doneSummary', { imported: r.imported, updated: r.updated, households: r.households })
            : t('import.rejectedHint')
        }
        extra={extra}
      />
      {r.invalidCount > 0 && <ImportReport jobId={job.id} report={r} />}
    </>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const regionId = parseId(params.get('regionId')) ?? me.region.id;
  const jobId = params.get('job') ?? undefined;
  const job = useImportJob(jobId);
  const phase = jobId && job.isError ? 'failed' : phaseOf(job.data);
  const go = (next: { regionId?: number; job?: string }) => {
    const q = new URLSearchParams({ regionId: String(next.regionId ?? regionId) });
    if (next.job) q.set('job', next.job);
    setParams(q);
  };
  const steps = ['choose', 'upload', 'review', 'importing', 'done'].map((k) => ({
    title: t(`import.step.${k as 'choose'}`),
  }));
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} className={styles.title}>
        {t('import.title')}
      </Typography.Title>
      <Card variant="borderless">
        <Steps
          current={STEP[phase]}
          items={steps}
          size="small"
          status={phase === 'failed' ? 'error' : undefined}
        />
      </Card>
      <Card variant="borderless">
        {phase === 'choose' && (
          <Choose
            regionId={regionId}
            onRegion={(id) => go({ regionId: id })}
            onJob={(id) => go({ job: id })}
          />
        )}
        {jobId && job.isPending && <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>}
        {phase === 'checking' && job.data && <Working job={job.data} label={t('import.checking')} />}
        {phase === 'review' && job.data && <Review key={job.data.id} job={job.data} onAgain={() => go({})} />}
        {phase === 'importing' && job.data && <Working job={job.data} label={t('import.importing')} />}
        {phase === 'done' && job.data && <Done job={job.data} regionId={regionId} onAgain={() => go({})} />}
        {phase === 'failed' && (
          <Result
            status="error"
            title={t('import.failed')}
            subTitle={job.data?.error?.message ?? job.error?.message}
            extra={<Button onClick={() => go({})}>{t('import.again')}</Button>}
          />
        )}
      </Card>
    </Flex>
  );
}
