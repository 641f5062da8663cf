// The sign-in form: account (username or mobile) and password; shows the server's message on failure.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Credentials, useSignIn } from './session.ts';

export function LoginForm() {
  const { t } = useTranslation();
  const signIn = useSignIn();
  return (
    <Form<Credentials>
      layout="vertical"
      requiredMark={false}
      size="large"
      onFinish={(values) => signIn.mutate({ login: values.login.trim(), password: values.password })}
      onValuesChange={() => signIn.reset()}
    >
      {signIn.isError && (
        <Alert type="error" showIcon role="alert" title={signIn.error.message} style={{ marginBottom: 16 }} />
      )}
      <Form.Item
        name="login"
        label={t('auth.login')}
        rules={[{ required: true, whitespace: true, message: t('auth.loginRequired') }]}
      >
        <Input prefix={<UserOutlined />} placeholder={t('auth.loginPlaceholder')} autoComplete="username" />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('auth.password')}
        rules={[{ required: true, message: t('auth.passwordRequired') }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          placeholder={t('auth.passwordPlaceholder')}
          autoComplete="current-password"
        />
      </Form.Item>
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
          {t('auth.submit')}
        </Button>
      </Form.Item>
    </Form>
  );
}
