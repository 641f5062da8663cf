// The /staff/teams?regionId=N page (服务小分队): the service teams of a region's subtree, each with the
// region it serves, its leader and members; teams are formed (with first members and a leader),
// renamed, disbanded or formed again; members are added (picked by name or mobile), made leader or
// taken off.
import { useState } from 'react';
import { PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Row,
  Select,
  Skeleton,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { placeErrors } from '../app/formErrors.ts';
import { MemberPicker } from './MemberPicker.tsx';
import { RegionSelect } from './RegionSelect.tsx';
import { RoleTags } from './RoleTags.tsx';
import { StaffHeader, useStaffRegionId } from './StaffHeader.tsx';
import {
  memberHref,
  useAddTeamMember,
  useCreateTeam,
  useRemoveTeamMember,
  useTeams,
  useUpdateTeam,
  type Team,
} from './staffApi.ts';
import styles from './staff.module.css';

type NewTeam = { name: string; regionId: number | null; memberIds: number[]; leaderId: number | null };

function CreateTeamModal({ regionId, onClose }: { regionId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewTeam>();
  const create = useCreateTeam();
  const [problem, setProblem] = useState<string[]>([]);
  const memberIds = Form.useWatch('memberIds', form) ?? [];
  const [labels, setLabels] = useState<Record<number, string>>({});
  return (
    <Modal
      open
      title={t('staff.teams.form.addTitle')}
      okText={t('staff.form.save')}
      okButtonProps={{ loading: create.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem.length > 0 && (
        <Alert type="error" showIcon role="alert" title={problem.join('；')} style={{ marginBottom: 16 }} />
      )}
      <Form<NewTeam>
        form={form}
        layout="vertical"
        initialValues={{ name: '', regionId, memberIds: [], leaderId: null }}
        onFinish={(v) => {
          setProblem([]);
          create.mutate(
            {
              name: v.name ?? '',
              regionId: v.regionId ?? regionId,
              memberIds: v.memberIds ?? [],
              leaderId: v.leaderId && (v.memberIds ?? []).includes(v.leaderId) ? v.leaderId : null,
            },
            {
              onSuccess: (team) => {
                void message.success(t('staff.teams.form.created', { name: team.name }));
                onClose();
              },
              onError: (error) =>
                setProblem(
                  placeErrors(form, error, ['name', 'regionId'], { 'staff.team_name_taken': 'name' }),
                ),
            },
          );
        }}
      >
        <Form.Item name="name" label={t('staff.teams.form.name')} required>
          <Input maxLength={50} placeholder={t('staff.teams.form.namePlaceholder')} autoComplete="off" />
        </Form.Item>
        <Form.Item name="regionId" label={t('staff.teams.form.region')} required>
          <RegionSelect levels={['county', 'township', 'village', 'grid']} />
        </Form.Item>
        <Form.Item name="memberIds" label={t('staff.teams.form.members')}>
          <MemberPicker multiple regionId={regionId} onLabels={setLabels} />
        </Form.Item>
        <Form.Item name="leaderId" label={t('staff.teams.form.leader')}>
          <Select<number>
            allowClear
            placeholder={t('staff.teams.form.leaderPlaceholder')}
            options={memberIds.map((id) => ({ value: id, label: labels[id] ?? `#${id}` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddMemberModal({ team, onClose }: { team: Team; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ memberId: number; leader: boolean }>();
  const add = useAddTeamMember(team.id);
  return (
    <Modal
      open
      title={t('staff.teams.addMemberTitle', { team: team.name })}
      okText={t('staff.form.save')}
      okButtonProps={{ loading: add.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ leader: false }}
        onFinish={(v) =>
          add.mutate(
            { memberId: v.memberId, leader: v.leader ?? false },
            {
              onSuccess: () => {
                void message.success(t('staff.teams.added'));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item
          name="memberId"
          label={t('staff.picker.member')}
          rules={[{ required: true, message: t('staff.picker.required') }]}
        >
          <MemberPicker regionId={team.regionId} exclude={team.members.map((m) => m.memberId)} />
        </Form.Item>
        <Form.Item name="leader" valuePropName="checked">
          <Checkbox>{t('staff.teams.asLeader')}</Checkbox>
        </Form.Item>
        {add.isError && <Typography.Text type="danger">{add.error.message}</Typography.Text>}
      </Form>
    </Modal>
  );
}

function RenameModal({ team, onClose }: { team: Team; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const update = useUpdateTeam(team.id);
  const [problem, setProblem] = useState<string[]>([]);
  return (
    <Modal
      open
      title={t('staff.teams.form.renameTitle')}
      okText={t('staff.form.save')}
      okButtonProps={{ loading: update.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem.length > 0 && <Alert type="error" showIcon role="alert" title={problem.join('；')} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: team.name }}
        onFinish={(v) =>
          update.mutate(
            { name: v.name ?? '' },
            {
              onSuccess: () => {
                void message.success(t('staff.teams.form.saved'));
                onClose();
              },
              onError: (error) =>
                setProblem(placeErrors(form, error, ['name'], { 'staff.team_name_taken': 'name' })),
            },
          )
        }
      >
        <Form.Item name="name" label={t('staff.teams.form.name')} required>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TeamCard({ team, writable }: { team: Team; writable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const update = useUpdateTeam(team.id);
  const remove = useRemoveTeamMember(team.id);
  const lead = useAddTeamMember(team.id);
  const fail = (e: Error) => void message.error(e.message);
  return (
    <section aria-label={team.name}>
      <Card
        variant="borderless"
        title={
          <Flex gap={8} align="center" wrap>
            <span>{team.name}</span>
            {!team.active && <Tag>{t('staff.teams.inactive')}</Tag>}
          </Flex>
        }
        extra={
          writable &&
          team.active && (
            <Button size="small" icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
              {t('staff.teams.addMember')}
            </Button>
          )
        }
        actions={
          writable
            ? [
                <Button key="rename" type="link" size="small" onClick={() => setRenaming(true)}>
                  {t('staff.teams.rename')}
                </Button>,
                team.active ? (
                  <Popconfirm
                    key="disband"
                    title={t('staff.teams.disbandConfirm', { name: team.name })}
                    onConfirm={() =>
                      update
                        .mutateAsync({ active: false })
                        .then(() => void message.success(t('staff.teams.disbanded')))
                        .catch(fail)
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('staff.teams.disband')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button
                    key="restore"
                    type="link"
                    size="small"
                    onClick={() =>
                      update
                        .mutateAsync({ active: true })
                        .then(() => void message.success(t('staff.teams.restored')))
                        .catch(fail)
                    }
                  >
                    {t('staff.teams.restore')}
                  </Button>
                ),
              ]
            : undefined
        }
      >
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">
            {t('staff.teams.region')}：{team.regionName} ·{' '}
            {team.leader ? `${t('staff.teams.leader')}：${team.leader.name}` : t('staff.teams.noLeader')} ·{' '}
            {t('staff.teams.count', { count: team.members.length })}
          </Typography.Text>
          <List
            size="small"
            dataSource={team.members}
            locale={{ emptyText: t('staff.teams.noMembers') }}
            renderItem={(p) => (
              <List.Item
                actions={
                  writable
                    ? [
                        ...(p.leader || !team.active || !p.active
                          ? []
                          : [
                              <Button
                                key="lead"
                                size="small"
                                type="link"
                                onClick={() =>
                                  lead
                                    .mutateAsync({ memberId: p.memberId, leader: true })
                                    .then(
                                      () =>
                                        void message.success(t('staff.teams.leaderSet', { name: p.name })),
                                    )
                                    .catch(fail)
                                }
                              >
                                {t('staff.teams.makeLeader')}
                              </Button>,
                            ]),
                        <Popconfirm
                          key="remove"
                          title={t('staff.teams.removeConfirm', { name: p.name, team: team.name })}
                          onConfirm={() =>
                            remove
                              .mutateAsync(p.memberId)
                              .then(() => void message.success(t('staff.teams.removed')))
                              .catch(fail)
                          }
                        >
                          <Button
                            size="small"
                            type="link"
                            danger
                            aria-label={`${t('staff.teams.remove')} ${p.name}`}
                          >
                            {t('staff.teams.remove')}
                          </Button>
                        </Popconfirm>,
                      ]
                    : undefined
                }
              >
                <Flex gap={8} align="center" wrap>
                  <Link to={memberHref(p.memberId)}>{p.name}</Link>
                  {p.leader && <Tag color="gold">{t('staff.teams.leader')}</Tag>}
                  {!p.active && <Tag>{t('staff.teams.memberInactive')}</Tag>}
                  <RoleTags roles={p.roles} />
                  <span className={styles.mono}>{p.mobile}</span>
                </Flex>
              </List.Item>
            )}
          />
        </Flex>
      </Card>
      {adding && <AddMemberModal team={team} onClose={() => setAdding(false)} />}
      {renaming && <RenameModal team={team} onClose={() => setRenaming(false)} />}
    </section>
  );
}

export function TeamsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const regionId = useStaffRegionId();
  const [all, setAll] = useState(false);
  const teams = useTeams(regionId, all);
  const writable = me.capabilities.includes('staff.write');
  const [creating, setCreating] = useState(false);
  return (
    <Flex vertical gap={16}>
      <StaffHeader
        section="teams"
        title={t('staff.teams.title')}
        regionId={regionId}
        actions={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('staff.teams.add')}
            </Button>
          )
        }
      />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('staff.teams.hint')}</Typography.Text>
        <label>
          <Flex gap={8} align="center">
            <Switch size="small" checked={all} onChange={setAll} />
            {t('staff.teams.showDisbanded')}
          </Flex>
        </label>
      </Flex>
      {teams.isPending ? (
        <Skeleton active />
      ) : teams.isError ? (
        <Typography.Text type="danger">{teams.error.message}</Typography.Text>
      ) : teams.data.length === 0 ? (
        <Card variant="borderless">
          <Empty description={t('staff.teams.empty')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {teams.data.map((team) => (
            <Col key={team.id} xs={24} xl={12}>
              <TeamCard team={team} writable={writable} />
            </Col>
          ))}
        </Row>
      )}
      {creating && <CreateTeamModal regionId={regionId} onClose={() => setCreating(false)} />}
    </Flex>
  );
}
