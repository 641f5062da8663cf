// The /staff/members/:id page: a member's details, editing them, deactivating (with a reason; their
// responsibilities end and their residents become gaps) or reactivating, what they answer for at
// region level (包联, each with an end button), the residents paired with them, and their teams.
import { useState } from 'react';
import { EditOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Result,
  Row,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { PageLoading } from '../app/PageLoading.tsx';
import { useCurrentUser } from '../auth/currentUser.ts';
import { parseId } from '../ledger/ledgerApi.ts';
import { LevelTag } from '../regions/LevelTag.tsx';
import { MemberFormDrawer } from './MemberFormDrawer.tsx';
import { RoleTags } from './RoleTags.tsx';
import {
  staffHref,
  useActivateMember,
  useDeactivateMember,
  useEndResponsibility,
  useMember,
  useTeams,
  type MemberDetail,
  type MemberDuty,
} from './staffApi.ts';
import styles from './staff.module.css';

const RESIDENTS_SHOWN = 50;

function DeactivateModal({
  member,
  open,
  onClose,
}: {
  member: MemberDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const deactivate = useDeactivateMember(member.id);
  const [form] = Form.useForm<{ reason: string }>();
  const residents = new Set(
    member.responsibilities.filter((r) => r.targetType === 'resident').map((r) => r.targetId),
  ).size;
  return (
    <Modal
      open={open}
      title={t('staff.member.deactivateTitle', { name: member.name })}
      okText={t('staff.member.deactivateConfirm')}
      okButtonProps={{ danger: true, loading: deactivate.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Alert
          type="warning"
          showIcon
          title={t('staff.member.deactivateWarning', {
            name: member.name,
            count: member.responsibilities.length,
            residents,
          })}
        />
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            deactivate.mutate((v.reason ?? '').trim(), {
              onSuccess: (r) => {
                void message.success(t('staff.member.deactivated', { count: r.ended }));
                onClose();
              },
            })
          }
        >
          <Form.Item name="reason" label={t('staff.member.deactivateReason')}>
            <Input maxLength={200} placeholder={t('staff.member.deactivateReasonPlaceholder')} />
          </Form.Item>
          {deactivate.isError && <Typography.Text type="danger">{deactivate.error.message}</Typography.Text>}
        </Form>
      </Flex>
    </Modal>
  );
}

function Actions({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [deactivating, setDeactivating] = useState(false);
  const activate = useActivateMember(member.id);
  return (
    <Flex gap={8} wrap>
      <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
        {t('staff.member.edit')}
      </Button>
      {member.active ? (
        <Button danger icon={<StopOutlined />} onClick={() => setDeactivating(true)}>
          {t('staff.member.deactivate')}
        </Button>
      ) : (
        <Button
          icon={<UndoOutlined />}
          loading={activate.isPending}
          onClick={() =>
            void modal.confirm({
              title: t('staff.member.activateTitle', { name: member.name }),
              content: t('staff.member.activateHint'),
              onOk: () =>
                activate
                  .mutateAsync()
                  .then(() => void message.success(t('staff.member.activated')))
                  .catch((e: Error) => void message.error(e.message)),
            })
          }
        >
          {t('staff.member.activate')}
        </Button>
      )}
      {editing && (
        <MemberFormDrawer open member={member} regionId={member.regionId} onClose={() => setEditing(false)} />
      )}
      <DeactivateModal member={member} open={deactivating} onClose={() => setDeactivating(false)} />
    </Flex>
  );
}

function Details({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  const none = <Typography.Text type="secondary">{t('staff.member.none')}</Typography.Text>;
  return (
    <Card variant="borderless" title={t('staff.member.details')}>
      <Descriptions
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: 'mobile',
            label: t('staff.member.mobile'),
            children: <span className={styles.mono}>{member.mobile}</span>,
          },
          { key: 'roles', label: t('staff.member.roles'), children: <RoleTags roles={member.roles} /> },
          {
            key: 'region',
            label: t('staff.member.region'),
            children: (
              <Flex gap={6} align="center">
                {member.regionName}
                <LevelTag level={member.regionLevel} />
              </Flex>
            ),
          },
          {
            key: 'unit',
            label: t('staff.member.unit'),
            children: member.unitName ? (
              <Link to={`${staffHref('units', member.regionId)}`}>{member.unitName}</Link>
            ) : (
              none
            ),
          },
          { key: 'partyOrg', label: t('staff.member.partyOrg'), children: member.unitPartyOrg ?? none },
          { key: 'home', label: t('staff.member.home'), children: member.homeRegionName ?? none },
          {
            key: 'capacity',
            label: t('staff.member.capacity'),
            children: member.capacity ?? (
              <Typography.Text type="secondary">{t('staff.member.capacityDefault')}</Typography.Text>
            ),
          },
          {
            key: 'account',
            label: t('staff.member.account'),
            children: member.accountId
              ? t('staff.member.accountLinked', { id: member.accountId })
              : t('staff.member.accountNone'),
          },
        ]}
      />
    </Card>
  );
}

function RegionDuties({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const end = useEndResponsibility();
  const writable = me.capabilities.includes('staff.write');
  const duties = member.responsibilities.filter((r) => r.targetType === 'region');
  const columns: TableColumnsType<MemberDuty> = [
    {
      title: t('staff.member.dutyRegion'),
      dataIndex: 'targetName',
      render: (_: unknown, r) => (
        <Flex gap={6} align="center">
          <Link to={staffHref('staffing', r.targetId)}>{r.targetName}</Link>
          {r.targetLevel && <LevelTag level={r.targetLevel} />}
        </Flex>
      ),
    },
    {
      title: t('staff.member.dutyRole'),
      dataIndex: 'role',
      render: (_: unknown, r) => t(`staff.duty.${r.role}`),
    },
    {
      title: t('staff.member.dutyFrom'),
      dataIndex: 'fromDate',
      render: (d: string) => <span className={styles.mono}>{d}</span>,
    },
    ...(writable
      ? [
          {
            title: '',
            key: 'end',
            align: 'right' as const,
            render: (_: unknown, r: MemberDuty) => (
              <Popconfirm
                title={t('staff.member.endConfirm', { name: member.name, role: t(`staff.duty.${r.role}`) })}
                onConfirm={() =>
                  end
                    .mutateAsync({ id: r.id })
                    .then(() => void message.success(t('staff.member.ended')))
                    .catch((e: Error) => void message.error(e.message))
                }
              >
                <Button
                  size="small"
                  aria-label={`${t('staff.member.end')} ${r.targetName} ${t(`staff.duty.${r.role}`)}`}
                >
                  {t('staff.member.end')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  return (
    <section aria-label={t('staff.member.duties')}>
      <Card variant="borderless" title={t('staff.member.duties')}>
        <Table<MemberDuty>
          aria-label={t('staff.member.duties')}
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={duties}
          pagination={false}
          locale={{ emptyText: t('staff.member.dutiesEmpty') }}
        />
      </Card>
    </section>
  );
}

function PairedResidents({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const ledger = me.capabilities.includes('ledger.read');
  const pairs = member.responsibilities.filter((r) => r.targetType === 'resident');
  const count = new Set(pairs.map((r) => r.targetId)).size;
  return (
    <section aria-label={t('staff.member.residents')}>
      <Card variant="borderless" title={t('staff.member.residents')}>
        <Typography.Paragraph data-testid="paired-count">
          {count ? t('staff.member.residentsCount', { count }) : t('staff.member.residentsEmpty')}
        </Typography.Paragraph>
        {pairs.length > 0 && (
          <List
            size="small"
            dataSource={pairs.slice(0, RESIDENTS_SHOWN)}
            renderItem={(r) => (
              <List.Item>
                <Flex gap={8} align="center">
                  {ledger ? <Link to={`/residents/${r.targetId}`}>{r.targetName}</Link> : r.targetName}
                  <Tag>{t(`staff.duty.${r.role}`)}</Tag>
                </Flex>
              </List.Item>
            )}
            footer={
              pairs.length > RESIDENTS_SHOWN
                ? t('staff.member.residentsMore', { count: pairs.length - RESIDENTS_SHOWN })
                : undefined
            }
          />
        )}
      </Card>
    </section>
  );
}

function MemberTeams({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  const teams = useTeams(undefined, true);
  const mine = (teams.data ?? []).filter((team) => team.members.some((p) => p.memberId === member.id));
  return (
    <section aria-label={t('staff.member.teams')}>
      <Card variant="borderless" title={t('staff.member.teams')} loading={teams.isPending}>
        <List
          size="small"
          dataSource={mine}
          locale={{ emptyText: t('staff.member.teamsEmpty') }}
          renderItem={(team) => (
            <List.Item>
              <Flex gap={8} align="center" wrap>
                <Link to={staffHref('teams', team.regionId)}>{team.name}</Link>
                <Typography.Text type="secondary">{team.regionName}</Typography.Text>
                {team.members.find((p) => p.memberId === member.id)?.leader && (
                  <Tag color="gold">{t('staff.member.leader')}</Tag>
                )}
                {!team.active && <Tag>{t('staff.teams.inactive')}</Tag>}
              </Flex>
            </List.Item>
          )}
        />
      </Card>
    </section>
  );
}

export function MemberPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const id = parseId(useParams().id);
  const member = useMember(id);
  if (id === undefined || (member.isError && isApiError(member.error) && member.error.status === 404))
    return (
      <Result
        status="404"
        title={t('staff.notFound')}
        extra={
          <Button onClick={() => void navigate(staffHref('', me.region.id))}>{t('staff.member.back')}</Button>
        }
      />
    );
  if (member.isPending) return <PageLoading />;
  if (member.isError)
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={member.error.message}
        extra={<Button onClick={() => void member.refetch()}>{t('common.retry')}</Button>}
      />
    );
  const m = member.data;
  return (
    <Flex vertical gap={16}>
      <header className={styles.header}>
        <Flex vertical gap={4}>
          <Link to={staffHref('', m.regionId)}>← {t('staff.member.back')}</Link>
          <Flex align="center" gap={12} wrap>
            <Typography.Title level={3} className={styles.title}>
              {m.name}
            </Typography.Title>
            {m.active ? (
              <Tag color="green">{t('staff.state.active')}</Tag>
            ) : (
              <Tag>{t('staff.state.inactive')}</Tag>
            )}
          </Flex>
        </Flex>
        {me.capabilities.includes('staff.write') && <Actions member={m} />}
      </header>
      <Details member={m} />
      <RegionDuties member={m} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <PairedResidents member={m} />
        </Col>
        <Col xs={24} xl={12}>
          <MemberTeams member={m} />
        </Col>
      </Row>
    </Flex>
  );
}
