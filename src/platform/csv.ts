// Splitting CSV bytes into records (RFC 4180, read leniently): a field may be quoted, with "" for a
// quote and line breaks inside; a quote within an unquoted field, or text after a closing quote, is
// kept as written; records end at CRLF, LF or a lone CR; a blank line is a record of one empty
// field (so record numbers stay the row numbers a person sees). The bytes are UTF-8: commas, quotes
// and line ends are single bytes that never occur inside a multi-byte character, so they can be
// found byte by byte, and each field is decoded once, as a string of its own (not a slice that
// would keep the whole chunk alive while the field is remembered).

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** A record no real ledger approaches; one this long means a quote that is never closed. */
export const MAX_RECORD_BYTES = 1 << 20;

export class CsvError extends Error {}

/** Takes a file's bytes chunk by chunk and returns the records each chunk completes. */
export class CsvSplitter {
  private rest: Buffer | null = null;
  private started = false;
  /** Records returned so far, for messages. */
  private records = 0;

  /**
   * The records this chunk completes; an incomplete last one waits for the next chunk (as a view of
   * this one: a caller must not reuse the chunk's memory).
   */
  push(chunk: Buffer): string[][] {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    if (!this.started) {
      // Not yet enough bytes to tell a byte-order mark.
      if (buf.length < 3) {
        this.rest = buf.length ? buf : null;
        return [];
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const out: string[][] = [];
    const used = this.split(buf, false, out);
    this.rest = used < buf.length ? buf.subarray(used) : null;
    if (this.rest && this.rest.length > MAX_RECORD_BYTES)
      throw new CsvError(`record ${this.records + 1} is longer than 1 MB: a quote is probably never closed`);
    return out;
  }

  /** The last record, if the file does not end with a line break. */
  end(): string[][] {
    const out: string[][] = [];
    const buf = this.rest;
    this.rest = null;
    if (buf?.length) this.split(buf, true, out);
    return out;
  }

  /** Splits complete records off `buf` into `out`; returns how many bytes they took. */
  private split(buf: Buffer, last: boolean, out: string[][]): number {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      const start = i;
      const record: string[] = [];
      for (;;) {
        let value = '';
        if (buf[i] === QUOTE) {
          let from = i + 1;
          let q: number;
          for (;;) {
            q = buf.indexOf(QUOTE, from);
            if (q < 0 || (q + 1 === n && !last)) {
              if (!last) return start;
              throw new CsvError(`record ${this.records + 1}: a quoted cell is never closed`);
            }
            if (buf[q + 1] !== QUOTE) break;
            value += buf.toString('utf8', from, q + 1);
            from = q + 2;
          }
          value += buf.toString('utf8', from, q);
          i = q + 1;
        }
        // The cell up to the next comma or line end (after a closing quote: whatever follows it).
        const end = fieldEnd(buf, i);
        if (end === n && !last) return start;
        if (end > i) value += buf.toString('utf8', i, end);
        i = end;
        record.push(value);
        if (i === n) break;
        const c = buf[i];
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === CR) {
          // A CR at the end of a chunk may be half of a CRLF.
          if (i + 1 === n && !last) return start;
          if (buf[i + 1] === LF) i++;
        }
        i++;
        break;
      }
      out.push(record);
      this.records++;
    }
    return n;
  }
}

/** Where the field starting at `i` ends: the next comma or line end, or the end of the bytes. */
function fieldEnd(buf: Buffer, i: number): number {
  const n = buf.length;
  while (i < n) {
    const c = buf[i]!;
    if (c === COMMA || c === LF || c === CR) return i;
    i++;
  }
  return n;
}
