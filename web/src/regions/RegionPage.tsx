// The /regions/:id page: heading, counts below the region and its children; 404 → not found/not permitted.
import { Button, Flex, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { PageLoading } from '../app/PageLoading.tsx';
import { RegionChildrenTable } from './RegionChildrenTable.tsx';
import { RegionHeading } from './RegionHeading.tsx';
import { RegionNotFound } from './RegionNotFound.tsx';
import { RegionStats } from './RegionStats.tsx';
import { parseRegionId, useRegion } from './regionApi.ts';

export function RegionPage() {
  const { t } = useTranslation();
  const id = parseRegionId(useParams().id);
  const region = useRegion(id);
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
      <RegionHeading region={region.data} />
      <RegionStats region={region.data} />
      <RegionChildrenTable regionId={region.data.id} />
    </Flex>
  );
}
