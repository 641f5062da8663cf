// Reading the first worksheet of an .xlsx a row at a time without holding it: the zip's central
// directory gives each part's place in the file, the sheet is inflated and scanned as it streams,
// and the shared strings are kept as one UTF-8 buffer with offsets (a few bytes a string, off the JS
// heap) rather than as hundreds of thousands of JS strings.
//
// What a cell reads as follows what exceljs's streaming WorkbookReader (and our text of its values)
// made of it before, so that imports judge rows as they did: the first worksheet is the first in zip
// order that exceljs would have parsed first. Two of its mistakes are not kept: a formula reads as its
// cached result whatever it is (exceljs gave "[object Object]" for 0, FALSE or an empty text), and
// the built-in number formats Excel's Chinese edition writes for dates (年月日) read as dates.
import { attr, ENTITIES, XmlScanner, type XmlHandler } from './xml-scanner.ts';
import { entryText, entryWhole, zipEntries, type Entry } from './zip.ts';

export interface XlsxRow {
  /** The row number as Excel shows it. */
  row: number;
  /** The cells' text, from column A to the last column holding a value. */
  cells: string[];
  /** Indexes of cells that held a number of 1e15 or more. */
  bigNumbers?: number[];
}

/**
 * Streams the rows of the first worksheet, those each chunk of the sheet completes at a time.
 * `counter.bytes` grows with the file's bytes read.
 */
export async function* readXlsxRows(file: string, counter: { bytes: number }): AsyncGenerator<XlsxRow[]> {
  const entries = await zipEntries(file);
  const plan = firstSheet(entries);
  if (!plan) return;
  const before = (name: string) => plan.before.find((e) => e.name === name);
  const wb = before('xl/workbook.xml');
  const date1904 = wb ? (workbookDate1904(await entryWhole(file, wb, counter)) ?? false) : undefined;
  const st = before('xl/styles.xml');
  const styles = st ? parseStyles(await entryWhole(file, st, counter)) : null;
  const ss = before('xl/sharedStrings.xml');
  const strings = ss ? await readSharedStrings(file, ss, counter) : null;
  const sheet = new SheetScanner(strings, styles, date1904);
  const scanner = new XmlScanner(sheet);
  for await (const chunk of entryText(file, plan.sheet, counter)) {
    scanner.write(chunk);
    if (sheet.rows.length) {
      const rows = sheet.rows;
      sheet.rows = [];
      yield rows;
    }
  }
  scanner.end();
  if (sheet.rows.length) yield sheet.rows;
}

/**
 * The worksheet exceljs would have read first, and the parts it had read by then: a sheet met
 * after the shared strings and the workbook's relationships is read on the spot; one met before
 * them waits for the end of the zip.
 */
function firstSheet(entries: Entry[]): { sheet: Entry; before: Entry[] } | null {
  let strings = false;
  let rels = false;
  let waiting: Entry | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.name === 'xl/sharedStrings.xml') strings = true;
    else if (e.name === 'xl/_rels/workbook.xml.rels') rels = true;
    else if (/xl\/worksheets\/sheet\d+[.]xml/.test(e.name)) {
      if (strings && rels) return { sheet: e, before: entries.slice(0, i) };
      waiting ??= e;
    }
  }
  return waiting && { sheet: waiting, before: entries };
}

function scanAll(xml: string, h: XmlHandler): void {
  const s = new XmlScanner(h);
  s.write(xml);
  s.end();
}

// ---- workbook and styles ----

/** Whether the workbook counts dates from 1904 (`<workbookPr date1904="1"/>`, as exceljs read it). */
function workbookDate1904(xml: string): boolean | undefined {
  let out: boolean | undefined;
  scanAll(xml, {
    open(name, attrs) {
      if (name === 'workbookPr') out = attr(attrs, 'date1904') === '1';
    },
    text() {},
    close() {},
  });
  return out;
}

/**
 * Built-in number formats that are dates or times: exceljs's table (14–22, 45–47) and those whose
 * meaning Excel takes from the locale, which in zh-CN are 年月日 and 时分 forms (27–36, 50–58:
 * `yyyy"年"m"月"d"日"` is 31). A file written by the Chinese edition names only the id.
 */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

