// The colour-rules form: bands, points, floors; preview the effect, then save with a confirmation.
import { useState } from 'react';
import { EyeOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Flex, Form, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api.ts';
import type { ProblemFieldError } from '../app/types.ts';
import { useCategoryLabels } from './categories.ts';
import { errorsByField } from '../app/formErrors.ts';
import { usePreviewRules, useSaveRules, type RulesPreview as Preview, type RulesView } from './rulesApi.ts';
import { RulesBands } from './RulesBands.tsx';
import { RulesFloors } from './RulesFloors.tsx';
import { describePath, toFormValues, toRuleset, type RulesFormValues } from './rulesForm.ts';
import { RulesPoints } from './RulesPoints.tsx';
import { RulesPreview } from './RulesPreview.tsx';
import styles from './ledger.module.css';

type Props = { regionId: number; view: RulesView; canEdit: boolean; canSave: boolean };

function Problems({ errors }: { errors: ProblemFieldError[] }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={t('rules.invalid')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {errors.map((e, i) => (
            <li key={`${e.path}-${i}`}>
              {describePath(e.path, t)}：{e.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

export function RulesEditor({ regionId, view, canEdit, canSave }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<RulesFormValues>();
  const categories = useCategoryLabels(regionId);
  const preview = usePreviewRules(regionId);
  const save = useSaveRules(regionId);
  const [problems, setProblems] = useState<ProblemFieldError[]>([]);
  const [shown, setShown] = useState<{ preview: Preview; stale: boolean } | null>(null);

  const showProblems = (error: unknown) => {
    if (!isApiError(error)) return void message.error(String(error));
    if (error.errors.length === 0) return void message.error(error.detail);
    setProblems(error.errors);
    form.setFields(errorsByField(error.errors).map((g) => ({ name: g.name as never, errors: g.errors })));
  };

  const candidate = async () => {
    setProblems([]);
    await form.validateFields();
    // All values, not only those with a field on screen: name and version travel unseen.
    return toRuleset(form.getFieldsValue(true) as RulesFormValues);
  };

  const onPreview = async () => {
    const rules = await candidate();
    try {
      setShown({ preview: await preview.mutateAsync(rules), stale: false });
    } catch (error) {
      showProblems(error);
    }
  };

  const onSave = async () => {
    const rules = await candidate();
    modal.confirm({
      title: t('rules.confirmTitle'),
      content: t('rules.confirmText'),
      okText: t('rules.save'),
      cancelText: t('residentForm.cancel'),
      onOk: async () => {
        try {
          const saved = await save.mutateAsync(rules);
          void message.success(t('rules.saved', { version: saved.version, count: saved.moved }));
          setShown(null);
        } catch (error) {
          showProblems(error);
        }
      },
    });
  };

  return (
    <Form<RulesFormValues>
      form={form}
      layout="vertical"
      disabled={!canEdit}
      initialValues={toFormValues(view.rules)}
      onValuesChange={() => setShown((s) => s && { ...s, stale: true })}
    >
      <Flex vertical gap={16}>
        {problems.length > 0 && <Problems errors={problems} />}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={t('rules.ageBands')} variant="borderless" style={{ height: '100%' }}>
              <RulesBands name="ageBands" disabled={!canEdit} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('rules.scoreBands')} variant="borderless" style={{ height: '100%' }}>
              <RulesBands name="scoreBands" disabled={!canEdit} />
            </Card>
          </Col>
        </Row>
        <Card title={`${t('rules.disease')} · ${t('rules.vaccination')}`} variant="borderless">
          <RulesPoints />
        </Card>
        <Card title={t('rules.floors')} variant="borderless">
          <RulesFloors disabled={!canEdit} categories={categories.options} />
        </Card>
        {shown && <RulesPreview preview={shown.preview} stale={shown.stale} />}
        {canEdit && (
          <Card variant="borderless" size="small" className={styles.actionBar}>
            <Flex gap={8} wrap justify="end">
              <Button
                icon={<UndoOutlined />}
                onClick={() => {
                  form.setFieldsValue({ ...toFormValues(view.defaults), version: view.rules.version });
                  setShown(null);
                }}
              >
                {t('rules.restoreDefaults')}
              </Button>
              <Button
                icon={<UndoOutlined />}
                onClick={() => {
                  form.resetFields();
                  setProblems([]);
                  setShown(null);
                }}
              >
                {t('rules.reset')}
              </Button>
              <Button
                icon={<EyeOutlined />}
                loading={preview.isPending}
                onClick={() => void onPreview().catch(() => undefined)}
              >
                {t('rules.preview')}
              </Button>
              {canSave && (
                <Button
                  type="primary"
                  icon={<SaveOutlined />}
                  loading={save.isPending}
                  onClick={() => void onSave().catch(() => undefined)}
                >
                  {t('rules.save')}
                </Button>
              )}
            </Flex>
          </Card>
        )}
      </Flex>
    </Form>
  );
}
