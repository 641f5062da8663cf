// The main menu in the header: 区域 Regions, 台账 Ledger, 三色规则 Colour rules, 导入 Import, 包联 Pairing,
// 人员 Staff, 工单 Orders — each shown when the account's capabilities allow it.
import {
  ApartmentOutlined,
  BgColorsOutlined,
  CloudUploadOutlined,
  ContactsOutlined,
  SolutionOutlined,
  TableOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Menu } from 'antd';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { ledgerHref } from '../ledger/ledgerQuery.ts';
import { parseRegionId } from '../regions/regionApi.ts';

type Section = 'regions' | 'ledger' | 'rules' | 'import' | 'pairing' | 'staff' | 'orders';

function sectionOf(pathname: string): Section | undefined {
  if (/^\/regions\/\d+\/colour-rules/.test(pathname)) return 'rules';
  if (pathname.startsWith('/regions/')) return 'regions';
  if (pathname.startsWith('/ledger/import')) return 'import';
  if (pathname.startsWith('/pairing')) return 'pairing';
  if (pathname.startsWith('/staff')) return 'staff';
  if (pathname.startsWith('/orders')) return 'orders';
  if (/^\/(ledger|residents|households)(\/|$)/.test(pathname)) return 'ledger';
  return undefined;
}

/** The region the user is looking at, so the menu's links stay in it; else their own region. */
function useCurrentRegionId(): number {
  const me = useCurrentUser();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const fromPath = /^\/regions\/(\d+)/.exec(pathname)?.[1];
  return parseRegionId(fromPath) ?? parseRegionId(params.get('regionId') ?? undefined) ?? me.region.id;
}

export function AppNav() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const { pathname } = useLocation();
  const regionId = useCurrentRegionId();
  const can = (action: string) => me.capabilities.includes(action);
  const items: MenuProps['items'] = [
    {
      key: 'regions',
      icon: <ApartmentOutlined />,
      label: <Link to={`/regions/${regionId}`}>{t('nav.regions')}</Link>,
    },
    ...(can('ledger.read')
      ? [
          {
            key: 'ledger',
            icon: <TableOutlined />,
            label: <Link to={ledgerHref(regionId)}>{t('nav.ledger')}</Link>,
          },
          {
            key: 'rules',
            icon: <BgColorsOutlined />,
            label: <Link to={`/regions/${regionId}/colour-rules`}>{t('nav.rules')}</Link>,
          },
        ]
      : []),
    ...(can('ledger.import')
      ? [
          {
            key: 'import',
            icon: <CloudUploadOutlined />,
            label: <Link to={`/ledger/import?regionId=${regionId}`}>{t('nav.import')}</Link>,
          },
        ]
      : []),
    ...(can('pairing.read')
      ? [
          {
            key: 'pairing',
            icon: <ContactsOutlined />,
            label: <Link to={`/pairing?regionId=${regionId}`}>{t('pairing.nav')}</Link>,
          },
        ]
      : []),
    ...(can('staff.read')
      ? [
          {
            key: 'staff',
            icon: <TeamOutlined />,
            label: <Link to={`/staff?regionId=${regionId}`}>{t('staff.nav')}</Link>,
          },
        ]
      : []),
    ...(can('order.read')
      ? [
          {
            key: 'orders',
            icon: <SolutionOutlined />,
            label: <Link to="/orders">{t('orders.nav')}</Link>,
          },
        ]
      : []),
  ];
  const section = sectionOf(pathname);
  return (
    <nav aria-label={t('nav.label')} style={{ flex: 1, minWidth: 0 }}>
      <Menu
        mode="horizontal"
        theme="dark"
        items={items}
        selectedKeys={section ? [section] : []}
        style={{ background: 'transparent', borderBottom: 'none', lineHeight: '56px' }}
      />
    </nav>
  );
}
