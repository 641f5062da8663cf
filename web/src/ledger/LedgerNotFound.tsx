// Friendly result for a resident or household that does not exist or lies outside the user's scope.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

export function LedgerNotFound({ kind }: { kind: 'resident' | 'household' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t(`${kind}.notFound`)}
      subTitle={t(`${kind}.notFoundHint`)}
      extra={
        <Button type="primary" onClick={() => void navigate('/ledger')}>
          {t('resident.backToLedger')}
        </Button>
      }
    />
  );
}
