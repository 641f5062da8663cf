// The resident's own page, opened from the QR code on their card: no sign-in, Chinese, big type;
// the three contacts with tap-to-call, big buttons for the needs, a few words, then the status of
// their requests, a way to say whether it was solved and to rate the service (1–5, or not at all).
// Plain HTML and a little script, a few KB.
import type { CardHolder } from '../pairing/cards.ts';
import { CONTACT_SLOGANS } from '../pairing/rules.ts';
import type { ContactRole } from '../pairing/schema.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#fff7f5;color:#222;font-size:20px}
header{background:#c8161d;color:#fff;padding:16px;text-align:center;font-size:24px;font-weight:700}
main{padding:14px;max-width:560px;margin:auto}h2{font-size:21px;margin:22px 0 8px}
a.call{display:block;background:#fff;border:2px solid #c8161d;border-radius:14px;padding:14px;margin:10px 0;color:#222;text-decoration:none}
a.call b{display:block;color:#c8161d}a.call span{font-size:24px;font-weight:700}.none{color:#999;border-color:#ddd!important}
.needs{display:grid;grid-template-columns:1fr 1fr;gap:10px}.needs button{font-size:22px;padding:18px 6px;border-radius:14px;border:2px solid #c8161d;background:#fff;color:#c8161d}
.needs button.on{background:#c8161d;color:#fff}textarea{width:100%;box-sizing:border-box;font-size:20px;padding:10px;border-radius:10px;border:1px solid #ccc;margin-top:10px}
.go{width:100%;font-size:24px;padding:16px;margin-top:10px;border:0;border-radius:14px;background:#c8161d;color:#fff}
.go:disabled{background:#e99}.urg{display:flex;gap:6px;margin-top:10px}.urg label{flex:1;text-align:center;border:1px solid #ccc;border-radius:10px;padding:10px 2px;white-space:nowrap;font-size:18px}
.urg input{width:22px;height:22px;vertical-align:-4px;margin:0 2px 0 0}.hint{color:#666;font-size:17px;text-align:center;margin:6px 0 0}.stars button{font-size:18px;color:#e6a100}
.o{background:#fff;border-radius:12px;padding:12px;margin:8px 0}.o b{color:#c8161d}.o button{font-size:20px;margin:8px 8px 0 0;padding:10px 14px;border-radius:10px}
.msg{padding:12px;border-radius:10px;background:#e8f5e9;margin-top:10px;display:none}.hot{text-align:center;margin-top:20px}`;

const SCRIPT = `(function(){var t=document.body.dataset.token,need=null,key=null,msg=document.getElementById('msg');
function api(p,o){return fetch('/api/public/cards/'+t+p,o).then(function(r){return r.json().then(function(j){if(!r.ok)throw j;return j})})}
document.querySelectorAll('.needs button').forEach(function(b){b.onclick=function(){document.querySelectorAll('.needs button').forEach(function(x){x.className=''});b.className='on';need=b.dataset.code;document.getElementById('go').disabled=false;document.getElementById('hint').style.display='none'}});
document.getElementById('go').onclick=function(){var g=this;if(!need)return;g.disabled=true;key=key||(Date.now().toString(36)+Math.random().toString(36).slice(2));
var u=document.querySelector('input[name=u]:checked');api('/orders',{method:'POST',headers:{'content-type':'application/json','idempotency-key':key},
body:JSON.stringify({needCode:need,urgency:u?u.value:'normal',description:document.getElementById('d').value})}).then(function(o){key=null;msg.style.display='block';
msg.textContent='已提交，编号 '+o.id+'。'+(o.assigneeName?o.assigneeName+' 会尽快联系您。':'工作人员会尽快联系您。');load()}).catch(function(e){g.disabled=false;msg.style.display='block';msg.textContent=(e&&e.detail)||'提交失败，请稍后再试或直接打电话。'})};
function fb(id,solved,rating){api('/orders/'+id+'/feedback',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({solved:solved,rating:rating})}).then(load)}
function btn(text,f,label){var b=document.createElement('button');b.textContent=text;if(label)b.setAttribute('aria-label',label);b.onclick=f;return b}
function rate(box,id,solved){box.innerHTML='<p>'+(solved?'已解决。':'没解决，我们会再来处理。')+'请给这次服务打个分：</p>';var r=document.createElement('div');r.className='stars';
[1,2,3,4,5].forEach(function(n){r.appendChild(btn(new Array(n+1).join('★'),function(){fb(id,solved,n)},n+' 星'))});box.appendChild(r);box.appendChild(btn('不打分',function(){fb(id,solved,null)}))}
function load(){api('/orders').then(function(list){var el=document.getElementById('list');el.innerHTML='';list.forEach(function(o){var d=document.createElement('div');d.className='o';
d.innerHTML='<b>'+o.needName+'</b> · '+o.stateName+'<br><small>#'+o.id+' '+o.createdAt+'</small>';if(o.state==='resolved'){var box=document.createElement('div');box.innerHTML='<p>问题解决了吗？</p>';
box.appendChild(btn('已解决',function(){rate(box,o.id,true)}));box.appendChild(btn('没解决',function(){rate(box,o.id,false)}));d.appendChild(box)}el.appendChild(d)})})}load()})()`;

export function residentPage(
  token: string,
  h: CardHolder,
  needs: { code: string; nameZh: string }[],
): string {
  const order: ContactRole[] = ['help', 'health', 'livelihood'];
  const calls = order
    .map((role) => {
      const c = h.contacts[role];
      const slogan = CONTACT_SLOGANS[role].zh;
      return c
        ? `<a class="call" href="tel:${esc(c.mobile)}"><b>${slogan}</b><span>📞 ${esc(c.name)} ${esc(c.mobile)}</span></a>`
        : `<a class="call none"><b>${slogan}</b><span>正在为您安排</span></a>`;
    })
    .join('');
  const buttons = needs
    .map((n) => `<button type="button" data-code="${esc(n.code)}">${esc(n.nameZh)}</button>`)
    .join('');
  const hot = h.hotline
    ? `<p class="hot">24小时健康咨询热线<br><a href="tel:${esc(h.hotline)}">${esc(h.hotline)}</a></p>`
    : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>连心卡</title><style>${STYLE}</style></head><body data-token="${esc(token)}"><header>党员+“家”连心卡</header><main>
<p>${esc(h.name)}，您好！有事请直接拨打：</p>${calls}
<h2>我需要帮助</h2><div class="needs">${buttons}</div>
<div class="urg"><label><input type="radio" name="u" value="normal" checked> 一般</label><label><input type="radio" name="u" value="urgent"> 紧急</label><label><input type="radio" name="u" value="critical"> 非常紧急</label></div>
<textarea id="d" rows="2" maxlength="200" placeholder="说几句（可不填）"></textarea>
<button class="go" id="go" disabled>提交</button><p class="hint" id="hint">先点上面的一项，再点“提交”</p><div class="msg" id="msg"></div>
<h2>我的求助</h2><div id="list"></div>${hot}</main><script>${SCRIPT}</script></body></html>`;
}
