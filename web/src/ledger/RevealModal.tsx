// Small modal asking why a full ID number or phone is needed; the reveal (and its reason) is audited.
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useReveal } from './ledgerApi.ts';
import type { RevealField, Revealed } from './types.ts';

type Props = {
  residentId: number;
  field: RevealField | null;
  onClose: () => void;
  onRevealed: (value: Revealed) => void;
};

export function RevealModal({ residentId, field, onClose, onRevealed }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useReveal(residentId);
  const label = field === 'phones' ? t('resident.phones') : t('resident.idNumber');

  const submit = async () => {
    if (!field) return;
    const { reason } = await form.validateFields();
    const value = await reveal.mutateAsync({ field, reason: reason.trim() });
    onRevealed(value);
    onClose();
  };

  return (
    <Modal
      open={field !== null}
      title={t('reveal.title', { field: label })}
      okText={t('reveal.submit')}
      cancelText={t('residentForm.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={reveal.isPending}
      destroyOnHidden
      afterClose={() => reveal.reset()}
      width={440}
    >
      <Alert type="info" showIcon title={t('reveal.hint')} style={{ marginBottom: 16 }} />
      {reveal.isError && (
        <Alert type="error" showIcon title={reveal.error.message} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        preserve={false}
        onFinish={() => void submit()}
      >
        <Form.Item
          name="reason"
          label={t('reveal.reason')}
          rules={[{ required: true, whitespace: true, message: t('reveal.reasonRequired') }]}
        >
          <Input placeholder={t('reveal.reasonPlaceholder')} maxLength={200} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
