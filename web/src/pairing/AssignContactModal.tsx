// Assigning one of a resident's three contacts by hand (it ends whoever held it): a member of the
// resident's township who can fill the role, chosen by name or mobile, and an optional reason.
import { useState } from 'react';
import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../app/useDebounced.ts';
import { useRegion } from '../regions/regionApi.ts';
import { useAssignContact, useMemberOptions, type ContactRole } from './pairingApi.ts';

type Props = { residentId: number; gridId: number; role: ContactRole | null; onClose: () => void };
type Values = { memberId: number; reason?: string };

export function AssignContactModal({ residentId, gridId, role, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const grid = useRegion(gridId);
  const township = grid.data?.ancestors.find((a) => a.level === 'township')?.id ?? grid.data?.parentId;
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const options = useMemberOptions(role ? (township ?? undefined) : undefined, role ?? 'help', q);
  const assign = useAssignContact(residentId);
  const [form] = Form.useForm<Values>();
  return (
    <Modal
      open={role !== null}
      title={role ? t('pairing.assign.title', { role: t(`pairing.role.${role}`) }) : ''}
      okText={t('pairing.assign.save')}
      okButtonProps={{ loading: assign.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) =>
          role &&
          assign.mutate(
            { role, memberId: v.memberId, reason: v.reason?.trim() },
            {
              onSuccess: () => {
                void message.success(t('pairing.assign.saved'));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item
          name="memberId"
          label={t('pairing.assign.member')}
          rules={[{ required: true, message: t('pairing.assign.memberRequired') }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={options.isFetching}
            placeholder={t('pairing.assign.placeholder')}
            notFoundContent={t('pairing.assign.nobody')}
            options={(options.data ?? []).map((m) => ({
              value: m.id,
              label: `${m.name} · ${m.regionName} · ${m.mobile}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('pairing.assign.reason')}>
          <Input maxLength={200} />
        </Form.Item>
        {assign.isError && <Typography.Text type="danger">{assign.error.message}</Typography.Text>}
      </Form>
    </Modal>
  );
}
