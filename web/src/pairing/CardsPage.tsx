// The /pairing/cards page: issue connection cards for a grid or a village (or reissue one resident's,
// ?residentId=) and show the server's print-ready A4 sheets — 8 cards a page with cut marks and a
// QR code each — with a Print button (the browser prints them, or saves a PDF).
import { useRef, useState } from 'react';
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCurrentUser } from '../auth/currentUser.ts';
import { parseId, useResident } from '../ledger/ledgerApi.ts';
import { RegionPicker } from '../ledger/RegionPicker.tsx';
import { LevelTag } from '../regions/LevelTag.tsx';
import { useRegion } from '../regions/regionApi.ts';
import { pairingHref, usePrintCards } from './pairingApi.ts';
import styles from './pairing.module.css';

/** Counts what the server rendered: one <section class="card"> per card, eight to a sheet. */
function countCards(html: string): { cards: number; pages: number } {
  const cards = (html.match(/<section class="card"/g) ?? []).length;
  return { cards, pages: Math.ceil(cards / 8) };
}

function Sheets({ html }: { html: string }) {
  const { t } = useTranslation();
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(900);
  const { cards, pages } = countCards(html);
  if (cards === 0) return <Alert type="info" showIcon title={t('pairing.cards.none')} />;
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" gap={12} wrap>
        <Typography.Text strong role="status">
          {t('pairing.cards.ready', { cards, pages })}
        </Typography.Text>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => frame.current?.contentWindow?.print()}
        >
          {t('pairing.cards.print')}
        </Button>
      </Flex>
      <Typography.Text type="warning">{t('pairing.cards.onceOnly')}</Typography.Text>
      <iframe
        ref={frame}
        title={t('pairing.cards.sheet')}
        className={styles.sheets}
        style={{ height }}
        // The sheets are the server's own escaped HTML with no script: same origin so that Print
        // can reach the frame, modals so that its print dialog may open.
        sandbox="allow-same-origin allow-modals"
        srcDoc={html}
        onLoad={(e) => {
          const doc = e.currentTarget.contentDocument;
          if (doc) setHeight(Math.max(600, doc.documentElement.scrollHeight + 16));
        }}
      />
    </Flex>
  );
}

export function CardsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const regionId = parseId(params.get('regionId')) ?? me.region.id;
  const residentId = parseId(params.get('residentId'));
  const region = useRegion(regionId);
  const resident = useResident(residentId);
  const print = usePrintCards();
  const [reissue, setReissue] = useState(false);
  const one = residentId !== undefined;
  const generate = () =>
    print.mutate(
      one
        ? { regionId: resident.data?.gridId ?? regionId, residentIds: [residentId], reissue: true }
        : { regionId, reissue },
    );
  return (
    <Flex vertical gap={16}>
      <header className={styles.header}>
        <Flex vertical gap={4}>
          <Link to={pairingHref(regionId)}>← {t('pairing.proposal.back')}</Link>
          <Typography.Title level={3} className={styles.title}>
            {t('pairing.cards.title')}
          </Typography.Title>
        </Flex>
      </header>
      <Card variant="borderless">
        <Flex vertical gap={12}>
          {one ? (
            <Typography.Text strong>
              {t('pairing.cards.onlyOne', { name: resident.data?.name ?? '…' })}
            </Typography.Text>
          ) : (
            <>
              <Flex align="center" gap={12} wrap>
                <Typography.Text strong>{t('pairing.cards.region')}</Typography.Text>
                <RegionPicker
                  value={regionId}
                  onChange={(id) => {
                    print.reset();
                    setParams(new URLSearchParams({ regionId: String(id) }));
                  }}
                />
                {region.data && <LevelTag level={region.data.level} />}
              </Flex>
              <Typography.Text type="secondary">{t('pairing.cards.regionHint')}</Typography.Text>
              <Checkbox checked={reissue} onChange={(e) => setReissue(e.target.checked)}>
                {t('pairing.cards.reissue')}
              </Checkbox>
              <Typography.Text type="secondary">{t('pairing.cards.reissueHint')}</Typography.Text>
            </>
          )}
          {print.isError && <Alert type="error" showIcon role="alert" title={print.error.message} />}
          <div>
            <Button
              type="primary"
              loading={print.isPending}
              disabled={one && !resident.data}
              onClick={generate}
            >
              {one ? t('pairing.cards.reissueOne') : t('pairing.cards.generate')}
            </Button>
          </div>
        </Flex>
      </Card>
      {print.data !== undefined && (
        <Card variant="borderless">
          <Sheets html={print.data} />
        </Card>
      )}
    </Flex>
  );
}
