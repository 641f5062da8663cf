// The `lianxin` command line: serve | start | migrate | demo | import | bench, each with --help.
// Every command honours LIANXIN_DATA (the embedded database folder) and DATABASE_URL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WEB_DIST } from './app.ts';
import { isEmpty, seedDemo } from './demo/seed.ts';
import type { DemoScale, DemoWorld } from './demo/world.ts';
import { systemActor } from './platform/access.ts';
import { DomainError, renderField } from './platform/errors.ts';
import { problemLines } from './platform/problem-lines.ts';
import { importRegions } from './regions/import.ts';
import { importMembers } from './staff/import.ts';
import { openContext, startServer } from './server.ts';

const SCALES: DemoScale[] = ['small', 'county', 'city'];

const HELP: Record<string, string> = {
  main: `连心 Lianxin — grid-based community health service

Usage: lianxin <command> [options]

Commands:
  start                 build the console if needed, seed the county demo into an empty database, serve
  serve                 serve the API and the console
  migrate               apply database migrations
  demo                  seed a demo world into an empty database
  import regions FILE   import regions (.csv/.xlsx with 区划代码/名称 or code/name columns)
  import ledger FILE    import a health ledger (.xlsx/.csv) into a village (--village CODE)
  import members FILE   import the staff register into a region (--region CODE)
  export ledger         export a region's ledger as .xlsx or .csv (--region CODE --out FILE)
  bench                 run the benchmarks and write bench/results.json

Environment: LIANXIN_DATA (embedded data folder, default ./data), DATABASE_URL (PostgreSQL),
PORT (3000), HOST (0.0.0.0), LOG_LEVEL (info). Run 'lianxin <command> --help' for options.`,
  start: `Usage: lianxin start [--port N] [--host H]
Builds the console when web/dist is missing, seeds the 'county' demo world into an empty database,
then serves. The quick start: npm ci && npm start.`,
  serve: `Usage: lianxin serve [--port N] [--host H] [--demo small|county|city] [--seed N]
Serves the API (/api, docs at /docs) and the built console. With --demo, seeds that world first
when the database is empty.`,
  migrate: `Usage: lianxin migrate
Applies the committed SQL migrations (also done on every start).`,
  demo: `Usage: lianxin demo --scale small|county|city [--seed N]
Seeds a deterministic demo world into an empty database: regions and grids, one account per role,
and a living ledger (households, residents, colours, surveys), staff and teams, confirmed pairings
(one village left to confirm), and service orders in every state, some overdue and escalated.
small = 1 township, 3 villages, 8 grids; county ≈ 12 townships, 180 villages, 650 grids; city = 8 counties.
Demo phone numbers are in the 170/171 blocks.`,
  export: `Usage: lianxin export ledger --region CODE --out FILE.xlsx|FILE.csv (see export ledger --help)`,
  import: `Usage: lianxin import regions FILE [--dry-run] [--json]
Checks every row first, then imports all of it in one transaction or nothing. Rows: 12-digit
统计用区划代码 (15 digits for a grid) and a name; parents come from the database or the file.

Usage: lianxin import members FILE --region CODE [--create-units] [--dry-run] [--json]
Imports the staff register (姓名, 手机号, 身份, 所在单位, 所属村/所属网格, 居住社区) into the region
with that code, all or nothing. A mobile already registered in the county updates that member.
--create-units adds the units the file names that do not exist yet.

Usage: lianxin import ledger FILE --village CODE [--dry-run] [--valid-only] [--create-grids] [--json]
                                  [--errors OUT.xlsx]
Imports a health ledger into a village (see 'lianxin import ledger --help').`,
  bench: `Usage: lianxin bench [--only PREFIX]
Runs the benchmarks and merges their figures into bench/results.json.`,
};

