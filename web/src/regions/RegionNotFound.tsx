// Friendly result for a region that does not exist or lies outside the user's scope (the API's 404).
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';

export function RegionNotFound({ detail }: { detail?: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('region.notFound')}
      subTitle={
        <>
          <div>{t('region.notFoundHint')}</div>
          {detail && detail !== t('region.notFound') && <div>{detail}</div>}
        </>
      }
      extra={
        <Button type="primary" onClick={() => void navigate(`/regions/${me.region.id}`)}>
          {t('region.backToMine')}
        </Button>
      }
    />
  );
}
