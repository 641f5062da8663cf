// What a command prints for a file's problems: every one when they are few, the first ones and a
// count by kind when a whole sheet is wrong.
import { describe, expect, it } from 'vitest';
import type { FieldError } from './errors.ts';
import { problemLines } from './problem-lines.ts';

const unknownGrid = (row: number): FieldError => ({
  row,
  path: '所属网格',
  code: 'grid_unknown',
  params: { grid: '第九网格' },
});
const badId = (row: number): FieldError => ({
  row,
  path: '身份证号',
  code: 'id.checksum',
  message: { zh: '校验位不正确', en: 'wrong check digit' },
});

describe('printing problems', () => {
  it('prints each of a few problems with its row, column and message', () => {
    const lines = problemLines([unknownGrid(3), badId(7), { path: '表头', code: 'required' }], {
      all: '--json',
    });
    expect(lines).toEqual([
      '  第 3 行 所属网格: 找不到网格“第九网格”（可核对网格名称，或选择自动创建网格）',
      '  第 7 行 身份证号: 校验位不正确',
      '  表头: 必填',
    ]);
  });

  it('marks warnings with the note', () => {
    expect(problemLines([badId(4)], { all: '--json', note: '（提示）' })).toEqual([
      '  第 4 行 身份证号（提示）: 校验位不正确',
    ]);
  });

  it('prints the first ones of many, then the rest counted by kind, most first, and where to find them all', () => {
    const problems = [
      ...Array.from({ length: 60 }, (_, i) => unknownGrid(i + 2)),
      badId(70),
      badId(71),
      ...Array.from({ length: 40 }, (_, i) => unknownGrid(i + 80)),
    ];
    const lines = problemLines(problems, { all: '--errors FILE, --json', limit: 50 });
    expect(lines).toHaveLength(51);
    expect(lines[49]).toContain('第 51 行');
    expect(lines[50]).toBe(
      '  … 另有 52 条 / 52 more: grid_unknown ×50（首见第 52 行 / first row 52）, id.checksum ×2（首见第 70 行 / first row 70）. 全部见 / all of them: --errors FILE, --json',
    );
  });
});
