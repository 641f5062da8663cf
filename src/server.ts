// Starting Lianxin: open (and migrate) the database, seed the demo world into an empty one when
// asked, and serve the API and the console. Used by `lianxin serve|start`, the e2e tests and bench.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/engine.ts';
import { migrateDatabase } from './db/migrate.ts';
import { isEmpty, seedDemo } from './demo/seed.ts';
import type { DemoScale, DemoWorld } from './demo/world.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Ctx } from './platform/context.ts';
import { logAdapter, startDeliverer, webhookAdapter } from './orders/outbox.ts';
import { startSweeper } from './orders/sweeper.ts';

export interface StartOptions {
  dataDir?: string;
  databaseUrl?: string;
  port?: number;
  host?: string;
  /** Seed this demo world when the database holds no regions yet. */
  demo?: DemoScale;
  seed?: number;
  clock?: Clock;
  logger?: boolean;
  config?: Partial<Config>;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  ctx: Ctx;
  database: Database;
  /** The demo world, when this start seeded one. */
  seeded: DemoWorld | null;
  close(): Promise<void>;
}

export async function openContext(opts: StartOptions = {}): Promise<{ ctx: Ctx; database: Database }> {
  const base = loadConfig();
  const config: Config = {
    ...base,
    ...opts.config,
    dataDir: opts.dataDir ?? base.dataDir,
    databaseUrl: opts.databaseUrl ?? (opts.dataDir ? undefined : base.databaseUrl),
  };
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return {
    database,
    ctx: { db: database.db, engine: database.engine, clock: opts.clock ?? systemClock, config },
  };
}

/** The sweeper (reminders, escalation) and the SMS deliverer, each on its own timer. */
function startBackgroundWork(ctx: Ctx, log: (err: unknown) => void): () => void {
  if (ctx.config.sweepSeconds === 0) return () => {};
  const ms = ctx.config.sweepSeconds * 1000;
  const adapter = ctx.config.smsWebhook ? webhookAdapter(ctx.config.smsWebhook) : logAdapter;
  const stops = [startSweeper(ctx, ms, log), startDeliverer(ctx, adapter, ms, log)];
  return () => stops.forEach((stop) => stop());
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const { ctx, database } = await openContext(opts);
  try {
    const seeded = opts.demo && (await isEmpty(ctx)) ? await seedDemo(ctx, opts.demo, opts.seed) : null;
    const app = await buildApp(ctx, { logger: opts.logger });
    const address = await app.listen({
      port: opts.port ?? ctx.config.port,
      host: opts.host ?? ctx.config.host,
    });
    const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
    const stopWorkers = startBackgroundWork(ctx, (err) => app.log.error({ err }, 'background work failed'));
    return {
      url,
      app,
      ctx,
      database,
      seeded,
      close: async () => {
        stopWorkers();
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
