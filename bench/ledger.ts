// Ledger figures: importing a 1 M-row CSV into the demo county (rows/s; the ratio to a raw bulk load
// of the same rows into a plain table of the same engine; the worst event-loop stall meanwhile),
// a 200 k-row .xlsx (rows/s and peak RSS), and listing residents at 1 M. Each scenario runs in a
// child process (`node --import tsx bench/ledger.ts child …`), so memory and stalls are its own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { NODE_FLAGS } from '../bin/node-flags.ts';
import { buildApp } from '../src/app.ts';
import type { Database } from '../src/db/engine.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { DEMO_PASSWORD, buildDemoWorld } from '../src/demo/world.ts';
import { importLedger } from '../src/ledger/import.ts';
import { systemActor } from '../src/platform/access.ts';
import type { Ctx } from '../src/platform/context.ts';
import { openContext } from '../src/server.ts';
import { LEDGER_HEADER, writeLedgerCsv, writeLedgerXlsx } from '../test/fixtures/ledger.ts';
import { addResidents, load, openBenchDb, p95, step, withClient, type EngineName } from './data.ts';
import { figure, type Figures } from './run.ts';

const SELF = fileURLToPath(import.meta.url);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CSV_ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 1_000_000);
const XLSX_ROWS = Number(process.env.BENCH_LEDGER_XLSX_ROWS ?? 200_000);
const FIXTURES = path.join(os.tmpdir(), 'lianxin-bench-fixtures');

type Scenario = 'seed' | 'csv-pglite' | 'csv-postgres' | 'xlsx-pglite' | 'list-pglite' | 'list-postgres';
/** Which scenarios to run (BENCH_LEDGER_ONLY=list,csv,xlsx; all by default). */
const ONLY = (process.env.BENCH_LEDGER_ONLY ?? 'list,csv,xlsx').split(',');
const LIST_RESIDENTS = Number(process.env.BENCH_LEDGER_LIST_RESIDENTS ?? 1_000_000);

export async function ledgerBench(): Promise<Figures> {
  const grids = buildDemoWorld('county', 1)
    .regions.filter((r) => r.level === 'grid')
    .map((r) => r.code);
  const csv = ONLY.includes('csv')
    ? await fixture(`ledger-${CSV_ROWS}.csv`, (f) => writeLedgerCsv(f, CSV_ROWS, grids))
    : '';
  const xlsx = ONLY.includes('xlsx')
    ? await fixture(`ledger-${XLSX_ROWS}.xlsx`, (f) => writeLedgerXlsx(f, XLSX_ROWS, grids))
    : '';
  // The seeded embedded database is made once and copied: initdb's ~800 MB peak would otherwise
  // be the peak RSS the .xlsx figure reports.
  const template = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-bench-ledger-tpl-'));
  const figures: Figures = {};
  try {
    await child('seed', template);
    const pg = await reachable(PG_URL);
    if (!pg) console.log(`  (no PostgreSQL at ${PG_URL}: @postgres figures skipped)`);
    if (ONLY.includes('list')) {
      Object.assign(figures, await child('list-pglite', '', template));
      if (pg) Object.assign(figures, await child('list-postgres', ''));
    }
    if (ONLY.includes('csv')) {
      Object.assign(figures, await child('csv-pglite', csv, template));
      if (pg) Object.assign(figures, await child('csv-postgres', csv));
    }
    if (ONLY.includes('xlsx')) Object.assign(figures, await child('xlsx-pglite', xlsx, template));
  } finally {
    fs.rmSync(template, { recursive: true, force: true });
  }
  return figures;
}