function isDateFormat(code: string): boolean {
  const bare = code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(bare);
}

/** For each cell format (cellXfs, by index): whether its number format is a date. */
function parseStyles(xml: string): boolean[] {
  const custom = new Map<number, string>();
  const xfs: boolean[] = [];
  let inCellXfs = false;
  let inNumFmts = false;
  scanAll(xml, {
    open(name, attrs) {
      if (name === 'numFmts') inNumFmts = true;
      else if (name === 'numFmt' && inNumFmts) {
        const code = (attr(attrs, 'formatCode') ?? '').replace(/[\\](.)/g, '$1');
        custom.set(parseInt(attr(attrs, 'numFmtId') ?? '', 10), code);
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = parseInt(attr(attrs, 'numFmtId') ?? '', 10);
        const code = id ? custom.get(id) : undefined;
        xfs.push(id ? (code ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) : false);
      }
    },
    text() {},
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
      else if (name === 'numFmts') inNumFmts = false;
    },
  });
  return xfs;
}

// ---- shared strings ----

/** The shared strings as UTF-8 bytes end to end; `null` strings (an empty <si>) are remembered apart. */
class SharedStrings {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private starts = new Uint32Array(1 << 14);
  private used = 0;
  private nulls = new Set<number>();
  count = 0;

  push(s: string | null): void {
    if (this.count + 2 > this.starts.length) {
      const next = new Uint32Array(this.starts.length * 2);
      next.set(this.starts);
      this.starts = next;
    }
    if (s === null) this.nulls.add(this.count);
    else if (s.length) {
      const need = this.used + s.length * 3;
      if (need > this.bytes.length) {
        const next = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2));
        this.bytes.copy(next, 0, 0, this.used);
        this.bytes = next;
      }
      this.used += this.bytes.write(s, this.used, 'utf8');
    }
    this.starts[++this.count] = this.used;
  }

  /** The string at `i`; null for an empty <si>, undefined past the end. */
  get(i: number): string | null | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    if (this.nulls.has(i)) return null;
    return this.bytes.toString('utf8', this.starts[i], this.starts[i + 1]);
  }

  /** Gives back the spare room once every string is in. */
  trim(): void {
    this.bytes = Buffer.from(this.bytes.subarray(0, this.used));
    this.starts = this.starts.slice(0, this.count + 1);
  }
}

async function readSharedStrings(file: string, e: Entry, counter: { bytes: number }): Promise<SharedStrings> {
  const out = new SharedStrings();
  // exceljs's reading: a string is the text of its last <t> (a phonetic run's included), or the runs'
  // texts joined when it has runs; text outside <t> counts too.
  let text: string | null = null;
  let runs: string[] | null = null;
  const scanner = new XmlScanner({
    open(name) {
      if (name === 'si') runs = null;
      if (name === 'si' || name === 't') text = null;
    },
    text(t) {
      text = text ? text + t : t;
    },
    close(name) {
      if (name === 'r') {
        (runs ??= []).push(text ?? '');
        text = null;
      } else if (name === 'si') {
        out.push(runs ? runs.join('') : text);
        runs = null;
        text = null;
      }
    },
  });
  for await (const chunk of entryText(file, e, counter)) scanner.write(chunk);
  scanner.end();
  out.trim();
  return out;
}

// ---- the worksheet ----

interface PendingCell {
  ref: string | undefined;
  s: number;
  t: string | undefined;
  v: { text: string } | undefined;
}

/**
 * exceljs's WorksheetReader, reduced to what a row's text needs: a cell's value from its type,
 * shared string, formula result or date format; a row's cells up to the last one holding a value.
 */
class SheetScanner implements XmlHandler {
  rows: XlsxRow[] = [];
  private inRows = false;
  private rowNumber = 0;
  private lastRow = 0;
  private rowDate = false;
  private values: (string | undefined)[] | null = null;
  private big: number[] | undefined;
  private lastCol = 0;
  private c: PendingCell | null = null;
  private current: { text: string } | null = null;

