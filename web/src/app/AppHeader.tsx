// The console's top band: product mark and main menu on the left; user, language and sign-out on the right.
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Flex, Layout, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../auth/currentUser.ts';
import { useSignOut } from '../auth/session.ts';
import { AppNav } from './AppNav.tsx';
import { Brand } from './Brand.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import styles from './AppLayout.module.css';

function UserBadge() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  return (
    <Flex align="center" gap={8} className={styles.user} aria-label={t('common.signedInAs')} role="group">
      <UserOutlined aria-hidden />
      <span className={styles.userName}>{me.displayName}</span>
      <Tag color="gold" variant="solid" className={styles.roleTag}>
        {t(`role.${me.role}`)}
      </Tag>
    </Flex>
  );
}

export function AppHeader() {
  const { t } = useTranslation();
  const signOut = useSignOut();
  return (
    <Layout.Header className={styles.header}>
      <Flex align="center" gap={24} className={styles.headerStart}>
        <Brand />
        <AppNav />
      </Flex>
      <Flex align="center" gap={12} className={styles.headerEnd}>
        <UserBadge />
        <LanguageSwitch />
        <Button
          type="text"
          icon={<LogoutOutlined />}
          aria-label={t('common.signOut')}
          loading={signOut.isPending}
          onClick={() => signOut.mutate()}
          style={{ color: 'inherit' }}
        >
          <span className={styles.signOutText}>{t('common.signOut')}</span>
        </Button>
      </Flex>
    </Layout.Header>
  );
}
