// The page a resident sees after scanning their card: no sign-in, big type, tap-to-call. Plain
// HTML with inline CSS (a few kilobytes) so it opens fast on a cheap phone over a weak network.
import type { CardHolder } from './cards.ts';
import { CONTACT_SLOGANS } from './rules.ts';
import type { ContactRole } from './schema.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#fff7f5;color:#222;font-size:20px}
header{background:#c8161d;color:#fff;padding:18px;text-align:center;font-size:24px;font-weight:700}
main{padding:16px;max-width:560px;margin:auto}.hi{font-size:22px;margin:8px 0 16px}
a.call{display:block;background:#fff;border:2px solid #c8161d;border-radius:14px;padding:16px;margin:14px 0;color:#222;text-decoration:none}
a.call b{display:block;color:#c8161d;font-size:22px}a.call span{font-size:26px;font-weight:700}
.none{color:#999;border-color:#ddd}.hot{text-align:center;margin-top:20px}`;

export function residentPage(h: CardHolder): string {
  const order: ContactRole[] = ['help', 'health', 'livelihood'];
  const rows = order
    .map((role) => {
      const c = h.contacts[role];
      const slogan = CONTACT_SLOGANS[role].zh;
      return c
        ? `<a class="call" href="tel:${esc(c.mobile)}"><b>${slogan}</b><span>📞 ${esc(c.name)} ${esc(c.mobile)}</span></a>`
        : `<a class="call none"><b>${slogan}</b><span>正在为您安排</span></a>`;
    })
    .join('');
  const hot = h.hotline
    ? `<p class="hot">24小时健康咨询热线<br><a href="tel:${esc(h.hotline)}">${esc(h.hotline)}</a></p>`
    : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>连心卡</title><style>${STYLE}</style></head><body><header>党员+“家”连心卡</header><main>
<p class="hi">${esc(h.name)}，您好！有事请直接拨打：</p>${rows}${hot}</main></body></html>`;
}

export function invalidCardPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>连心卡已失效</title><style>${STYLE}</style></head><body><header>党员+“家”连心卡</header><main>
<p class="hi">此连心卡已失效或不存在。<br>This card is no longer valid.</p><p>请联系村（社区）更换新卡。</p></main></body></html>`;
}
