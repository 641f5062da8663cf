// The county's pairing settings on the coverage page: capacities per role, the hotline printed on
// the cards and which of the county's categories make a resident key (besides red and yellow);
// editable with pairing.write, read-only otherwise.
import { useEffect } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Select, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../auth/currentUser.ts';
import { useCategoryLabels } from '../ledger/categories.ts';
import { useSaveSettings, useSettings, type PairingSettings } from './pairingApi.ts';

type Values = Pick<
  PairingSettings,
  'helpCapacity' | 'healthCapacity' | 'livelihoodCapacity' | 'keyCategories'
> & {
  hotline: string;
};

export function SettingsCard({ regionId }: { regionId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const editable = me.capabilities.includes('pairing.write');
  const settings = useSettings(regionId, true);
  const save = useSaveSettings(regionId);
  const categories = useCategoryLabels(regionId);
  const [form] = Form.useForm<Values>();
  const data = settings.data;
  useEffect(() => {
    if (data) form.setFieldsValue({ ...data, hotline: data.hotline ?? '' });
  }, [data, form]);
  const submit = (v: Values) =>
    save.mutate(
      { ...v, hotline: v.hotline.trim() || null },
      { onSuccess: () => void message.success(t('pairing.saved')) },
    );
  return (
    <section aria-label={t('pairing.settings')}>
      <Card variant="borderless" title={t('pairing.settings')}>
        {settings.isPending ? (
          <Skeleton active />
        ) : settings.isError ? (
          <Typography.Text type="danger">{settings.error.message}</Typography.Text>
        ) : (
          <Form<Values> form={form} layout="vertical" disabled={!editable} onFinish={submit}>
            {(['helpCapacity', 'healthCapacity', 'livelihoodCapacity'] as const).map((key) => (
              <Form.Item key={key} name={key} label={t(`pairing.${key}`)} rules={[{ required: true }]}>
                <InputNumber min={1} max={key === 'helpCapacity' ? 1000 : 100000} precision={0} />
              </Form.Item>
            ))}
            <Form.Item name="hotline" label={t('pairing.hotline')}>
              <Input maxLength={30} placeholder={t('pairing.hotlinePlaceholder')} />
            </Form.Item>
            <Form.Item
              name="keyCategories"
              label={t('pairing.keyCategories')}
              extra={t('pairing.keyCategoriesHint')}
            >
              <Select<string[]>
                mode="multiple"
                allowClear
                placeholder={t('pairing.keyCategoriesPlaceholder')}
                // A code no longer in the county's list still shows (by its code) so it can be removed.
                options={[
                  ...categories.options,
                  ...(data?.keyCategories ?? [])
                    .filter((code) => !categories.options.some((o) => o.value === code))
                    .map((code) => ({ value: code, label: categories.label(code) })),
                ]}
                showSearch={{ optionFilterProp: 'label' }}
                maxCount={50}
              />
            </Form.Item>
            {save.isError && <Typography.Text type="danger">{save.error.message}</Typography.Text>}
            {editable && (
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('pairing.save')}
              </Button>
            )}
          </Form>
        )}
      </Card>
    </section>
  );
}
