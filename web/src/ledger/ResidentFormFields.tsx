// The fields of the resident form, shared by the edit drawer and "add member".
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Flex, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CategoryLabels } from './categories.ts';
import type { ResidentFormValues } from './residentForm.ts';

type Props = {
  categories: CategoryLabels['options'];
  /** The resident's masked ID number and phones, shown as placeholders when editing. */
  masked?: { idNumber: string | null; phones: string[] };
  /** Sex and birth date come from the ID number when there is one. */
  derivedFromId: boolean;
  showStatus: boolean;
};

function Conditions() {
  const { t } = useTranslation();
  return (
    <Form.List name="conditions">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          {fields.map((field) => (
            <Flex key={field.key} gap={8} align="start">
              <Form.Item
                name={[field.name, 'name']}
                rules={[{ required: true, whitespace: true, message: t('residentForm.conditionName') }]}
                style={{ flex: 1, marginBottom: 0 }}
              >
                <Input
                  aria-label={t('residentForm.conditionName')}
                  placeholder={t('residentForm.conditionNamePlaceholder')}
                  maxLength={50}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'state']} style={{ width: 110, marginBottom: 0 }}>
                <Select<string>
                  aria-label={t('residentForm.conditionState')}
                  options={[
                    { value: 'stable', label: t('conditionState.stable') },
                    { value: 'unstable', label: t('conditionState.unstable') },
                  ]}
                />
              </Form.Item>
              <Button
                type="text"
                icon={<MinusCircleOutlined />}
                aria-label={t('residentForm.removeCondition')}
                onClick={() => remove(field.name)}
              />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', state: 'stable' })}>
            {t('residentForm.addCondition')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

export function ResidentFormFields({ categories, masked, derivedFromId, showStatus }: Props) {
  const { t } = useTranslation();
  const keep = (value: string | undefined) =>
    value ? t('residentForm.keepPlaceholder', { masked: value }) : undefined;
  const vaccination = (['full', 'partial', 'none'] as const).map((v) => ({
    value: v,
    label: t(`vaccination.${v}`),
  }));
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} sm={12}>
          <Form.Item<ResidentFormValues>
            name="name"
            label={t('residentForm.name')}
            rules={[{ required: true, whitespace: true, message: t('residentForm.nameRequired') }]}
          >
            <Input maxLength={50} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item<ResidentFormValues> name="idNumber" label={t('residentForm.idNumber')}>
            <Input
              maxLength={30}
              autoComplete="off"
              placeholder={keep(masked?.idNumber ?? undefined) ?? t('residentForm.idNumberPlaceholder')}
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={12}>
          <Form.Item<ResidentFormValues>
            name="sex"
            label={t('residentForm.sex')}
            extra={derivedFromId ? t('residentForm.fromId') : undefined}
          >
            <Select<string>
              allowClear
              disabled={derivedFromId}
              options={[
                { value: 'M', label: t('sex.M') },
                { value: 'F', label: t('sex.F') },
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={12}>
          <Form.Item<ResidentFormValues> name="birthDate" label={t('residentForm.birthDate')}>
            <Input type="date" disabled={derivedFromId} max="9999-12-31" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item<ResidentFormValues> name="phones" label={t('residentForm.phones')}>
        <Input
          maxLength={100}
          inputMode="tel"
          autoComplete="off"
          placeholder={keep(masked?.phones.join('、')) ?? t('residentForm.phonesPlaceholder')}
        />
      </Form.Item>
      <Form.Item<ResidentFormValues>
        name="categories"
        label={t('residentForm.categories')}
        extra={t('residentForm.elderlyHint')}
      >
        <Select<string[]>
          mode="multiple"
          allowClear
          placeholder={t('residentForm.categoriesPlaceholder')}
          options={categories.filter((c) => c.value !== 'elderly')}
        />
      </Form.Item>
      <Form.Item label={t('residentForm.conditions')}>
        <Conditions />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} sm={12}>
          <Form.Item<ResidentFormValues> name="vaccination" label={t('residentForm.vaccination')}>
            <Select<string> allowClear placeholder={t('vaccination.unknown')} options={vaccination} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item<ResidentFormValues> name="pregnancyDueDate" label={t('residentForm.pregnancyDueDate')}>
            <Input type="date" max="9999-12-31" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item<ResidentFormValues> name="medication" label={t('residentForm.medication')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item<ResidentFormValues> name="notes" label={t('residentForm.notes')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      {showStatus && (
        <Form.Item<ResidentFormValues> name="status" label={t('residentForm.status')}>
          <Select<string>
            options={(['active', 'moved_out', 'deceased'] as const).map((s) => ({
              value: s,
              label: t(`residentStatus.${s}`),
            }))}
          />
        </Form.Item>
      )}
    </>
  );
}
