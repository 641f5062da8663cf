// Service-order figures: sustained filing through the resident channel (autocannon against a real
// server, many cards, each order routed and notified) and its ratio to a trivial route; "my orders"
// and the dispatch board over millions of historical orders; one sweep over a million open orders.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { DEMO_PASSWORD } from '../src/demo/world.ts';
import { sweep } from '../src/orders/sweeper.ts';
import { insertAccount } from '../src/platform/auth/repo.ts';
import { hashPassword } from '../src/platform/auth/password.ts';
import { startServer } from '../src/server.ts';
import {
  addCards,
  addContacts,
  addMembers,
  addOrders,
  addResidents,
  copyOf,
  load,
  log,
  openBenchDb,
  p95,
  pgliteTemplate,
  reachable,
  shape,
  step,
  withClient,
  type BenchDb,
  type EngineName,
} from './data.ts';
import { figure, type Figures } from './run.ts';

const SELF = fileURLToPath(import.meta.url);
const RESIDENTS = Number(process.env.BENCH_ORDERS_RESIDENTS ?? 210_000);
const HISTORY = Number(process.env.BENCH_ORDERS_HISTORY ?? 10_000_000);
/** Generation of the history stops after this long (the rest of the figure then says how many). */
const HISTORY_BUDGET_S = Number(process.env.BENCH_ORDERS_HISTORY_BUDGET_S ?? 420);
const OPEN = Number(process.env.BENCH_ORDERS_OPEN ?? 1_000_000);
const DUE = Number(process.env.BENCH_ORDERS_DUE ?? 10_000);
const DURATION_S = Number(process.env.BENCH_ORDERS_DURATION_S ?? 20);
const CONNECTIONS = Number(process.env.BENCH_ORDERS_CONNECTIONS ?? 10);
/** BENCH_ORDERS_PARTS=create,queue,sweep (the default: all three) runs parts alone. */
const PARTS = (process.env.BENCH_ORDERS_PARTS ?? 'create,queue,sweep').split(',');
/** BENCH_ORDERS_ENGINES=pglite,postgres (the default: both) measures filing on one engine alone. */
const ENGINES = (process.env.BENCH_ORDERS_ENGINES ?? 'pglite,postgres').split(',');

export async function ordersBench(): Promise<Figures> {
  const figures: Figures = {};
  const pgUp = await reachable();
  if (!pgUp) log('no PostgreSQL reachable: @postgres figures skipped');
  if (PARTS.includes('create') && ENGINES.includes('pglite')) {
    const template = await step('template (initdb, migrate, demo county)', () => pgliteTemplate());
    try {
      Object.assign(figures, await creation('pglite', template.dir));
    } finally {
      template.remove();
    }
  }
  if (pgUp && PARTS.includes('create') && ENGINES.includes('postgres')) {
    Object.assign(figures, await creation('postgres'));
  }
  if (pgUp && PARTS.includes('queue')) Object.assign(figures, await queues());
  if (pgUp && PARTS.includes('sweep')) Object.assign(figures, await sweeping());
  return figures;
}

/** A county of RESIDENTS residents, its members, contacts for 90 % of key residents per role. */
async function county(engine: EngineName, template?: string): Promise<BenchDb> {
  const db = await openBenchDb(engine, { template });
  try {
    if (!template) await seedDemo(db.ctx, 'county', 1, { content: false });
    await withClient(db, async (c) => {
      await step(`${RESIDENTS} residents (${engine})`, () => addResidents(c, RESIDENTS));
      await step('members', () => addMembers(c));
      await step('contacts', () => addContacts(c, 0.9));
      // Statistics for every table (the region tree's above all): autovacuum would have them.
      await c.query('analyze');
    });
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

// ---- filing through the resident channel ----

interface LoadResult {
  rps: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
}

/** autocannon in its own process (so the load generator does not share the server's event loop). */
function cannon(
  url: string,
  mode: 'orders' | 'health',
  seconds: number,
  tokensFile = '',
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', SELF, 'load', url, mode, String(seconds), String(CONNECTIONS), tokensFile],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('LOAD '));
      if (code !== 0 || !line) reject(new Error(`load generator exited ${code}:\n${out}`));
      else resolve(JSON.parse(line.slice(5)) as LoadResult);
    });
  });
}

