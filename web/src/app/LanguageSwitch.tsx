// Header button switching the UI (and the server's messages) between 中文 and English.
import { GlobalOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from './i18n.ts';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const onClick = async () => {
    await changeLanguage(currentLanguage() === 'en' ? 'zh-CN' : 'en');
    // Server texts (error details) follow Accept-Language, so fetch them again in the new language.
    await queryClient.invalidateQueries();
  };
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      onClick={() => void onClick()}
      aria-label={t('common.switchLanguage')}
      title={t('common.switchLanguageHint')}
      style={{ color: 'inherit' }}
    >
      {t('common.switchLanguage')}
    </Button>
  );
}
