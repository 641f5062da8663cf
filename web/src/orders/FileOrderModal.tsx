// Filing an order for a resident from the console (hotline operator or visit): find the resident
// by name, phone or the last digits of the ID, pick the need and urgency, a few words. One
// idempotency key per filing, so a retry after a timeout makes one order.
import { useState } from 'react';
import { Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { OrderFormModal } from './OrderFormModal.tsx';
import { useDebounced } from '../app/useDebounced.ts';
import { useCurrentUser } from '../auth/currentUser.ts';
import { newKey } from './orderUi.tsx';
import { useFileOrder, useNeedTypes, useResidentSearch } from './ordersApi.ts';
import { URGENCIES, type Urgency } from './types.ts';

type Values = {
  residentId: number;
  needCode: string;
  urgency: Urgency;
  channel: 'hotline' | 'visit' | 'console';
  description?: string;
};

type Props = {
  onClose: () => void;
  /** 'hotline' on the board (someone phoned), 'visit' in "my orders" (a worker at the door). */
  channel?: Values['channel'];
};

export function FileOrderModal({ onClose, channel = 'hotline' }: Props) {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const [form] = Form.useForm<Values>();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q, 250);
  const residents = useResidentSearch(debounced);
  const needs = useNeedTypes(me.region.id);
  const file = useFileOrder();
  const [key] = useState(newKey);

  return (
    <OrderFormModal<Values>
      title={t('orders.file.title')}
      okText={t('orders.file.submit')}
      form={form}
      initialValues={{ urgency: 'normal', channel }}
      pending={file.isPending}
      onClose={onClose}
      onSubmit={async (v) => {
        const order = await file.mutateAsync({
          key,
          residentId: v.residentId,
          needCode: v.needCode,
          urgency: v.urgency,
          channel: v.channel,
          description: v.description?.trim() || null,
        });
        return t('orders.file.filed', { id: order.id });
      }}
    >
      <Form.Item
        name="residentId"
        label={t('orders.file.find')}
        rules={[{ required: true, message: t('orders.file.residentRequired') }]}
      >
        <Select
          showSearch={{ filterOption: false, onSearch: setQ }}
          placeholder={t('orders.file.findPlaceholder')}
          loading={residents.isFetching}
          notFoundContent={debounced.trim() ? t('orders.file.noResident') : null}
          options={(residents.data ?? []).map((r) => ({
            value: r.id,
            label: [r.name, r.idNumber, r.phones[0], r.gridName, r.address].filter(Boolean).join(' · '),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="needCode"
        label={t('orders.file.need')}
        rules={[{ required: true, message: t('orders.file.needRequired') }]}
      >
        <Select
          loading={needs.isPending}
          options={(needs.data ?? []).map((n) => ({
            value: n.code,
            label: i18n.language === 'en' ? n.nameEn : n.nameZh,
          }))}
        />
      </Form.Item>
      <Form.Item name="urgency" label={t('orders.file.urgency')}>
        <Radio.Group
          optionType="button"
          options={URGENCIES.map((u) => ({ value: u, label: t(`orders.urgency.${u}`) }))}
        />
      </Form.Item>
      <Form.Item name="channel" label={t('orders.file.channel')}>
        <Radio.Group
          options={(['hotline', 'visit', 'console'] as const).map((c) => ({
            value: c,
            label: t(`orders.channel.${c}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="description" label={t('orders.file.description')}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
    </OrderFormModal>
  );
}
