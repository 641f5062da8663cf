// A form in a side drawer, as every add/edit in the console is: the title, what the server refused
// (the first message as the alert's title, the rest beneath it) above the fields, and Cancel / Save
// at the foot. Full width on a phone.
import type { ReactNode } from 'react';
import { Alert, Button, Drawer, Flex, Grid } from 'antd';
import { useTranslation } from 'react-i18next';

type Props = {
  title: ReactNode;
  open?: boolean;
  /** The drawer's width on a tablet or desktop. */
  width: number;
  saving: boolean;
  /** Messages for the whole form (none: no alert). */
  problems: readonly string[];
  onClose: () => void;
  /** Usually `() => form.submit()`. */
  onSave: () => void;
  children: ReactNode;
};

export function FormDrawer({
  title,
  open = true,
  width,
  saving,
  problems,
  onClose,
  onSave,
  children,
}: Props) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={open}
      title={title}
      onClose={onClose}
      size={screens.sm ? width : '100%'}
      destroyOnHidden
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={onSave}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={problems[0]}
          description={problems.length > 1 ? problems.slice(1).join('；') : undefined}
          style={{ marginBottom: 16 }}
        />
      )}
      {children}
    </Drawer>
  );
}
