// What every service needs from the running system: the database, the clock and the settings.
import type { Config } from '../config.ts';
import type { Db, Engine } from '../db/engine.ts';
import type { Clock } from './clock.ts';

export interface Ctx {
  db: Db;
  engine: Engine;
  clock: Clock;
  config: Config;
}
