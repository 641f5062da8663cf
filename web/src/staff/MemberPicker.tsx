// Chooses active members by name or mobile (searching /api/members under a region); one or several.
// Works as a form control; the names of chosen members stay shown while the search changes.
import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../app/useDebounced.ts';
import { useMemberSearch } from './staffApi.ts';

type Single = { multiple?: false; value?: number; onChange?: (id: number) => void };
type Multiple = { multiple: true; value?: number[]; onChange?: (ids: number[]) => void };
type Props = (Single | Multiple) & {
  id?: string;
  regionId: number;
  /** Members not to offer (already on the team, already holding the role). */
  exclude?: readonly number[];
  ariaLabel?: string;
  /** Told the labels of the members chosen (e.g. to offer them as a team's leader). */
  onLabels?: (labels: Record<number, string>) => void;
};

export function MemberPicker(props: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const found = useMemberSearch(props.regionId, q);
  // Labels of the members chosen so far, kept when a new search no longer finds them.
  const [kept, setKept] = useState<Record<number, string>>({});
  const offered = (found.data ?? [])
    .filter((m) => !props.exclude?.includes(m.id))
    .map((m) => ({
      value: m.id,
      label: `${m.name} · ${m.roles.map((r) => t(`staff.memberRole.${r}`)).join('、')} · ${m.regionName} · ${m.mobile}`,
    }));
  const chosen = props.multiple ? (props.value ?? []) : props.value ? [props.value] : [];
  const options = [
    ...chosen
      .filter((id) => !offered.some((o) => o.value === id))
      .map((id) => ({ value: id, label: kept[id] ?? `#${id}` })),
    ...offered,
  ];
  const keep = (ids: number[]) => {
    const next = {
      ...kept,
      ...Object.fromEntries(offered.filter((o) => ids.includes(o.value)).map((o) => [o.value, o.label])),
    };
    setKept(next);
    props.onLabels?.(next);
  };
  const common = {
    id: props.id,
    'aria-label': props.ariaLabel,
    showSearch: { filterOption: false, onSearch: setSearch },
    loading: found.isFetching,
    placeholder: t('staff.picker.placeholder'),
    notFoundContent: t('staff.picker.nobody'),
    options,
    style: { width: '100%' },
  } as const;
  if (props.multiple) {
    const { onChange } = props;
    return (
      <Select<number[]>
        {...common}
        mode="multiple"
        value={props.value}
        onChange={(ids) => {
          keep(ids);
          onChange?.(ids);
        }}
      />
    );
  }
  const { onChange } = props;
  return (
    <Select<number>
      {...common}
      value={props.value}
      onChange={(id) => {
        keep([id]);
        onChange?.(id);
      }}
    />
  );
}
