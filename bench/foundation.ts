// Foundation figures: how long `lianxin serve --demo county` takes to answer on an empty folder,
// and the worst event-loop stall of the server while a long query runs on the embedded database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { NODE_FLAGS } from '../bin/node-flags.ts';
import { startServer } from '../src/server.ts';
import { figure, type Figures } from './run.ts';

const BIN = fileURLToPath(new URL('../bin/lianxin.mjs', import.meta.url));

export async function foundationBench(): Promise<Figures> {
  return { ...(await readyCounty()), ...(await stallDuringRollup()) };
}

/** Seconds from process start to the first healthy answer, seeding the county world. */
async function readyCounty(): Promise<Figures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-bench-'));
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--demo', 'county'],
    {
      env: { ...process.env, LIANXIN_DATA: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Console\s+(http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    const res = await fetch(`${url}/api/health`);
    if (!res.ok) throw new Error(`health answered ${res.status}`);
    return {
      'start.ready_county_s@pglite': figure(
        (performance.now() - t0) / 1000,
        's',
        `empty folder: initdb, migrate, seed the county demo (regions, ledger, staff, pairing, orders), listen; load ${os.loadavg()[0]!.toFixed(1)}`,
      ),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs a rollup of several seconds on PGlite while a client asks a trivial route every 5 ms;
 * reports the worst event-loop delay and the worst latency of those requests.
 */
async function stallDuringRollup(): Promise<Figures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-bench-'));
  const server = await startServer({ dataDir, port: 0, host: '127.0.0.1' });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  try {
    // Warm up: the first fetch loads the HTTP client itself, which is the bench's cost, not the server's.
    for (let i = 0; i < 20; i++) await fetch(`${server.url}/api/auth/me`);
    const rollup = server.ctx.db.execute(
      sql`select g % 1000 as k, count(*), sum(g) from generate_series(1, 6000000) g group by 1 order by 1`,
    );
    histogram.enable();
    let worstRequest = 0;
    let requests = 0;
    let done = false;
    const t0 = performance.now();
    void rollup.finally(() => (done = true));
    while (!done) {
      const s = performance.now();
      await fetch(`${server.url}/api/auth/me`); // answers 401 without touching the database
      worstRequest = Math.max(worstRequest, performance.now() - s);
      requests++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await rollup;
    const rollupMs = performance.now() - t0;
    histogram.disable();
    return {
      'eventloop.max_stall_ms@pglite': figure(
        histogram.max / 1e6,
        'ms',
        `worst event-loop delay during a ${Math.round(rollupMs)} ms rollup; load ${os.loadavg()[0]!.toFixed(1)}`,
      ),
      'eventloop.max_trivial_request_ms@pglite': figure(
        worstRequest,
        'ms',
        `${requests} requests during the rollup`,
      ),
    };
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
