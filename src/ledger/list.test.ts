// The ledger list's paging as the console uses it: pages by number and the next page by the previous
// page's cursor (keyset) give the same residents in the same order, within the caller's scope; the
// total is counted up to a cap and says when it reached it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckDigit } from '../platform/identity.ts';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';
import * as repo from './repo.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let county: string;
let townA: string;
let townB: string;

const call = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

function idFor(birth: string, seq: number): string {
  const body = `340828${birth.replaceAll('-', '')}${String(seq * 2 + 1).padStart(3, '0')}`;
  return body + idCheckDigit(body);
}

/** Inputs that the default rule colours green, yellow and red. */
const INPUTS = {
  green: { birth: '1990-05-01', vaccination: 'full', conditions: [] },
  yellow: { birth: '1950-05-01', vaccination: 'partial', conditions: [] },
  red: { birth: '1940-05-01', vaccination: 'none', conditions: [{ name: '高血压', state: 'unstable' }] },
} as const;
const COLOURS = ['green', 'yellow', 'red', 'yellow', 'green', 'red', 'green'] as const;

interface Page {
  total: number;
  totalCapped: boolean;
  page: number;
  cursor: number | null;
  items: { id: number; colour: string; gridName: string; address: string }[];
}

beforeAll(async () => {
  t = await testWorld();
  t.ctx.clock.set('2023-01-05T08:00:00+08:00');
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 2, gridsPer: 2 });
  county = (await signedIn(t, 'official', c.county)).cookie;
  townA = (await signedIn(t, 'official', c.townships[0]!.township)).cookie;
  townB = (await signedIn(t, 'official', c.townships[1]!.township)).cookie;
  // 7 residents in each of the 8 grids, added round-robin so ids interleave across grids.
  const grids = c.townships.flatMap((tw) => tw.villages.flatMap((v) => v.grids));
  for (let i = 0; i < 7; i++) {
    for (const [g, grid] of grids.entries()) {
      const input = INPUTS[COLOURS[(i + g) % COLOURS.length]!];
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/residents',
        headers: { cookie: county },
        payload: {
          name: `居民${g}-${i}`,
          idNumber: idFor(input.birth, g * 10 + i),
          vaccination: input.vaccination,
          conditions: input.conditions,
          household: { gridId: grid.id, address: `${i + 1} 号` },
        },
      });
      expect(res.statusCode).toBe(201);
    }
  }
});
afterAll(() => t.close());

/** Every page of a list by page number, and again by following the cursor. */
async function walk(cookie: string, qs: string, pageSize: number) {
  const byNumber: number[][] = [];
  const byCursor: number[][] = [];
  for (let page = 1; ; page++) {
    const p = (await call(cookie, `/api/residents?${qs}&pageSize=${pageSize}&page=${page}`)).json() as Page;
    if (p.items.length === 0) break;
    byNumber.push(p.items.map((r) => r.id));
  }
  let after: number | null = null;
  for (let page = 1; page < 100; page++) {
    const url = `/api/residents?${qs}&pageSize=${pageSize}&page=${page}${after === null ? '' : `&after=${after}`}`;
    const p = (await call(cookie, url)).json() as Page;
    if (p.items.length) byCursor.push(p.items.map((r) => r.id));
    if (p.cursor === null) break;
    expect(p.cursor).toBe(p.items.at(-1)!.id);
    after = p.cursor;
  }
  return { byNumber, byCursor };
}

describe('the ledger list', () => {
  it('pages by number and by cursor alike, in id order, with the household and grid', async () => {
    const all = (await call(county, '/api/residents?pageSize=200')).json() as Page;
    expect(all.total).toBe(56);
    expect(all.totalCapped).toBe(false);
    const ids = all.items.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(all.items[0]).toMatchObject({ address: '1 号', gridName: expect.any(String) as string });
    const { byNumber, byCursor } = await walk(county, 'x=1', 5);
    expect(byNumber.flat()).toEqual(ids);
    expect(byCursor).toEqual(byNumber);
  });

  it('pages newest first by cursor too', async () => {
    const all = (await call(county, '/api/residents?pageSize=200&desc=true')).json() as Page;
    const ids = all.items.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const { byNumber, byCursor } = await walk(county, 'desc=true', 6);
    expect(byNumber.flat()).toEqual(ids);
    expect(byCursor).toEqual(byNumber);
  });

  it('filters by colour within a township, and keeps to the caller’s scope', async () => {
    const township = c.townships[0]!.township;
    const qs = `regionId=${township.id}&colour=yellow&colour=red`;
    const mine = (await call(townA, `/api/residents?${qs}&pageSize=200`)).json() as Page;
    expect(mine.items.length).toBe(mine.total);
    expect(mine.total).toBeGreaterThan(5);
    expect(mine.items.every((r) => r.colour === 'yellow' || r.colour === 'red')).toBe(true);
    const { byNumber, byCursor } = await walk(townA, qs, 4);
    expect(byNumber.flat()).toEqual(mine.items.map((r) => r.id));
    expect(byCursor).toEqual(byNumber);
    // B's official: A's township is not found; B's own list holds none of A's residents, even by cursor.
    expect((await call(townB, `/api/residents?${qs}`)).statusCode).toBe(404);
    const theirs = (await call(townB, `/api/residents?pageSize=200&after=0`)).json() as Page;
    expect(theirs.total).toBe(28);
    expect(theirs.items.some((r) => mine.items.some((m) => m.id === r.id))).toBe(false);
  });

  it('other sorts page by number and give no cursor', async () => {
    const p = (await call(county, '/api/residents?sort=colour&desc=true&pageSize=10')).json() as Page;
    expect(p.cursor).toBeNull();
    expect(p.items[0]!.colour).toBe('red');
    const surveyed = (await call(county, '/api/residents?surveyed=no&pageSize=10')).json() as Page;
    expect(surveyed.total).toBe(56);
    expect(surveyed.cursor).toBe(surveyed.items.at(-1)!.id);
  });

  it('counts no further than the cap and says so', async () => {
    const f: repo.ResidentFilter = {
      path: c.county.path,
      status: 'active',
      sort: 'id',
      desc: false,
      limit: 20,
      offset: 0,
      elderlyBornBy: '1958-01-05',
    };
    expect(await repo.countResidentsCapped(t.ctx.db, f, 10)).toEqual({ total: 10, capped: true });
    expect(await repo.countResidentsCapped(t.ctx.db, f, 56)).toEqual({ total: 56, capped: false });
  });
});