const common = { help: { type: 'boolean', short: 'h' } } as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP.main);
    return command ? 0 : 1;
  }
  switch (command) {
    case 'start':
    case 'serve':
      return serve(command, rest);
    case 'migrate':
      return migrate(rest);
    case 'demo':
      return demo(rest);
    case 'import':
      return importCommand(rest);
    case 'export':
      if (rest[0] === 'ledger') return ledgerCommand('export', rest.slice(1));
      help('export');
      return 1;
    case 'bench': {
      const { values } = parseArgs({ args: rest, options: { ...common, only: { type: 'string' } } });
      if (values.help) return help('bench');
      const { runBenchmarks } = await import('../bench/run.ts');
      await runBenchmarks({ only: values.only as string | undefined });
      return 0;
    }
    default:
      console.error(`Unknown command: ${command}\n`);
      console.error(HELP.main);
      return 1;
  }
}

function help(name: string): number {
  console.log(HELP[name]);
  return 0;
}

async function serve(command: 'start' | 'serve', args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...common,
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (values.help) return help(command);
  const scale = command === 'start' ? 'county' : (values.demo as string | undefined);
  if (scale !== undefined && !SCALES.includes(scale as DemoScale))
    throw usage(`--demo must be one of ${SCALES.join(', ')}`);
  if (command === 'start') ensureConsoleBuilt();
  const t0 = performance.now();
  const server = await startServer({
    port: values.port ? Number(values.port) : undefined,
    host: values.host as string | undefined,
    demo: scale as DemoScale | undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    logger: true,
  });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `\n连心 Lianxin ${server.ctx.engine === 'pglite' ? `(embedded database: ${server.ctx.config.dataDir})` : '(PostgreSQL)'}`,
  );
  console.log(`  控制台 Console   ${server.url}`);
  console.log(`  接口文档 API docs ${server.url}/docs`);
  console.log(`  ready in ${seconds}s`);
  if (server.seeded) printAccounts(server.seeded);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1; // keep running
}

function printAccounts(world: DemoWorld): void {
  const s = world.summary;
  if (s) {
    const c = s.counts;
    const n = (k: string) => (c[k] ?? 0).toLocaleString('en-US');
    console.log(
      `\n  演示数据 Demo data: ${n('households')} households, ${n('residents')} residents ` +
        `(red ${n('red')}, yellow ${n('yellow')}), ${n('members')} staff in ${n('teams')} teams and ${n('units')} units, ` +
        `${n('contacts')} contacts, ${n('orders')} orders (${n('openOrders')} open, ${n('overdueOrders')} overdue).`,
    );
  }
  console.log(`\n  演示账号 Demo sign-ins (password ${world.accounts[0]?.password}):`);
  for (const a of world.accounts) {
    console.log(`    ${a.username.padEnd(12)} ${a.role.padEnd(13)} ${a.note}`);
    const sees = s?.sees[a.username];
    if (sees) console.log(`    ${''.padEnd(26)} → ${sees}`);
  }
  if (s?.cardPath)
    console.log(`\n  连心卡示例 A resident's card page: ${s.cardPath} (after the address above)`);
  console.log('');
}

function ensureConsoleBuilt(): void {
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) return;
  console.log('Building the console (first start only)…');
  const root = path.resolve(WEB_DIST, '..', '..');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('Building the console failed');
}

async function migrate(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: common });
  if (values.help) return help('migrate');
  const { database } = await openContext();
  await database.close();
  console.log('Migrations applied.');
  return 0;
}

async function demo(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...common, scale: { type: 'string' }, seed: { type: 'string' } },
  });
  if (values.help) return help('demo');
  const scale = values.scale as DemoScale;
  if (!SCALES.includes(scale)) throw usage(`--scale must be one of ${SCALES.join(', ')}`);
  const { ctx, database } = await openContext();
  try {
    if (!(await isEmpty(ctx)))
      throw usage('The database already holds regions; demo seeds only an empty one.');
    const t0 = performance.now();
    const world = await seedDemo(ctx, scale, values.seed ? Number(values.seed) : 1);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `Seeded the '${scale}' demo world in ${seconds}s: ${world.regions.length} regions, ${world.accounts.length} accounts.`,
    );
    printAccounts(world);
  } finally {
    await database.close();
  }
  return 0;
}

