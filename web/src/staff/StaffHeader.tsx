// The head of every staff page: the way back up the region tree, the title with the region's name
// and level, the section's own menu (人员名册 · 单位与党组织 · 服务小分队 · 网格 1+1+N) and actions.
import type { ReactNode } from 'react';
import { Breadcrumb, Flex, Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { parseId } from '../ledger/ledgerApi.ts';
import { LevelTag } from '../regions/LevelTag.tsx';
import { useRegion } from '../regions/regionApi.ts';
import { staffHref } from './staffApi.ts';
import styles from './staff.module.css';

export type StaffSection = '' | 'units' | 'teams' | 'staffing';

/** The region a staff page is about: ?regionId=N, else the account's own region. */
export function useStaffRegionId(): number {
  const me = useCurrentUser();
  const [params] = useSearchParams();
  return parseId(params.get('regionId')) ?? me.region.id;
}

function StaffTabs({ section, regionId }: { section: StaffSection; regionId: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const options = [
    { value: '', label: t('staff.tabs.members') },
    { value: 'units', label: t('staff.tabs.units') },
    { value: 'teams', label: t('staff.tabs.teams') },
    { value: 'staffing', label: t('staff.tabs.staffing') },
  ];
  return (
    <nav aria-label={t('staff.tabs.label')}>
      <Segmented
        options={options}
        value={section}
        onChange={(value) => void navigate(staffHref(value as StaffSection, regionId))}
      />
    </nav>
  );
}

type Props = { section: StaffSection; title: string; regionId: number; actions?: ReactNode };

export function StaffHeader({ section, title, regionId, actions }: Props) {
  const me = useCurrentUser();
  const region = useRegion(regionId);
  const line = region.data ? [...region.data.ancestors, region.data] : [];
  const trail = line.slice(
    Math.max(
      0,
      line.findIndex((a) => a.id === me.region.id),
    ),
  );
  return (
    <header>
      {trail.length > 1 && (
        <Breadcrumb
          items={trail.map((a) => ({
            key: a.id,
            title: a.id === regionId ? a.name : <Link to={staffHref(section, a.id)}>{a.name}</Link>,
          }))}
        />
      )}
      <div className={styles.header}>
        <Flex align="center" gap={12} wrap>
          <Typography.Title level={3} className={styles.title}>
            {region.data ? `${title} · ${region.data.name}` : title}
          </Typography.Title>
          {region.data && <LevelTag level={region.data.level} />}
        </Flex>
        {actions}
      </div>
      <div style={{ marginTop: 12 }}>
        <StaffTabs section={section} regionId={regionId} />
      </div>
    </header>
  );
}
