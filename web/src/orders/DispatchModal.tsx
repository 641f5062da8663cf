// Dispatch or re-dispatch (派单/改派) an order to a member (found by name or mobile) or to a team.
import { useState } from 'react';
import { Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { OrderFormModal } from './OrderFormModal.tsx';
import { useDebounced } from '../app/useDebounced.ts';
import { useMemberSearch, useTeams, useTransition } from './ordersApi.ts';

type Values = { to: 'member' | 'team'; memberId?: number; teamId?: number; note?: string };

export function DispatchModal({ orderId, onClose }: { orderId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const to = Form.useWatch('to', form) ?? 'member';
  const [q, setQ] = useState('');
  const debounced = useDebounced(q, 250);
  const members = useMemberSearch(debounced, to === 'member');
  const teams = useTeams(to === 'team');
  const transition = useTransition();

  return (
    <OrderFormModal<Values>
      title={t('orders.dispatch.title', { id: orderId })}
      okText={t('orders.dispatch.submit')}
      form={form}
      initialValues={{ to: 'member' }}
      pending={transition.isPending}
      onClose={onClose}
      onSubmit={async (v) => {
        await transition.mutateAsync({
          id: orderId,
          event: 'dispatch',
          ...(v.to === 'team' ? { teamId: v.teamId } : { memberId: v.memberId }),
          note: v.note?.trim() || null,
        });
      }}
    >
      <Form.Item name="to">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'member', label: t('orders.dispatch.toMember') },
            { value: 'team', label: t('orders.dispatch.toTeam') },
          ]}
        />
      </Form.Item>
      {to === 'member' ? (
        <Form.Item
          name="memberId"
          label={t('orders.dispatch.member')}
          rules={[{ required: true, message: t('orders.dispatch.pick') }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setQ }}
            placeholder={t('orders.dispatch.memberPlaceholder')}
            loading={members.isFetching}
            options={(members.data ?? []).map((m) => ({ value: m.id, label: `${m.name} ${m.mobile}` }))}
          />
        </Form.Item>
      ) : (
        <Form.Item
          name="teamId"
          label={t('orders.dispatch.teamLabel')}
          rules={[{ required: true, message: t('orders.dispatch.pick') }]}
        >
          <Select
            loading={teams.isFetching}
            options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('orders.dispatch.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </OrderFormModal>
  );
}
