// Override a resident's colour by hand with a required reason, or lift an override (back to the rules).
import { Alert, App, Form, Input, Modal, Radio, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ColourDot, ColourTag } from './ColourTag.tsx';
import { useOverrideColour } from './ledgerApi.ts';
import { COLOURS, type Colour, type Resident } from './types.ts';

type Values = { colour: Colour | 'lift'; reason: string };

type Props = { resident: Resident; open: boolean; onClose: () => void };

export function OverrideModal({ resident, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const override = useOverrideColour(resident.id);

  const submit = async () => {
    const values = await form.validateFields();
    const colour = values.colour === 'lift' ? null : values.colour;
    await override.mutateAsync({ colour, reason: values.reason.trim() });
    void message.success(colour ? t('override.done') : t('override.lifted'));
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('override.title')}
      okText={t('override.submit')}
      cancelText={t('residentForm.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={override.isPending}
      destroyOnHidden
      afterClose={() => override.reset()}
      width={480}
    >
      {override.isError && (
        <Alert type="error" showIcon title={override.error.message} style={{ marginBottom: 16 }} />
      )}
      <Form<Values> form={form} layout="vertical" requiredMark={false} preserve={false}>
        <Form.Item label={t('override.current')}>
          <ColourTag colour={resident.colour} long />
        </Form.Item>
        <Form.Item
          name="colour"
          label={t('override.colour')}
          rules={[{ required: true, message: t('override.colourRequired') }]}
        >
          <Radio.Group>
            <Space orientation="vertical">
              {COLOURS.map((c) => (
                <Radio key={c} value={c}>
                  <ColourDot colour={c} />
                  {t(`colour.${c}Long`)}
                </Radio>
              ))}
              {resident.colourOverride && <Radio value="lift">{t('override.lift')}</Radio>}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('override.reason')}
          rules={[{ required: true, whitespace: true, message: t('override.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} placeholder={t('override.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
