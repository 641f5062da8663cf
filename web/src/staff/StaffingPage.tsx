// The /staff/staffing?regionId=N page (网格 1+1+N): every grid under the region with its grid leader,
// medical worker and grid members, gaps in red, a member assigned to a role per grid (a new leader or
// medic replaces the old, and the dialog says so) or a responsibility ended; above it, who answers for
// the county, each township and village (county leader, township cadres, village secretary).
import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Result,
  Row,
  Skeleton,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../app/api.ts';
import { useCurrentUser } from '../auth/currentUser.ts';
import { LevelTag } from '../regions/LevelTag.tsx';
import { MemberPicker } from './MemberPicker.tsx';
import { StaffHeader, useStaffRegionId } from './StaffHeader.tsx';
import {
  ONE_PER_GRID,
  memberHref,
  useAssignRole,
  useEndResponsibility,
  useNodeResponsibilities,
  useStaffing,
  type GridStaffing,
  type Holder,
  type NodeDuties,
  type RegionRole,
} from './staffApi.ts';
import styles from './staff.module.css';

type Assigning = { region: { id: number; name: string }; role: RegionRole; current: Holder[] };

function AssignModal({ assigning, onClose }: { assigning: Assigning; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const assign = useAssignRole();
  const [form] = Form.useForm<{ memberId: number; fromDate: string; reason: string }>();
  const { region, role, current } = assigning;
  const roleName = t(`staff.duty.${role}`);
  const replaced = ONE_PER_GRID.has(role) ? current[0] : undefined;
  return (
    <Modal
      open
      title={t('staff.staffing.assignTitle', { region: region.name, role: roleName })}
      okText={t('staff.staffing.confirm')}
      okButtonProps={{ loading: assign.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        {replaced && (
          <Alert
            type="warning"
            showIcon
            title={t('staff.staffing.replaceWarning', { role: roleName, name: replaced.name })}
          />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            assign.mutate(
              {
                memberId: v.memberId,
                regionId: region.id,
                role,
                ...(v.fromDate ? { fromDate: v.fromDate } : {}),
                ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
              },
              {
                onSuccess: (r) => {
                  void message.success(
                    t('staff.staffing.assigned', { name: r.responsibility.memberName, role: roleName }),
                  );
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
            <MemberPicker regionId={me.region.id} exclude={current.map((h) => h.memberId)} />
          </Form.Item>
          <Form.Item
            name="fromDate"
            label={t('staff.staffing.fromDate')}
            extra={t('staff.staffing.fromDateHint')}
          >
            <Input type="date" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="reason" label={t('staff.staffing.reason')}>
            <Input maxLength={200} />
          </Form.Item>
          {assign.isError && <Typography.Text type="danger">{assign.error.message}</Typography.Text>}
        </Form>
      </Flex>
    </Modal>
  );
}

/** One holder: their name (to their page), mobile, and an end button. */
function HolderLine({ holder, role, writable }: { holder: Holder; role: RegionRole; writable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const end = useEndResponsibility();
  const roleName = t(`staff.duty.${role}`);
  return (
    <Flex gap={8} align="center" wrap>
      <Link to={memberHref(holder.memberId)}>{holder.name}</Link>
      <span className={styles.mono}>{holder.mobile}</span>
      {writable && (
        <Popconfirm
          title={t('staff.staffing.endConfirm', { name: holder.name, role: roleName })}
          onConfirm={() =>
            end
              .mutateAsync({ id: holder.responsibilityId })
              .then(() => void message.success(t('staff.staffing.ended')))
              .catch((e: Error) => void message.error(e.message))
          }
        >
          <Button
            size="small"
            type="link"
            danger
            aria-label={t('staff.staffing.endLabel', { name: holder.name, role: roleName })}
          >
            {t('staff.staffing.end')}
          </Button>
        </Popconfirm>
      )}
    </Flex>
  );
}

type CellProps = {
  region: { id: number; name: string };
  role: RegionRole;
  holders: Holder[];
  missing: string | null;
  writable: boolean;
  onAssign: (a: Assigning) => void;
};

/** A role's holders in a grid or a region, the gap in red when nobody holds it, and the assign button. */
function RoleCell({ region, role, holders, missing, writable, onAssign }: CellProps) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={4} align="start" data-role={role}>
      {holders.map((h) => (
        <HolderLine key={h.responsibilityId} holder={h} role={role} writable={writable} />
      ))}
      {missing && (
        <Typography.Text className={styles.gap} data-gap={role}>
          {missing}
        </Typography.Text>
      )}
      {writable && (
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => onAssign({ region, role, current: holders })}
          aria-label={`${region.name} ${t(`staff.staffing.assign.${role}`)}`}
        >
          {t(`staff.staffing.assign.${role}`)}
        </Button>
      )}
    </Flex>
  );
}

function Leaders({
  regionId,
  writable,
  onAssign,
}: {
  regionId: number;
  writable: boolean;
  onAssign: (a: Assigning) => void;
}) {
  const { t } = useTranslation();
  const nodes = useNodeResponsibilities(regionId, true);
  if (!nodes.data || nodes.data.nodes.length === 0) return null;
  const columns: TableColumnsType<NodeDuties> = [
    {
      title: t('staff.staffing.node'),
      dataIndex: 'name',
      render: (_: string, n) => (
        <Flex gap={6} align="center">
          <span>{n.name}</span>
          <LevelTag level={n.level} />
        </Flex>
      ),
    },
    {
      title: t('staff.staffing.role'),
      dataIndex: 'role',
      render: (_: unknown, n) => t(`staff.duty.${n.role}`),
    },
    {
      title: t('staff.staffing.holders'),
      key: 'holders',
      render: (_: unknown, n) => (
        <RoleCell
          region={n}
          role={n.role}
          holders={n.holders}
          missing={n.missing ? t('staff.staffing.lacking', { role: t(`staff.duty.${n.role}`) }) : null}
          writable={writable}
          onAssign={onAssign}
        />
      ),
    },
  ];
  return (
    <section aria-label={t('staff.staffing.leaders')}>
      <Card variant="borderless" title={t('staff.staffing.leaders')}>
        <Typography.Paragraph type="secondary">{t('staff.staffing.leadersHint')}</Typography.Paragraph>
        <Table<NodeDuties>
          aria-label={t('staff.staffing.leaders')}
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={nodes.data.nodes}
          rowClassName={(n) => (n.missing ? (styles.gapCell ?? '') : '')}
          pagination={nodes.data.nodes.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        />
      </Card>
    </section>
  );
}

export function StaffingPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const regionId = useStaffRegionId();
  const staffing = useStaffing(regionId);
  const writable = me.capabilities.includes('staff.write');
  const [assigning, setAssigning] = useState<Assigning | null>(null);
  const gapText = (role: 'grid_leader' | 'grid_medic' | 'grid_member') => t(`staff.staffing.missing.${role}`);
  const columns: TableColumnsType<GridStaffing> = [
    {
      title: t('staff.staffing.grid'),
      dataIndex: 'name',
      render: (_: string, g) => (
        <Flex vertical>
          <Typography.Text strong>{g.name}</Typography.Text>
          {g.villageName && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {g.villageName}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('staff.staffing.leader'),
      key: 'leader',
      onCell: (g) => ({ className: g.leader ? '' : styles.gapCell }),
      render: (_: unknown, g) => (
        <RoleCell
          region={g}
          role="grid_leader"
          holders={g.leader ? [g.leader] : []}
          missing={g.leader ? null : gapText('grid_leader')}
          writable={writable}
          onAssign={setAssigning}
        />
      ),
    },
    {
      title: t('staff.staffing.medic'),
      key: 'medic',
      onCell: (g) => ({ className: g.medic ? '' : styles.gapCell }),
      render: (_: unknown, g) => (
        <RoleCell
          region={g}
          role="grid_medic"
          holders={g.medic ? [g.medic] : []}
          missing={g.medic ? null : gapText('grid_medic')}
          writable={writable}
          onAssign={setAssigning}
        />
      ),
    },
    {
      title: t('staff.staffing.members'),
      key: 'members',
      onCell: (g) => ({ className: g.members.length ? '' : styles.gapCell }),
      render: (_: unknown, g) => (
        <RoleCell
          region={g}
          role="grid_member"
          holders={g.members}
          missing={g.members.length ? null : gapText('grid_member')}
          writable={writable}
          onAssign={setAssigning}
        />
      ),
    },
  ];
  const s = staffing.data?.summary;
  return (
    <Flex vertical gap={16}>
      <StaffHeader section="staffing" title={t('staff.staffing.title')} regionId={regionId} />
      <Typography.Text type="secondary">{t('staff.staffing.hint')}</Typography.Text>
      {staffing.isPending && <Skeleton active paragraph={{ rows: 6 }} />}
      {staffing.isError && (
        <Result
          status={isApiError(staffing.error) && staffing.error.status === 404 ? '404' : 'error'}
          title={t('common.loadFailed')}
          subTitle={staffing.error.message}
          extra={<Button onClick={() => void staffing.refetch()}>{t('common.retry')}</Button>}
        />
      )}
      {s && staffing.data && (
        <>
          <Card variant="borderless">
            <Row gutter={[16, 16]} role="list" aria-label={t('staff.staffing.title')}>
              {(
                [
                  ['grids', s.grids, undefined],
                  ['complete', s.complete, '#389e0d'],
                  ['withoutLeader', s.withoutLeader, s.withoutLeader ? '#cf1322' : undefined],
                  ['withoutMedic', s.withoutMedic, s.withoutMedic ? '#cf1322' : undefined],
                ] as const
              ).map(([key, value, colour]) => (
                <Col key={key} xs={12} md={6} role="listitem">
                  <Statistic
                    title={t(`staff.staffing.stat.${key}`)}
                    value={value}
                    styles={{ content: { color: colour } }}
                  />
                </Col>
              ))}
            </Row>
          </Card>
          <Leaders regionId={regionId} writable={writable} onAssign={setAssigning} />
          <section aria-label={t('staff.staffing.grids')}>
            <Card variant="borderless" title={t('staff.staffing.grids')}>
              <Table<GridStaffing>
                aria-label={t('staff.staffing.grids')}
                rowKey="id"
                size="small"
                columns={columns}
                dataSource={staffing.data.grids}
                locale={{ emptyText: t('staff.staffing.noGrids') }}
                pagination={
                  staffing.data.grids.length > 50 ? { pageSize: 50, showSizeChanger: false } : false
                }
              />
            </Card>
          </section>
        </>
      )}
      {assigning && <AssignModal assigning={assigning} onClose={() => setAssigning(null)} />}
    </Flex>
  );
}
