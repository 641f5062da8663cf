// The /pairing/proposals/:id page: an auto-assign proposal to review — each resident's proposed
// contact and why (who, why) — confirmed whole or in part; then back to the refreshed coverage.
import { useState } from 'react';
import { App, Alert, Button, Card, Flex, Result, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { PageLoading } from '../app/PageLoading.tsx';
import { useCurrentUser } from '../auth/currentUser.ts';
import { parseId } from '../ledger/ledgerApi.ts';
import {
  pairingHref,
  useConfirmProposal,
  useProposal,
  type Proposal,
  type ProposalItem,
} from './pairingApi.ts';
import styles from './pairing.module.css';

const DECISION_COLOUR = { pending: 'blue', accepted: 'green', rejected: undefined } as const;

function ProposalView({ proposal }: { proposal: Proposal }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const confirm = useConfirmProposal(proposal.id);
  const open = proposal.status === 'open';
  const editable = open && me.capabilities.includes('pairing.write');
  const choosable = proposal.items.filter((i) => i.member_id !== null);
  const [selected, setSelected] = useState<number[]>(() => choosable.map((i) => i.id));
  const done = (accept: 'all' | number[]) =>
    confirm.mutate(accept, {
      onSuccess: (r) => {
        void message.success(t('pairing.proposal.confirmed', { count: r.assigned }));
        void navigate(pairingHref(proposal.regionId));
      },
    });
  const columns: TableColumnsType<ProposalItem> = [
    {
      title: t('pairing.resident'),
      dataIndex: 'resident_name',
      render: (_: string, i) => <Link to={`/residents/${i.resident_id}`}>{i.resident_name}</Link>,
    },
    {
      title: t('pairing.proposal.role'),
      dataIndex: 'role',
      render: (_: unknown, i) => t(`pairing.role.${i.role}`),
    },
    {
      title: t('pairing.proposal.member'),
      dataIndex: 'member_name',
      render: (_: unknown, i) =>
        i.member_name ?? <Typography.Text type="danger">{t('pairing.proposal.nobody')}</Typography.Text>,
    },
    { title: t('pairing.proposal.reason'), dataIndex: 'reason' },
    ...(open
      ? []
      : [
          {
            title: '',
            dataIndex: 'decision',
            render: (_: unknown, i: ProposalItem) => (
              <Tag color={DECISION_COLOUR[i.decision]}>{t(`pairing.proposal.decision.${i.decision}`)}</Tag>
            ),
          },
        ]),
  ];
  return (
    <Flex vertical gap={16}>
      <header className={styles.header}>
        <Flex vertical gap={4}>
          <Link to={pairingHref(proposal.regionId)}>← {t('pairing.proposal.back')}</Link>
          <Typography.Title level={3} className={styles.title}>
            {t('pairing.proposal.title', { id: proposal.id })}
          </Typography.Title>
        </Flex>
        {editable && (
          <Flex gap={8} wrap role="group" aria-label={t('pairing.actions')}>
            <Button
              disabled={selected.length === 0}
              loading={confirm.isPending && confirm.variables !== 'all'}
              onClick={() => done(selected)}
            >
              {t('pairing.proposal.confirmSelected', { count: selected.length })}
            </Button>
            <Button
              type="primary"
              disabled={choosable.length === 0}
              loading={confirm.isPending && confirm.variables === 'all'}
              onClick={() => done('all')}
            >
              {t('pairing.proposal.confirmAll')}
            </Button>
          </Flex>
        )}
      </header>
      <Alert
        type={proposal.summary.unfilled ? 'warning' : 'info'}
        showIcon
        title={t('pairing.proposal.summary', proposal.summary)}
      />
      {!open && <Alert type="success" showIcon title={t('pairing.proposal.closed')} />}
      {confirm.isError && <Alert type="error" showIcon role="alert" title={confirm.error.message} />}
      <Card variant="borderless" title={t('pairing.proposal.items')}>
        <Table<ProposalItem>
          aria-label={t('pairing.proposal.items')}
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={proposal.items}
          rowSelection={
            editable
              ? {
                  selectedRowKeys: selected,
                  onChange: (keys) => setSelected(keys.map(Number)),
                  getCheckboxProps: (i) => ({
                    disabled: i.member_id === null,
                    'aria-label': `${i.resident_name} ${t(`pairing.role.${i.role}`)}`,
                  }),
                }
              : undefined
          }
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: t('pairing.proposal.empty') }}
        />
      </Card>
    </Flex>
  );
}

export function ProposalPage() {
  const { t } = useTranslation();
  const id = parseId(useParams().id);
  const proposal = useProposal(id);
  if (id === undefined) return <Result status="404" title={t('notFound.title')} />;
  if (proposal.isPending) return <PageLoading />;
  if (proposal.isError)
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={proposal.error.message}
        extra={<Button onClick={() => void proposal.refetch()}>{t('common.retry')}</Button>}
      />
    );
  return <ProposalView key={proposal.data.id} proposal={proposal.data} />;
}
