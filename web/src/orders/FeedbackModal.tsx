// The operator's call-back (回访) on a resolved order: solved with a rating, or not solved (reopens it).
import { Form, Input, Radio, Rate } from 'antd';
import { useTranslation } from 'react-i18next';
import { OrderFormModal } from './OrderFormModal.tsx';
import { useFeedback } from './ordersApi.ts';

type Values = { solved: boolean; rating?: number; comment?: string };

export function FeedbackModal({ orderId, onClose }: { orderId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  return (
    <OrderFormModal<Values>
      title={t('orders.feedback.title', { id: orderId })}
      okText={t('orders.feedback.submit')}
      form={form}
      initialValues={{ solved: true, rating: 5 }}
      pending={feedback.isPending}
      onClose={onClose}
      onSubmit={async (v) => {
        await feedback.mutateAsync({
          id: orderId,
          solved: v.solved,
          rating: v.rating ?? null,
          comment: v.comment?.trim() || undefined,
        });
      }}
    >
      <Form.Item name="solved">
        <Radio.Group
          options={[
            { value: true, label: t('orders.feedback.solved') },
            { value: false, label: t('orders.feedback.notSolved') },
          ]}
        />
      </Form.Item>
      <Form.Item name="rating" label={t('orders.feedback.rating')}>
        <Rate />
      </Form.Item>
      <Form.Item name="comment" label={t('orders.feedback.comment')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </OrderFormModal>
  );
}
