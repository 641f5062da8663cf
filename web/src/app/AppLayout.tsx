// The signed-in shell: header, region navigation in the left sider, the routed page in the content area.
import { Suspense } from 'react';
import { Layout } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { LiveOrders } from '../orders/LiveOrders.tsx';
import { RegionSider } from '../regions/RegionSider.tsx';
import { AppHeader } from './AppHeader.tsx';
import { PageLoading } from './PageLoading.tsx';
import styles from './AppLayout.module.css';

export function AppLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  return (
    <Layout className={styles.shell}>
      {me.capabilities.includes('order.read') && <LiveOrders />}
      <AppHeader />
      <Layout>
        <Layout.Sider width={280} theme="light" className={styles.sider} breakpoint="lg" collapsedWidth={0}>
          <RegionSider />
        </Layout.Sider>
        <Layout>
          <Layout.Content className={styles.content}>
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
          <Layout.Footer className={styles.footer}>{t('app.footer')}</Layout.Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
