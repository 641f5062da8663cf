// Import jobs that survive their instance: a checked job committed after a restart, a check whose
// instance died finished by the next one asked, a commit whose instance died reported as interrupted
// with nothing written (on PostgreSQL, a real server killed mid-transaction), two instances never
// both running one job, another account kept out, and jobs forgotten after two hours.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { buildApp } from '../app.ts';
import { openDatabase, type Database } from '../db/engine.ts';
import type { Actor } from '../platform/access.ts';
import type { Ctx } from '../platform/context.ts';
import { ImportJobs, STALE_MS, TTL_MS } from '../platform/import-jobs/jobs.ts';
import * as jobsRepo from '../platform/import-jobs/repo.ts';
import { importJob } from '../platform/import-jobs/schema.ts';
import { LEDGER_HEADER, ledgerRow } from '../../test/fixtures/ledger.ts';
import { freshDatabase, SERVER_URL, type TestDb } from '../../test/helpers/db.ts';
import { embeddedEnv, serve, stop, type Served } from '../../test/helpers/process.ts';
import { makeAccount, makeCounty, PASSWORD, signedIn, type County } from '../../test/helpers/world.ts';
import { importLedger, type LedgerImportReport } from './import.ts';
import { ledgerJobs, type LedgerTarget } from './import/jobs.ts';
import { resident } from './schema.ts';

let db: TestDb;
let app: FastifyInstance;
let c: County;
let dir: string;
let small: string;
let official: { cookie: string; actor: Actor };
const ROWS = 60;

const village = () => c.townships[0]!.villages[0]!.village;
const residents = async () => (await db.ctx.db.select({ n: count() }).from(resident))[0]!.n;

type Job = {
  id: string;
  state: string;
  progress: { rows: number; fraction: number };
  check: { rows: number; valid: number; invalidCount: number } | null;
  result: { committed: boolean; imported: number } | null;
  error: { code: string; message: string } | null;
};

function upload(cookie: string, file: string, wait = true) {
  return app.inject({
    method: 'POST',
    url: `/api/ledger/imports?regionCode=${village().code}&fileName=ledger.csv&wait=${wait}`,
    headers: { cookie, 'content-type': 'text/csv' },
    payload: fs.readFileSync(file),
  });
}
const poll = (cookie: string, id: string, o: { wait?: boolean; lang?: string } = {}) =>
  app.inject({
    url: `/api/ledger/imports/${id}${o.wait ? '?wait=true' : ''}`,
    headers: { cookie, 'accept-language': o.lang ?? 'zh-CN' },
  });
const commit = (cookie: string, id: string) =>
  app.inject({
    method: 'POST',
    url: `/api/ledger/imports/${id}/commit?wait=true`,
    headers: { cookie },
    payload: { mode: 'all' },
  });

