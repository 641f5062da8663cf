// The CSV splitter: what officials' files hold (quotes, line breaks in cells, CRLF, a BOM, Chinese
// text, blank lines), the same records however the bytes are cut into chunks, and a clear error
// for a quote never closed.
import { describe, expect, it } from 'vitest';
import { CsvError, CsvSplitter, MAX_RECORD_BYTES } from './csv.ts';

/** The records of `bytes` fed in the given chunk lengths (the rest in one last chunk). */
function split(bytes: Buffer, cuts: number[] = []): string[][] {
  const s = new CsvSplitter();
  const out: string[][] = [];
  let at = 0;
  for (const len of cuts) {
    out.push(...s.push(bytes.subarray(at, at + len)));
    at += len;
  }
  out.push(...s.push(bytes.subarray(at)), ...s.end());
  return out;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('a CSV file split into records', () => {
  it('ends records at CRLF, LF or a lone CR, and takes the last one without a line break', () => {
    expect(split(utf8('a,b\r\nc,d\ne,f\rg,h'))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('reads quoted cells: commas, "" for a quote, line breaks inside, an empty quoted cell', () => {
    expect(split(utf8('"张三, 李四","他说""好""","第一行\r\n第二行",""\n'))).toEqual([
      ['张三, 李四', '他说"好"', '第一行\r\n第二行', ''],
    ]);
  });

  it('keeps a blank line as a record of one empty cell, and empty cells where commas meet', () => {
    expect(split(utf8('a,,b\n\n,\nc\n'))).toEqual([['a', '', 'b'], [''], ['', ''], ['c']]);
  });

  it('drops a UTF-8 byte-order mark at the start, and only there', () => {
    expect(split(utf8('\uFEFF姓名,电话\n\uFEFF王五,1\n'))).toEqual([
      ['姓名', '电话'],
      ['\uFEFF王五', '1'],
    ]);
  });

  it('keeps a quote inside an unquoted cell, and text after a closing quote, as written', () => {
    expect(split(utf8('5"门,"3"号楼,x\n'))).toEqual([['5"门', '3号楼', 'x']]);
  });

  it('gives the same records however the bytes are cut into chunks', () => {
    const text = '\uFEFF户主,"地址, 门牌"\r\n"王""大""",幸福村\r\n\r\n"两行\n地址",1\r"末行",尾';
    const bytes = utf8(text);
    const whole = split(bytes);
    expect(whole).toEqual([
      ['户主', '地址, 门牌'],
      ['王"大"', '幸福村'],
      [''],
      ['两行\n地址', '1'],
      ['末行', '尾'],
    ]);
    // Every single cut (inside a character, between CR and LF, between the quotes of ""), and
    // the file one byte at a time.
    for (let at = 0; at <= bytes.length; at++) expect(split(bytes, [at])).toEqual(whole);
    expect(
      split(
        bytes,
        Array.from({ length: bytes.length }, () => 1),
      ),
    ).toEqual(whole);
  });

  it('refuses a quote that is never closed, at the end of the file or past 1 MB', () => {
    expect(() => split(utf8('a,b\n"c,d\n'))).toThrow(CsvError);
    expect(() => split(utf8('a,b\n"c,d\n'))).toThrow('record 2: a quoted cell is never closed');
    const s = new CsvSplitter();
    s.push(utf8('"'));
    expect(() => s.push(Buffer.alloc(MAX_RECORD_BYTES, 0x61))).toThrow('longer than 1 MB');
  });
});
