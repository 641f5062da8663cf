// The resident's identity: name, sex, birth, masked ID and phones (revealable), household, categories.
import { useState } from 'react';
import { Card, Descriptions, Tag } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CategoryLabels } from './categories.ts';
import { CategoryTags } from './CategoryTags.tsx';
import { RevealableValue } from './RevealableValue.tsx';
import { RevealModal } from './RevealModal.tsx';
import type { ResidentDetail, RevealField, Revealed } from './types.ts';

type Props = {
  resident: ResidentDetail;
  labels: CategoryLabels['label'];
  canReveal: boolean;
  revealed: Revealed;
  onRevealed: (value: Revealed) => void;
};

export function IdentityCard({ resident: r, labels, canReveal, revealed, onRevealed }: Props) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<RevealField | null>(null);
  const none = t('resident.none');
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('resident.name'), children: r.name },
    { key: 'sex', label: t('resident.sex'), children: r.sex ? t(`sex.${r.sex}`) : none },
    { key: 'birthDate', label: t('resident.birthDate'), children: r.birthDate ?? none },
    {
      key: 'age',
      label: t('resident.age'),
      children: r.age === null ? none : t('resident.ageValue', { age: r.age }),
    },
    {
      key: 'idNumber',
      label: t('resident.idNumber'),
      children: r.idMissing ? (
        <Tag color="warning">{t('ledger.noId')}</Tag>
      ) : (
        <RevealableValue
          masked={r.idNumber ?? ''}
          revealed={revealed.idNumber === undefined ? undefined : (revealed.idNumber ?? '')}
          canReveal={canReveal}
          label={t('resident.idNumber')}
          onReveal={() => setAsking('idNumber')}
        />
      ),
    },
    {
      key: 'phones',
      label: t('resident.phones'),
      children:
        r.phones.length === 0 ? (
          none
        ) : (
          <RevealableValue
            masked={r.phones.join('、')}
            revealed={revealed.phones?.join('、')}
            canReveal={canReveal}
            label={t('resident.phones')}
            onReveal={() => setAsking('phones')}
          />
        ),
    },
    {
      key: 'household',
      label: t('resident.household'),
      children: r.household ? (
        <Link to={`/households/${r.household.id}`}>
          {r.household.address}
          {r.household.houseNumber ? ` ${r.household.houseNumber}` : ''}
        </Link>
      ) : (
        none
      ),
    },
    { key: 'grid', label: t('resident.grid'), children: r.household?.place.join(' / ') ?? none },
    {
      key: 'categories',
      label: t('resident.categories'),
      span: 'filled',
      children: <CategoryTags codes={r.categories} labels={labels} />,
    },
  ];
  return (
    <Card title={t('resident.basic')} variant="borderless">
      <Descriptions items={items} column={{ xs: 1, sm: 2 }} size="small" />
      <RevealModal
        residentId={r.id}
        field={asking}
        onClose={() => setAsking(null)}
        onRevealed={(value) => onRevealed(value)}
      />
    </Card>
  );
}