/** A valid ledger of n people not in any other file here (rows from `from` on). */
function ledgerCsv(name: string, n: number, from: number, grids: { code: string }[]): string {
  const file = path.join(dir, name);
  const lines = [LEDGER_HEADER.join(',')];
  for (let i = from; i < from + n; i++)
    lines.push(
      ledgerRow(
        i,
        grids.map((g) => g.code),
      ).join(','),
    );
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** A job as an instance that died left it: its owner gone, its heartbeat minutes old. */
async function leftByDeadInstance(actor: Actor, state: 'checking' | 'committing', file = small) {
  const id = crypto.randomUUID();
  const copy = path.join(dir, `${id}.csv`);
  fs.copyFileSync(file, copy);
  const long = new Date(db.ctx.clock.now().getTime() - 5 * 60_000);
  await jobsRepo.insertJob(db.ctx.db, {
    id,
    kind: 'ledger',
    accountId: actor.accountId,
    regionPath: actor.regionPath,
    actor,
    target: { regionCode: village().code, createGrids: false },
    fileName: 'ledger.csv',
    filePath: copy,
    state,
    progress: { rows: 10, bytes: 100, total: 1000 },
    createdAt: long,
    updatedAt: long,
    owner: 'a-dead-process/its-instance',
    heartbeatAt: long,
  });
  return id;
}

beforeAll(async () => {
  db = await freshDatabase(inject('dbTemplate'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-import-jobs-'));
  db.ctx.config = { ...db.ctx.config, uploadDir: path.join(dir, 'uploads') };
  app = await buildApp(db.ctx, { webDir: null });
  c = await makeCounty(db.ctx, { townships: 2, villagesPer: 1, gridsPer: 2 });
  official = await signedIn({ app, ctx: db.ctx }, 'official', c.townships[0]!.township);
  small = ledgerCsv('small.csv', ROWS, 0, c.townships[0]!.villages[0]!.grids);
});
afterAll(async () => {
  await app.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a restart', () => {
  it('between upload and commit: a new instance on the same data commits the checked job', async () => {
    const up = await upload(official.cookie, small);
    expect(up.json()).toMatchObject({
      state: 'checked',
      check: { rows: ROWS, valid: ROWS, invalidCount: 0 },
    });
    // The file waits in the configured folder (LIANXIN_UPLOAD_DIR: one every instance sees).
    expect(fs.readdirSync(path.join(dir, 'uploads'))).toEqual([expect.stringMatching(/\.csv$/)]);
    const before = await residents();

    await app.close();
    await db.reopen();
    app = await buildApp(db.ctx, { webDir: null });

    expect((await poll(official.cookie, up.json().id)).json()).toMatchObject({ state: 'checked' });
    const done = await commit(official.cookie, up.json().id);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'committed', result: { committed: true, imported: ROWS } });
    expect(await residents()).toBe(before + ROWS);
  });

  it('mid-check: the next instance asked about the job checks the file again', async () => {
    const id = await leftByDeadInstance(official.actor, 'checking');
    const polled = await poll(official.cookie, id, { wait: true });
    expect(polled.statusCode, polled.body).toBe(200);
    // Everyone in the file is in the ledger by now (the test above): a commit would update them.
    expect(polled.json()).toMatchObject({
      state: 'checked',
      check: { rows: ROWS, valid: ROWS, invalidCount: 0, updated: ROWS },
      progress: { fraction: 1 },
    });
  });

  it('a check whose instance is alive is left to it until its heartbeat goes stale', async () => {
    const alive = ledgerJobs(db.ctx); // another instance of this process, busy elsewhere
    const id = await leftByDeadInstance(official.actor, 'checking');
    await db.ctx.db
      .update(importJob)
      .set({ owner: alive.owner, heartbeatAt: db.ctx.clock.now() })
      .where(eq(importJob.id, id));
    expect((await poll(official.cookie, id, { wait: true })).json()).toMatchObject({ state: 'checking' });
    const [row] = await db.ctx.db.select().from(importJob).where(eq(importJob.id, id));
    expect(row!.owner).toBe(alive.owner);

    db.ctx.clock.advance(STALE_MS + 1000);
    expect((await poll(official.cookie, id, { wait: true })).json()).toMatchObject({ state: 'checked' });
    alive.close();
  });

  it('mid-commit: the job says the import was interrupted and nothing written; it can be confirmed again', async () => {
    const other = ledgerCsv('other.csv', 10, 1000, c.townships[0]!.villages[0]!.grids);
    const up = await upload(official.cookie, other);
    expect(up.json()).toMatchObject({ state: 'checked', check: { valid: 10 } });
    const id = up.json().id as string;
    // What a crash mid-commit leaves: the job row says committing (written before the import's
    // transaction began); that transaction died with its instance.
    await db.ctx.db
      .update(importJob)
      .set({
        state: 'committing',
        owner: 'a-dead-process/x',
        heartbeatAt: new Date(db.ctx.clock.now().getTime() - STALE_MS - 1),
      })
      .where(eq(importJob.id, id));
    const before = await residents();

    const polled = (await poll(official.cookie, id)).json() as Job;
    expect(polled).toMatchObject({
      state: 'failed',
      error: { code: 'import.interrupted', message: '导入中断，未写入任何数据，请重新确认' },
    });
    expect((await poll(official.cookie, id, { lang: 'en' })).json().error.message).toBe(
      'The import was interrupted and nothing was written; please confirm it again',
    );
    expect(await residents()).toBe(before);

    const again = await commit(official.cookie, id);
    expect(again.json()).toMatchObject({ state: 'committed', error: null, result: { imported: 10 } });
    expect(await residents()).toBe(before + 10);
    // Committed is final.
    expect((await commit(official.cookie, id)).statusCode).toBe(409);
  });
});

describe('several instances', () => {
  it('asked about the same dead jobs at once, exactly one runs each', async () => {
    // On PostgreSQL the second instance has its own connections, as another server would.
    const second: Database | null = SERVER_URL
      ? await openDatabase({ databaseUrl: db.location.databaseUrl })
      : null;
    const ctxB: Ctx = second ? { ...db.ctx, db: second.db } : db.ctx;
    const runs = new Map<string, number>();
    const instance = (ctx: Ctx) =>
      new ImportJobs<LedgerTarget, LedgerImportReport, object>(ctx, {
        kind: 'ledger',
        capability: 'ledger.import',
        check: (x, actor, job, onProgress) => {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          return importLedger(x, actor, job.file, job.target.regionCode, { dryRun: true, onProgress });
        },
        commit: () => Promise.reject(new Error('not committed here')),
      });
    const a = instance(db.ctx);
    const b = instance(ctxB);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(await leftByDeadInstance(official.actor, 'checking'));
      const both = (o: { wait?: boolean }) =>
        Promise.all(ids.flatMap((id) => [a.get(official.actor, id, o), b.get(official.actor, id, o)]));
      await both({});
      await both({ wait: true }); // each waits for the jobs it took
      const views = await both({});
      expect(new Set(views.map((v) => v.state))).toEqual(new Set(['checked']));
      expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
    } finally {
      a.close();
      b.close();
      await second?.close();
    }
  });
});

