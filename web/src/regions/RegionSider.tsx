// Left navigation: region search on top; below it, search hits while searching, else the region tree.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatch } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { RegionSearch } from './RegionSearch.tsx';
import { RegionTree } from './RegionTree.tsx';
import { parseRegionId, useRegion } from './regionApi.ts';
import styles from './RegionSider.module.css';

export function RegionSider() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [search, setSearch] = useState('');
  const match = useMatch('/regions/:id');
  const currentId = parseRegionId(match?.params.id);
  const region = useRegion(currentId);
  const current = region.data ? { id: region.data.id, ancestors: region.data.ancestors } : undefined;
  return (
    <nav aria-label={t('regions.sider')} className={styles.sider}>
      <div className={styles.search}>
        <RegionSearch value={search} onChange={setSearch} />
      </div>
      <div className={styles.tree} hidden={search.trim().length > 0}>
        <RegionTree key={me.region.id} root={me.region} current={current} />
      </div>
    </nav>
  );
}
