// "登记走访": record a door-to-door survey of a household (members confirmed, added, moved out, colour, note).
import { Alert, App, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ColourDot } from './ColourTag.tsx';
import { useRecordSurvey } from './ledgerApi.ts';
import { COLOURS, type Colour, type HouseholdDetail } from './types.ts';

type Values = {
  membersConfirmed: number;
  membersAdded: number;
  membersMovedOut: number;
  colour: Colour | '';
  note: string;
};

type Props = { household: HouseholdDetail; open: boolean; onClose: () => void };

export function SurveyModal({ household, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const record = useRecordSurvey(household.id);
  const active = household.members.filter((m) => m.status === 'active').length;

  const submit = async () => {
    const v = await form.validateFields();
    await record.mutateAsync({
      membersConfirmed: v.membersConfirmed,
      membersAdded: v.membersAdded || 0,
      membersMovedOut: v.membersMovedOut || 0,
      colour: v.colour || null,
      note: v.note?.trim() || null,
    });
    void message.success(t('survey.done'));
    onClose();
  };

  const count = (name: keyof Values, label: string, required = false) => (
    <Col xs={8}>
      <Form.Item name={name} label={label} rules={required ? [{ required: true, message: label }] : []}>
        <InputNumber<number> min={0} max={100} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );

  return (
    <Modal
      open={open}
      title={t('survey.title')}
      okText={t('survey.submit')}
      cancelText={t('residentForm.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={record.isPending}
      destroyOnHidden
      afterClose={() => record.reset()}
      width={520}
    >
      {record.isError && (
        <Alert type="error" showIcon title={record.error.message} style={{ marginBottom: 16 }} />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        preserve={false}
        initialValues={{
          membersConfirmed: active,
          membersAdded: 0,
          membersMovedOut: 0,
          colour: '',
          note: '',
        }}
      >
        <Row gutter={12}>
          {count('membersConfirmed', t('survey.membersConfirmed'), true)}
          {count('membersAdded', t('survey.membersAdded'))}
          {count('membersMovedOut', t('survey.membersMovedOut'))}
        </Row>
        <Form.Item name="colour" label={t('survey.colour')}>
          <Select<string>
            options={[
              { value: '', label: t('survey.colourKeep') },
              ...COLOURS.map((c) => ({
                value: c,
                label: (
                  <span>
                    <ColourDot colour={c} />
                    {t(`colour.${c}Long`)}
                  </span>
                ),
              })),
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('survey.note')}>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t('survey.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
