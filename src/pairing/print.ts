// Print-ready A4 sheets of connection cards: 8 cards a page with cut marks, in the card's familiar
// form, each with a QR code opening the resident's own page. The browser turns it into a PDF.
import type { IssuedCard } from './cards.ts';
import { qrSvg } from './qr.ts';
import { CONTACT_SLOGANS } from './rules.ts';
import type { ContactRole } from './schema.ts';

const ROLE_TITLE: Record<ContactRole, string> = {
  help: '包联党员',
  health: '联户医生',
  livelihood: '村党组织书记',
};
const ORDER: ContactRole[] = ['help', 'health', 'livelihood'];

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function cardUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/c/${token}`;
}

function cardHtml(card: IssuedCard, baseUrl: string): string {
  const url = cardUrl(baseUrl, card.token);
  const qr = qrSvg(url);
  const rows = ORDER.map((role) => {
    const c = card.contacts[role];
    const who = c ? `${esc(c.name)} <b>${esc(c.mobile)}</b>` : '<span class="gap">（待配对）</span>';
    const note = role === 'help' && c ? '<i>24小时开机</i>' : '';
    return `<tr><th>${CONTACT_SLOGANS[role].zh}</th><td><small>${ROLE_TITLE[role]}</small> ${who} ${note}</td></tr>`;
  }).join('');
  return `<section class="card" data-resident="${card.residentId}">
  <header>党员+“家”连心卡</header>
  <div class="who">${esc(card.name)}<small>${esc(card.village)} ${esc(card.address)}</small></div>
  <div class="body"><table>${rows}</table><figure data-url="${esc(url)}">${qr}<figcaption>扫码求助</figcaption></figure></div>
  <footer>${card.hotline ? `24小时健康咨询热线 <b>${esc(card.hotline)}</b>` : '&nbsp;'}</footer>
</section>`;
}

const STYLE = `
@page { size: A4; margin: 8mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; color: #222; }
.sheet { width: 194mm; height: 281mm; display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: repeat(4, 1fr);
  page-break-after: always; break-after: page; }
.card { border: 0.3mm dashed #999; padding: 3mm 4mm; display: flex; flex-direction: column; gap: 1.5mm; overflow: hidden; }
.card header { background: #c8161d; color: #fff; font-weight: 700; text-align: center; font-size: 4.2mm; padding: 1mm; border-radius: 1mm; }
.who { font-size: 4mm; font-weight: 700; } .who small { font-weight: 400; font-size: 2.8mm; margin-left: 2mm; color: #555; }
.body { display: flex; gap: 2mm; flex: 1; }
table { border-collapse: collapse; font-size: 2.9mm; flex: 1; }
th { color: #c8161d; text-align: left; white-space: nowrap; padding: 0.6mm 1.5mm 0.6mm 0; vertical-align: top; }
td { padding: 0.6mm 0; } td small { color: #777; } td i { color: #c8161d; font-style: normal; font-size: 2.5mm; }
.gap { color: #aaa; }
figure { margin: 0; width: 21mm; text-align: center; font-size: 2.4mm; color: #555; } figure svg { width: 21mm; height: 21mm; }
footer { font-size: 2.7mm; color: #555; text-align: center; }
@media screen { body { background: #eee; } .sheet { background: #fff; margin: 8mm auto; box-shadow: 0 0 3mm #aaa; padding: 0; } }
`;

/** A whole printable document: sheets of eight cards. */
export async function renderCardSheets(
  cards: IssuedCard[],
  baseUrl: string,
  title = '党员+“家”连心卡',
): Promise<string> {
  const sheets: string[] = [];
  for (let i = 0; i < cards.length; i += 8)
    sheets.push(
      `<div class="sheet">${cards
        .slice(i, i + 8)
        .map((c) => cardHtml(c, baseUrl))
        .join('')}</div>`,
    );
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${sheets.join('\n') || '<p>没有需要打印的连心卡 · No cards to print</p>'}</body></html>`;
}
