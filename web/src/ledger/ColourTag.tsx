// The 三色 mark as a solid tag (红/黄/绿), and the matching CSS colours for dots and timelines.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Colour } from './types.ts';

const TAG_COLOUR: Record<Colour, string> = { red: 'red', yellow: 'gold', green: 'green' };

/** Strong enough to read on white, for timeline dots and coloured text. */
export const COLOUR_HEX: Record<Colour, string> = { red: '#cf1322', yellow: '#d48806', green: '#389e0d' };

type Props = { colour: Colour | null | undefined; long?: boolean };

export function ColourTag({ colour, long = false }: Props) {
  const { t } = useTranslation();
  if (!colour) return <Tag variant="outlined">{t('colour.none')}</Tag>;
  return (
    <Tag color={TAG_COLOUR[colour]} variant="solid" data-colour={colour}>
      {t(long ? `colour.${colour}Long` : `colour.${colour}`)}
    </Tag>
  );
}

/** A small round swatch, used beside a colour's name in filters and radios. */
export function ColourDot({ colour }: { colour: Colour }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 10,
        height: 10,
        borderRadius: '50%',
        background: COLOUR_HEX[colour],
        marginInlineEnd: 6,
        verticalAlign: 'baseline',
      }}
    />
  );
}
