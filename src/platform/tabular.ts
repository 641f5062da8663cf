// Reading the spreadsheets officials actually keep (.xlsx and .csv, UTF-8 or GBK): rows streamed
// one at a time, the header row found by its content below any title rows, columns matched by
// their Chinese or English synonyms. Row numbers are the ones Excel shows.
import fs from 'node:fs';
import path from 'node:path';
import { CsvSplitter } from './csv.ts';
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
  bigNumbers: ReadonlySet<string>;
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
  for await (const batch of readTableBatches(file, columns, opts)) yield* batch;
}

const NO_BIG_NUMBERS: ReadonlySet<string> = new Set();

/**
 * readTableDetailed's rows as the file yields them, a chunk's worth at a time: for a big import,
 * one step of the reader per chunk instead of several per row.
 */
export async function* readTableBatches(
  file: string,
  columns: ColumnSpec[],
  opts: ReadOptions = {},
): AsyncGenerator<DetailedRow[]> {
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
  let keys: string[] = [];
  let indexes: number[] = [];
  let rows = 0;
  scan: for await (const batch of raw) {
    const out: DetailedRow[] = [];
    for (const { row, cells, bigNumbers } of batch) {
      if (!header) {
        const found = matchHeader(cells, columns);
        if (found) {
          header = { row, cells, columns: found };
          [keys, indexes] = [[...found.keys()], [...found.values()]];
        } else if (row >= HEADER_SCAN_ROWS) break scan;
        continue;
      }
      if (isBlank(cells)) continue;
      const values: Record<string, string> = {};
      for (let k = 0; k < keys.length; k++) values[keys[k]!] = (cells[indexes[k]!] ?? '').trim();
      const big = bigNumbers?.length
        ? new Set(keys.filter((_, k) => bigNumbers.includes(indexes[k]!)))
        : NO_BIG_NUMBERS;
      out.push({ row, values, cells, bigNumbers: big, header });
    }
    if (Math.floor((rows + out.length) / 2000) > Math.floor(rows / 2000))
      opts.onProgress?.({ ...counter, rows: rows + out.length });
    rows += out.length;
    if (out.length) yield out;
  }
  if (!header) {
    const needed = columns.filter((c) => c.required).map((c) => c.synonyms[0]);
    throw new DomainError('import.header_missing', { columns: needed.join(', ') });
  }
  opts.onProgress?.({ bytes: counter.total, total: counter.total, rows });
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
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
 * The file's bytes, counted for progress, in reads that start at 4 KB and double up to 16 KB: each
 * read is split and made rows in one go, and before the JIT has warmed up a big one holds the main
 * thread (a cold 64 KB took ~50 ms). Reads of up to 64 KB, warm, were no faster and left a 1 M-row
 * import on PGlite a worst stall of 36 ms instead of 24.
 */
async function* chunks(file: string, counter: { bytes: number }): AsyncGenerator<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    for (let size = 4 << 10; ; size = Math.min(size * 2, 16 << 10)) {
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) return;
      counter.bytes += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** The file's records a chunk at a time, numbered as Excel (or a text editor) shows them. */
async function* csvRows(file: string, counter: { bytes: number }): AsyncGenerator<RawRow[]> {
  const encoding = sniffEncoding(file);
  // GBK is turned into UTF-8 for the splitter, which finds the commas and line ends byte by byte.
  const gbk = encoding === 'utf-8' ? null : new TextDecoder(encoding);
  const splitter = new CsvSplitter();
  // One row per record, a blank line included; a quoted cell with line breaks in it is still one row.
  let row = 0;
  const numbered = (records: string[][]) => records.map((cells) => ({ row: ++row, cells }));
  try {
    for await (const chunk of chunks(file, counter)) {
      const bytes = gbk ? Buffer.from(gbk.decode(chunk, { stream: true }), 'utf8') : chunk;
      const records = splitter.push(bytes);
      if (records.length) yield numbered(records);
    }
    const last = [...(gbk ? splitter.push(Buffer.from(gbk.decode(), 'utf8')) : []), ...splitter.end()];
    if (last.length) yield numbered(last);
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

async function* xlsxRows(file: string, counter: { bytes: number }): AsyncGenerator<RawRow[]> {
  try {
    // The first worksheet is the table; others (notes, dictionaries) are ignored.
    yield* readXlsxRows(file, counter);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('import.unreadable', { reason: (err as Error).message });
  }
}
