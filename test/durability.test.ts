// The embedded database keeps every write it acknowledged: the real server is killed with SIGKILL
// mid-stream, restarted on the same folder, and every grid that got a 201 is still there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { embeddedEnv, serve, stop, type Served } from './helpers/process.ts';

interface Node {
  id: number;
  name: string;
  level: string;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-durability-'));
const started: Served[] = [];

afterAll(async () => {
  for (const s of started) await stop(s.child, 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<Served> {
  const s = await serve(['--demo', 'small'], embeddedEnv(dataDir));
  started.push(s);
  return s;
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: 'Lianxin@2023' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lx_session='));
  return cookie!.split(';')[0]!;
}

async function get<T>(url: string, cookie: string): Promise<T> {
  const res = await fetch(url, { headers: { cookie } });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

const createGrid = (url: string, cookie: string, parentId: number, name: string) =>
  fetch(`${url}/api/regions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ parentId, name }),
  });

describe.skipIf(!!process.env.TEST_DATABASE_URL)('durability of the embedded database', () => {
  it('every acknowledged grid survives a SIGKILL, and the restart takes over the dead lock', async () => {
    // Start from the migrated template folder the other tests copy, to skip a slow first initdb.
    fs.cpSync(inject('dbTemplate'), dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, 'lianxin.lock'), { force: true });
    const first = await start();
    const cookie = await signIn(first.url);
    const me = await get<{ region: Node }>(`${first.url}/api/auth/me`, cookie);
    const [township] = await get<Node[]>(`${first.url}/api/regions/${me.region.id}/children`, cookie);
    const [village] = await get<Node[]>(`${first.url}/api/regions/${township!.id}/children`, cookie);
    expect(village?.level).toBe('village');

    const acknowledged = new Map<number, string>();
    for (let i = 1; i <= 30; i++) {
      const res = await createGrid(first.url, cookie, village!.id, `耐久网格${i}`);
      expect(res.status).toBe(201);
      const g = (await res.json()) as Node;
      acknowledged.set(g.id, g.name);
    }

    // Twenty more at once; the process dies as soon as five of them are answered.
    let answered = 0;
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      createGrid(first.url, cookie, village!.id, `飞行中网格${i + 1}`).then(async (res) => {
        if (++answered === 5) first.child.kill('SIGKILL');
        if (res.status === 201) {
          const g = (await res.json()) as Node;
          acknowledged.set(g.id, g.name);
        }
      }),
    );
    await Promise.allSettled(inFlight);
    await stop(first.child, 'SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(35);
    expect(acknowledged.size).toBeLessThan(50);
    // The dead process left its lock behind; the restart must not refuse the folder because of it.
    expect(fs.readFileSync(path.join(dataDir, 'lianxin.lock'), 'utf8')).toBe(String(first.child.pid));

    const second = await start();
    const cookie2 = await signIn(second.url);
    const grids = await get<Node[]>(`${second.url}/api/regions/${village!.id}/children`, cookie2);
    const after = new Map(grids.map((g) => [g.id, g.name]));
    const lost = [...acknowledged].filter(([id, name]) => after.get(id) !== name);
    expect(lost).toEqual([]);
    await stop(second.child);
  }, 240_000);
});
