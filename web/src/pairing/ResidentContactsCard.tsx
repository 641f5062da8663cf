// The resident's three contacts (包联党员, 联户医生, 村长联系人) as a card on the resident page, with
// their slogans and mobiles; with card.issue, reissue the connection card or revoke a lost one.
import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, List, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { AssignContactModal } from './AssignContactModal.tsx';
import { CONTACT_ROLES, useResidentContacts, useRevokeCard, type ContactRole } from './pairingApi.ts';
import styles from './pairing.module.css';

function RevokeModal({
  residentId,
  open,
  onClose,
}: {
  residentId: number;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const revoke = useRevokeCard(residentId);
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={t('pairing.cards.revokeTitle')}
      okText={t('pairing.cards.revokeConfirm')}
      okButtonProps={{ danger: true, loading: revoke.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          revoke.mutate(v.reason.trim(), {
            onSuccess: (r) => {
              void message.success(t('pairing.cards.revoked', { count: r.revoked }));
              onClose();
            },
          })
        }
      >
        <Form.Item
          name="reason"
          label={t('pairing.cards.revokeReason')}
          rules={[{ required: true, whitespace: true, message: t('pairing.cards.revokeReasonRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        {revoke.isError && <Typography.Text type="danger">{revoke.error.message}</Typography.Text>}
      </Form>
    </Modal>
  );
}

export function ResidentContactsCard({ residentId, gridId }: { residentId: number; gridId: number }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const allowed = me.capabilities.includes('pairing.read');
  const cards = me.capabilities.includes('card.issue');
  const assignable = me.capabilities.includes('pairing.write') && me.capabilities.includes('staff.read');
  const [assigning, setAssigning] = useState<ContactRole | null>(null);
  const contacts = useResidentContacts(residentId, allowed);
  const [revoking, setRevoking] = useState(false);
  if (!allowed) return null;
  return (
    <section aria-label={t('pairing.contacts.title')}>
      <Card
        variant="borderless"
        title={t('pairing.contacts.title')}
        loading={contacts.isPending}
        extra={
          cards && (
            <Flex gap={4}>
              <Button
                size="small"
                onClick={() => void navigate(`/pairing/cards?regionId=${gridId}&residentId=${residentId}`)}
              >
                {t('pairing.cards.reissueOne')}
              </Button>
              <Button size="small" danger onClick={() => setRevoking(true)}>
                {t('pairing.cards.revoke')}
              </Button>
            </Flex>
          )
        }
      >
        {contacts.isError ? (
          <Typography.Text type="danger">{contacts.error.message}</Typography.Text>
        ) : (
          <List
            dataSource={[...CONTACT_ROLES]}
            renderItem={(role) => {
              const c = contacts.data?.contacts[role];
              return (
                <List.Item
                  data-role={role}
                  actions={
                    assignable
                      ? [
                          <Button
                            key="assign"
                            type="link"
                            size="small"
                            aria-label={`${c ? t('pairing.contacts.change') : t('pairing.contacts.assign')} ${t(`pairing.role.${role}`)}`}
                            onClick={() => setAssigning(role)}
                          >
                            {c ? t('pairing.contacts.change') : t('pairing.contacts.assign')}
                          </Button>,
                        ]
                      : undefined
                  }
                >
                  <Flex vertical>
                    <span className={styles.slogan}>{t(`pairing.slogan.${role}`)}</span>
                    <Typography.Text type="secondary">{t(`pairing.role.${role}`)}</Typography.Text>
                  </Flex>
                  {c ? (
                    <Flex vertical align="end">
                      <Typography.Text strong>{c.name}</Typography.Text>
                      <a
                        href={`tel:${c.mobile}`}
                        className={styles.mono}
                        aria-label={t('pairing.contacts.call', { name: c.name })}
                      >
                        {c.mobile}
                      </a>
                    </Flex>
                  ) : (
                    <Typography.Text type="danger">{t('pairing.contacts.none')}</Typography.Text>
                  )}
                </List.Item>
              );
            }}
          />
        )}
      </Card>
      {assignable && (
        <AssignContactModal
          residentId={residentId}
          gridId={gridId}
          role={assigning}
          onClose={() => setAssigning(null)}
        />
      )}
      {cards && <RevokeModal residentId={residentId} open={revoking} onClose={() => setRevoking(false)} />}
    </section>
  );
}
