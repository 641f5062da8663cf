// Left navigation: region search on top; below it, search hits while searching, else the region tree.
// On the ledger and colour-rules pages the tree picks the region of that page instead of opening it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatch, useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { RegionSearch } from './RegionSearch.tsx';
import { RegionTree } from './RegionTree.tsx';
import { parseRegionId, useRegion } from './regionApi.ts';
import styles from './RegionSider.module.css';

export function RegionSider() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [search, setSearch] = useState('');
  const regionPage = useMatch('/regions/:id/*');
  const rulesPage = useMatch('/regions/:id/colour-rules');
  const ledgerPage = useMatch('/ledger');
  const [params] = useSearchParams();
  const currentId = ledgerPage
    ? (parseRegionId(params.get('regionId') ?? undefined) ?? me.region.id)
    : parseRegionId(regionPage?.params.id);
  const hrefFor = (id: number): string => {
    if (rulesPage) return `/regions/${id}/colour-rules`;
    if (!ledgerPage) return `/regions/${id}`;
    // Keep the ledger's filters, change the region, start again at page 1.
    const next = new URLSearchParams(params);
    next.set('regionId', String(id));
    next.delete('page');
    return `/ledger?${next.toString()}`;
  };
  const region = useRegion(currentId);
  const current = region.data ? { id: region.data.id, ancestors: region.data.ancestors } : undefined;
  return (
    <nav aria-label={t('regions.sider')} className={styles.sider}>
      <div className={styles.search}>
        <RegionSearch value={search} onChange={setSearch} />
      </div>
      <div className={styles.tree} hidden={search.trim().length > 0}>
        <RegionTree key={me.region.id} root={me.region} current={current} hrefFor={hrefFor} />
      </div>
    </nav>
  );
}
