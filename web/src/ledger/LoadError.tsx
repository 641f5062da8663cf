// What a ledger page shows when its data failed to load: the 404 page for not found, else a retry.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api.ts';
import { LedgerNotFound } from './LedgerNotFound.tsx';

type Props = { error: Error; kind: 'resident' | 'household'; onRetry: () => void };

export function LoadError({ error, kind, onRetry }: Props) {
  const { t } = useTranslation();
  if (isApiError(error) && error.status === 404) return <LedgerNotFound kind={kind} />;
  return (
    <Result
      status="error"
      title={t('common.loadFailed')}
      subTitle={error.message}
      extra={<Button onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}