/** Generated once and kept in the temp folder: a million rows take a while to write. */
async function fixture(name: string, make: (file: string) => Promise<void>): Promise<string> {
  const file = path.join(FIXTURES, name);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(FIXTURES, { recursive: true });
  const t0 = performance.now();
  await make(`${file}.part`);
  fs.renameSync(`${file}.part`, file);
  console.log(`  fixture ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

function child(scenario: Scenario, file: string, template = ''): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [...NODE_FLAGS, '--import', 'tsx', SELF, 'child', scenario, file, template],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('FIGURES '));
      if (code !== 0 || !line) reject(new Error(`bench child ${scenario} exited ${code}:\n${out}`));
      else resolve(JSON.parse(line.slice(8)) as Figures);
    });
  });
}

// ---- in the child process ----

async function runChild(scenario: Scenario, file: string, template: string): Promise<Figures> {
  if (scenario === 'seed') {
    const { ctx, database } = await openContext({ dataDir: file });
    await seedDemo(ctx, 'county', 1, { content: false });
    await database.close();
    return {};
  }
  if (scenario === 'list-pglite' || scenario === 'list-postgres')
    return listBench(scenario === 'list-postgres' ? 'postgres' : 'pglite', template);
  const engine = scenario === 'csv-postgres' ? 'postgres' : 'pglite';
  const scratch = engine === 'postgres' ? `lianxin_bench_${process.pid}` : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-bench-ledger-'));
  if (template) fs.cpSync(template, dataDir, { recursive: true });
  fs.rmSync(path.join(dataDir, 'lianxin.lock'), { force: true });
  if (scratch) await admin(`create database ${scratch}`);
  const url = scratch ? Object.assign(new URL(PG_URL), { pathname: `/${scratch}` }).toString() : undefined;
  const { ctx, database } = await openContext(url ? { databaseUrl: url } : { dataDir });
  try {
    if (scratch) await seedDemo(ctx, 'county', 1, { content: false });
    const county = buildDemoWorld('county', 1).regions.find((r) => r.level === 'county')!.code;
    const imp = await timedImport(ctx, file, county);
    const load = `load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
    if (scenario === 'xlsx-pglite') {
      return {
        'ledger.import_xlsx_200k.rows_per_s@pglite': figure(
          imp.rowsPerS,
          'rows/s',
          `${imp.rows} rows; ${load}`,
        ),
        'ledger.import_xlsx_200k.peak_rss_mb@pglite': figure(
          imp.peakRssMb,
          'MB',
          `whole process during the import, PGlite's worker included (${imp.rssBeforeMb.toFixed(0)} MB before it; the main thread's V8 heap ${imp.peakHeapMb.toFixed(0)} MB at the peak; node ${NODE_FLAGS.join(' ')})`,
        ),
      };
    }
    const raw = await rawLoad(database, file, engine);
    const floor = await tableFloor(database);
    const tag = `@${engine}`;
    const figures: Figures = {
      [`ledger.import_csv_1m.rows_per_s${tag}`]: figure(imp.rowsPerS, 'rows/s', `${imp.rows} rows; ${load}`),
      [`ledger.import_csv_1m.ratio_to_copy${tag}`]: figure(imp.rowsPerS / raw.rowsPerS, 'ratio', raw.note),
      [`ledger.import_csv_1m.ratio_to_table_floor${tag}`]: figure(
        imp.rowsPerS / floor,
        'ratio',
        `import rows/s ÷ ${Math.round(floor)} rows/s of copying 100 k residents server-side into a twin of the resident table (same indexes and foreign keys): what the table itself costs`,
      ),
    };
    if (engine === 'pglite')
      figures['ledger.import_csv_1m.max_stall_ms@pglite'] = figure(
        imp.stallMs,
        'ms',
        `during the import (the worst ${imp.worstAtS.toFixed(1)} s into its ${(imp.rows / imp.rowsPerS).toFixed(0)} s); an idle process beside it saw ${imp.idleStallMs.toFixed(0)} ms; ${load}`,
      );
    return figures;
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (scratch) await admin(`drop database if exists ${scratch} with (force)`);
  }
}

async function admin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

/**
 * A sibling process that does nothing but watch its own event loop: what this machine's load alone
 * does to a stall figure (on a busy 2-core machine, hundreds of milliseconds).
 */
