// Coloured tag naming a region level (县（区）/乡镇（街道）/村（社区）/网格 …).
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Level } from '../app/types.ts';

const COLOURS: Record<Level, string> = {
  province: 'magenta',
  city: 'purple',
  county: 'red',
  township: 'blue',
  village: 'cyan',
  grid: 'green',
};

export function LevelTag({ level }: { level: Level }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOURS[level]} variant="outlined">
      {t(`level.${level}`)}
    </Tag>
  );
}
