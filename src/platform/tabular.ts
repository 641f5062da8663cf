// Reading the spreadsheets officials actually keep (.xlsx and .csv, UTF-8 or GBK): rows streamed
// one at a time, the header row found by its content below any title rows, columns matched by
// their Chinese or English synonyms. Row numbers are the ones Excel shows.
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { DomainError } from './errors.ts';
import { readXlsxRows } from './xlsx-reader.ts';

export interface ColumnSpec {
  key: string;
  /** Header texts that mean this column, compared without spaces, case or punctuation. */
  synonyms: string[];
  required?: boolean;
}

export interface TableRow {
  /** The row number as Excel (or a text editor, for CSV) shows it. */
  row: number;
  values: Record<string, string>;
}

/** The header row as found: its number, its cells as written, and which cell each column is. */
export interface TableHeader {
  row: number;
  cells: string[];
  columns: Map<string, number>;
}

export interface DetailedRow extends TableRow {
  /** Every cell of the row as a person sees it (untrimmed), for reporting a row back as it was. */
  cells: string[];
  /** Columns whose .xlsx cell held a number of 1e15 or more: an ID number Excel already rounded. */
  bigNumbers: Set<string>;
  header: TableHeader;
}

export interface ReadOptions {
  /** Called every few thousand rows and at the end with the bytes read so far and the file size. */
  onProgress?: (p: { bytes: number; total: number; rows: number }) => void;
}

const HEADER_SCAN_ROWS = 30;

export const normalizeHeader = (s: string): string => s.replace(/[\s*＊:：()（）\-_/\\]/g, '').toLowerCase();

/**
 * Streams the data rows of a table file.
 * @throws import.unreadable | import.header_missing (as DomainError, before any row is yielded)
 */
export async function* readTable(file: string, columns: ColumnSpec[]): AsyncGenerator<TableRow> {
  for await (const { row, values } of readTableDetailed(file, columns)) yield { row, values };
}

/**
 * Streams the data rows with what an importer needs to report them: the raw cells, the header
 * as written, and the cells Excel stored as big numbers. Blank rows are skipped.
 * @throws import.unreadable | import.header_missing (as DomainError, before any row is yielded)
 */
export async function* readTableDetailed(
  file: string,
  columns: ColumnSpec[],
  opts: ReadOptions = {},
): AsyncGenerator<DetailedRow> {
  const ext = path.extname(file).toLowerCase();
  if (!fs.existsSync(file)) throw new DomainError('import.unreadable', { reason: `${file}: no such file` });
  const counter = { bytes: 0, total: fs.statSync(file).size };
  const raw =
    ext === '.xlsx'
      ? xlsxRows(file, counter)
      : ext === '.csv' || ext === '.txt'
        ? csvRows(file, counter)
        : null;
  if (!raw) throw new DomainError('import.file_type', { name: path.basename(file) });
  let header: TableHeader | null = null;
  let rows = 0;
  for await (const { row, cells, bigNumbers } of raw) {
    if (!header) {
      const found = matchHeader(cells, columns);
      if (found) header = { row, cells, columns: found };
      else if (row >= HEADER_SCAN_ROWS) break;
      continue;
    }
    if (cells.every((c) => c.trim() === '')) continue;
    const values: Record<string, string> = {};
    const big = new Set<string>();
    for (const [key, idx] of header.columns) {
      values[key] = (cells[idx] ?? '').trim();
      if (bigNumbers?.includes(idx)) big.add(key);
    }
    if (++rows % 2000 === 0) opts.onProgress?.({ ...counter, rows });
    yield { row, values, cells, bigNumbers: big, header };
  }
  if (!header) {
    const needed = columns.filter((c) => c.required).map((c) => c.synonyms[0]);
    throw new DomainError('import.header_missing', { columns: needed.join(', ') });
  }
  opts.onProgress?.({ bytes: counter.total, total: counter.total, rows });
}

function matchHeader(cells: string[], columns: ColumnSpec[]): Map<string, number> | null {
  const found = new Map<string, number>();
  const norm = cells.map(normalizeHeader);
  // 身份证号码（必填） and 出生日期(年月日) mean their words without the remark in brackets.
  const bare = cells.map((c) => normalizeHeader(c.replace(/[(（][^)）]*[)）]/g, '')));
  for (const col of columns) {
    const wanted = col.synonyms.map(normalizeHeader);
    let idx = norm.findIndex((c, i) => c !== '' && wanted.includes(c) && ![...found.values()].includes(i));
    if (idx < 0)
      idx = bare.findIndex((c, i) => c !== '' && wanted.includes(c) && ![...found.values()].includes(i));
    if (idx >= 0) found.set(col.key, idx);
  }
  return columns.every((c) => !c.required || found.has(c.key)) ? found : null;
}

interface RawRow {
  row: number;
  cells: string[];
  /** Indexes of cells that held a number of 1e15 or more (.xlsx only). */
  bigNumbers?: number[];
}

/**
 * A read stream of the file that counts the bytes read, for progress. 4 KB at a time: the CSV
 * parser takes a chunk in one go, and before the JIT has warmed up that holds the main thread — 64
 * KB for ~50 ms, 16 KB for up to 20 ms (a 100 k-row import's worst stalls: 33–42 ms with 16 KB
 * reads, 25 ms with 4 KB, as fast).
 */
function counted(file: string, counter: { bytes: number }): fs.ReadStream {
  const stream = fs.createReadStream(file, { highWaterMark: 4 * 1024 });
  stream.on('data', (chunk) => (counter.bytes += chunk.length));
  return stream;
}

async function* csvRows(file: string, counter: { bytes: number }): AsyncGenerator<RawRow> {
  const encoding = sniffEncoding(file);
  const decoded =
    encoding === 'utf-8'
      ? counted(file, counter).setEncoding('utf8')
      : counted(file, counter).pipe(decoder(encoding));
  const parser = decoded.pipe(
    parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  // The row number as Excel shows the file: one per record, a blank line included; a quoted cell
  // with line breaks in it is still one row. (The parser's line count is not, and its per-record
  // info cost a tenth of a CSV import's reading.)
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) yield { row: ++row, cells };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('import.unreadable', { reason: (err as Error).message });
  }
}

/** Excel on Chinese Windows saves CSV as GBK; anything that isn't valid UTF-8 is read as GB18030. */
function sniffEncoding(file: string): 'utf-8' | 'gb18030' {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    // Cut at a line end so a multi-byte character split by the buffer isn't taken as invalid.
    const end = n === buf.length ? buf.lastIndexOf(0x0a, n - 1) + 1 || n : n;
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'gb18030';
  } finally {
    fs.closeSync(fd);
  }
}

function decoder(encoding: string): Transform {
  const td = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, td.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, td.decode());
    },
  });
}

async function* xlsxRows(file: string, counter: { bytes: number }): AsyncGenerator<RawRow> {
  try {
    // The first worksheet is the table; others (notes, dictionaries) are ignored.
    yield* readXlsxRows(file, counter);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('import.unreadable', { reason: (err as Error).message });
  }
}
