// The resident's health record: underlying conditions (stable/unstable), vaccination, medication, notes.
import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Resident } from './types.ts';

function Conditions({ resident }: { resident: Resident }) {
  const { t } = useTranslation();
  if (resident.conditions.length === 0)
    return <Typography.Text type="secondary">{t('resident.noConditions')}</Typography.Text>;
  return (
    <Flex gap={6} wrap>
      {resident.conditions.map((c, i) => (
        <Tag
          key={`${c.name}-${i}`}
          color={c.state === 'unstable' ? 'error' : 'processing'}
          variant="outlined"
        >
          {c.name} · {t(`conditionState.${c.state}`)}
        </Tag>
      ))}
    </Flex>
  );
}

export function HealthCard({ resident: r }: { resident: Resident }) {
  const { t } = useTranslation();
  const none = t('resident.none');
  const items: DescriptionsProps['items'] = [
    {
      key: 'conditions',
      label: t('resident.conditions'),
      span: 'filled',
      children: <Conditions resident={r} />,
    },
    {
      key: 'vaccination',
      label: t('resident.vaccination'),
      children: t(`vaccination.${r.vaccination ?? 'unknown'}`),
    },
    { key: 'status', label: t('resident.status'), children: t(`residentStatus.${r.status}`) },
    ...(r.pregnancyDueDate
      ? [{ key: 'due', label: t('resident.pregnancyDueDate'), children: r.pregnancyDueDate }]
      : []),
    { key: 'medication', label: t('resident.medication'), span: 'filled', children: r.medication ?? none },
    { key: 'notes', label: t('resident.notes'), span: 'filled', children: r.notes ?? none },
  ];
  return (
    <Card title={t('resident.health')} variant="borderless">
      <Descriptions items={items} column={{ xs: 1, sm: 2 }} size="small" />
    </Card>
  );
}
