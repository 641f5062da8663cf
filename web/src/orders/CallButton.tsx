// Tap to call the resident: asks the server for the full number (audited), then hands it to the
// phone's dialer through a tel: link. Lists only ever hold masked numbers.
import { useState } from 'react';
import { PhoneOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { callResident } from './ordersApi.ts';

type Props = { orderId: number; masked: string[]; size?: ButtonProps['size']; block?: boolean };

export function CallButton({ orderId, masked, size, block }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [full, setFull] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (masked.length === 0)
    return (
      <Button size={size} block={block} icon={<PhoneOutlined />} disabled>
        {t('orders.noPhone')}
      </Button>
    );
  if (full)
    return (
      <Button size={size} block={block} icon={<PhoneOutlined />} href={`tel:${full}`} type="primary" ghost>
        {full}
      </Button>
    );
  return (
    <Button
      size={size}
      block={block}
      icon={<PhoneOutlined />}
      loading={busy}
      aria-label={`${t('orders.call')} ${masked[0]}`}
      onClick={async () => {
        setBusy(true);
        try {
          const { phones } = await callResident(orderId);
          const phone = phones[0];
          if (phone) {
            setFull(phone);
            window.location.href = `tel:${phone}`;
          }
        } catch (error) {
          message.error(t('orders.callFailed', { message: (error as Error).message }));
        } finally {
          setBusy(false);
        }
      }}
    >
      {t('orders.call')} {masked[0]}
    </Button>
  );
}
