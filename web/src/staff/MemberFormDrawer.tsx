// A drawer with the member form, for a new member or an existing one. The server checks the fields;
// its per-field errors (and a mobile already registered in the county) land under their fields.
import { useState } from 'react';
import { App, Form, Input, InputNumber, Select } from 'antd';
import { FormDrawer } from '../app/FormDrawer.tsx';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../app/useDebounced.ts';
import { useCurrentUser } from '../auth/currentUser.ts';
import { placeErrors } from '../app/formErrors.ts';
import { RegionSelect } from './RegionSelect.tsx';
import {
  MEMBER_ROLES,
  useAccountSearch,
  useSaveMember,
  useUnits,
  type Member,
  type MemberInput,
  type MemberRole,
} from './staffApi.ts';

type Values = {
  name: string;
  mobile: string;
  roles: MemberRole[];
  regionId: number | null;
  unitId: number | null;
  homeRegionId: number | null;
  capacity: number | null;
  accountId: number | null;
};

const FIELDS = ['name', 'mobile', 'roles', 'regionId', 'unitId', 'homeRegionId', 'capacity', 'accountId'];
const BY_CODE = { 'staff.mobile_taken': 'mobile', 'staff.account_linked': 'accountId' };

function valuesOf(m: Member | undefined, regionId: number): Values {
  return {
    name: m?.name ?? '',
    mobile: m?.mobile ?? '',
    roles: m?.roles ?? [],
    regionId: m?.regionId ?? regionId,
    unitId: m?.unitId ?? null,
    homeRegionId: m?.homeRegionId ?? null,
    capacity: m?.capacity ?? null,
    accountId: m?.accountId ?? null,
  };
}

/** What the server is sent: everything for a new member, only what changed for an edit. */
function inputOf(v: Values, before: Values, isNew: boolean): Partial<MemberInput> {
  const all: Partial<MemberInput> = {
    name: v.name ?? '',
    mobile: v.mobile ?? '',
    roles: v.roles ?? [],
    ...(v.regionId ? { regionId: v.regionId } : {}),
    unitId: v.unitId ?? null,
    homeRegionId: v.homeRegionId ?? null,
    capacity: v.capacity ?? null,
    accountId: v.accountId ?? null,
  };
  if (isNew) return all;
  const changed: Partial<MemberInput> = {};
  for (const key of Object.keys(all) as (keyof MemberInput)[]) {
    if (JSON.stringify(all[key]) !== JSON.stringify(before[key]))
      (changed as Record<string, unknown>)[key] = all[key];
  }
  return changed;
}

function AccountSelect(props: {
  id?: string;
  value?: number | null;
  onChange?: (id: number | null) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const accounts = useAccountSearch(q, true);
  const options = (accounts.data ?? []).map((a) => ({
    value: a.id,
    label: `${a.displayName}（${a.username}）· ${t(`role.${a.role}`)}`,
  }));
  if (props.value && !options.some((o) => o.value === props.value))
    options.unshift({ value: props.value, label: `#${props.value}` });
  return (
    <Select<number>
      id={props.id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={accounts.isFetching}
      placeholder={t('staff.form.accountPlaceholder')}
      options={options}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
    />
  );
}

type Props = {
  open: boolean;
  /** The member to edit; a new member when absent. */
  member?: Member;
  /** Where a new member serves unless changed. */
  regionId: number;
  onClose: () => void;
  onSaved?: (m: Member) => void;
};

export function MemberFormDrawer({ open, member, regionId, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const [form] = Form.useForm<Values>();
  const save = useSaveMember(member?.id);
  const [problem, setProblem] = useState<string[]>([]);
  const initial = valuesOf(member, regionId);
  const chosenRegion = Form.useWatch('regionId', form) ?? initial.regionId ?? regionId;
  const units = useUnits(chosenRegion);

  const onFinish = (v: Values) => {
    setProblem([]);
    save.mutate(inputOf(v, initial, !member), {
      onSuccess: (saved) => {
        void message.success(member ? t('staff.form.saved') : t('staff.form.created', { name: saved.name }));
        onSaved?.(saved);
        onClose();
      },
      onError: (error) => setProblem(placeErrors(form, error, FIELDS, BY_CODE, t('staff.form.fixErrors'))),
    });
  };

  return (
    <FormDrawer
      title={member ? t('staff.form.editTitle', { name: member.name }) : t('staff.form.addTitle')}
      open={open}
      width={560}
      saving={save.isPending}
      problems={problem}
      onClose={onClose}
      onSave={() => form.submit()}
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={onFinish}>
        <Form.Item name="name" label={t('staff.form.name')} required>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
        <Form.Item name="mobile" label={t('staff.form.mobile')} required>
          <Input maxLength={30} inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Form.Item name="roles" label={t('staff.form.roles')} required>
          <Select<MemberRole[]>
            mode="multiple"
            placeholder={t('staff.form.rolesPlaceholder')}
            options={MEMBER_ROLES.map((r) => ({ value: r, label: t(`staff.memberRole.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="regionId" label={t('staff.form.region')} extra={t('staff.form.regionHint')} required>
          <RegionSelect levels={['county', 'township', 'village', 'grid']} />
        </Form.Item>
        <Form.Item name="unitId" label={t('staff.form.unit')}>
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={units.isFetching}
            placeholder={t('staff.form.none')}
            // The units of the region itself first, then those of the regions above it.
            options={[...(units.data ?? [])]
              .sort((a, b) => Number(b.regionId === chosenRegion) - Number(a.regionId === chosenRegion))
              .map((u) => ({
                value: u.id,
                label: u.regionId === chosenRegion ? u.name : `${u.name}（${u.regionName}）`,
              }))}
          />
        </Form.Item>
        <Form.Item name="homeRegionId" label={t('staff.form.home')}>
          <RegionSelect levels={['village']} allowClear placeholder={t('staff.form.homePlaceholder')} />
        </Form.Item>
        <Form.Item name="capacity" label={t('staff.form.capacity')}>
          <InputNumber<number>
            min={0}
            max={100000}
            precision={0}
            placeholder={t('staff.form.capacityPlaceholder')}
            style={{ width: 200 }}
          />
        </Form.Item>
        {me.capabilities.includes('account.read') && (
          <Form.Item name="accountId" label={t('staff.form.account')}>
            <AccountSelect />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