describe('what is uploaded', () => {
  it('an old .xls or any other file is refused by its name, in Chinese, and nothing is kept', async () => {
    const jobs = async () => (await db.ctx.db.select({ n: count() }).from(importJob))[0]!.n;
    const uploads = db.ctx.config.uploadDir;
    const files = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads).length : 0);
    const before = { jobs: await jobs(), files: files() };
    for (const name of ['台账.xls', 'ledger.txt', 'notes']) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/ledger/imports?regionCode=${village().code}&fileName=${encodeURIComponent(name)}`,
        headers: {
          cookie: official.cookie,
          'content-type': 'application/octet-stream',
          'accept-language': 'zh-CN',
        },
        payload: fs.readFileSync(small),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'import.file_type',
        detail: expect.stringContaining(`“${name}”不是`),
      });
    }
    expect({ jobs: await jobs(), files: files() }).toEqual(before);
  });
});

describe('whose job', () => {
  it('another account, even in the same township, cannot read, commit or download it (404)', async () => {
    const up = await upload(official.cookie, small);
    const id = up.json().id as string;
    const colleague = await signedIn({ app, ctx: db.ctx }, 'official', c.townships[0]!.township);
    expect((await poll(colleague.cookie, id)).statusCode).toBe(404);
    expect((await commit(colleague.cookie, id)).statusCode).toBe(404);
    const wb = await app.inject({
      url: `/api/ledger/imports/${id}/errors.xlsx`,
      headers: { cookie: colleague.cookie },
    });
    expect(wb.statusCode).toBe(404);
    expect((await poll(official.cookie, 'not-a-job')).statusCode).toBe(404);
    expect((await poll(official.cookie, id)).statusCode).toBe(200);
  });

  it('is forgotten, file and all, two hours after it was last touched', async () => {
    const up = await upload(official.cookie, small);
    const id = up.json().id as string;
    const [row] = await db.ctx.db.select().from(importJob).where(eq(importJob.id, id));
    expect(fs.existsSync(row!.filePath)).toBe(true);
    db.ctx.clock.advance(TTL_MS + 60_000);
    expect((await poll(official.cookie, id)).statusCode).toBe(200);
    await upload(official.cookie, small); // any new upload sweeps
    expect((await poll(official.cookie, id)).statusCode).toBe(404);
    expect(fs.existsSync(row!.filePath)).toBe(false);
  });
});

describe.skipIf(!SERVER_URL)('a server killed mid-commit (PostgreSQL)', () => {
  let child: Served | undefined;
  afterAll(async () => {
    if (child) await stop(child.child, 'SIGKILL');
  });

  it('writes nothing; the next instance reports the import interrupted, and it can be committed again', async () => {
    const N = 40_000;
    const big = ledgerCsv('big.csv', N, 100_000, c.townships[1]!.villages[0]!.grids);
    const target = c.townships[1]!.villages[0]!.village;
    const account = await makeAccount(db.ctx, 'official', c.townships[1]!.township);
    const env = { ...embeddedEnv(dir), DATABASE_URL: db.location.databaseUrl, LIANXIN_SWEEP_SECONDS: '0' };
    child = await serve([], env);
    const login = await fetch(`${child.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: account.username, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .find((x) => x.startsWith('lx_session='))!
      .split(';')[0]!;
    const up = await fetch(
      `${child.url}/api/ledger/imports?regionCode=${target.code}&fileName=big.csv&wait=true`,
      {
        method: 'POST',
        headers: { cookie, 'content-type': 'text/csv' },
        body: fs.readFileSync(big),
      },
    );
    const job = (await up.json()) as Job;
    expect(job).toMatchObject({ state: 'checked', check: { valid: N } });
    const before = await residents();

    const started = await fetch(`${child.url}/api/ledger/imports/${job.id}/commit`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'all' }),
    });
    expect(started.status).toBe(202);
    // The transaction has written: rows read past three chunks, and resident locked for writing.
    await vi.waitFor(
      async () => {
        const { rows } = await db.ctx.db.execute<{ n: number; writers: number }>(sql`
          select (select (progress ->> 'rows')::int from import_job where id = ${job.id}) as n,
            (select count(*)::int from pg_locks l join pg_class k on k.oid = l.relation
              where k.relname = 'resident' and l.mode = 'RowExclusiveLock' and l.granted
                and l.pid <> pg_backend_pid()) as writers`);
        expect(rows[0]!.n).toBeGreaterThanOrEqual(7500);
        expect(rows[0]!.writers).toBeGreaterThan(0);
      },
      { timeout: 60_000, interval: 20 },
    );
    await stop(child.child, 'SIGKILL');
    child = undefined;
    expect(await residents()).toBe(before);

    // Another instance, a little later.
    db.ctx.clock.set(new Date(Date.now() + STALE_MS + 60_000));
    const polled = await app.inject({ url: `/api/ledger/imports/${job.id}`, headers: { cookie } });
    expect(polled.json()).toMatchObject({
      state: 'failed',
      error: { code: 'import.interrupted', message: '导入中断，未写入任何数据，请重新确认' },
    });
    const again = await app.inject({
      method: 'POST',
      url: `/api/ledger/imports/${job.id}/commit?wait=true`,
      headers: { cookie },
      payload: { mode: 'all' },
    });
    expect(again.json()).toMatchObject({ state: 'committed', result: { committed: true, imported: N } });
    expect(await residents()).toBe(before + N);
  }, 180_000);
});
