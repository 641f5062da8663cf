// Product mark for the header and sign-in page: heart-in-grid logo, 连心 / Lianxin and the subtitle.
import { HeartFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import styles from './Brand.module.css';

export function Brand() {
  const { t } = useTranslation();
  return (
    <Link to="/" className={styles.brand} aria-label={`${t('app.name')} ${t('app.subtitle')}`}>
      <span className={styles.logo} aria-hidden>
        <HeartFilled />
      </span>
      <span className={styles.name}>{t('app.name')}</span>
      <span className={styles.divider} aria-hidden />
      <span className={styles.subtitle}>{t('app.subtitle')}</span>
    </Link>
  );
}
