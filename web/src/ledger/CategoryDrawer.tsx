// The drawer adding or editing a county category; the server's errors (a clash with another
// category's word, say) land under the fields they concern or above the form.
import { useState } from 'react';
import { App, Form, Input, Select, Switch } from 'antd';
import { FormDrawer } from '../app/FormDrawer.tsx';
import { useTranslation } from 'react-i18next';
import { placeErrors } from '../app/formErrors.ts';
import { useAddCategory, useUpdateCategory, type CategoryInput } from './categoriesApi.ts';
import type { Category } from './types.ts';

type Values = CategoryInput & { active: boolean };

const FIELDS = ['nameZh', 'nameEn', 'code', 'key', 'synonyms', 'active'];
const CODE = /^[a-z0-9_]{2,40}$/;

type Props = {
  regionId: number;
  /** The category being edited; undefined to add one. */
  editing: Category | undefined;
  open: boolean;
  onClose: () => void;
};

export function CategoryDrawer({ regionId, editing, open, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string[]>([]);
  const add = useAddCategory(regionId);
  const update = useUpdateCategory(regionId);
  const saving = add.isPending || update.isPending;

  const initialValues: Values = editing
    ? { ...editing, code: editing.code }
    : { nameZh: '', nameEn: '', code: '', key: true, synonyms: [], active: true };

  const onFinish = async (v: Values) => {
    setProblem([]);
    try {
      const saved = editing
        ? await update.mutateAsync({
            code: editing.code,
            patch: { nameZh: v.nameZh, nameEn: v.nameEn, key: v.key, synonyms: v.synonyms, active: v.active },
          })
        : await add.mutateAsync({
            nameZh: v.nameZh,
            nameEn: v.nameEn,
            key: v.key,
            synonyms: v.synonyms,
            ...(v.code?.trim() ? { code: v.code.trim() } : {}),
          });
      const name = i18n.language === 'en' ? saved.nameEn : saved.nameZh;
      void message.success(t(editing ? 'categories.form.saved' : 'categories.form.added', { name }));
      onClose();
    } catch (error) {
      setProblem(placeErrors(form, error, FIELDS, {}, t('categories.form.fixErrors')));
    }
  };

  const required = [{ required: true, whitespace: true, message: t('categories.form.required') }];
  return (
    <FormDrawer
      title={
        editing
          ? t('categories.form.editTitle', { name: i18n.language === 'en' ? editing.nameEn : editing.nameZh })
          : t('categories.form.addTitle')
      }
      open={open}
      width={520}
      saving={saving}
      problems={problem}
      onClose={onClose}
      onSave={() => form.submit()}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(v) => void onFinish(v)}
      >
        <Form.Item name="nameZh" label={t('categories.form.nameZh')} rules={required}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('categories.form.nameEn')} rules={required}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('categories.form.code')}
          extra={t('categories.form.codeHint')}
          rules={[
            {
              validator: (_, value?: string) =>
                !value?.trim() || CODE.test(value.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('categories.form.codeFormat'))),
            },
          ]}
        >
          <Input maxLength={40} disabled={!!editing} />
        </Form.Item>
        <Form.Item
          name="synonyms"
          label={t('categories.form.synonyms')}
          extra={t('categories.form.synonymsHint')}
        >
          <Select
            mode="tags"
            open={false}
            suffixIcon={null}
            tokenSeparators={['、', '，', ',', '；', ';']}
            placeholder={t('categories.form.synonymsPlaceholder')}
            aria-label={t('categories.form.synonyms')}
          />
        </Form.Item>
        <Form.Item name="key" valuePropName="checked" label={t('categories.form.key')}>
          <Switch aria-label={t('categories.form.key')} />
        </Form.Item>
        {editing && (
          <Form.Item
            name="active"
            valuePropName="checked"
            label={t('categories.form.active')}
            extra={t('categories.form.activeHint')}
          >
            <Switch aria-label={t('categories.form.active')} />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
