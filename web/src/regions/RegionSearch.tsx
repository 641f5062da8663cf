// Region search box for the sider: debounced GET /api/regions/search, hits shown with their trail.
import { SearchOutlined } from '@ant-design/icons';
import { Empty, Input, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDebounced } from '../app/useDebounced.ts';
import type { RegionHit } from '../app/types.ts';
import { LevelTag } from './LevelTag.tsx';
import { useRegionSearch } from './regionApi.ts';
import styles from './RegionSider.module.css';

function SearchHit({ hit, onOpen }: { hit: RegionHit; onOpen: () => void }) {
  return (
    <li className={styles.hit}>
      <Link to={`/regions/${hit.id}`} onClick={onOpen} className={styles.hitLink}>
        <span className={styles.hitName}>{hit.name}</span>
        <LevelTag level={hit.level} />
        <Typography.Text type="secondary" className={styles.hitTrail}>
          {hit.trail}
        </Typography.Text>
      </Link>
    </li>
  );
}

function SearchHits({ q, onOpen }: { q: string; onOpen: () => void }) {
  const { t } = useTranslation();
  const search = useRegionSearch(q);
  if (search.isPending)
    return <Spin size="small" description={t('regions.searching')} className={styles.searching} />;
  if (search.isError) return <Typography.Text type="danger">{search.error.message}</Typography.Text>;
  if (search.data.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('regions.noHits')} />;
  return (
    <ul aria-label={t('regions.hits')} className={styles.hits}>
      {search.data.map((hit) => (
        <SearchHit key={hit.id} hit={hit} onOpen={onOpen} />
      ))}
    </ul>
  );
}

type Props = { value: string; onChange: (value: string) => void };

export function RegionSearch({ value, onChange }: Props) {
  const { t } = useTranslation();
  const q = useDebounced(value.trim(), 250);
  return (
    <>
      <Input
        aria-label={t('regions.searchLabel')}
        placeholder={t('regions.searchPlaceholder')}
        prefix={<SearchOutlined />}
        allowClear
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {value.trim() && q && <SearchHits q={q} onOpen={() => onChange('')} />}
    </>
  );
}
