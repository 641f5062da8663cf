// Floor rules (兜底): a label, the colour a match raises a resident to at least, and the conditions.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ColourDot } from './ColourTag.tsx';
import { DISEASE_STATES } from './rulesApi.ts';
import { COLOURS } from './types.ts';

type Option = { value: string; label: string };
type Props = { disabled: boolean; categories: Option[] };
const cell = { marginBottom: 0 };

function Conditions({ floor, disabled, categories }: Props & { floor: number }) {
  const { t } = useTranslation();
  return (
    <Form.List name={[floor, 'when']}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          {fields.map((field, i) => (
            <Row key={field.key} gutter={[8, 8]} align="middle">
              <Col xs={24} md={2}>
                <Typography.Text type="secondary">{t('rules.condition', { n: i + 1 })}</Typography.Text>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name={[field.name, 'categories']} style={cell}>
                  <Select<string[]>
                    mode="multiple"
                    allowClear
                    aria-label={t('rules.categories')}
                    placeholder={t('rules.categories')}
                    options={categories}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name={[field.name, 'minAge']} style={cell}>
                  <InputNumber<number>
                    min={0}
                    max={150}
                    precision={0}
                    placeholder={t('rules.minAge')}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name={[field.name, 'maxAge']} style={cell}>
                  <InputNumber<number>
                    min={0}
                    max={150}
                    precision={0}
                    placeholder={t('rules.maxAge')}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              </Col>
              <Col xs={20} md={5}>
                <Form.Item name={[field.name, 'disease']} style={cell}>
                  <Select<string[]>
                    mode="multiple"
                    allowClear
                    aria-label={t('rules.diseaseStates')}
                    placeholder={t('rules.diseaseStates')}
                    options={DISEASE_STATES.map((s) => ({ value: s, label: t(`disease.${s}`) }))}
                  />
                </Form.Item>
              </Col>
              {!disabled && (
                <Col xs={4} md={1}>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('rules.remove')}
                    onClick={() => remove(field.name)}
                  />
                </Col>
              )}
            </Row>
          ))}
          {!disabled && (
            <Button
              type="dashed"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add({})}
              style={{ alignSelf: 'start' }}
            >
              {t('rules.addCondition')}
            </Button>
          )}
        </Flex>
      )}
    </Form.List>
  );
}

export function RulesFloors({ disabled, categories }: Props) {
  const { t } = useTranslation();
  const colours = COLOURS.map((c) => ({
    value: c,
    label: (
      <span>
        <ColourDot colour={c} />
        {t(`colour.${c}Long`)}
      </span>
    ),
  }));
  return (
    <Form.List name="floors">
      {(fields, { add, remove }) => (
        <Flex vertical gap={12}>
          {fields.map((field, i) => (
            <Card
              key={field.key}
              size="small"
              type="inner"
              title={`#${i + 1}`}
              extra={
                !disabled && (
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                    {t('rules.remove')}
                  </Button>
                )
              }
            >
              <Row gutter={12}>
                <Col xs={24} sm={12} md={5}>
                  <Form.Item
                    name={[field.name, 'id']}
                    label={t('rules.floorId')}
                    rules={[{ required: true, whitespace: true, message: t('rules.floorId') }]}
                  >
                    <Input maxLength={40} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12} md={7}>
                  <Form.Item
                    name={[field.name, 'label', 'zh']}
                    label={t('rules.labelZh')}
                    rules={[{ required: true, whitespace: true, message: t('rules.labelZh') }]}
                  >
                    <Input maxLength={60} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12} md={7}>
                  <Form.Item
                    name={[field.name, 'label', 'en']}
                    label={t('rules.labelEn')}
                    rules={[{ required: true, whitespace: true, message: t('rules.labelEn') }]}
                  >
                    <Input maxLength={80} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12} md={5}>
                  <Form.Item
                    name={[field.name, 'atLeast']}
                    label={t('rules.atLeast')}
                    rules={[{ required: true, message: t('rules.atLeast') }]}
                  >
                    <Select<string> options={colours} />
                  </Form.Item>
                </Col>
              </Row>
              <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
                {t('rules.conditions')}
              </Typography.Text>
              <Conditions floor={field.name} disabled={disabled} categories={categories} />
            </Card>
          ))}
          {!disabled && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              block
              onClick={() => add({ id: '', label: { zh: '', en: '' }, atLeast: 'yellow', when: [{}] })}
            >
              {t('rules.addFloor')}
            </Button>
          )}
        </Flex>
      )}
    </Form.List>
  );
}
