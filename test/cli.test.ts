// The `lianxin` command as an operator uses it: help texts, seeding a demo into an empty folder,
// importing a region file (a report, or exit code 2 with the bad row), and clear usage errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDemoWorld } from '../src/demo/world.ts';
import { spawnSync } from 'node:child_process';
import { NODE_FLAGS } from '../bin/node-flags.ts';
import { CLI, embeddedEnv, lianxin } from './helpers/process.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-cli-'));
const env = embeddedEnv(path.join(dataDir, 'data'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** A village of the small demo world, to hang an imported grid under. */
const village = buildDemoWorld('small', 1).regions.find((r) => r.level === 'village')!;

function csv(name: string, rows: string[][]): string {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, '\uFEFF' + rows.map((r) => r.join(',')).join('\n') + '\n');
  return file;
}

/** The JSON report a --json command prints on its own line. */
const jsonLine = (stdout: string): unknown =>
  JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')) ?? 'null');

// One describe, run in order: the demo seeds the folder the imports then use. Each command starts
// Node, tsx and (but for --help) the embedded database, so the limits are generous.
describe('lianxin', { timeout: 120_000 }, () => {
  it('--help of each command prints its usage and exits 0; a bad --scale fails naming the scales', async () => {
    // Run together: each start of the command costs seconds, and none of these touches the data.
    const [main, imp, demo, nope] = await Promise.all([
      lianxin(['--help'], env),
      lianxin(['import', '--help'], env),
      lianxin(['demo', '--help'], env),
      lianxin(['demo', '--scale', 'nope'], env),
    ]);
    expect([main.code, imp.code, demo.code]).toEqual([0, 0, 0]);
    expect(main.stdout).toContain('Usage: lianxin <command>');
    expect(imp.stdout).toContain('Usage: lianxin import regions FILE');
    expect(demo.stdout).toContain('Usage: lianxin demo --scale small|county|city');
    expect(nope.code).not.toBe(0);
    expect(nope.stderr).toContain('--scale must be one of small, county, city');
  });

  it('runs as an executable with the memory flags every starter of node passes (npm start runs it so)', () => {
    expect(fs.readFileSync(CLI, 'utf8').split('\n')[0]).toBe(
      `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`,
    );
    const run = spawnSync(CLI, ['--help'], { env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: lianxin <command>');
  });

  it('demo --scale small seeds an empty folder and prints the sign-ins', async () => {
    const r = await lianxin(['demo', '--scale', 'small'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Seeded the 'small' demo world");
    expect(r.stdout).toMatch(/admin\s+admin/);
  }, 240_000); // a fresh folder: the embedded database is created first

  it('import regions FILE --json adds a grid under a demo village and reports it as JSON', async () => {
    const file = csv('grid.csv', [
      ['区划代码', '名称'],
      [`${village.code}099`, '导入的网格'],
    ]);
    const r = await lianxin(['import', 'regions', file, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = jsonLine(r.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      rows: 1,
      created: 1,
      renamed: 0,
      unchanged: 0,
      invalid: [],
      committed: true,
    });
  });

  it('a file with a bad row exits with code 2 and names the row', async () => {
    const file = csv('bad.csv', [
      ['区划代码', '名称'],
      [`${village.code}098`, '好网格'],
      ['12345', '坏代码'],
    ]);
    const r = await lianxin(['import', 'regions', file], env);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('第 3 行');
  });

  it('with --json, the bad row comes back in the JSON report too', async () => {
    const r = await lianxin(['import', 'regions', path.join(dataDir, 'bad.csv'), '--json'], env);
    expect(r.code).toBe(2);
    expect(r.stdout, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toMatch(/^\{/m);
    const report = jsonLine(r.stdout) as {
      committed: boolean;
      invalid: { row: number; path: string; message: string }[];
    };
    expect(report.committed).toBe(false);
    expect(report.invalid).toEqual([expect.objectContaining({ row: 3, path: 'code' })]);
  });
});
