// An editable table of ranges (age bands → points, score bands → colour); an empty "to" means open-ended.
import type { ReactNode } from 'react';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, InputNumber, Select, Table } from 'antd';
import type { FormListFieldData, TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ColourDot } from './ColourTag.tsx';
import { COLOURS } from './types.ts';

type Props = { name: 'ageBands' | 'scoreBands'; disabled: boolean };

const cell = { marginBottom: 0 };

export function RulesBands({ name, disabled }: Props) {
  const { t } = useTranslation();
  const value = (field: FormListFieldData): ReactNode =>
    name === 'ageBands' ? (
      <Form.Item
        name={[field.name, 'points']}
        style={cell}
        rules={[{ required: true, message: t('rules.points') }]}
      >
        <InputNumber<number>
          aria-label={t('rules.points')}
          min={0}
          max={10}
          precision={0}
          style={{ width: 90 }}
        />
      </Form.Item>
    ) : (
      <Form.Item
        name={[field.name, 'colour']}
        style={cell}
        rules={[{ required: true, message: t('rules.colourCol') }]}
      >
        <Select<string>
          aria-label={t('rules.colourCol')}
          style={{ width: 150 }}
          options={COLOURS.map((c) => ({
            value: c,
            label: (
              <span>
                <ColourDot colour={c} />
                {t(`colour.${c}Long`)}
              </span>
            ),
          }))}
        />
      </Form.Item>
    );
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => {
        const columns: TableColumnsType<FormListFieldData> = [
          {
            title: t('rules.min'),
            key: 'min',
            width: 120,
            render: (_: unknown, field) => (
              <Form.Item
                name={[field.name, 'min']}
                style={cell}
                rules={[{ required: true, message: t('rules.min') }]}
              >
                <InputNumber<number>
                  aria-label={t('rules.min')}
                  min={0}
                  precision={0}
                  style={{ width: 90 }}
                />
              </Form.Item>
            ),
          },
          {
            title: t('rules.max'),
            key: 'max',
            width: 140,
            render: (_: unknown, field) => (
              <Form.Item name={[field.name, 'max']} style={cell}>
                <InputNumber<number>
                  aria-label={t('rules.max')}
                  min={0}
                  precision={0}
                  placeholder={t('rules.open')}
                  style={{ width: 110 }}
                />
              </Form.Item>
            ),
          },
          {
            title: name === 'ageBands' ? t('rules.points') : t('rules.colourCol'),
            key: 'value',
            render: (_: unknown, field) => value(field),
          },
          ...(disabled
            ? []
            : [
                {
                  key: 'remove',
                  width: 56,
                  render: (_: unknown, field: FormListFieldData) => (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('rules.remove')}
                      onClick={() => remove(field.name)}
                    />
                  ),
                },
              ]),
        ];
        return (
          <>
            <Table<FormListFieldData>
              aria-label={t(`rules.${name}`)}
              rowKey="key"
              size="small"
              columns={columns}
              dataSource={fields}
              pagination={false}
            />
            {!disabled && (
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() =>
                  add(name === 'ageBands' ? { points: 0, max: null } : { colour: 'red', max: null })
                }
                style={{ marginTop: 8 }}
                block
              >
                {t('rules.addRow')}
              </Button>
            )}
          </>
        );
      }}
    </Form.List>
  );
}