async function importCommand(args: string[]): Promise<number> {
  if (args[0] === 'ledger') return ledgerCommand('import', args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...common,
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      region: { type: 'string' },
      'create-units': { type: 'boolean' },
    },
  });
  if (values.help || !['regions', 'members'].includes(positionals[0] ?? '') || !positionals[1]) {
    help('import');
    return values.help ? 0 : 1;
  }
  if (positionals[0] === 'members') {
    if (!values.region) throw usage('import members needs --region CODE (the region the members serve in)');
    return importMembersCommand(positionals[1], values.region, {
      dryRun: Boolean(values['dry-run']),
      createUnits: Boolean(values['create-units']),
      json: Boolean(values.json),
    });
  }
  const { ctx, database } = await openContext();
  try {
    const report = await importRegions(ctx, systemActor('lianxin import'), positionals[1], {
      dryRun: Boolean(values['dry-run']),
    }).catch((err: unknown) => {
      // All or nothing: the rows' problems come back in the report, nothing was written.
      if (!(err instanceof DomainError && err.code === 'import.rows_invalid')) throw err;
      const rows = Number(err.params.rows);
      const invalid = err.errors ?? [];
      return {
        rows,
        valid: rows - invalid.length,
        created: 0,
        renamed: 0,
        unchanged: 0,
        invalid,
        committed: false,
      };
    });
    if (values.json)
      console.log(JSON.stringify({ ...report, invalid: report.invalid.map((e) => renderField(e, 'zh-CN')) }));
    else {
      for (const line of problemLines(report.invalid, { all: '--json' })) console.log(line);
      console.log(
        `${report.committed ? 'Imported' : 'Checked (dry run)'}: ${report.rows} rows, ${report.created} new, ${report.renamed} renamed, ${report.unchanged} unchanged, ${report.invalid.length} invalid.`,
      );
    }
    return report.invalid.length ? 2 : 0;
  } finally {
    await database.close();
  }
}

async function importMembersCommand(
  file: string,
  region: string,
  opts: { dryRun: boolean; createUnits: boolean; json: boolean },
): Promise<number> {
  const { ctx, database } = await openContext();
  try {
    const report = await importMembers(ctx, systemActor('lianxin import'), file, region, {
      ...opts,
      fileName: path.basename(file),
    });
    if (opts.json)
      console.log(JSON.stringify({ ...report, invalid: report.invalid.map((e) => renderField(e, 'zh-CN')) }));
    else {
      for (const line of problemLines(report.invalid, { all: '--json' })) console.log(line);
      const units = report.unitsCreated.length ? `, units added: ${report.unitsCreated.join('、')}` : '';
      console.log(
        `${report.committed ? 'Imported' : report.dryRun ? 'Checked (dry run)' : 'Nothing imported'}: ${report.rows} rows, ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.invalid.length} problems${units}.`,
      );
    }
    return report.invalid.length ? 2 : 0;
  } finally {
    await database.close();
  }
}

/** `import ledger` and `export ledger`, whose options live with the ledger (src/ledger/import/cli.ts). */
async function ledgerCommand(kind: 'import' | 'export', args: string[]): Promise<number> {
  const cli = await import('./ledger/import/cli.ts');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(kind === 'import' ? cli.IMPORT_LEDGER_HELP : cli.EXPORT_LEDGER_HELP);
    return 0;
  }
  const { ctx, database } = await openContext();
  try {
    return await (kind === 'import'
      ? cli.importLedgerCommand(ctx, args)
      : cli.exportLedgerCommand(ctx, args));
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}
const usage = (msg: string) => new UsageError(msg);

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof DomainError) {
      console.error(`${err.messageIn('zh-CN')}\n${err.messageIn('en')}`);
      for (const e of err.errors ?? []) {
        const r = renderField(e, 'zh-CN');
        console.error(`  ${e.row ? `第 ${e.row} 行 ` : ''}${r.path}: ${r.message}`);
      }
      process.exit(2);
    }
    console.error(err instanceof UsageError ? err.message : err);
    process.exit(1);
  },
);
