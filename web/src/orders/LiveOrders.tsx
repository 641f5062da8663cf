// Live updates, mounted once in the signed-in shell: one server-sent-event stream of my console
// notifications. Each one refreshes every cached order view and, for work coming my way, pops a
// notification. The browser reconnects by itself after a network drop (sending Last-Event-ID);
// when it gives up (the server answered an error), this reconnects with a growing delay and asks
// for what came after the last notification seen, so nothing is missed. When the server says the
// session has ended (signed out elsewhere, password changed, account deactivated), the stream stops
// and the console goes back to the sign-in page, as any request answered 401 would.
import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { meKey } from '../auth/useMe.ts';
import { orderKeys } from './ordersApi.ts';
import type { Notice } from './types.ts';

const TITLES = {
  dispatched: 'newOrder',
  escalated: 'escalated',
  reminder: 'reminder',
  returned: 'returned',
  unrouted: 'unrouted',
  reopened: 'reopened',
  resolved: 'resolved',
  hold_requested: 'holdRequested',
  hold_approved: 'holdApproved',
  hold_denied: 'holdDenied',
} as const;

export function LiveOrders() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // The stream lives as long as the shell: what it calls into is read through a ref, so a language
  // switch or a navigation does not reconnect (and risk a gap).
  const show = useRef<(n: Notice) => void>(() => {});
  useEffect(() => {
    show.current = (n) =>
      notification.open({
        key: `order-notice-${n.id}`,
        type:
          n.kind === 'escalated' || n.kind === 'reopened' || n.kind === 'hold_denied' ? 'warning' : 'info',
        title: t(`orders.live.${TITLES[n.kind] ?? 'newOrder'}`),
        description: n.text,
        duration: 8,
        actions:
          n.orderId !== null ? (
            <Button type="primary" size="small" onClick={() => void navigate(`/orders/${n.orderId}`)}>
              {t('orders.live.open')}
            </Button>
          ) : undefined,
      });
  }, [navigate, notification, t]);

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** The last notification seen (or the stream's starting point); null before the first connection. */
    let lastId: number | null = null;
    let delay = 1000;
    let stopped = false;
    const refresh = () => void queryClient.invalidateQueries({ queryKey: orderKeys.all });

    const connect = () => {
      source = new EventSource(`/api/notifications/stream${lastId === null ? '' : `?after=${lastId}`}`);
      source.addEventListener('ready', (event) => {
        const id = Number((event as MessageEvent<string>).data);
        if (Number.isInteger(id)) lastId = Math.max(lastId ?? 0, id);
      });
      // (Re)connected: whatever changed while away shows now.
      source.onopen = () => {
        delay = 1000;
        refresh();
      };
      source.addEventListener('notification', (event) => {
        const e = event as MessageEvent<string>;
        lastId = Math.max(lastId ?? 0, Number(e.lastEventId) || 0);
        refresh();
        let n: Notice;
        try {
          n = JSON.parse(e.data) as Notice;
        } catch {
          return;
        }
        show.current(n);
      });
      source.addEventListener('signed-out', () => {
        stopped = true;
        source?.close();
        queryClient.setQueryData(meKey, null);
      });
      source.onerror = () => {
        if (!source || source.readyState !== EventSource.CLOSED || stopped) return;
        // The browser gave up (an error answer, not a dropped line): try again later ourselves.
        source = null;
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [queryClient]);

  return null;
}
