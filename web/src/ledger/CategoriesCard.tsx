// 重点人群类别 beside the colour rules: the national categories (read-only) and the county's own,
// which a county-level account may add, rename, give synonyms, and retire.
import { useState } from 'react';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { CategoryDrawer } from './CategoryDrawer.tsx';
import { useCategories } from './ledgerApi.ts';
import type { Category } from './types.ts';

type Props = { regionId: number; canEdit: boolean };

export function CategoriesCard({ regionId, canEdit }: Props) {
  const { t, i18n } = useTranslation();
  const categories = useCategories(regionId);
  const [drawer, setDrawer] = useState<{ editing: Category | undefined } | null>(null);
  const en = i18n.language === 'en';

  const columns: ColumnsType<Category> = [
    {
      title: t('categories.col.name'),
      key: 'name',
      render: (_, c) => (
        <Flex vertical>
          <Typography.Text strong>{en ? c.nameEn : c.nameZh}</Typography.Text>
          <Typography.Text type="secondary">{en ? c.nameZh : c.nameEn}</Typography.Text>
        </Flex>
      ),
    },
    { title: t('categories.col.code'), dataIndex: 'code', render: (code: string) => <code>{code}</code> },
    {
      title: t('categories.col.key'),
      dataIndex: 'key',
      render: (key: boolean) => (key ? t('categories.yes') : t('categories.no')),
    },
    {
      title: t('categories.col.synonyms'),
      dataIndex: 'synonyms',
      render: (synonyms: string[]) =>
        synonyms.length ? (
          synonyms.join('、')
        ) : (
          <Typography.Text type="secondary">{t('categories.none')}</Typography.Text>
        ),
    },
    {
      title: t('categories.col.source'),
      dataIndex: 'national',
      render: (national: boolean) =>
        national ? <Tag>{t('categories.national')}</Tag> : <Tag color="blue">{t('categories.county')}</Tag>,
    },
    {
      title: t('categories.col.status'),
      dataIndex: 'active',
      render: (active: boolean) =>
        active ? <Tag color="green">{t('categories.active')}</Tag> : <Tag>{t('categories.retired')}</Tag>,
    },
    ...(canEdit
      ? [
          {
            title: t('categories.col.actions'),
            key: 'actions',
            render: (_: unknown, c: Category) =>
              c.national ? null : (
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={`${t('categories.edit')} ${en ? c.nameEn : c.nameZh}`}
                  onClick={() => setDrawer({ editing: c })}
                >
                  {t('categories.edit')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Card
      variant="borderless"
      title={t('categories.title')}
      extra={
        canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ editing: undefined })}>
            {t('categories.add')}
          </Button>
        )
      }
    >
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, maxWidth: 880 }}>
          {t('categories.intro')}
        </Typography.Paragraph>
        {!canEdit && <Alert type="info" showIcon title={t('categories.readOnly')} />}
        <Table<Category>
          rowKey="code"
          size="small"
          loading={categories.isPending}
          dataSource={categories.data ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Flex>
      <CategoryDrawer
        key={drawer?.editing?.code ?? 'new'}
        regionId={regionId}
        editing={drawer?.editing}
        open={drawer !== null}
        onClose={() => setDrawer(null)}
      />
    </Card>
  );
}
