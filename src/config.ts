// Environment → typed configuration. Every entry point reads settings through here, nowhere else.
import os from 'node:os';
import path from 'node:path';

export interface Config {
  /** Where the embedded database keeps its files (PGlite), unless DATABASE_URL is set. */
  dataDir: string;
  /** A real PostgreSQL server (15 or later); when set, the embedded database is not used. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** Sessions last this long since last use. */
  sessionIdleHours: number;
  /** Failed sign-ins before an account is locked, and for how long. */
  lockoutAttempts: number;
  lockoutMinutes: number;
  /** Set the cookie's Secure flag (behind HTTPS). */
  secureCookies: boolean;
  logLevel: string;
  /** The address residents' QR codes point at (e.g. https://lianxin.example.gov.cn); default: the request's. */
  publicUrl: string | undefined;
  /** How often the sweeper looks for reminders and escalations; 0 turns it off. */
  sweepSeconds: number;
  /** An SMS gateway taking POST {mobile, text, id}; without one, SMS go to the log the console shows. */
  smsWebhook: string | undefined;
  /** Requests a minute one address may make to the resident channel (each card alone: 20). */
  publicRatePerMinute: number;
  /** How often the live notification streams check their sessions are still valid; 0: every second. */
  liveCheckSeconds: number;
  /**
   * Where uploaded import files wait between the check and the commit. Several instances behind one
   * address need a folder they all see (an import's commit may reach another instance).
   */
  uploadDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    dataDir: path.resolve(env.LIANXIN_DATA ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    port: intOr(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    sessionIdleHours: intOr(env.LIANXIN_SESSION_HOURS, 12),
    lockoutAttempts: intOr(env.LIANXIN_LOCKOUT_ATTEMPTS, 5),
    lockoutMinutes: intOr(env.LIANXIN_LOCKOUT_MINUTES, 15),
    secureCookies: env.LIANXIN_SECURE_COOKIES === '1',
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: env.LIANXIN_PUBLIC_URL || undefined,
    sweepSeconds: intOr(env.LIANXIN_SWEEP_SECONDS, 15),
    smsWebhook: env.LIANXIN_SMS_WEBHOOK || undefined,
    publicRatePerMinute: intOr(env.LIANXIN_PUBLIC_RATE_PER_MINUTE, 60),
    liveCheckSeconds: intOr(env.LIANXIN_LIVE_CHECK_SECONDS, 30),
    uploadDir: path.resolve(env.LIANXIN_UPLOAD_DIR || path.join(os.tmpdir(), 'lianxin-imports')),
  };
}

function intOr(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Not a whole number: ${value}`);
  return n;
}
