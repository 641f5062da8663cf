// E2E global setup: builds the console into web/dist when it is missing or older than web/ sources.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const WEB = fileURLToPath(new URL('../../web', import.meta.url));
const INDEX = path.join(WEB, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  if (process.env.LX_E2E_BUILD === '1') return true;
  if (!fs.existsSync(INDEX)) return true;
  return newestSource(WEB) > fs.statSync(INDEX).mtimeMs;
}

export default async function setup(): Promise<void> {
  if (!isStale()) return;
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}
