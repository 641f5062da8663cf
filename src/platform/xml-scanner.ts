// A small streaming XML scanner for the parts of an .xlsx: enough XML for spreadsheets, fed text
// chunks as a zip entry inflates, calling its handler for each element and text as it completes.

export interface XmlHandler {
  open(name: string, attrs: string): void;
  text(text: string): void;
  close(name: string): void;
}

/**
 * A forgiving streaming XML scanner: elements (namespace prefixes dropped), attributes left as
 * text for the handler to pick from, text with entities decoded and line ends normalised; comments,
 * processing instructions and CDATA skipped (the SAX parser behind exceljs reported no CDATA text).
 */
export class XmlScanner {
  private rest = '';

  constructor(private h: XmlHandler) {}

  write(chunk: string): void {
    const s = this.rest ? this.rest + chunk : chunk;
    this.rest = s.slice(this.scan(s, false));
  }

  end(): void {
    if (this.rest) this.scan(this.rest, true);
    this.rest = '';
  }

  /** Handles every complete token of `s`; returns where the incomplete remainder starts. */
  private scan(s: string, final: boolean): number {
    const h = this.h;
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) {
        if (!final) return pos;
        h.text(decodeText(s.slice(pos)));
        return n;
      }
      if (lt > pos) h.text(decodeText(s.slice(pos, lt)));
      pos = lt;
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 0x2f /* / */) {
        const gt = s.indexOf('>', lt);
        if (gt < 0) return final ? n : lt;
        h.close(localName(s.slice(lt + 2, gt).trim()));
        pos = gt + 1;
      } else if (c1 === 0x21 /* ! */ || c1 === 0x3f /* ? */) {
        if (!final && n - lt < 9) return lt;
        const close = s.startsWith('<!--', lt)
          ? '-->'
          : s.startsWith('<![CDATA[', lt)
            ? ']]>'
            : c1 === 0x3f
              ? '?>'
              : '>';
        const end = s.indexOf(close, lt + 2);
        if (end < 0) return final ? n : lt;
        pos = end + close.length;
      } else {
        const gt = tagEnd(s, lt);
        if (gt < 0) return final ? n : lt;
        const selfClosing = s.charCodeAt(gt - 1) === 0x2f;
        const inner = s.slice(lt + 1, selfClosing ? gt - 1 : gt);
        let sp = 0;
        while (sp < inner.length && !isSpace(inner.charCodeAt(sp))) sp++;
        const name = localName(inner.slice(0, sp));
        h.open(name, inner.slice(sp));
        if (selfClosing) h.close(name);
        pos = gt + 1;
      }
    }
    return n;
  }
}

export const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** The `>` that ends the tag opened at `lt`, skipping any inside quoted attribute values. */
function tagEnd(s: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i;
  }
  return -1;
}

export const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.charCodeAt(0) === 0x23) {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

function decodeText(s: string): string {
  if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
  return s.indexOf('&') >= 0 ? decodeEntities(s) : s;
}

/** An attribute's value from an element's attribute text, entities decoded. */
export function attr(attrs: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const i = attrs.indexOf(name, from);
    if (i < 0) return undefined;
    from = i + name.length;
    const before = i === 0 ? 0x20 : attrs.charCodeAt(i - 1);
    if (!isSpace(before) && before !== 0x3a /* a prefix's colon */) continue;
    let j = from;
    while (isSpace(attrs.charCodeAt(j))) j++;
    if (attrs.charCodeAt(j) !== 0x3d /* = */) continue;
    j++;
    while (isSpace(attrs.charCodeAt(j))) j++;
    const q = attrs[j];
    if (q !== '"' && q !== "'") continue;
    const end = attrs.indexOf(q, j + 1);
    if (end < 0) return undefined;
    const v = attrs.slice(j + 1, end);
    return v.indexOf('&') >= 0 ? decodeEntities(v.replace(/[\t\n\r]/g, ' ')) : v.replace(/[\t\n\r]/g, ' ');
  }
}
