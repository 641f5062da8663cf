// Route guard: renders its child routes for a signed-in user, otherwise sends them to /login.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet } from 'react-router';
import { PageLoading } from '../app/PageLoading.tsx';
import { CurrentUserContext } from './currentUser.ts';
import { useMe } from './useMe.ts';

export function RequireAuth() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <PageLoading fullScreen />;
  if (me.isError) {
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={me.error.message}
        extra={<Button onClick={() => void me.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  if (!me.data) return <Navigate to="/login" replace />;
  return (
    <CurrentUserContext value={me.data}>
      <Outlet />
    </CurrentUserContext>
  );
}
