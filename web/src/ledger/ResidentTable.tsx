// The ledger table: one row per resident, server-side sorting and paging; a row opens the resident.
import { Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType, TablePaginationConfig } from 'antd';
import type { SorterResult, SortOrder } from 'antd/es/table/interface';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../app/api.ts';
import type { CategoryLabels } from './categories.ts';
import { CategoryTags } from './CategoryTags.tsx';
import { ColourTag } from './ColourTag.tsx';
import { formatDate } from './format.ts';
import { PAGE_SIZES } from './ledgerQuery.ts';
import type { LedgerQuery, ResidentPage, ResidentRow, ResidentSort } from './types.ts';
import styles from './ledger.module.css';

type Props = {
  query: LedgerQuery;
  data: ResidentPage | undefined;
  loading: boolean;
  error: Error | null;
  labels: CategoryLabels['label'];
  onChange: (patch: Partial<LedgerQuery>) => void;
};

/** The age column sorts by birth date the other way round: youngest first is latest birth date first. */
function orderOf(query: LedgerQuery, key: ResidentSort): SortOrder {
  if (query.sort !== key) return null;
  const ascending = key === 'birthDate' ? query.desc : !query.desc;
  return ascending ? 'ascend' : 'descend';
}

function sortOf(sorter: SorterResult<ResidentRow>): Pick<LedgerQuery, 'sort' | 'desc'> {
  const key = sorter.columnKey as ResidentSort | undefined;
  if (!sorter.order || !key) return { sort: undefined, desc: undefined };
  const descend = sorter.order === 'descend';
  return { sort: key, desc: (key === 'birthDate' ? !descend : descend) || undefined };
}

/** A refused filter in words: the server's reasons (e.g. an age band upside down), else its message. */
const problemText = (error: Error): string =>
  isApiError(error) && error.errors.length ? error.errors.map((e) => e.message).join('；') : error.message;

export function ResidentTable({ query, data, loading, error, labels, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const columns: TableColumnsType<ResidentRow> = [
    {
      title: t('ledger.col.name'),
      key: 'name',
      dataIndex: 'name',
      sorter: true,
      sortOrder: orderOf(query, 'name'),
      width: 88,
      render: (_: string, row) => (
        <Link to={`/residents/${row.id}`} className={styles.nowrap}>
          {row.name}
        </Link>
      ),
    },
    {
      title: t('ledger.col.sex'),
      dataIndex: 'sex',
      width: 52,
      responsive: ['sm'],
      render: (_: unknown, row) => (row.sex ? t(`sex.${row.sex}`) : '—'),
    },
    {
      title: t('ledger.col.age'),
      key: 'birthDate',
      dataIndex: 'age',
      sorter: true,
      sortOrder: orderOf(query, 'birthDate'),
      width: 68,
      align: 'right',
      render: (_: unknown, row) => row.age ?? '—',
    },
    {
      title: t('ledger.col.idNumber'),
      dataIndex: 'idNumber',
      responsive: ['md'],
      render: (_: unknown, row) =>
        row.idMissing ? (
          <Tag color="warning">{t('ledger.noId')}</Tag>
        ) : (
          <Typography.Text className={styles.mono}>{row.idNumber}</Typography.Text>
        ),
    },
    {
      title: t('ledger.col.phones'),
      dataIndex: 'phones',
      responsive: ['lg'],
      render: (_: unknown, row) =>
        row.phones.length ? (
          <Flex vertical className={styles.mono}>
            {row.phones.map((p) => (
              <span key={p}>{p}</span>
            ))}
          </Flex>
        ) : (
          '—'
        ),
    },
    {
      title: t('ledger.col.categories'),
      dataIndex: 'categories',
      responsive: ['sm'],
      render: (_: unknown, row) => <CategoryTags codes={row.categories} labels={labels} />,
    },
    {
      title: t('ledger.col.colour'),
      key: 'colour',
      dataIndex: 'colour',
      sorter: true,
      sortOrder: orderOf(query, 'colour'),
      width: 68,
      render: (_: unknown, row) => <ColourTag colour={row.colour} />,
    },
    {
      title: t('ledger.col.addressGrid'),
      dataIndex: 'address',
      responsive: ['md'],
      width: 170,
      render: (_: string, row) => (
        <Flex vertical>
          <span>{row.address}</span>
          <Typography.Text type="secondary" className={styles.nowrap} style={{ fontSize: 12 }}>
            {row.gridName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('ledger.col.lastSurveyed'),
      dataIndex: 'lastSurveyedAt',
      responsive: ['lg'],
      render: (_: unknown, row) =>
        row.lastSurveyedAt ? (
          <span className={styles.nowrap}>{formatDate(row.lastSurveyedAt, i18n.language)}</span>
        ) : (
          <Typography.Text type="secondary">{t('ledger.neverSurveyed')}</Typography.Text>
        ),
    },
  ];

  const pagination: TablePaginationConfig = {
    current: query.page,
    pageSize: query.pageSize,
    // The count stops at a cap (10,000): past it, count the rows paged through so far (one more
    // while a page comes back full), or the residents beyond the cap could not be paged to at all.
    total: data?.totalCapped
      ? Math.max(
          data.total,
          (query.page - 1) * query.pageSize +
            data.items.length +
            (data.items.length === query.pageSize ? 1 : 0),
        )
      : (data?.total ?? 0),
    showSizeChanger: true,
    pageSizeOptions: PAGE_SIZES.map(String),
    showTotal: (count) =>
      t(data?.totalCapped ? 'ledger.totalCapped' : 'ledger.total', { count: data?.total ?? count }),
  };

  return (
    <Table<ResidentRow>
      aria-label={t('ledger.table')}
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={data?.items ?? []}
      loading={loading}
      pagination={pagination}
      locale={{ emptyText: error ? problemText(error) : t('ledger.empty') }}
      rowClassName={() => styles.clickable ?? ''}
      onRow={(row) => ({
        onClick: (event) => {
          if ((event.target as HTMLElement).closest('a')) return;
          void navigate(`/residents/${row.id}`);
        },
      })}
      onChange={(next, _filters, sorter, extra) => {
        if (extra.action === 'sort') {
          onChange({ ...sortOf(Array.isArray(sorter) ? (sorter[0] ?? {}) : sorter), page: 1 });
        } else if (extra.action === 'paginate') {
          const pageSize = next.pageSize ?? query.pageSize;
          const page = pageSize === query.pageSize ? (next.current ?? 1) : 1;
          // "Next" goes on from the last row shown (keyset: a deep page costs what the first does).
          const after = page === query.page + 1 && data?.cursor != null ? data.cursor : undefined;
          onChange({ page, pageSize, after });
        }
      }}
    />
  );
}
