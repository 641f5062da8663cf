// The dialog every order form shares (派单, 回访, 代群众下单): a form in a modal whose OK submits it;
// on success a message and the dialog closes, on failure the server's message and it stays open.
import type { ReactNode } from 'react';
import { App, Form, Modal } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';

type Props<V> = {
  title: ReactNode;
  okText: string;
  form: FormInstance<V>;
  initialValues: Partial<V>;
  pending: boolean;
  onClose: () => void;
  /** Sends the values; answers the success message to show (the default: 已完成). */
  onSubmit: (values: V) => Promise<string | void>;
  children: ReactNode;
};

export function OrderFormModal<V>({
  title,
  okText,
  form,
  initialValues,
  pending,
  onClose,
  onSubmit,
  children,
}: Props<V>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Modal
      open
      title={title}
      okText={okText}
      confirmLoading={pending}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<V>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={async (values) => {
          try {
            message.success((await onSubmit(values)) ?? t('orders.done'));
            onClose();
          } catch (error) {
            message.error(t('orders.failed', { message: (error as Error).message }));
          }
        }}
      >
        {children}
      </Form>
    </Modal>
  );
}
