// `lianxin import ledger` and `lianxin export ledger`: the same use cases as the console, run as
// the system, with a progress bar on a terminal (progress lines otherwise) and an optional JSON report.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemActor } from '../../platform/access.ts';
import type { Ctx } from '../../platform/context.ts';
import { renderField } from '../../platform/errors.ts';
import { problemLines } from '../../platform/problem-lines.ts';
import type { Colour } from '../colour.ts';
import { exportLedger } from '../export.ts';
import { importLedger, type ImportProgress } from '../import.ts';
import { writeErrorWorkbook } from './error-workbook.ts';

export const IMPORT_LEDGER_HELP = `Usage: lianxin import ledger FILE --village CODE [--dry-run] [--valid-only]
                             [--create-grids] [--json] [--errors OUT.xlsx]
Imports a health ledger (.xlsx or .csv, UTF-8 or GBK) into a village (or a township/county whose
grid column holds full grid codes). The header row is found below any title rows; merged household
cells are carried down; 合计/小计 rows are skipped. Every row is checked first; then all rows are
imported in one transaction, or nothing (the default), or with --valid-only only the valid ones.
  --dry-run        check and report, write nothing
  --create-grids   add the grids the file names that the village lacks
  --errors FILE    write the bad rows as they were, with a reason column, to FILE (.xlsx)
  --json           print one JSON report {rows, valid, imported, updated, invalid: [...]}
Exit code: 0 when every row was good, 2 when some rows were reported.`;

export const EXPORT_LEDGER_HELP = `Usage: lianxin export ledger --region CODE --out FILE.xlsx|FILE.csv
                             [--colour red,yellow] [--category elderly,...] [--surveyed yes|no]
Writes the ledger of a region in the 台账 layout (.xlsx) or as CSV (UTF-8 with BOM). The command
runs as the system: ID numbers and phones are in full, and the export is recorded in the audit trail.`;

/** A bar on a terminal, a line every 10% otherwise (logs, CI). */
function progressPrinter(): (p: ImportProgress) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (p) => {
    const f = p.total ? Math.min(1, p.bytes / p.total) : 0;
    if (tty) {
      const bar = '█'.repeat(Math.round(f * 30)).padEnd(30, '░');
      process.stderr.write(`\r${bar} ${(f * 100).toFixed(0).padStart(3)}%  ${p.rows} rows`);
      if (f >= 1) process.stderr.write('\n');
    } else if (Math.floor(f * 10) > lastTenth) {
      lastTenth = Math.floor(f * 10);
      process.stderr.write(`progress: ${p.rows} rows (${Math.round(f * 100)}%)\n`);
    }
  };
}

export async function importLedgerCommand(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      village: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'valid-only': { type: 'boolean' },
      'create-grids': { type: 'boolean' },
      json: { type: 'boolean' },
      errors: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || !values.village) {
    console.error(IMPORT_LEDGER_HELP);
    return 1;
  }
  const report = await importLedger(ctx, systemActor('lianxin import'), file, values.village, {
    dryRun: values['dry-run'],
    validOnly: values['valid-only'],
    createGrids: values['create-grids'],
    onProgress: progressPrinter(),
  });
  if (values.errors && report.invalid.length) await writeErrorWorkbook(file, report.invalid, values.errors);
  const words = (list: typeof report.invalid) =>
    list.map((e) => {
      const r = renderField(e, 'zh-CN');
      return { row: r.row, column: r.path, code: r.code, message: r.message };
    });
  if (values.json) {
    const { invalid, warnings, ...rest } = report;
    console.log(JSON.stringify({ ...rest, invalid: words(invalid), warnings: words(warnings) }));
  } else {
    for (const line of problemLines(report.invalid, { all: '--errors FILE, --json' })) console.log(line);
    for (const line of problemLines(report.warnings, { all: '--json', note: '（提示）' })) console.log(line);
    const verb = report.dryRun ? 'Checked (dry run)' : report.committed ? 'Imported' : 'Not imported';
    console.log(
      `${verb}: ${report.rows} rows, ${report.valid} valid, ${report.imported} new, ${report.updated} updated, ` +
        `${report.households} new households, ${report.invalid.length} invalid.`,
    );
    if (values.errors && report.invalid.length) console.log(`Bad rows written to ${values.errors}`);
  }
  return report.invalid.length ? 2 : 0;
}

export async function exportLedgerCommand(ctx: Ctx, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      region: { type: 'string' },
      out: { type: 'string' },
      colour: { type: 'string' },
      category: { type: 'string' },
      surveyed: { type: 'string' },
    },
  });
  const format = path
    .extname(values.out ?? '')
    .toLowerCase()
    .slice(1);
  if (!values.region || !values.out || (format !== 'xlsx' && format !== 'csv')) {
    console.error(EXPORT_LEDGER_HELP);
    return 1;
  }
  const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()) : undefined);
  const surveyed = values.surveyed as 'yes' | 'no' | undefined;
  const result = await exportLedger(
    ctx,
    systemActor('lianxin export'),
    {
      regionCode: values.region,
      colour: list(values.colour) as Colour[],
      category: list(values.category),
      surveyed,
    },
    format,
    fs.createWriteStream(values.out),
  );
  console.log(`Exported ${result.rows} residents to ${values.out}`);
  return 0;
}
