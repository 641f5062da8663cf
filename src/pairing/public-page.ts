// The page a scanned card shows when its code is unknown or revoked.

const STYLE = `body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#fff7f5;color:#222;font-size:20px}
header{background:#c8161d;color:#fff;padding:18px;text-align:center;font-size:24px;font-weight:700}
main{padding:16px;max-width:560px;margin:auto}.hi{font-size:22px;margin:8px 0 16px}
a.call{display:block;background:#fff;border:2px solid #c8161d;border-radius:14px;padding:16px;margin:14px 0;color:#222;text-decoration:none}
a.call b{display:block;color:#c8161d;font-size:22px}a.call span{font-size:26px;font-weight:700}
.none{color:#999;border-color:#ddd}.hot{text-align:center;margin-top:20px}`;

export function invalidCardPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>连心卡已失效</title><style>${STYLE}</style></head><body><header>党员+“家”连心卡</header><main>
<p class="hi">此连心卡已失效或不存在。<br>This card is no longer valid.</p><p>请联系村（社区）更换新卡。</p></main></body></html>`;
}
