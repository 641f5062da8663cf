// Buttons on a region page leading to its ledger and (for county level and below) its colour rules.
import { BgColorsOutlined, TableOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Level } from '../app/types.ts';
import { useCurrentUser } from '../auth/currentUser.ts';
import { ledgerHref } from './ledgerQuery.ts';

/** Colour rules belong to a county: regions above it have none of their own. */
export const HAS_COUNTY: readonly Level[] = ['county', 'township', 'village', 'grid'];

export function RegionLedgerActions({ regionId, level }: { regionId: number; level: Level }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  if (!me.capabilities.includes('ledger.read')) return null;
  return (
    <Flex gap={8} wrap>
      <Button
        type="primary"
        icon={<TableOutlined />}
        title={t('ledger.openHint')}
        onClick={() => void navigate(ledgerHref(regionId))}
      >
        {t('ledger.open')}
      </Button>
      {HAS_COUNTY.includes(level) && (
        <Button
          icon={<BgColorsOutlined />}
          onClick={() => void navigate(`/regions/${regionId}/colour-rules`)}
        >
          {t('rules.title')}
        </Button>
      )}
    </Flex>
  );
}
