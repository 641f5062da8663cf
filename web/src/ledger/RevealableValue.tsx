// A masked value with a 查看 button; once revealed, the full value and a note that the view was logged.
import { EyeOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import styles from './ledger.module.css';

type Props = {
  masked: string;
  revealed: string | undefined;
  canReveal: boolean;
  label: string;
  onReveal: () => void;
};

export function RevealableValue({ masked, revealed, canReveal, label, onReveal }: Props) {
  const { t } = useTranslation();
  if (revealed !== undefined) {
    return (
      <Flex vertical gap={2}>
        <Typography.Text className={`${styles.mono} ${styles.revealed}`} copyable>
          {revealed || t('reveal.empty')}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }} role="status">
          <SafetyCertificateOutlined /> {t('reveal.logged')}
        </Typography.Text>
      </Flex>
    );
  }
  return (
    <Flex align="center" gap={8} wrap>
      <span className={styles.mono}>{masked}</span>
      {canReveal && (
        <Button
          size="small"
          type="link"
          icon={<EyeOutlined />}
          onClick={onReveal}
          aria-label={`${t('reveal.button')} ${label}`}
        >
          {t('reveal.button')}
        </Button>
      )}
    </Flex>
  );
}
