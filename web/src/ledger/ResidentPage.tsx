// The /residents/:id page: identity (masked, revealable), health record, colour with its history.
import { useState } from 'react';
import { BgColorsOutlined, EditOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Col, Flex, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoading } from '../app/PageLoading.tsx';
import { useCurrentUser } from '../auth/currentUser.ts';
import { ResidentContactsCard } from '../pairing/ResidentContactsCard.tsx';
import { useCategoryLabels } from './categories.ts';
import { ColourCard } from './ColourCard.tsx';
import { ColourHistory } from './ColourHistory.tsx';
import { ColourTag } from './ColourTag.tsx';
import { HealthCard } from './HealthCard.tsx';
import { IdentityCard } from './IdentityCard.tsx';
import { ledgerHref } from './ledgerQuery.ts';
import { parseId, useResident, useUpdateResident } from './ledgerApi.ts';
import { LedgerNotFound } from './LedgerNotFound.tsx';
import { LoadError } from './LoadError.tsx';
import { OverrideModal } from './OverrideModal.tsx';
import { formValuesOf, patchInput } from './residentForm.ts';
import { ResidentFormDrawer } from './ResidentFormDrawer.tsx';
import type { ResidentDetail, Revealed } from './types.ts';
import styles from './ledger.module.css';

function ResidentView({ resident }: { resident: ResidentDetail }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const can = (action: string) => me.capabilities.includes(action);
  const labels = useCategoryLabels(resident.gridId);
  const update = useUpdateResident(resident.id);
  const [revealed, setRevealed] = useState<Revealed>({});
  const [editing, setEditing] = useState(false);
  const [overriding, setOverriding] = useState(false);
  const initial = formValuesOf(resident, revealed);

  return (
    <Flex vertical gap={16}>
      <header>
        <Breadcrumb
          items={[
            { key: 'ledger', title: <Link to={ledgerHref(me.region.id)}>{t('ledger.title')}</Link> },
            ...(resident.household
              ? [
                  {
                    key: 'household',
                    title: (
                      <Link to={`/households/${resident.household.id}`}>{resident.household.address}</Link>
                    ),
                  },
                ]
              : []),
            { key: 'resident', title: resident.name },
          ]}
        />
        <div className={styles.header} style={{ marginTop: 12 }}>
          <Flex align="center" gap={12} wrap>
            <Typography.Title level={3} className={styles.title}>
              {resident.name}
            </Typography.Title>
            <ColourTag colour={resident.colour} />
            {resident.status !== 'active' && <Tag>{t(`residentStatus.${resident.status}`)}</Tag>}
          </Flex>
          <Flex gap={8} wrap role="group" aria-label={t('resident.actions')}>
            {can('ledger.write') && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('resident.edit')}
              </Button>
            )}
            {can('ledger.colour_override') && (
              <Button type="primary" icon={<BgColorsOutlined />} onClick={() => setOverriding(true)}>
                {t('override.button')}
              </Button>
            )}
          </Flex>
        </div>
      </header>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            <IdentityCard
              resident={resident}
              labels={labels.label}
              canReveal={can('pii.reveal')}
              revealed={revealed}
              onRevealed={(value) => setRevealed((known) => ({ ...known, ...value }))}
            />
            <HealthCard resident={resident} />
          </Flex>
        </Col>
        <Col xs={24} lg={9}>
          <Flex vertical gap={16}>
            <ColourCard resident={resident} />
            <ResidentContactsCard residentId={resident.id} gridId={resident.gridId} />
            <ColourHistory changes={resident.colourHistory} />
          </Flex>
        </Col>
      </Row>
      {can('ledger.write') && (
        <ResidentFormDrawer
          open={editing}
          title={t('residentForm.editTitle')}
          initialValues={initial}
          categories={labels.options}
          masked={{ idNumber: resident.idNumber, phones: resident.phones }}
          derivedFromId={!resident.idMissing}
          showStatus
          successMessage={t('residentForm.saved')}
          onClose={() => setEditing(false)}
          submit={async (values) => {
            await update.mutateAsync(patchInput(values, initial));
            // The ID number or phones may have changed: what was revealed is no longer what is stored.
            setRevealed({});
          }}
        />
      )}
      {can('ledger.colour_override') && (
        <OverrideModal resident={resident} open={overriding} onClose={() => setOverriding(false)} />
      )}
    </Flex>
  );
}

export function ResidentPage() {
  const id = parseId(useParams().id);
  const resident = useResident(id);
  if (id === undefined) return <LedgerNotFound kind="resident" />;
  if (resident.isPending) return <PageLoading />;
  if (resident.isError)
    return <LoadError error={resident.error} kind="resident" onRetry={() => void resident.refetch()} />;
  return <ResidentView key={resident.data.id} resident={resident.data} />;
}
