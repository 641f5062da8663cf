// The resident's colour: the mark, the rule score, and — when a person overrode it — who decided why.
import { Alert, Card, Flex, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ColourTag } from './ColourTag.tsx';
import type { Resident } from './types.ts';

export function ColourCard({ resident: r }: { resident: Resident }) {
  const { t } = useTranslation();
  return (
    <Card title={t('colourCard.title')} variant="borderless" aria-label={t('colourCard.title')}>
      <Flex align="center" justify="space-between" gap={16} wrap>
        <div style={{ fontSize: 16 }}>
          <ColourTag colour={r.colour} long />
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6, fontSize: 12 }}>
            {r.colourOverride ? t('colourCard.overridden') : t('colourCard.byRule')}
          </Typography.Text>
        </div>
        <Statistic title={t('colourCard.score')} value={r.colourScore} suffix={t('colourCard.points')} />
      </Flex>
      {r.colourOverride && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 16 }}
          title={t('colourCard.overridden')}
          description={`${t('colourCard.overrideReason')}：${r.colourOverrideReason ?? ''}`}
        />
      )}
    </Card>
  );
}
