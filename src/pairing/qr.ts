// QR codes for the connection cards, fast enough to print a township at once. The qrcode library
// encodes the address (byte mode, level M); the data mask is chosen here by the standard's penalty
// rules (ISO/IEC 18004 §7.8.3) — the library's own choice, scored on typed arrays — and the SVG
// path is one run per row of dark modules. The library's segment optimisation and mask search were
// 95 % of the time of printing 10,000 cards (2.6 ms a code; this takes about 0.15 ms).
import QRCode from 'qrcode';

export interface QrMatrix {
  /** Modules per side. */
  size: number;
  /** Row-major, 1 = dark. */
  dark: Uint8Array;
}

/** Level M is 0b00 in the format information (L 01, M 00, Q 11, H 10). */
const LEVEL_M = 0;

/** The 15 format-information bits for level M and a mask (BCH(15,5), then XOR 101010000010010). */
function formatBits(mask: number): number {
  const data = (LEVEL_M << 3) | mask;
  const G15 = 0b10100110111;
  let d = data << 10;
  for (let top = 14; top >= 10; top--) if (d & (1 << top)) d ^= G15 << (top - 10);
  return ((data << 10) | d) ^ 0b101010000010010;
}

/** Where the format bits go (as the library places them), bit i → two positions. */
function formatPositions(size: number): Int32Array {
  const at = new Int32Array(30);
  for (let i = 0; i < 15; i++) {
    const vRow = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    const hCol = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    at[2 * i] = vRow * size + 8;
    at[2 * i + 1] = 8 * size + hCol;
  }
  return at;
}

function maskAt(mask: number, i: number, j: number): boolean {
  switch (mask) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/** Mask patterns per symbol size, computed once (a card's address is always the same version). */
const maskCache = new Map<number, Uint8Array[]>();
function masksFor(size: number): Uint8Array[] {
  let masks = maskCache.get(size);
  if (!masks) {
    masks = [];
    for (let m = 0; m < 8; m++) {
      const grid = new Uint8Array(size * size);
      for (let i = 0; i < size; i++)
        for (let j = 0; j < size; j++) grid[i * size + j] = maskAt(m, i, j) ? 1 : 0;
      masks.push(grid);
    }
    maskCache.set(size, masks);
  }
  return masks;
}

/** The penalty score of a masked symbol, exactly as the qrcode library computes it. */
export function penalty(m: Uint8Array, size: number): number {
  let n1 = 0;
  let n3 = 0;
  for (let a = 0; a < size; a++) {
    let runRow = 0;
    let runCol = 0;
    let lastRow = -1;
    let lastCol = -1;
    let bitsRow = 0;
    let bitsCol = 0;
    for (let b = 0; b < size; b++) {
      const h = m[a * size + b]!;
      const v = m[b * size + a]!;
      if (h === lastRow) runRow++;
      else {
        if (runRow >= 5) n1 += 3 + runRow - 5;
        lastRow = h;
        runRow = 1;
      }
      if (v === lastCol) runCol++;
      else {
        if (runCol >= 5) n1 += 3 + runCol - 5;
        lastCol = v;
        runCol = 1;
      }
      bitsRow = ((bitsRow << 1) & 0x7ff) | h;
      bitsCol = ((bitsCol << 1) & 0x7ff) | v;
      if (b >= 10) {
        if (bitsRow === 0x5d0 || bitsRow === 0x05d) n3++;
        if (bitsCol === 0x5d0 || bitsCol === 0x05d) n3++;
      }
    }
    if (runRow >= 5) n1 += 3 + runRow - 5;
    if (runCol >= 5) n1 += 3 + runCol - 5;
  }
  let n2 = 0;
  for (let i = 0; i < size - 1; i++) {
    for (let j = 0; j < size - 1; j++) {
      const s = m[i * size + j]! + m[i * size + j + 1]! + m[(i + 1) * size + j]! + m[(i + 1) * size + j + 1]!;
      if (s === 4 || s === 0) n2++;
    }
  }
  let dark = 0;
  for (let i = 0; i < m.length; i++) dark += m[i]!;
  const k = Math.abs(Math.ceil((dark * 100) / m.length / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + k * 10;
}

/** The modules of `text` as a QR code (byte mode, level M, the lowest-penalty mask). */
export function qrMatrix(text: string): QrMatrix {
  const base = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
    maskPattern: 0,
  });
  const { size, data, reservedBit } = base.modules;
  const masks = masksFor(size);
  const n = data.length;
  // Undo mask 0 on the data modules; function patterns (reserved) are never masked.
  const raw = new Uint8Array(n);
  const m0 = masks[0]!;
  for (let i = 0; i < n; i++) raw[i] = reservedBit[i] ? data[i]! : data[i]! ^ m0[i]!;
  const format = formatPositions(size);
  const cand = new Uint8Array(n);
  let best = 0;
  let bestScore = Infinity;
  for (let p = 0; p < 8; p++) {
    applyMask(raw, reservedBit, masks[p]!, format, p, cand);
    const score = penalty(cand, size);
    if (score < bestScore) {
      bestScore = score;
      best = p;
    }
  }
  applyMask(raw, reservedBit, masks[best]!, format, best, cand);
  return { size, dark: cand };
}

function applyMask(
  raw: Uint8Array,
  reserved: Uint8Array,
  mask: Uint8Array,
  format: Int32Array,
  p: number,
  out: Uint8Array,
): void {
  for (let i = 0; i < raw.length; i++) out[i] = reserved[i] ? raw[i]! : raw[i]! ^ mask[i]!;
  const bits = formatBits(p);
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    out[format[2 * i]!] = bit;
    out[format[2 * i + 1]!] = bit;
  }
}

/**
 * An SVG of the code: one stroked path of horizontal runs (relative moves within a row keep it
 * short: a card's code is about 2 kB), no quiet zone (the card leaves the margin).
 */
export function qrSvg(text: string): string {
  const { size, dark } = qrMatrix(text);
  let d = '';
  for (let row = 0; row < size; row++) {
    let end = -1; // where the last run of this row ended
    let col = 0;
    while (col < size) {
      if (!dark[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && dark[row * size + col]) col++;
      d += end < 0 ? `M${start} ${row}.5h${col - start}` : `m${start - end} 0h${col - start}`;
      end = col;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><path stroke="#000" d="${d}"/></svg>`;
}
