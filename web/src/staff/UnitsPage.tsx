// The /staff/units?regionId=N page (单位与党组织): the tree of work units usable in a region — its own
// and, read-only, those of the regions above it — each with its party organisation and that
// organisation's contact; units are added (also under another) and edited in a drawer.
import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { FormDrawer } from '../app/FormDrawer.tsx';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { placeErrors } from '../app/formErrors.ts';
import { RegionSelect } from './RegionSelect.tsx';
import { StaffHeader, useStaffRegionId } from './StaffHeader.tsx';
import { useSaveUnit, useUnits, type Unit, type UnitInput } from './staffApi.ts';
import styles from './staff.module.css';

type Row = Unit & { children?: Row[] };

/** The units as a tree: a unit whose parent is not listed (or has none) is a root. */
function treeOf(units: Unit[]): Row[] {
  const byId = new Map<number, Row>(units.map((u) => [u.id, { ...u }]));
  const roots: Row[] = [];
  for (const row of byId.values()) {
    const parent = row.parentId === null ? undefined : byId.get(row.parentId);
    if (parent) (parent.children ??= []).push(row);
    else roots.push(row);
  }
  return roots;
}

type Values = {
  name: string;
  regionId: number | null;
  parentId: number | null;
  partyOrgName: string;
  partyOrgContact: string;
  partyOrgMobile: string;
};

const FIELDS = ['name', 'regionId', 'parentId', 'partyOrgName', 'partyOrgContact', 'partyOrgMobile'];
const BY_CODE = { 'staff.unit_name_taken': 'name', 'staff.unit_cycle': 'parentId' };

type Editing = { unit?: Unit; parentId?: number | null };

function UnitDrawer({
  editing,
  regionId,
  units,
  onClose,
}: {
  editing: Editing;
  regionId: number;
  units: Unit[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { unit } = editing;
  const save = useSaveUnit(unit?.id);
  const [problem, setProblem] = useState<string[]>([]);
  const text = (s: string | undefined) => s?.trim() || null;
  const initial: Values = {
    name: unit?.name ?? '',
    regionId: unit?.regionId ?? regionId,
    parentId: unit ? unit.parentId : (editing.parentId ?? null),
    partyOrgName: unit?.partyOrgName ?? '',
    partyOrgContact: unit?.partyOrgContact ?? '',
    partyOrgMobile: unit?.partyOrgMobile ?? '',
  };
  const onFinish = (v: Values) => {
    setProblem([]);
    const body: Partial<UnitInput> = {
      name: v.name ?? '',
      parentId: v.parentId ?? null,
      partyOrgName: text(v.partyOrgName),
      partyOrgContact: text(v.partyOrgContact),
      partyOrgMobile: text(v.partyOrgMobile),
      ...(unit ? {} : { regionId: v.regionId ?? regionId }),
    };
    save.mutate(body, {
      onSuccess: (saved) => {
        void message.success(
          unit ? t('staff.units.form.saved') : t('staff.units.form.created', { name: saved.name }),
        );
        onClose();
      },
      onError: (error) => setProblem(placeErrors(form, error, FIELDS, BY_CODE, t('staff.form.fixErrors'))),
    });
  };
  return (
    <FormDrawer
      title={unit ? t('staff.units.form.editTitle', { name: unit.name }) : t('staff.units.form.addTitle')}
      width={520}
      saving={save.isPending}
      problems={problem}
      onClose={onClose}
      onSave={() => form.submit()}
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={onFinish}>
        <Form.Item name="name" label={t('staff.units.form.name')} required>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        {!unit && (
          <Form.Item name="regionId" label={t('staff.units.form.region')} required>
            <RegionSelect />
          </Form.Item>
        )}
        <Form.Item name="parentId" label={t('staff.units.form.parent')}>
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('staff.units.form.parentPlaceholder')}
            options={units
              .filter((u) => u.id !== unit?.id)
              .map((u) => ({ value: u.id, label: `${u.name}（${u.regionName}）` }))}
          />
        </Form.Item>
        <Form.Item name="partyOrgName" label={t('staff.units.form.partyOrgName')}>
          <Input maxLength={100} placeholder={t('staff.units.form.partyOrgNamePlaceholder')} />
        </Form.Item>
        <Form.Item name="partyOrgContact" label={t('staff.units.form.partyOrgContact')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="partyOrgMobile"
          label={t('staff.units.form.partyOrgMobile')}
          extra={t('staff.units.form.partyOrgMobileHint')}
        >
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

export function UnitsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const regionId = useStaffRegionId();
  const units = useUnits(regionId);
  const writable = me.capabilities.includes('staff.write');
  const [editing, setEditing] = useState<Editing | null>(null);
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  const columns: TableColumnsType<Row> = [
    {
      title: t('staff.units.col.name'),
      dataIndex: 'name',
      render: (_: string, u) => (
        <Flex gap={6} align="center" wrap>
          <Typography.Text strong>{u.name}</Typography.Text>
          {!u.editable && (
            <Tooltip title={t('staff.units.aboveHint')}>
              <Tag>{t('staff.units.above')}</Tag>
            </Tooltip>
          )}
        </Flex>
      ),
    },
    { title: t('staff.units.col.region'), dataIndex: 'regionName', responsive: ['md'] },
    {
      title: t('staff.units.col.partyOrg'),
      dataIndex: 'partyOrgName',
      render: (v: string | null) => v ?? none,
    },
    {
      title: t('staff.units.col.contact'),
      dataIndex: 'partyOrgContact',
      responsive: ['sm'],
      render: (v: string | null) => v ?? none,
    },
    {
      title: t('staff.units.col.mobile'),
      dataIndex: 'partyOrgMobile',
      render: (v: string | null) => (v ? <span className={styles.mono}>{v}</span> : none),
    },
    {
      title: t('staff.units.col.actions'),
      key: 'actions',
      render: (_: unknown, u) => (
        <Flex gap={4} wrap>
          <Link to={`/staff?regionId=${regionId}&unitId=${u.id}`} style={{ padding: '0 8px' }}>
            {t('staff.units.members')}
          </Link>
          {writable && u.editable && (
            <Button
              size="small"
              onClick={() => setEditing({ unit: u })}
              aria-label={`${t('staff.units.edit')} ${u.name}`}
            >
              {t('staff.units.edit')}
            </Button>
          )}
          {writable && (
            <Button size="small" onClick={() => setEditing({ parentId: u.id })}>
              {t('staff.units.addChild')}
            </Button>
          )}
        </Flex>
      ),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <StaffHeader
        section="units"
        title={t('staff.units.title')}
        regionId={regionId}
        actions={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
              {t('staff.units.add')}
            </Button>
          )
        }
      />
      <Typography.Text type="secondary">{t('staff.units.hint')}</Typography.Text>
      <Card variant="borderless" size="small">
        {units.isError ? (
          <Typography.Text type="danger">{units.error.message}</Typography.Text>
        ) : (
          <Table<Row>
            key={units.dataUpdatedAt}
            aria-label={t('staff.units.table')}
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={treeOf(units.data ?? [])}
            loading={units.isPending}
            expandable={{ defaultExpandAllRows: true }}
            pagination={false}
            locale={{ emptyText: t('staff.units.empty') }}
          />
        )}
      </Card>
      {editing && (
        <UnitDrawer
          editing={editing}
          regionId={regionId}
          units={units.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}
