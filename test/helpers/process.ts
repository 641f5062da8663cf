// Running the real `lianxin` command in a child process, as an operator would: short commands
// to completion, and servers until they print their address.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../../bin/node-flags.ts';

export const CLI = fileURLToPath(new URL('../../bin/lianxin.mjs', import.meta.url));
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of a command on the embedded database in `dataDir` (never a server's DATABASE_URL). */
export function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LIANXIN_DATA: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  return env;
}

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lianxin ...args` to the end. */
export function lianxin(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, CLI, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `lianxin serve --port 0` and resolves with the console URL it prints. */
export function serve(extra: string[], env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, CLI, 'serve', '--port', '0', '--host', '127.0.0.1', ...extra],
    {
      cwd: ROOT,
      env,
    },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /控制台 Console\s+(http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      reject(new Error(`lianxin serve exited (${code ?? signal}) before it was ready:\n${out}`)),
    );
  });
}

/** Ends a child process and waits until it is gone. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await gone;
}
