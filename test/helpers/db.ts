// Fresh databases for tests. TEST_DATABASE_URL selects a real PostgreSQL server; otherwise each
// test file gets its own embedded PGlite copied from a migrated template folder.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/engine.ts';
import { MIGRATIONS_DIR, migrateDatabase } from '../../src/db/migrate.ts';
import { ManualClock, type Clock } from '../../src/platform/clock.ts';
import type { Ctx } from '../../src/platform/context.ts';

export const SERVER_URL = process.env.TEST_DATABASE_URL || undefined;

/** Changes whenever a migration does, so a stale template is never reused. */
function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of fs.readdirSync(MIGRATIONS_DIR).sort()) {
    if (f.endsWith('.sql')) h.update(fs.readFileSync(path.join(MIGRATIONS_DIR, f)));
  }
  return h.digest('hex').slice(0, 12);
}

/** Returns the template's location: a folder (PGlite) or a database name (PostgreSQL). */
export async function prepareTemplate(): Promise<string> {
  const hash = migrationsHash();
  if (SERVER_URL) {
    const name = `lianxin_tpl_${hash}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${name}`);
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const database = await openDatabase({ databaseUrl: withDatabase(SERVER_URL, name) });
    await migrateDatabase(database);
    await database.close();
    return name;
  }
  const dir = path.join(os.tmpdir(), `lianxin-test-template-${hash}`);
  if (!fs.existsSync(path.join(dir, 'ready'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const database = await openDatabase({ dataDir: dir });
    await migrateDatabase(database);
    await database.close();
    fs.writeFileSync(path.join(dir, 'ready'), '');
  }
  return dir;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDb {
  database: Database;
  ctx: Ctx & { clock: ManualClock };
  /** Where the data lives: a folder (PGlite) or a connection string (PostgreSQL). */
  location: { dataDir?: string; databaseUrl?: string };
  /** Closes the database and opens it again on the same data, as a restarted server would. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh, migrated, empty database for one test file. */
export async function freshDatabase(template: string, clock: Clock = new ManualClock()): Promise<TestDb> {
  const config: Config = { ...loadConfig({}), lockoutAttempts: 5, lockoutMinutes: 15 };
  const manual = clock as ManualClock;
  if (SERVER_URL) {
    const name = `lianxin_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const databaseUrl = withDatabase(SERVER_URL, name);
    const t: TestDb = {
      database: await openDatabase({ databaseUrl }),
      ctx: undefined as unknown as TestDb['ctx'],
      location: { databaseUrl },
      reopen: () => reopen(t),
      close: async () => {
        await t.database.close();
        const c = new pg.Client({ connectionString: SERVER_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
    t.ctx = {
      db: t.database.db,
      engine: t.database.engine,
      clock: manual,
      config: { ...config, databaseUrl },
    };
    return t;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-test-'));
  fs.cpSync(template, dataDir, { recursive: true });
  fs.rmSync(path.join(dataDir, 'lianxin.lock'), { force: true });
  const t: TestDb = {
    database: await openDatabase({ dataDir }),
    ctx: undefined as unknown as TestDb['ctx'],
    location: { dataDir },
    reopen: () => reopen(t),
    close: async () => {
      await t.database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  t.ctx = { db: t.database.db, engine: t.database.engine, clock: manual, config: { ...config, dataDir } };
  return t;
}

/** The context object stays the same (apps built on it keep working); its database is new. */
async function reopen(t: TestDb): Promise<void> {
  await t.database.close();
  t.database = await openDatabase(t.location);
  t.ctx.db = t.database.db;
}
