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
import { importRegions } from './regions/import.ts';
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
Seeds a deterministic demo world (regions, grids, one account per role) into an empty database.
small = 1 township, 3 villages, 8 grids; county ≈ 12 townships, 180 villages, 650 grids; city = 8 counties.`,
  import: `Usage: lianxin import regions FILE [--dry-run] [--json]
Checks every row first, then imports all of it in one transaction or nothing. Rows: 12-digit
统计用区划代码 (15 digits for a grid) and a name; parents come from the database or the file.`,
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
  console.log(`\n  演示账号 Demo sign-ins (password ${world.accounts[0]?.password}):`);
  for (const a of world.accounts) console.log(`    ${a.username.padEnd(12)} ${a.role.padEnd(13)} ${a.note}`);
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
    const world = await seedDemo(ctx, scale, values.seed ? Number(values.seed) : 1);
    console.log(
      `Seeded the '${scale}' demo world: ${world.regions.length} regions, ${world.accounts.length} accounts.`,
    );
    printAccounts(world);
  } finally {
    await database.close();
  }
  return 0;
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (values.help || positionals[0] !== 'regions' || !positionals[1]) {
    help('import');
    return values.help ? 0 : 1;
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
    const invalid = report.invalid.map((e) => renderField(e, 'zh-CN'));
    if (values.json) console.log(JSON.stringify({ ...report, invalid }));
    else {
      for (const e of invalid) console.log(`  第 ${e.row} 行 ${e.path}: ${e.message}`);
      console.log(
        `${report.committed ? 'Imported' : 'Checked (dry run)'}: ${report.rows} rows, ${report.created} new, ${report.renamed} renamed, ${report.unchanged} unchanged, ${report.invalid.length} invalid.`,
      );
    }
    return report.invalid.length ? 2 : 0;
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
