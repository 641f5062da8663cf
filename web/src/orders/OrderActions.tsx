// The buttons that move an order (accept, start, resolve, return, dispatch, hold, cancel, …): one
// tap for the simple ones, a few words first for those that need them (and a time for 延期: asking
// for it, or granting it), a picker for dispatch.
import { useState } from 'react';
import { App, Button, Flex, Form, Input, Modal } from 'antd';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../ledger/format.ts';
import { DispatchModal } from './DispatchModal.tsx';
import { FeedbackModal } from './FeedbackModal.tsx';
import { NOTE_EVENTS, UNTIL_EVENTS, fromShanghaiInput, toShanghaiInput } from './orderUi.tsx';
import { useTransition } from './ordersApi.ts';
import type { OrderEvent } from './types.ts';

type Props = {
  orderId: number;
  events: (OrderEvent | 'feedback')[];
  /** Phone-sized: large full-width buttons. */
  large?: boolean;
  /** For 延期: the deadline it extends, and the time a pending request asks for (if any). */
  hold?: { resolveDueAt: string; requestedUntil: string | null };
};

const PRIMARY: ReadonlySet<string> = new Set([
  'accept',
  'start',
  'resolve',
  'dispatch',
  'resume',
  'feedback',
]);
const DANGER: ReadonlySet<string> = new Set(['return', 'cancel', 'fail', 'deny_hold']);

export function OrderActions({ orderId, events, large, hold }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const transition = useTransition();
  const [noting, setNoting] = useState<OrderEvent | null>(null);
  const [dispatching, setDispatching] = useState(false);
  const [feedback, setFeedback] = useState(false);
  const [form] = Form.useForm<{ note?: string; until?: string }>();
  const pending = !!hold?.requestedUntil;
  // 'hold' answers a pending request (批准延期), or puts the order on hold unasked (延期).
  const label = (event: OrderEvent | 'feedback') =>
    event === 'hold' && pending ? t('orders.event.approve_hold') : t(`orders.event.${event}`);

  const run = async (event: OrderEvent, note?: string, until?: string) => {
    try {
      await transition.mutateAsync({
        id: orderId,
        event,
        note: note?.trim() || null,
        ...(until ? { until: fromShanghaiInput(until) } : {}),
      });
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
  // Approving a request needs no words of the dispatcher's: the assignee gave the reason.
  const noteRequired = !!noting && !!NOTE_EVENTS[noting]?.required && !(noting === 'hold' && pending);
  const withUntil = !!noting && UNTIL_EVENTS.has(noting);
  // The new time must lie after now and after the deadline it extends.
  const earliest = () => Math.max(Date.now(), hold ? new Date(hold.resolveDueAt).getTime() : 0);
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
            {label(event)}
          </Button>
        ))}
      </Flex>
      <Modal
        open={noting !== null}
        title={noting ? `${label(noting)} · #${orderId}` : ''}
        okText={t('orders.note.submit')}
        confirmLoading={transition.isPending}
        onCancel={() => setNoting(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={
            noting === 'hold' && hold?.requestedUntil ? { until: toShanghaiInput(hold.requestedUntil) } : {}
          }
          onFinish={async ({ note, until }) => {
            if (noting && (await run(noting, note, withUntil ? until : undefined))) setNoting(null);
          }}
        >
          <Form.Item
            name="note"
            label={noting ? t(`orders.note.${noting as 'resolve'}`) : ''}
            extra={noting === 'hold' && pending ? t('orders.hold.approveHint') : null}
            rules={
              noteRequired ? [{ required: true, whitespace: true, message: t('orders.note.required') }] : []
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
                    : noting === 'request_hold'
                      ? t('orders.note.request_holdPlaceholder')
                      : undefined
              }
            />
          </Form.Item>
          {withUntil && (
            <Form.Item
              name="until"
              label={t('orders.hold.until')}
              extra={
                hold
                  ? t('orders.hold.untilHint', { time: formatDateTime(hold.resolveDueAt, i18n.language) })
                  : null
              }
              rules={[
                { required: true, message: t('orders.hold.untilRequired') },
                {
                  validator: async (_, value?: string) => {
                    if (value && new Date(fromShanghaiInput(value)).getTime() <= earliest())
                      throw new Error(t('orders.hold.untilEarly'));
                  },
                },
              ]}
            >
              <Input type="datetime-local" min={toShanghaiInput(new Date(earliest()))} />
            </Form.Item>
          )}
        </Form>
      </Modal>
      {dispatching && <DispatchModal orderId={orderId} onClose={() => setDispatching(false)} />}
      {feedback && <FeedbackModal orderId={orderId} onClose={() => setFeedback(false)} />}
    </>
  );
}
