// A drawer holding the resident form; the server's per-field errors land under the fields they concern.
import { useState } from 'react';
import { App, Form } from 'antd';
import { FormDrawer } from '../app/FormDrawer.tsx';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api.ts';
import type { CategoryLabels } from './categories.ts';
import { errorsByField } from '../app/formErrors.ts';
import type { ResidentFormValues } from './residentForm.ts';
import { ResidentFormFields } from './ResidentFormFields.tsx';

const FIELDS = new Set<string>([
  'name',
  'idNumber',
  'sex',
  'birthDate',
  'phones',
  'categories',
  'conditions',
  'vaccination',
  'pregnancyDueDate',
  'medication',
  'notes',
  'status',
]);

type Props = {
  open: boolean;
  title: string;
  initialValues: ResidentFormValues;
  categories: CategoryLabels['options'];
  masked?: { idNumber: string | null; phones: string[] };
  derivedFromId: boolean;
  showStatus: boolean;
  successMessage: string;
  onClose: () => void;
  submit: (values: ResidentFormValues) => Promise<unknown>;
};

export function ResidentFormDrawer({
  open,
  title,
  initialValues,
  submit,
  onClose,
  successMessage,
  ...fields
}: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ResidentFormValues>();
  const [problem, setProblem] = useState<string[] | null>(null);
  const [saving, setSaving] = useState(false);

  const onFinish = async (values: ResidentFormValues) => {
    setProblem(null);
    setSaving(true);
    try {
      await submit(values);
      void message.success(successMessage);
      onClose();
    } catch (error) {
      if (!isApiError(error)) throw error;
      const grouped = errorsByField(error.errors);
      const placed = grouped.filter((g) => FIELDS.has(String(g.name[0])));
      form.setFields(placed.map((g) => ({ name: g.name as never, errors: g.errors })));
      const elsewhere = grouped.filter((g) => !placed.includes(g)).flatMap((g) => g.errors);
      setProblem([placed.length ? t('residentForm.fixErrors') : error.detail, ...elsewhere]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      title={title}
      open={open}
      width={600}
      saving={saving}
      problems={problem ?? []}
      onClose={onClose}
      onSave={() => form.submit()}
    >
      <Form<ResidentFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void onFinish(values)}
        scrollToFirstError
      >
        <ResidentFormFields {...fields} />
      </Form>
    </FormDrawer>
  );
}