  constructor(
    private strings: SharedStrings | null,
    private styles: boolean[] | null,
    private date1904: boolean | undefined,
  ) {}

  open(name: string, attrs: string): void {
    switch (name) {
      case 'sheetData':
        this.inRows = true;
        break;
      case 'row':
        if (this.inRows) {
          const r = parseInt(attr(attrs, 'r') ?? '', 10);
          this.rowNumber = Number.isNaN(r) ? this.lastRow + 1 : r;
          const s = attr(attrs, 's');
          this.rowDate = s !== undefined && this.styleIsDate(parseInt(s, 10)) === true;
          this.values = [];
          this.big = undefined;
          this.lastCol = 0;
        }
        break;
      case 'c':
        if (this.values)
          this.c = {
            ref: attr(attrs, 'r'),
            s: parseInt(attr(attrs, 's') ?? '', 10),
            t: attr(attrs, 't'),
            v: undefined,
          };
        break;
      case 'f':
        this.current = null; // a formula's text: its saved result (<v>) is what the cell reads as
        break;
      case 'v':
      case 'is':
      case 't':
        if (this.c) this.current = this.c.v = { text: '' };
        break;
    }
  }

  text(text: string): void {
    if (this.current) this.current.text += text;
  }

  close(name: string): void {
    switch (name) {
      case 'sheetData':
        this.inRows = false;
        break;
      case 'row':
        if (this.values) {
          const cells: string[] = new Array<string>(this.values.length);
          for (let i = 0; i < this.values.length; i++) cells[i] = this.values[i] ?? '';
          this.rows.push({ row: this.rowNumber, cells, bigNumbers: this.big });
          this.lastRow = this.rowNumber;
          this.values = null;
        }
        break;
      case 'c':
        if (this.values && this.c) {
          const c = this.c;
          const col = c.ref ? columnOf(c.ref) : this.lastCol + 1;
          this.lastCol = col;
          const text = this.cellText(c, col);
          if (text !== undefined) {
            while (this.values.length < col) this.values.push(undefined);
            this.values[col - 1] = text;
          }
          this.c = null;
        }
        break;
    }
  }

  /** Whether a cell format is a date; undefined when the workbook has no such format. */
  private styleIsDate(s: number): boolean | undefined {
    return this.styles ? this.styles[s] : undefined;
  }

  /**
   * The cell's text as cellText made it of exceljs's value; undefined for a cell without one. A
   * formula is its cached result, read by the cell's type like any value (none cached: no value).
   */
  private cellText(c: PendingCell, col: number): string | undefined {
    if (!c.v) return undefined;
    const text = c.v.text;
    switch (c.t) {
      case 's': {
        if (!this.strings) return undefined;
        const v = this.strings.get(parseInt(text, 10));
        return v === null || v === undefined ? undefined : v;
      }
      case 'inlineStr':
      case 'str':
        return xmlDecode(text);
      case 'e':
        return '';
      case 'b':
        return parseInt(text, 10) !== 0 ? 'TRUE' : 'FALSE';
      default: {
        const n = parseFloat(text);
        const own = c.s ? this.styleIsDate(c.s) : undefined;
        if (own ?? this.rowDate) {
          // exceljs read the workbook's date system from workbook.xml, and failed without it.
          if (this.date1904 === undefined)
            throw new Error('a date cell, and no xl/workbook.xml before the sheet');
          const ms = Math.round((n - 25569 + (this.date1904 ? 1462 : 0)) * 24 * 3600 * 1000);
          return new Date(ms).toISOString().slice(0, 10);
        }
        if (Math.abs(n) >= 1e15) (this.big ??= []).push(col - 1);
        return numberText(n);
      }
    }
  }
}

/** cellText of a number. */
function numberText(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : String(v);
}

/** exceljs decoded the text of str and inlineStr cells once more after the XML parser had. */
function xmlDecode(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(/&([a-z]*);/g, (c) => ENTITIES[c.slice(1, -1)] ?? c);
}

/** The column number (A = 1) of a cell reference like AB12. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) & ~0x20;
    if (c < 0x41 || c > 0x5a) break;
    col = col * 26 + (c - 0x40);
  }
  return col;
}
