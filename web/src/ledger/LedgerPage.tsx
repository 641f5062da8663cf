// The /ledger page (台账): filters and the resident table, all state in the URL so a link reproduces it.
import { Breadcrumb, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { useRegion } from '../regions/regionApi.ts';
import { useCategoryLabels } from './categories.ts';
import { LedgerFilters } from './LedgerFilters.tsx';
import { ledgerHref } from './ledgerQuery.ts';
import { useResidents } from './ledgerApi.ts';
import { ResidentTable } from './ResidentTable.tsx';
import { useLedgerQuery } from './useLedgerQuery.ts';
import styles from './ledger.module.css';

function LedgerHeading({ regionId }: { regionId: number }) {
  const { t } = useTranslation();
  const region = useRegion(regionId);
  const trail = region.data
    ? [
        ...region.data.ancestors
          .filter((a) => a.id !== regionId)
          .map((a) => ({ key: a.id, title: <Link to={ledgerHref(a.id)}>{a.name}</Link> })),
        { key: regionId, title: region.data.name },
      ]
    : [];
  return (
    <header>
      <Breadcrumb items={trail} />
      <Typography.Title level={3} className={styles.title} style={{ marginTop: 12 }}>
        {t('ledger.title')}
        {region.data && (
          <Typography.Text type="secondary" style={{ fontSize: 16, fontWeight: 400, marginInlineStart: 12 }}>
            {region.data.name}
          </Typography.Text>
        )}
      </Typography.Title>
    </header>
  );
}

export function LedgerPage() {
  const me = useCurrentUser();
  const { query, setFilters, setView, reset } = useLedgerQuery(me.region.id);
  const regionId = query.regionId ?? me.region.id;
  const residents = useResidents(query);
  const categories = useCategoryLabels(regionId);
  return (
    <Flex vertical gap={16}>
      <LedgerHeading regionId={regionId} />
      <LedgerFilters
        query={{ ...query, regionId }}
        categories={categories}
        onChange={setFilters}
        onReset={reset}
      />
      <div className={styles.tableCard}>
        <ResidentTable
          query={query}
          data={residents.data}
          loading={residents.isFetching}
          error={residents.error}
          labels={categories.label}
          onChange={setView}
        />
      </div>
    </Flex>
  );
}
