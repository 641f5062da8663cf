// Keeps two processes from opening one embedded data folder at once (that would corrupt it).
// A lock left by a process that died (crash, SIGKILL) is taken over.
import fs from 'node:fs';
import path from 'node:path';

export function acquireDataDirLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'lianxin.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(file, 'utf8'));
      if (holder && isAlive(holder)) {
        throw new Error(`The data folder ${dataDir} is in use by process ${holder}`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
