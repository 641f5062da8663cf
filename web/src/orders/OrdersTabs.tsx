// The section's own menu: 我的工单 · 派单台 · 短信记录, each shown when the account may use it.
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';

export function OrdersTabs() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const can = (a: string) => me.capabilities.includes(a);
  const options = [
    { value: '/orders', label: t('orders.tabs.mine') },
    ...(can('order.dispatch') ? [{ value: '/orders/board', label: t('orders.tabs.board') }] : []),
    ...(can('order.config') ? [{ value: '/orders/sms', label: t('orders.tabs.sms') }] : []),
  ];
  if (options.length < 2) return null;
  return (
    <nav aria-label={t('orders.tabs.label')}>
      <Segmented
        options={options}
        value={options.some((o) => o.value === pathname) ? pathname : '/orders'}
        onChange={(value) => void navigate(String(value))}
      />
    </nav>
  );
}