function idleProbe(): () => Promise<number> {
  const code = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 1 }); h.enable();
    process.on('SIGTERM', () => { process.stdout.write(String(h.max / 1e6)); process.exit(0); });
    setInterval(() => {}, 1000);`;
  const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return async () => {
    p.kill('SIGTERM');
    await once(p, 'close');
    return Number(out);
  };
}

async function timedImport(ctx: Ctx, file: string, county: string) {
  const idle = idleProbe();
  const rssBeforeMb = process.memoryUsage().rss / 1e6;
  let peakRssMb = rssBeforeMb;
  let peakHeapMb = 0;
  const t0 = performance.now();
  // Where the worst delay fell (the sampler's own lateness), to tell a cold start from a busy middle.
  let last = performance.now();
  let worst = { late: 0, atS: 0 };
  const sampler = setInterval(() => {
    const now = performance.now();
    if (now - last - 50 > worst.late) worst = { late: now - last - 50, atS: (now - t0) / 1000 };
    last = now;
    const m = process.memoryUsage();
    if (m.rss / 1e6 > peakRssMb) [peakRssMb, peakHeapMb] = [m.rss / 1e6, m.heapTotal / 1e6];
  }, 50);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let tenth = -1;
  histogram.enable();
  const report = await importLedger(ctx, systemActor('bench'), file, county, {
    onProgress: (p) => {
      const now = Math.floor((p.bytes / p.total) * 10);
      if (now > tenth)
        process.stderr.write(`    ${path.basename(file)}: ${p.rows} rows (${(tenth = now) * 10}%)\n`);
    },
  });
  const ms = performance.now() - t0;
  histogram.disable();
  clearInterval(sampler);
  if (!report.committed || report.invalid.length)
    throw new Error(`bench import failed: ${JSON.stringify(report.invalid.slice(0, 3))}`);
  return {
    rows: report.rows,
    rowsPerS: (report.rows / ms) * 1000,
    stallMs: histogram.max / 1e6,
    worstAtS: worst.atS,
    idleStallMs: await idle(),
    peakRssMb,
    peakHeapMb,
    rssBeforeMb,
  };
}

/**
 * The same rows loaded the rawest way the engine offers through our driver, into a plain table
 * shaped like the file (text columns, no index): COPY FROM STDIN on PostgreSQL; on PGlite, whose
 * socket does not take COPY FROM STDIN, the file's bytes in 4 MB chunks split into rows and columns
 * by the server (string_to_table / string_to_array), all in one transaction.
 */
async function rawLoad(database: Database, file: string, engine: 'pglite' | 'postgres') {
  const client = await database.pool.connect();
  const columns = LEDGER_HEADER.map((_, i) => `c${i + 1} text`).join(', ');
  try {
    await client.query(`create table ledger_raw (${columns})`);
    const t0 = performance.now();
    if (engine === 'postgres') {
      const { from } = await import('pg-copy-streams');
      await pipeline(
        fs.createReadStream(file),
        client.query(from('copy ledger_raw from stdin with (format csv, header true)')),
      );
    } else await splitLoad(client, file);
    const ms = performance.now() - t0;
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from ledger_raw');
    await client.query('drop table ledger_raw');
    const how =
      engine === 'postgres' ? 'COPY FROM STDIN' : 'server-side split of 4 MB text chunks in one transaction';
    return {
      rowsPerS: (rows[0]!.n / ms) * 1000,
      note: `import rows/s ÷ raw load rows/s (${how}: ${Math.round((rows[0]!.n / ms) * 1000)} rows/s into a plain table)`,
    };
  } finally {
    client.release();
  }
}

/** Rows/s of `insert … select` of 100 k imported residents into a twin table with the same indexes and keys. */
async function tableFloor(database: Database): Promise<number> {
  const client = await database.pool.connect();
  try {
    await client.query(
      'create table resident_twin (like resident including defaults including constraints including indexes)',
    );
    await client.query(`alter table resident_twin add foreign key (household_id) references household (id),
      add foreign key (grid_id) references region (id)`);
    const t0 = performance.now();
    const r = await client.query('insert into resident_twin select * from resident order by id limit 100000');
    const ms = performance.now() - t0;
    await client.query('drop table resident_twin');
    return ((r.rowCount ?? 0) / ms) * 1000;
  } finally {
    client.release();
  }
}

async function splitLoad(client: pg.PoolClient, file: string): Promise<void> {
  const cols = LEDGER_HEADER.map((_, i) => `f[${i + 1}]`).join(', ');
  const statement = `insert into ledger_raw select ${cols} from (select string_to_array(l, ',') f
    from string_to_table($1, E'\\r\\n') l where l <> '') x`;
  await client.query('begin');
  let rest = '';
  let first = true;
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 4 << 20 })) {
    let text = rest + (chunk as string);
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    text = text.slice(0, cut);
    if (first) text = text.slice(text.indexOf('\n') + 1); // the header
    first = false;
    await client.query(statement, [text]);
  }
  if (rest) await client.query(statement, [rest]);
  await client.query('commit');
}

/**
 * GET /api/residents at 1 M residents (bench/data.ts addResidents, then a quarter of the green ones
 * made yellow so that a township holds over 10 000 yellow residents), as the county official, filtered
 * by the largest township and colour=yellow: page 1, and page 500 reached the way the console
 * reaches it, with the previous page's cursor (keyset); page 500 by number only in the note.
 */
async function listBench(engine: EngineName, template: string): Promise<Figures> {
  const db = await openBenchDb(engine, engine === 'pglite' ? { template } : {});
  try {
    if (engine === 'postgres') await seedDemo(db.ctx, 'county', 1, { content: false });
    await step(`${LIST_RESIDENTS} residents (${engine})`, () =>
      withClient(db, async (c) => {
        await addResidents(c, LIST_RESIDENTS);
        await c.query(
          `update resident set colour = 'yellow', colour_score = 2 where colour = 'green' and id % 4 = 0`,
        );
        await c.query('vacuum analyze resident');
        await c.query('vacuum analyze household');
      }),
    );
    const app = await buildApp(db.ctx, { webDir: null });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: 'county', password: DEMO_PASSWORD },
      });
      const cookie = `lx_session=${login.cookies.find((c) => c.name === 'lx_session')!.value}`;
      const { rows } = await db.ctx.db.execute<{ id: number; path: string; n: number }>(sql`
        select t.id, t.path, count(*)::int as n from region t
        join region g on g.path like t.path || '%' and g.level = 'grid'
        join resident r on r.grid_id = g.id where t.level = 'township' group by t.id, t.path order by n desc limit 1`);
      const township = rows[0]!;
      const list = `/api/residents?regionId=${township.id}&colour=yellow&pageSize=20`;
      const get = async (url: string) => {
        const res = await app.inject({ url, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`list answered ${res.statusCode}: ${res.body}`);
        return res.json() as { total: number; totalCapped: boolean; items: { id: number }[] };
      };
      const first = await get(`${list}&page=1`);
      // Page 500 (or the last full page of a smaller run), with the cursor of the page before it
      // (its last id), as the console holds it when it asks for the next page.
      const page = Math.min(500, Math.floor(first.total / 20));
      const { rows: before } = await db.ctx.db.execute<{ id: string }>(sql`
        select r.id from resident r join region g on g.id = r.grid_id
        where g.path like ${township.path + '%'} and r.colour = 'yellow' and r.status = 'active'
        order by r.id offset ${(page - 1) * 20 - 1} limit 1`);
      const after = Number(before[0]!.id);
      const deep = await get(`${list}&page=${page}&after=${after}`);
      const byNumber = await get(`${list}&page=${page}`);
      if (deep.items.length !== 20 || deep.items[0]!.id !== byNumber.items[0]!.id)
        throw new Error(`page ${page} by cursor and by number differ`);
      const rounds = [];
      for (let round = 0; round < 2; round++) {
        rounds.push(
          await p95s({
            first: () => get(`${list}&page=1`),
            deep: () => get(`${list}&page=${page}&after=${after}`),
            byNumber: () => get(`${list}&page=${page}`),
          }),
        );
      }
      const worst = Math.max(...rounds.map((r) => Math.max(r.first, r.deep)));
      const ms = (x: number) => `${x.toFixed(1)} ms`;
      return {
        [`ledger.list_1m.p95_ms@${engine}`]: figure(
          worst,
          'ms',
          `township of ${township.n} residents (${first.totalCapped ? 'more than ' : ''}${first.total} yellow, ` +
            `shown "10,000+"), colour=yellow, 20 a page; two rounds of 20 requests each: page 1 p95 ` +
            `${rounds.map((r) => ms(r.first)).join(' / ')}, page ${page} by cursor p95 ` +
            `${rounds.map((r) => ms(r.deep)).join(' / ')} (page ${page} by number: ` +
            `${rounds.map((r) => ms(r.byNumber)).join(' / ')}); ${load()}`,
        ),
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

/** p95 of each request kind (25 rounds, the first 5 warming the caches). */
async function p95s<K extends string>(kinds: Record<K, () => Promise<unknown>>): Promise<Record<K, number>> {
  const times = Object.fromEntries(Object.keys(kinds).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < 25; i++) {
    for (const k of Object.keys(kinds) as K[]) {
      const t0 = performance.now();
      await kinds[k]();
      if (i >= 5) times[k].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(Object.entries<number[]>(times).map(([k, xs]) => [k, p95(xs)])) as Record<
    K,
    number
  >;
}

if (process.argv[1] === SELF && process.argv[2] === 'child') {
  runChild(process.argv[3] as Scenario, process.argv[4]!, process.argv[5] ?? '').then(
    (figures) => {
      process.stdout.write(`FIGURES ${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