/**
 * POST /api/public/cards/:token/orders (need 'medicine': routed to the resident's party member, who
 * gets a console and an SMS notification) with a different card each time, then GET /api/health,
 * each for DURATION_S seconds at CONNECTIONS connections, after a warm-up.
 */
async function creation(engine: EngineName, template?: string): Promise<Figures> {
  const db = await county(engine, template);
  const tokensFile = path.join(os.tmpdir(), `lianxin-bench-tokens-${process.pid}.json`);
  try {
    const tokens = await withClient(db, async (c) => {
      const made = await addCards(c, 100_000);
      await c.query('analyze card');
      return made;
    });
    fs.writeFileSync(tokensFile, JSON.stringify(tokens));
    await db.database.close();
    const server = await startServer({
      ...(engine === 'postgres' ? { databaseUrl: db.where } : { dataDir: db.where }),
      port: 0,
      host: '127.0.0.1',
      config: { sweepSeconds: 0, publicRatePerMinute: 1_000_000 },
    });
    try {
      await cannon(server.url, 'orders', 3, tokensFile); // warm-up: plans, JIT, pools
      const before = await counts(server.database.pool);
      const orders = await cannon(server.url, 'orders', DURATION_S, tokensFile);
      const loadOrders = load();
      const after = await counts(server.database.pool);
      await cannon(server.url, 'health', 3);
      const health = await cannon(server.url, 'health', DURATION_S);
      const made = after.orders - before.orders;
      const check =
        `${made} orders filed (${orders.ok} answered 201, ${orders.non2xx} other, ${orders.errors} errors), ` +
        `${after.dispatched - before.dispatched} routed to a contact, ${after.notifications - before.notifications} notifications`;
      log(`${engine}: ${orders.rps.toFixed(0)} orders/s, health ${health.rps.toFixed(0)}/s; ${check}`);
      const pool = engine === 'postgres' ? 'pool of 10' : 'one PGlite session';
      return {
        [`orders.create.per_s@${engine}`]: figure(
          orders.rps,
          'orders/s',
          `autocannon ${CONNECTIONS} connections × ${DURATION_S} s over loopback, a different card each request, ${pool}; ${check}; latency p50 ${orders.p50} ms, p99 ${orders.p99} ms; ${loadOrders}`,
        ),
        [`orders.create.ratio_to_trivial@${engine}`]: figure(
          orders.rps / health.rps,
          'ratio',
          `orders/s ÷ GET /api/health/s (${health.rps.toFixed(0)}/s, one select 1) on the same server and connections; ${load()}`,
        ),
      };
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(tokensFile, { force: true });
    await db.drop();
  }
}

async function counts(pool: BenchDb['database']['pool']) {
  const { rows } = await pool.query<{ orders: number; dispatched: number; notifications: number }>(
    `select (select count(*)::int from service_order) as orders,
       (select count(*)::int from service_order where state = 'dispatched' and assignee_member_id is not null) as dispatched,
       (select count(*)::int from notification) as notifications`,
  );
  return rows[0]!;
}

// ---- queues over the history ----

async function signIn(app: FastifyInstance, login: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  const session = res.cookies.find((c) => c.name === 'lx_session');
  if (!session) throw new Error(`sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
  return `lx_session=${session.value}`;
}

/** "My orders" for the busiest party member and the dispatch board of the busiest township. */
async function queues(): Promise<Figures> {
  const db = await county('postgres');
  try {
    const made = await withClient(db, (c) =>
      step(`${HISTORY} historical orders`, () =>
        addOrders(c, { total: HISTORY, openShare: 0.02, budgetMs: HISTORY_BUDGET_S * 1000 }),
      ),
    );
    // Three years of history is all-visible in a live database (autovacuum): the open-order
    // indexes are then read without visiting the table.
    await step('vacuum analyze', async () => {
      await db.database.pool.query('vacuum analyze service_order');
      await db.database.pool.query('vacuum analyze order_party');
    });
    const { rows } = await db.database.pool.query<{ member: number; township: number; open: number }>(`
      select (select assignee_member_id from service_order group by 1 order by count(*) desc limit 1) as member,
        (select t.id from region t join region g on g.path like t.path || '%' join service_order o on o.grid_id = g.id
          where t.level = 'township' group by t.id order by count(*) desc limit 1) as township,
        (select count(*)::int from service_order where state <> 'closed') as open`);
    const { member, township, open } = rows[0]!;
    const acc = await insertAccount(db.ctx.db, {
      username: 'bench_party',
      displayName: '包联党员',
      role: 'party_member',
      regionId: (await withClient(db, shape)).county.id,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      createdAt: new Date(),
      updatedAt: new Date(),
      passwordChangedAt: new Date(),
    });
    await db.database.pool.query('update member set account_id = $1 where id = $2', [acc.id, member]);
    const { rows: mine } = await db.database.pool.query<{ all: number; open: number; parties: number }>(
      `select count(*)::int as all, count(*) filter (where state <> 'closed')::int as open,
         (select count(*)::int from order_party where member_id = $1) as parties
       from service_order where assignee_member_id = $1`,
      [member],
    );
    const app = await buildApp(db.ctx, { webDir: null });
    try {
      const party = await signIn(app, 'bench_party', DEMO_PASSWORD);
      const official = await signIn(app, 'county', DEMO_PASSWORD);
      const asks = [
        { name: 'mine', url: '/api/orders/mine', cookie: party },
        { name: 'board', url: `/api/orders?regionId=${township}`, cookie: official },
        { name: 'county', url: '/api/orders', cookie: official },
      ];
      const times: Record<string, number[]> = { mine: [], board: [], county: [] };
      let sizes = '';
      for (let i = 0; i < 25; i++) {
        for (const a of asks) {
          const t0 = performance.now();
          const res = await app.inject({ url: a.url, headers: { cookie: a.cookie } });
          const ms = performance.now() - t0;
          if (res.statusCode !== 200) throw new Error(`${a.url} answered ${res.statusCode}: ${res.body}`);
          if (i === 0) sizes += `${a.name} ${(res.json() as unknown[]).length} rows; `;
          if (i >= 5) times[a.name]!.push(ms);
        }
      }
      const history =
        made.orders < HISTORY
          ? `${made.orders} historical orders (generation stopped at the ${HISTORY_BUDGET_S} s budget, not ${HISTORY})`
          : `${made.orders} historical orders`;
      return {
        // The worst of the three views' own p95s: each of them must hold, not their mixture.
        'orders.queue_10m.p95_ms@postgres': figure(
          Math.max(p95(times.mine!), p95(times.board!), p95(times.county!)),
          'ms',
          `${history}, ${open} open; GET /api/orders/mine for the busiest party member (${mine[0]!.all} orders assigned, ${mine[0]!.open} open, ${mine[0]!.parties} order_party rows) p95 ${p95(times.mine!).toFixed(1)} ms; GET /api/orders for the busiest township p95 ${p95(times.board!).toFixed(1)} ms, for the whole county p95 ${p95(times.county!).toFixed(1)} ms; ${sizes}20 rounds after 5 warm-up; generated in ${((made.loadMs + made.indexMs) / 1000).toFixed(0)} s; ${load()}`,
        ),
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

// ---- the sweeper ----

/**
 * One sweep over OPEN open orders of which DUE are overdue (each escalates), three
 * times, each on a fresh copy of the same database: the figure is the median sweep (a single run
 * on this shared 2-core machine varies by ±15 %), the stall the worst of the three.
 */
async function sweeping(): Promise<Figures> {
  const db = await county('postgres');
  try {
    await withClient(db, (c) =>
      step(`${OPEN} open orders, ${DUE} overdue`, () =>
        addOrders(c, { total: OPEN, openShare: 1, overdue: DUE }),
      ),
    );
    // Every table the load filled (order_party as much as service_order) is work autovacuum would
    // start during a sweep: the figure is the sweep's, not that debt's.
    await db.database.pool.query('vacuum analyze');
  } catch (err) {
    await db.close();
    throw err;
  }
  await db.database.close();
  const runs: Swept[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const copy = await copyOf(db);
      try {
        runs.push(await timedSweep(copy));
      } finally {
        await copy.close();
      }
    }
  } finally {
    await db.drop();
  }
  const mid = [...runs].sort((x, y) => x.s - y.s)[1]!;
  const all = runs.map((r) => `${r.s.toFixed(2)} s`).join(', ');
  return {
    'orders.sweep_1m.s@postgres': figure(
      mid.s,
      's',
      `median of three sweep() runs, each on a fresh copy of the database (${all}, the first in a cold process); ${mid.what}; ${load()}`,
    ),
    'orders.sweep_1m.max_stall_ms@postgres': figure(
      Math.max(...runs.map((r) => r.stallMs)),
      'ms',
      `worst event-loop delay of the sweeping process during the three sweeps (${runs.map((r) => `${r.stallMs.toFixed(1)} ms`).join(', ')}); ${load()}`,
    ),
  };
}

interface Swept {
  s: number;
  stallMs: number;
  what: string;
}

async function timedSweep(db: BenchDb): Promise<Swept> {
  const pool = db.database.pool;
  // The copy's pages are dirty ones a checkpoint would write during the sweep.
  await pool.query('checkpoint');
  const before = await pool.query<{ due: number; n: number; e: number }>(
    `select count(*) filter (where next_check_at <= now())::int as due, (select count(*)::int from notification) as n,
       (select count(*)::int from order_event) as e from service_order`,
  );
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const t0 = performance.now();
  const result = await sweep(db.ctx);
  const s = (performance.now() - t0) / 1000;
  histogram.disable();
  const after = await pool.query<{ left: number; n: number; e: number }>(
    `select count(*) filter (where next_check_at <= now() - interval '10 seconds')::int as left,
       (select count(*)::int from notification) as n, (select count(*)::int from order_event) as e from service_order`,
  );
  const b = before.rows[0]!;
  const a = after.rows[0]!;
  const what = `${b.due} due of ${OPEN} open: ${result.reminded} reminded, ${result.escalated} escalated, ${a.n - b.n} notifications, ${a.e - b.e} events, ${a.left} still due after`;
  const stallMs = histogram.max / 1e6;
  log(`sweep: ${s.toFixed(2)} s, worst stall ${stallMs.toFixed(1)} ms; ${what}`);
  return { s, stallMs, what };
}

// ---- in the load-generator process ----

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
  statusCodeStats: Record<string, { count: number }>;
  '2xx': number;
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;

async function runLoad(url: string, mode: string, seconds: number, connections: number, tokensFile: string) {
  const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;
  const tokens: string[] = tokensFile ? JSON.parse(fs.readFileSync(tokensFile, 'utf8')) : [];
  // Each run starts at a random place among the cards, so the warm-up and the run use other cards.
  let next = Math.floor(Math.random() * tokens.length);
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(mode === 'health'
      ? { requests: [{ method: 'GET', path: '/api/health' }] }
      : {
          requests: [
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ needCode: 'medicine', urgency: 'normal', description: '降压药吃完了' }),
              setupRequest: (req: { path: string }) => {
                req.path = `/api/public/cards/${tokens[next++ % tokens.length]}/orders`;
                return req;
              },
            },
          ],
        }),
  });
  const total = Object.values(r.statusCodeStats).reduce((a, s) => a + Number(s.count), 0);
  const result: LoadResult = {
    rps: r['2xx'] / r.duration,
    total,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    p50: r.latency.p50,
    p99: r.latency.p99,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, Number(v.count)])),
  };
  return result;
}

if (process.argv[1] === SELF && process.argv[2] === 'load') {
  const [url, mode, seconds, connections, tokensFile] = process.argv.slice(3);
  runLoad(url!, mode!, Number(seconds), Number(connections), tokensFile ?? '').then(
    (r) => {
      process.stdout.write(`LOAD ${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
