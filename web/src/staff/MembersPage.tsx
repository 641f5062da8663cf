// The /staff?regionId=N page (人员名册): the members serving in a region's subtree, filtered by role,
// unit, state and name or mobile on the server, paged; all state in the URL so a link reproduces it.
// Adding a member opens the form drawer; the member import page is one click away.
import { useState } from 'react';
import { ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { parseId } from '../ledger/ledgerApi.ts';
import { LevelTag } from '../regions/LevelTag.tsx';
import { MemberFormDrawer } from './MemberFormDrawer.tsx';
import { RegionSelect } from './RegionSelect.tsx';
import { RoleTags } from './RoleTags.tsx';
import { StaffHeader, useStaffRegionId } from './StaffHeader.tsx';
import {
  MEMBER_ROLES,
  PAGE_SIZES,
  memberHref,
  useMembers,
  useUnits,
  type Member,
  type MemberQuery,
  type MemberRole,
} from './staffApi.ts';
import styles from './staff.module.css';

function parseQuery(params: URLSearchParams, regionId: number): MemberQuery {
  const role = params.get('role');
  const active = params.get('active');
  const pageSize = Number(params.get('pageSize'));
  return {
    regionId,
    role: (MEMBER_ROLES as readonly string[]).includes(role ?? '') ? (role as MemberRole) : undefined,
    unitId: parseId(params.get('unitId')),
    active: active === 'true' ? true : active === 'false' ? false : undefined,
    q: params.get('q')?.trim() || undefined,
    page: parseId(params.get('page')) ?? 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : PAGE_SIZES[0],
  };
}

function toParams(q: MemberQuery): URLSearchParams {
  const out = new URLSearchParams({ regionId: String(q.regionId) });
  if (q.role) out.set('role', q.role);
  if (q.unitId) out.set('unitId', String(q.unitId));
  if (q.active !== undefined) out.set('active', String(q.active));
  if (q.q) out.set('q', q.q);
  if (q.page > 1) out.set('page', String(q.page));
  if (q.pageSize !== PAGE_SIZES[0]) out.set('pageSize', String(q.pageSize));
  return out;
}

function Filters({ query, onChange }: { query: MemberQuery; onChange: (p: Partial<MemberQuery>) => void }) {
  const { t } = useTranslation();
  const units = useUnits(query.regionId);
  const states = [
    { value: '', label: t('staff.members.stateAll') },
    { value: 'true', label: t('staff.state.active') },
    { value: 'false', label: t('staff.state.inactive') },
  ];
  return (
    <Card variant="borderless" size="small" role="search" aria-label={t('staff.members.filters')}>
      <Flex wrap gap="12px 16px" align="center">
        <div style={{ width: 200 }}>
          <RegionSelect
            ariaLabel={t('staff.members.region')}
            value={query.regionId}
            onChange={(regionId) => regionId && onChange({ regionId, unitId: undefined })}
          />
        </div>
        <Select<string>
          aria-label={t('staff.members.role')}
          value={query.role ?? ''}
          onChange={(role) => onChange({ role: (role || undefined) as MemberRole | undefined })}
          options={[
            { value: '', label: t('staff.members.roleAll') },
            ...MEMBER_ROLES.map((r) => ({ value: r, label: t(`staff.memberRole.${r}`) })),
          ]}
          style={{ width: 150 }}
        />
        <Select<number>
          aria-label={t('staff.members.unit')}
          value={query.unitId ?? 0}
          onChange={(unitId) => onChange({ unitId: unitId || undefined })}
          showSearch={{ optionFilterProp: 'label' }}
          options={[
            { value: 0, label: t('staff.members.unitAll') },
            ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
          ]}
          popupMatchSelectWidth={false}
          style={{ width: 180 }}
        />
        <Select<string>
          aria-label={t('staff.members.state')}
          value={query.active === undefined ? '' : String(query.active)}
          onChange={(v) => onChange({ active: v === '' ? undefined : v === 'true' })}
          options={states}
          style={{ width: 120 }}
        />
        <Input.Search
          key={query.q ?? ''}
          aria-label={t('staff.members.search')}
          placeholder={t('staff.members.searchPlaceholder')}
          defaultValue={query.q}
          maxLength={30}
          allowClear
          enterButton
          onSearch={(value) => onChange({ q: value.trim() || undefined })}
          style={{ width: 260 }}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => onChange({ role: undefined, unitId: undefined, active: undefined, q: undefined })}
        >
          {t('staff.members.reset')}
        </Button>
      </Flex>
    </Card>
  );
}

