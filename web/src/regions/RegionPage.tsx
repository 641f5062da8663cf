// The /regions/:id page: heading with ledger links, counts, survey coverage and children; 404 → not found.
import { Button, Flex, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { PageLoading } from '../app/PageLoading.tsx';
import { useCurrentUser } from '../auth/currentUser.ts';
import { RegionLedgerActions } from '../ledger/RegionLedgerActions.tsx';
import { SurveyCoverageCard } from '../ledger/SurveyCoverageCard.tsx';
import { useCoverageColumns } from '../ledger/useCoverageColumns.tsx';
import { RegionChildrenTable } from './RegionChildrenTable.tsx';
import { RegionHeading } from './RegionHeading.tsx';
import { RegionNotFound } from './RegionNotFound.tsx';
import { RegionStats } from './RegionStats.tsx';
import { parseRegionId, useRegion } from './regionApi.ts';

export function RegionPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const id = parseRegionId(useParams().id);
  const region = useRegion(id);
  const ledger = me.capabilities.includes('ledger.read');
  const coverageColumns = useCoverageColumns(region.data?.id ?? 0, ledger && region.data !== undefined);
  if (id === undefined) return <RegionNotFound />;
  if (region.isPending) return <PageLoading />;
  if (region.isError) {
    if (isApiError(region.error) && region.error.status === 404) {
      return <RegionNotFound detail={region.error.detail} />;
    }
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={region.error.message}
        extra={<Button onClick={() => void region.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  return (
    <Flex vertical gap={16}>
      <RegionHeading
        region={region.data}
        actions={<RegionLedgerActions regionId={region.data.id} level={region.data.level} />}
      />
      <RegionStats region={region.data} />
      {ledger && <SurveyCoverageCard key={region.data.id} regionId={region.data.id} />}
      <RegionChildrenTable regionId={region.data.id} extraColumns={coverageColumns} />
    </Flex>
  );
}
