// A file's problems as a command prints them on a terminal: the first ones row by row, the rest
// counted by kind. A sheet imported into the wrong village has a problem on every row, and a
// million lines help nobody; --json (and --errors where a command has it) still give them all.
import { renderField, type FieldError } from './errors.ts';

/** How many problems a command prints one by one. */
const PRINTED_PROBLEMS = 50;

export function problemLines(
  problems: FieldError[],
  opts: {
    /** Where the user finds them all, e.g. '--json'. */
    all: string;
    /** After the column, e.g. '（提示）' for warnings. */
    note?: string;
    limit?: number;
  },
): string[] {
  const limit = opts.limit ?? PRINTED_PROBLEMS;
  const lines = problems.slice(0, limit).map((e) => {
    const r = renderField(e, 'zh-CN');
    return `  ${r.row !== undefined ? `第 ${r.row} 行 ` : ''}${r.path}${opts.note ?? ''}: ${r.message}`;
  });
  if (problems.length <= limit) return lines;
  const kinds = new Map<string, { n: number; row?: number }>();
  for (let i = limit; i < problems.length; i++) {
    const e = problems[i]!;
    const kind = kinds.get(e.code);
    if (kind) kind.n++;
    else kinds.set(e.code, { n: 1, row: e.row });
  }
  const counted = [...kinds]
    .sort((a, b) => b[1].n - a[1].n)
    .map(
      ([code, k]) =>
        `${code} ×${k.n}${k.row !== undefined ? `（首见第 ${k.row} 行 / first row ${k.row}）` : ''}`,
    );
  const rest = problems.length - limit;
  lines.push(`  … 另有 ${rest} 条 / ${rest} more: ${counted.join(', ')}. 全部见 / all of them: ${opts.all}`);
  return lines;
}
