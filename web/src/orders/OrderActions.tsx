// The buttons that move an order (accept, start, resolve, return, dispatch, hold, cancel, …): one
// tap for the simple ones, a few words first for those that need them, a picker for dispatch.
import { useState } from 'react';
import { App, Button, Flex, Form, Input, Modal } from 'antd';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { DispatchModal } from './DispatchModal.tsx';
import { FeedbackModal } from './FeedbackModal.tsx';
import { NOTE_EVENTS } from './orderUi.tsx';
import { useTransition } from './ordersApi.ts';
import type { OrderEvent } from './types.ts';

type Props = {
  orderId: number;
  events: (OrderEvent | 'feedback')[];
  /** Phone-sized: large full-width buttons. */
  large?: boolean;
};

const PRIMARY: ReadonlySet<string> = new Set([
  'accept',
  'start',
  'resolve',
  'dispatch',
  'resume',
  'feedback',
]);
const DANGER: ReadonlySet<string> = new Set(['return', 'cancel', 'fail']);

export function OrderActions({ orderId, events, large }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const transition = useTransition();
  const [noting, setNoting] = useState<OrderEvent | null>(null);
  const [dispatching, setDispatching] = useState(false);
  const [feedback, setFeedback] = useState(false);
  const [form] = Form.useForm<{ note?: string }>();

  const run = async (event: OrderEvent, note?: string) => {
    try {
      await transition.mutateAsync({ id: orderId, event, note: note?.trim() || null });
      message.success(t('orders.done'));
      return true;
    } catch (error) {
      message.error(t('orders.failed', { message: (error as Error).message }));
      return false;
    }
  };

  const onClick = (event: OrderEvent | 'feedback') => {
    if (event === 'feedback') return setFeedback(true);
    if (event === 'dispatch') return setDispatching(true);
    if (NOTE_EVENTS[event]) {
      form.resetFields();
      return setNoting(event);
    }
    void run(event);
  };

  const size: ButtonProps['size'] = large ? 'large' : 'middle';
  const noteRule = noting ? NOTE_EVENTS[noting] : undefined;
  return (
    <>
      <Flex gap={8} wrap vertical={large} role="group" aria-label={t('orders.order.actions')}>
        {events.map((event) => (
          <Button
            key={event}
            size={size}
            block={large}
            type={PRIMARY.has(event) ? 'primary' : 'default'}
            danger={DANGER.has(event)}
            loading={transition.isPending && transition.variables?.event === event}
            onClick={() => onClick(event)}
          >
            {t(`orders.event.${event}`)}
          </Button>
        ))}
      </Flex>
      <Modal
        open={noting !== null}
        title={noting ? `${t(`orders.event.${noting}`)} · #${orderId}` : ''}
        okText={t('orders.note.submit')}
        confirmLoading={transition.isPending}
        onCancel={() => setNoting(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={async ({ note }) => {
            if (noting && (await run(noting, note))) setNoting(null);
          }}
        >
          <Form.Item
            name="note"
            label={noting ? t(`orders.note.${noting as 'resolve'}`) : ''}
            rules={
              noteRule?.required
                ? [{ required: true, whitespace: true, message: t('orders.note.required') }]
                : []
            }
          >
            <Input.TextArea
              rows={3}
              maxLength={500}
              autoFocus
              placeholder={
                noting === 'resolve'
                  ? t('orders.note.resolvePlaceholder')
                  : noting === 'return'
                    ? t('orders.note.returnPlaceholder')
                    : undefined
              }
            />
          </Form.Item>
        </Form>
      </Modal>
      {dispatching && <DispatchModal orderId={orderId} onClose={() => setDispatching(false)} />}
      {feedback && <FeedbackModal orderId={orderId} onClose={() => setFeedback(false)} />}
    </>
  );
}