export function MembersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const regionId = useStaffRegionId();
  const [params, setParams] = useSearchParams();
  const query = parseQuery(params, regionId);
  const members = useMembers(query);
  const [adding, setAdding] = useState(false);
  const can = (a: string) => me.capabilities.includes(a);
  // Filters start from the address bar (a second change made mid-navigation must not undo the first).
  const latest = () => {
    const now = new URLSearchParams(window.location.search);
    return parseQuery(now, parseId(now.get('regionId')) ?? me.region.id);
  };
  const setFilters = (patch: Partial<MemberQuery>) => setParams(toParams({ ...latest(), page: 1, ...patch }));

  const columns: TableColumnsType<Member> = [
    {
      title: t('staff.members.col.name'),
      dataIndex: 'name',
      render: (_: string, m) => (
        <Link to={memberHref(m.id)} className={styles.nowrap}>
          {m.name}
        </Link>
      ),
    },
    {
      title: t('staff.members.col.roles'),
      dataIndex: 'roles',
      render: (_: unknown, m) => <RoleTags roles={m.roles} />,
    },
    {
      title: t('staff.members.col.region'),
      dataIndex: 'regionName',
      responsive: ['md'],
      render: (_: string, m) => (
        <Flex gap={4} align="center" wrap>
          <span>{m.regionName}</span>
          <LevelTag level={m.regionLevel} />
        </Flex>
      ),
    },
    {
      title: t('staff.members.col.unit'),
      dataIndex: 'unitName',
      responsive: ['lg'],
      render: (_: unknown, m) => m.unitName ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('staff.members.col.mobile'),
      dataIndex: 'mobile',
      render: (_: string, m) => <span className={styles.mono}>{m.mobile}</span>,
    },
    {
      title: t('staff.members.col.duties'),
      dataIndex: 'openResponsibilities',
      align: 'right',
      responsive: ['sm'],
    },
    {
      title: t('staff.members.col.state'),
      dataIndex: 'active',
      render: (_: unknown, m) =>
        m.active ? (
          <Tag color="green">{t('staff.state.active')}</Tag>
        ) : (
          <Tag>{t('staff.state.inactive')}</Tag>
        ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <StaffHeader
        section=""
        title={t('staff.members.title')}
        regionId={regionId}
        actions={
          <Flex gap={8} wrap>
            {can('staff.import') && (
              <Button
                icon={<ImportOutlined />}
                onClick={() => void navigate(`/pairing/members/import?regionId=${regionId}`)}
              >
                {t('staff.members.import')}
              </Button>
            )}
            {can('staff.write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                {t('staff.members.add')}
              </Button>
            )}
          </Flex>
        }
      />
      <Filters query={query} onChange={setFilters} />
      <Card variant="borderless" size="small">
        <Table<Member>
          aria-label={t('staff.members.table')}
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={members.data?.items ?? []}
          loading={members.isFetching}
          locale={{ emptyText: members.error ? members.error.message : t('staff.members.empty') }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: members.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES.map(String),
            showTotal: (count) => t('staff.members.total', { count }),
          }}
          onChange={(next) => {
            const pageSize = next.pageSize ?? query.pageSize;
            setParams(
              toParams({
                ...latest(),
                pageSize,
                page: pageSize === query.pageSize ? (next.current ?? 1) : 1,
              }),
            );
          }}
        />
      </Card>
      {adding && <MemberFormDrawer open regionId={regionId} onClose={() => setAdding(false)} />}
    </Flex>
  );
}
