// The /regions/:id/colour-rules page (三色规则): the county's rules, editable for roles with ledger.rules,
// and beside them the key-population categories the county adds.
import { Alert, Breadcrumb, Button, Card, Flex, List, Result, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { PageLoading } from '../app/PageLoading.tsx';
import type { Level, RegionDetail } from '../app/types.ts';
import { useCurrentUser } from '../auth/currentUser.ts';
import { RegionNotFound } from '../regions/RegionNotFound.tsx';
import { parseRegionId, useRegion, useRegionChildren } from '../regions/regionApi.ts';
import { CategoriesCard } from './CategoriesCard.tsx';
import { useColourRules, type RulesView } from './rulesApi.ts';
import { RulesEditor } from './RulesEditor.tsx';
import styles from './ledger.module.css';

/** Saving re-colours a whole county, so only accounts scoped to a county or above may do it. */
const SAVE_LEVELS: readonly Level[] = ['province', 'city', 'county'];

function Heading({ region, view }: { region: RegionDetail; view?: RulesView }) {
  const { t } = useTranslation();
  return (
    <header>
      <Breadcrumb
        items={[
          ...region.ancestors
            .filter((a) => a.id !== region.id)
            .map((a) => ({ key: a.id, title: <Link to={`/regions/${a.id}`}>{a.name}</Link> })),
          { key: region.id, title: <Link to={`/regions/${region.id}`}>{region.name}</Link> },
          { key: 'rules', title: t('rules.title') },
        ]}
      />
      <Flex align="center" gap={12} wrap style={{ marginTop: 12 }}>
        <Typography.Title level={3} className={styles.title}>
          {t('rules.title')}
        </Typography.Title>
        {view && (
          <>
            <Tag color={view.isDefault ? 'default' : 'blue'}>
              {view.isDefault ? t('rules.isDefault') : t('rules.custom')}
            </Tag>
            <Typography.Text type="secondary">
              {view.rules.name} · {t('rules.version', { version: view.rules.version })} · {t('rules.county')}{' '}
              {view.countyCode}
            </Typography.Text>
          </>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, maxWidth: 880 }}>
        {t('rules.intro')}
      </Typography.Paragraph>
    </header>
  );
}

/** A region above county level has no rules of its own: offer its children instead. */
function PickCounty({ region }: { region: RegionDetail }) {
  const { t } = useTranslation();
  const children = useRegionChildren(region.id);
  return (
    <Card variant="borderless">
      <Typography.Paragraph>{t('rules.pickCounty')}</Typography.Paragraph>
      <List
        loading={children.isPending}
        dataSource={children.data ?? []}
        renderItem={(c) => (
          <List.Item>
            <Link to={`/regions/${c.id}/colour-rules`}>{c.name}</Link>
          </List.Item>
        )}
      />
    </Card>
  );
}

function Rules({ region }: { region: RegionDetail }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const rules = useColourRules(region.id);
  if (rules.isPending) return <PageLoading />;
  if (rules.isError) {
    if (isApiError(rules.error) && rules.error.code === 'ledger.rules_scope') {
      return (
        <Flex vertical gap={16}>
          <Heading region={region} />
          <PickCounty region={region} />
        </Flex>
      );
    }
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={rules.error.message}
        extra={<Button onClick={() => void rules.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  const canEdit = me.capabilities.includes('ledger.rules');
  const canSave = canEdit && (me.role === 'admin' || SAVE_LEVELS.includes(me.region.level));
  return (
    <Flex vertical gap={16}>
      <Heading region={region} view={rules.data} />
      {!canEdit && <Alert type="info" showIcon title={t('rules.readOnly')} />}
      {canEdit && !canSave && <Alert type="info" showIcon title={t('rules.scopeOnly')} />}
      <RulesEditor
        key={`${rules.data.countyCode}@${rules.data.isDefault ? 0 : rules.data.rules.version}`}
        regionId={region.id}
        view={rules.data}
        canEdit={canEdit}
        canSave={canSave}
      />
      <CategoriesCard regionId={region.id} canEdit={canSave} />
    </Flex>
  );
}

export function ColourRulesPage() {
  const { t } = useTranslation();
  const id = parseRegionId(useParams().id);
  const region = useRegion(id);
  if (id === undefined) return <RegionNotFound />;
  if (region.isPending) return <PageLoading />;
  if (region.isError) {
    if (isApiError(region.error) && region.error.status === 404)
      return <RegionNotFound detail={region.error.detail} />;
    return <Result status="error" title={t('common.loadFailed')} subTitle={region.error.message} />;
  }
  return <Rules region={region.data} />;
}
