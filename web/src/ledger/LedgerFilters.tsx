// The ledger list's filter bar: region, colour, category, age band, survey state and a search box.
import { ReloadOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Button, Card, Checkbox, Flex, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CategoryLabels } from './categories.ts';
import { ColourDot } from './ColourTag.tsx';
import { DEFAULT_STALE_DAYS } from './ledgerQuery.ts';
import { RegionPicker } from './RegionPicker.tsx';
import { COLOURS, type Colour, type LedgerQuery, type Surveyed } from './types.ts';
import styles from './ledger.module.css';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Flex align="center" gap={8} className={styles.filter}>
      <Typography.Text type="secondary" className={styles.filterLabel}>
        {label}
      </Typography.Text>
      {children}
    </Flex>
  );
}

type NumberProps = {
  label: string;
  value: number | undefined;
  max: number;
  onCommit: (n: number | undefined) => void;
};

/** A number box that changes the list only when the user leaves it or presses Enter. */
function CommitNumber({ label, value, max, onCommit }: NumberProps) {
  const commit = (raw: string) => {
    const n = raw.trim() === '' ? undefined : Number(raw);
    const next = n === undefined || !Number.isInteger(n) ? undefined : Math.min(Math.max(n, 0), max);
    if (next !== value) onCommit(next);
  };
  return (
    <InputNumber<number>
      key={value ?? ''}
      aria-label={label}
      placeholder={label}
      min={0}
      max={max}
      precision={0}
      defaultValue={value}
      onBlur={(event) => commit(event.target.value)}
      onPressEnter={(event) => commit((event.target as HTMLInputElement).value)}
      style={{ width: 96 }}
    />
  );
}

type Props = {
  query: LedgerQuery & { regionId: number };
  categories: CategoryLabels;
  onChange: (patch: Partial<LedgerQuery>) => void;
  onReset: () => void;
};

export function LedgerFilters({ query, categories, onChange, onReset }: Props) {
  const { t } = useTranslation();
  const surveyed = [
    { value: '', label: t('ledger.surveyedAll') },
    { value: 'yes', label: t('ledger.surveyedYes') },
    { value: 'no', label: t('ledger.surveyedNo') },
    { value: 'stale', label: t('ledger.surveyedStale') },
  ];
  return (
    <Card variant="borderless" size="small" role="search" aria-label={t('ledger.filters')}>
      <Flex wrap gap="12px 24px" align="center">
        <Field label={t('ledger.region')}>
          <RegionPicker value={query.regionId} onChange={(regionId) => onChange({ regionId })} />
        </Field>
        <Field label={t('ledger.colour')}>
          <Checkbox.Group<Colour>
            aria-label={t('ledger.colour')}
            value={query.colour}
            onChange={(colour) => onChange({ colour: COLOURS.filter((c) => colour.includes(c)) })}
            options={COLOURS.map((c) => ({
              value: c,
              label: (
                <span>
                  <ColourDot colour={c} />
                  {t(`colour.${c}`)}
                </span>
              ),
            }))}
          />
        </Field>
        <Field label={t('ledger.category')}>
          <Select<string[]>
            aria-label={t('ledger.category')}
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('ledger.categoryPlaceholder')}
            options={categories.options}
            value={query.category}
            onChange={(category) => onChange({ category })}
            style={{ minWidth: 200 }}
          />
        </Field>
        <Field label={t('ledger.age')}>
          <Space.Compact>
            <CommitNumber
              label={t('ledger.ageMin')}
              value={query.ageMin}
              max={150}
              onCommit={(ageMin) => onChange({ ageMin })}
            />
            <CommitNumber
              label={t('ledger.ageMax')}
              value={query.ageMax}
              max={150}
              onCommit={(ageMax) => onChange({ ageMax })}
            />
          </Space.Compact>
        </Field>
        <Field label={t('ledger.surveyed')}>
          <Select<string>
            aria-label={t('ledger.surveyed')}
            options={surveyed}
            value={query.surveyed ?? ''}
            onChange={(value) => onChange({ surveyed: (value || undefined) as Surveyed | undefined })}
            style={{ width: 132 }}
          />
          {query.surveyed === 'stale' && (
            <Space.Compact>
              <CommitNumber
                label={t('ledger.staleDays')}
                value={query.staleDays ?? DEFAULT_STALE_DAYS}
                max={3650}
                onCommit={(staleDays) => onChange({ staleDays })}
              />
              <Space.Addon>{t('ledger.days')}</Space.Addon>
            </Space.Compact>
          )}
        </Field>
        <Input.Search
          key={query.q ?? ''}
          aria-label={t('ledger.search')}
          placeholder={t('ledger.searchPlaceholder')}
          defaultValue={query.q}
          allowClear
          enterButton
          onSearch={(value) => onChange({ q: value.trim() || undefined })}
          className={styles.search}
        />
        <Button icon={<ReloadOutlined />} onClick={onReset}>
          {t('ledger.reset')}
        </Button>
      </Flex>
    </Card>
  );
}
