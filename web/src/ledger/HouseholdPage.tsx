// The /households/:id page: address, grid, status and colour; members; surveys; record a survey, add a member.
import { useState } from 'react';
import { FileDoneOutlined, UserAddOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Descriptions, Empty, Flex, Table, Tag, Typography } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoading } from '../app/PageLoading.tsx';
import { useCurrentUser } from '../auth/currentUser.ts';
import { useCategoryLabels, type CategoryLabels } from './categories.ts';
import { CategoryTags } from './CategoryTags.tsx';
import { ColourTag } from './ColourTag.tsx';
import { formatDateTime } from './format.ts';
import { ledgerHref } from './ledgerQuery.ts';
import { parseId, useCreateResident, useHousehold } from './ledgerApi.ts';
import { LedgerNotFound } from './LedgerNotFound.tsx';
import { LoadError } from './LoadError.tsx';
import { createInput, EMPTY_RESIDENT } from './residentForm.ts';
import { ResidentFormDrawer } from './ResidentFormDrawer.tsx';
import { SurveyModal } from './SurveyModal.tsx';
import type { HouseholdDetail, Resident, Survey } from './types.ts';
import styles from './ledger.module.css';

function Summary({ household: h }: { household: HouseholdDetail }) {
  const { t, i18n } = useTranslation();
  const items: DescriptionsProps['items'] = [
    { key: 'address', label: t('household.address'), children: h.address },
    { key: 'houseNumber', label: t('household.houseNumber'), children: h.houseNumber ?? '—' },
    { key: 'grid', label: t('household.grid'), children: h.place.join(' / ') },
    { key: 'status', label: t('household.status'), children: t(`householdStatus.${h.status}`) },
    { key: 'colour', label: t('household.colour'), children: <ColourTag colour={h.colour} /> },
    {
      key: 'lastSurveyed',
      label: t('household.lastSurveyed'),
      children: h.lastSurveyedAt
        ? formatDateTime(h.lastSurveyedAt, i18n.language)
        : t('ledger.neverSurveyed'),
    },
    ...(h.note
      ? [{ key: 'note', label: t('household.note'), span: 'filled' as const, children: h.note }]
      : []),
  ];
  return (
    <Card variant="borderless">
      <Descriptions items={items} column={{ xs: 1, sm: 2, lg: 3 }} size="small" />
    </Card>
  );
}

function Members({ members, labels }: { members: Resident[]; labels: CategoryLabels['label'] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Resident> = [
    {
      title: t('ledger.col.name'),
      dataIndex: 'name',
      render: (_: string, r) => <Link to={`/residents/${r.id}`}>{r.name}</Link>,
    },
    {
      title: t('ledger.col.sex'),
      dataIndex: 'sex',
      render: (_: unknown, r) => (r.sex ? t(`sex.${r.sex}`) : '—'),
    },
    { title: t('ledger.col.age'), dataIndex: 'age', align: 'right', render: (_: unknown, r) => r.age ?? '—' },
    {
      title: t('ledger.col.categories'),
      dataIndex: 'categories',
      responsive: ['sm'],
      render: (_: unknown, r) => <CategoryTags codes={r.categories} labels={labels} />,
    },
    {
      title: t('ledger.col.colour'),
      dataIndex: 'colour',
      render: (_: unknown, r) => <ColourTag colour={r.colour} />,
    },
    {
      title: t('resident.status'),
      dataIndex: 'status',
      responsive: ['md'],
      render: (_: unknown, r) => (
        <Tag color={r.status === 'active' ? 'success' : 'default'}>{t(`residentStatus.${r.status}`)}</Tag>
      ),
    },
  ];
  return (
    <Table<Resident>
      aria-label={t('household.members')}
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={members}
      pagination={false}
      locale={{ emptyText: t('household.noMembers') }}
    />
  );
}

function Surveys({ surveys }: { surveys: Survey[] }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<Survey> = [
    { title: t('survey.at'), dataIndex: 'at', render: (_: string, s) => formatDateTime(s.at, i18n.language) },
    {
      title: t('survey.surveyor'),
      dataIndex: 'surveyorName',
      render: (_: unknown, s) => s.surveyorName ?? '—',
    },
    {
      title: t('survey.membersConfirmed'),
      key: 'counts',
      responsive: ['sm'],
      render: (_: unknown, s) =>
        t('survey.summary', {
          confirmed: s.membersConfirmed,
          added: s.membersAdded,
          movedOut: s.membersMovedOut,
        }),
    },
    {
      title: t('survey.colour'),
      dataIndex: 'colour',
      render: (_: unknown, s) => <ColourTag colour={s.colour} />,
    },
    {
      title: t('survey.note'),
      dataIndex: 'note',
      responsive: ['md'],
      render: (_: unknown, s) => s.note ?? '—',
    },
  ];
  if (surveys.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('household.noSurveys')} />;
  return (
    <Table<Survey>
      aria-label={t('household.surveys')}
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={surveys}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
    />
  );
}

function HouseholdView({ household }: { household: HouseholdDetail }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const canWrite = me.capabilities.includes('ledger.write');
  const labels = useCategoryLabels(household.gridId);
  const create = useCreateResident(household.id);
  const [surveying, setSurveying] = useState(false);
  const [adding, setAdding] = useState(false);
  const active = household.members.filter((m) => m.status === 'active').length;
  return (
    <Flex vertical gap={16}>
      <header>
        <Breadcrumb
          items={[
            { key: 'ledger', title: <Link to={ledgerHref(household.gridId)}>{t('ledger.title')}</Link> },
            { key: 'household', title: household.address },
          ]}
        />
        <div className={styles.header} style={{ marginTop: 12 }}>
          <Flex align="center" gap={12} wrap>
            <Typography.Title level={3} className={styles.title}>
              {household.address}
            </Typography.Title>
            <ColourTag colour={household.colour} />
            <Typography.Text type="secondary">
              {t('household.memberCount', { count: active })}
            </Typography.Text>
          </Flex>
          {canWrite && (
            <Flex gap={8} wrap>
              <Button icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
                {t('household.addMember')}
              </Button>
              <Button type="primary" icon={<FileDoneOutlined />} onClick={() => setSurveying(true)}>
                {t('survey.button')}
              </Button>
            </Flex>
          )}
        </div>
      </header>
      <Summary household={household} />
      <Card title={t('household.members')} variant="borderless">
        <Members members={household.members} labels={labels.label} />
      </Card>
      <Card title={t('household.surveys')} variant="borderless">
        <Surveys surveys={household.surveys} />
      </Card>
      {canWrite && (
        <>
          <SurveyModal household={household} open={surveying} onClose={() => setSurveying(false)} />
          <ResidentFormDrawer
            open={adding}
            title={t('residentForm.addTitle')}
            initialValues={EMPTY_RESIDENT}
            categories={labels.options}
            derivedFromId={false}
            showStatus={false}
            successMessage={t('residentForm.added')}
            onClose={() => setAdding(false)}
            submit={(values) => create.mutateAsync(createInput(values))}
          />
        </>
      )}
    </Flex>
  );
}

export function HouseholdPage() {
  const id = parseId(useParams().id);
  const household = useHousehold(id);
  if (id === undefined) return <LedgerNotFound kind="household" />;
  if (household.isPending) return <PageLoading />;
  if (household.isError)
    return <LoadError error={household.error} kind="household" onRetry={() => void household.refetch()} />;
  return <HouseholdView key={household.data.id} household={household.data} />;
}
