// The colour history as a timeline: when, who, from → to, and the rule or the person's reason.
import { ArrowRightOutlined } from '@ant-design/icons';
import { Card, Empty, Flex, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { COLOUR_HEX, ColourTag } from './ColourTag.tsx';
import { formatDateTime } from './format.ts';
import type { ColourChange } from './types.ts';

const SOURCES = ['rule', 'override', 'override_lifted', 'import'] as const;
type KnownSource = (typeof SOURCES)[number];
const isKnown = (s: string): s is KnownSource => (SOURCES as readonly string[]).includes(s);

/** A rule change records its ruleset as "name@version" (e.g. national-2022@1): the version, if any. */
const rulesVersion = (reason: string | null): string | undefined => /@(\d+)$/.exec(reason ?? '')?.[1];

function ChangeContent({ change }: { change: ColourChange }) {
  const { t, i18n } = useTranslation();
  const source = isKnown(change.source) ? t(`colourCard.source.${change.source}`) : change.source;
  const version = rulesVersion(change.reason);
  const why =
    change.source === 'rule'
      ? t('colourCard.rule', {
          name: version ? t('colourCard.ruleVersion', { version }) : (change.reason ?? ''),
        })
      : t('colourCard.reason', { reason: change.reason ?? '' });
  return (
    <Flex vertical gap={4}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(change.at, i18n.language)}
      </Typography.Text>
      <Flex align="center" gap={6} wrap>
        {change.from && <ColourTag colour={change.from} />}
        {change.from && <ArrowRightOutlined aria-hidden style={{ color: '#8c8c8c' }} />}
        <ColourTag colour={change.to} />
        <Typography.Text strong>{source}</Typography.Text>
      </Flex>
      <Typography.Text>{why}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('colourCard.by')}：{change.actorName ?? t('colourCard.system')}
        {change.score !== null && ` · ${t('colourCard.score')} ${change.score}`}
      </Typography.Text>
    </Flex>
  );
}

export function ColourHistory({ changes }: { changes: ColourChange[] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('colourCard.history')} variant="borderless">
      {changes.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('colourCard.noHistory')} />
      ) : (
        <Timeline
          aria-label={t('colourCard.history')}
          items={changes.map((change, i) => ({
            key: `${change.at}-${i}`,
            color: COLOUR_HEX[change.to],
            content: <ChangeContent change={change} />,
          }))}
        />
      )}
    </Card>
  );
}
