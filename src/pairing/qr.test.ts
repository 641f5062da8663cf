// The cards' QR codes are the qrcode library's own symbols (same version, same mask), made faster.
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrMatrix, qrSvg } from './qr.ts';

const library = (text: string) =>
  QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: 'M' })
    .modules;

describe('qrMatrix', () => {
  it('gives exactly the symbol the library chooses, for card addresses and other lengths', () => {
    const texts = [
      ...Array.from(
        { length: 300 },
        () => `https://lianxin.example.gov.cn/c/${randomBytes(18).toString('base64url')}`,
      ),
      ...Array.from(
        { length: 60 },
        (_, i) => `http://10.0.0.${i}:3000/c/${randomBytes(1 + i).toString('base64url')}`,
      ),
      'a',
      '连心卡 https://县.example/c/x',
    ];
    for (const text of texts) {
      const ours = qrMatrix(text);
      const theirs = library(text);
      expect(ours.size).toBe(theirs.size);
      expect(Buffer.from(ours.dark).equals(Buffer.from(theirs.data))).toBe(true);
    }
  });

  it('draws every dark module and nothing else', () => {
    const text = `https://lianxin.example.gov.cn/c/${randomBytes(18).toString('base64url')}`;
    const { size, dark } = qrMatrix(text);
    const svg = qrSvg(text);
    expect(svg).toContain(`viewBox="0 0 ${size} ${size}"`);
    const drawn = new Uint8Array(size * size);
    let x = 0;
    let row = 0;
    for (const [, cmd, a, b, w] of svg.matchAll(/([Mm])(\d+) ([\d.]+)h(\d+)/g)) {
      if (cmd === 'M') [x, row] = [Number(a), Number(b) - 0.5];
      else x += Number(a);
      for (let c = x; c < x + Number(w); c++) drawn[row * size + c] = 1;
      x += Number(w);
    }
    expect(Buffer.from(drawn).equals(Buffer.from(dark))).toBe(true);
  });
});
