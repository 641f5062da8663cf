// The /login page: branded panel with the sign-in form; a signed-in visitor goes straight to their home page.
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { Brand } from '../app/Brand.tsx';
import { LanguageSwitch } from '../app/LanguageSwitch.tsx';
import { PageLoading } from '../app/PageLoading.tsx';
import { LoginForm } from './LoginForm.tsx';
import { useMe } from './useMe.ts';
import styles from './LoginPage.module.css';

export function LoginPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <PageLoading fullScreen />;
  if (me.data) return <Navigate to="/" replace />;
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <Brand />
        <LanguageSwitch />
      </header>
      <main className={styles.main}>
        <section className={styles.intro}>
          <Typography.Title level={1} className={styles.introTitle}>
            {t('app.name')} · {t('app.subtitle')}
          </Typography.Title>
          <Typography.Paragraph className={styles.introText}>{t('auth.tagline')}</Typography.Paragraph>
        </section>
        <Card className={styles.card} title={t('auth.title')}>
          <LoginForm />
        </Card>
      </main>
      <Flex component="footer" justify="center" className={styles.footer}>
        {t('app.footer')}
      </Flex>
    </div>
  );
}
