// Reading the entries of a zip file (an .xlsx is one) where they lie: the central directory at the
// end says where each entry's bytes are, and an entry is inflated as it streams, never held whole.
import fs from 'node:fs';
import zlib from 'node:zlib';

export interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  offset: number;
}

/** The entries of a zip file, in the central directory's order. */
export async function zipEntries(file: string): Promise<Entry[]> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || cdSize === 0xffffffff || count === 0xffff) {
      // Zip64: the locator just before the end record points at the real one.
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new Error('zip64 locator missing');
      const rec = Buffer.alloc(56);
      await fh.read(rec, 0, 56, Number(tail.readBigUInt64LE(loc + 8)));
      if (rec.readUInt32LE(0) !== 0x06064b50) throw new Error('zip64 end record missing');
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: Entry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let compressedSize = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      let offset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // Zip64 sizes and offset, in that order, for the fields that overflowed.
      let x = p + 46 + nameLen;
      const extraEnd = x + extraLen;
      while (x + 4 <= extraEnd) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          if (uncompressed === 0xffffffff) q += 8;
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (offset === 0xffffffff) offset = Number(cd.readBigUInt64LE(q));
        }
        x += 4 + len;
      }
      entries.push({ name, method: cd.readUInt16LE(p + 10), compressedSize, offset });
      p = extraEnd + commentLen;
    }
    // Where each entry's data starts: after its local header, whose name and extra field may differ.
    for (const e of entries) {
      const local = Buffer.alloc(30);
      await fh.read(local, 0, 30, e.offset);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`bad local header for ${e.name}`);
      e.offset += 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** The entry's bytes inflated, as text chunks (UTF-8 decoded across chunk boundaries). */
export async function* entryText(file: string, e: Entry, counter: { bytes: number }): AsyncGenerator<string> {
  if (e.method !== 0 && e.method !== 8) throw new Error(`${e.name}: compression method ${e.method}`);
  if (e.compressedSize === 0) return;
  const raw = fs.createReadStream(file, {
    start: e.offset,
    end: e.offset + e.compressedSize - 1,
    highWaterMark: 64 * 1024,
  });
  raw.on('data', (chunk) => (counter.bytes += chunk.length));
  const source = e.method === 8 ? raw.pipe(zlib.createInflateRaw({ chunkSize: 64 * 1024 })) : raw;
  raw.on('error', (err) => source.destroy(err));
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    raw.destroy();
    source.destroy();
  }
}

/** A small entry's whole text. */
export async function entryWhole(file: string, e: Entry, counter: { bytes: number }): Promise<string> {
  let out = '';
  for await (const text of entryText(file, e, counter)) out += text;
  return out;
}
