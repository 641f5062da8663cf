// The live notification hub over real HTTP: a notice reaches only its member's console, a console
// that reconnects with Last-Event-ID gets exactly what it missed, a signed-out or deactivated
// account's stream ends with `signed-out`, and a tick is one query however many consoles listen.
// The test drives the hub's ticks and the clock; nothing waits for time to pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { eq } from 'drizzle-orm';
import { member } from '../staff/schema.ts';
import { freshDatabase, type TestDb } from '../../test/helpers/db.ts';
import { makeMember } from '../../test/helpers/staff.ts';
import { makeAccount, makeCounty, signIn, type County } from '../../test/helpers/world.ts';
import { LiveHub } from './live.ts';
import { notification } from './schema.ts';

let t: TestDb;
let app: FastifyInstance;
let hub: LiveHub;
let address = '';
let c: County;
let admin = '';
const people: Record<string, { memberId: number; accountId: number; cookie: string }> = {};
const streams: { close(): void }[] = [];

/** A doctor with an account and a member record, signed in. */
async function doctor(name: string) {
  const v = c.townships[0]!.villages[0]!.village;
  const acc = await makeAccount(t.ctx, 'doctor', v);
  const m = await makeMember(t.ctx, v, { roles: ['family_doctor'], name });
  await t.ctx.db.update(member).set({ accountId: acc.id }).where(eq(member.id, m.id));
  people[name] = { memberId: m.id, accountId: acc.id, cookie: await signIn(app, acc.username) };
}

/** A console notice for a member, written to the outbox as the service loop writes them. */
async function notice(name: string, text: string): Promise<number> {
  const [row] = await t.ctx.db
    .insert(notification)
    .values({
      countyCode: c.county.countyCode!,
      memberId: people[name]!.memberId,
      channel: 'console',
      kind: 'dispatched',
      text,
      createdAt: t.ctx.clock.now(),
      sentAt: t.ctx.clock.now(),
    })
    .returning();
  return row!.id;
}

/** Opens the stream as `name`'s console and reads it as it arrives. */
async function open(name: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`${address}/api/notifications/stream`, {
    headers: { cookie: people[name]!.cookie, ...headers },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let ended = false;
  const stream = {
    /** Reads until the pattern shows in what arrived (the test's timeout bounds the wait). */
    until: async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${pattern}:\n${text}`);
        text += value;
      }
      return pattern.exec(text)!;
    },
    /** Reads to the end the server gives the stream. */
    end: async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return (ended = true);
        text += value;
      }
    },
    ended: () => ended,
    text: () => text,
    /** The notices received, by id and text. */
    notices: () =>
      [...text.matchAll(/id: (\d+)\nevent: notification\ndata: (.*)\n/g)].map((m) => ({
        id: Number(m[1]),
        text: (JSON.parse(m[2]!) as { text: string }).text,
      })),
    close: () => abort.abort(),
  };
  streams.push(stream);
  await stream.until(/event: ready\ndata: \d+\n\n/);
  return stream;
}

beforeAll(async () => {
  t = await freshDatabase(inject('dbTemplate'));
  hub = new LiveHub(t.ctx, { timer: false });
  app = await buildApp(t.ctx, { webDir: null, live: hub });
  address = await app.listen({ port: 0, host: '127.0.0.1' });
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
  await doctor('王医生');
  await doctor('李医生');
  await doctor('赵医生');
  admin = await signIn(app, (await makeAccount(t.ctx, 'admin', c.county)).username);
});

afterAll(async () => {
  for (const s of streams) s.close();
  await app.close();
  await t.close();
});

describe('the live notification hub', () => {
  it('hands a notice to its member’s console only', async () => {
    const wang = await open('王医生');
    const li = await open('李医生');
    await notice('王医生', '给王医生的工单 #1');
    await hub.tick();
    await wang.until(/给王医生的工单 #1/);
    // Li's own next notice arrives after anything sent to Li before it: Wang's was never among them.
    await notice('李医生', '给李医生的工单 #2');
    await hub.tick();
    await li.until(/给李医生的工单 #2/);
    expect(li.notices().map((n) => n.text)).toEqual(['给李医生的工单 #2']);
    expect(wang.notices().map((n) => n.text)).toEqual(['给王医生的工单 #1']);
    wang.close();
    li.close();
  });

  it('gives a console that reconnects with Last-Event-ID exactly what it missed, then goes on live', async () => {
    const first = await open('王医生');
    const seen = await notice('王医生', '断线前 #3');
    await hub.tick();
    await first.until(/断线前 #3/);
    first.close();

    const missed = [await notice('王医生', '断线期间 #4'), await notice('王医生', '断线期间 #5')];
    await notice('李医生', '别人的 #6');
    const back = await open('王医生', { 'last-event-id': String(seen) });
    expect(back.text()).toContain(`event: ready\ndata: ${seen}\n`);
    await back.until(/断线期间 #5/);
    await hub.tick(); // the hub reads the same rows again: nothing arrives twice
    const later = await notice('王医生', '重连后 #7');
    await hub.tick();
    await back.until(/重连后 #7/);
    const last = await notice('王医生', '再一条 #8');
    await hub.tick(); // reads #7 again (a late commit may sit just below it): sent once all the same
    await back.until(/再一条 #8/);
    expect(back.notices().map((n) => n.id)).toEqual([...missed, later, last]);
    back.close();
  });

  it('ends the stream with signed-out once the session is over, at the next session check', async () => {
    const wang = await open('王医生');
    const li = await open('李医生');
    const zhao = await open('赵医生');
    const out = await fetch(`${address}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: people['王医生']!.cookie },
    });
    expect(out.status).toBeLessThan(300);
    const deactivated = await app.inject({
      method: 'PATCH',
      url: `/api/accounts/${people['赵医生']!.accountId}`,
      headers: { cookie: admin },
      payload: { active: false },
    });
    expect(deactivated.statusCode, deactivated.body).toBe(200);

    t.ctx.clock.advance(30_000); // LIANXIN_LIVE_CHECK_SECONDS, 30 by default
    await hub.tick();
    await wang.end();
    await zhao.end();
    expect(wang.text()).toMatch(/event: signed-out\n/);
    expect(zhao.text()).toMatch(/event: signed-out\n/);
    // Li is still signed in and still told.
    await notice('李医生', '仍在线 #9');
    await hub.tick();
    await li.until(/仍在线 #9/);
    expect(li.ended()).toBe(false);
    li.close();
  });

  it('reads the outbox with one query a tick, however many consoles are open', async () => {
    await doctor('孙医生');
    const names = ['李医生', '孙医生'];
    const queriesDuring = async (run: () => Promise<unknown>) => {
      const pool = t.database.pool;
      const query = pool.query.bind(pool);
      let count = 0;
      pool.query = ((...args: Parameters<typeof query>) => (count++, query(...args))) as typeof pool.query;
      try {
        await run();
      } finally {
        pool.query = query as typeof pool.query;
      }
      return count;
    };

    const two = await Promise.all(names.map((n) => open(n)));
    await notice('李医生', '两个在线 #10');
    expect(await queriesDuring(() => hub.tick())).toBe(1);
    await two[0]!.until(/两个在线 #10/);

    const more = await Promise.all([...names, ...names, ...names].map((n) => open(n)));
    const sun = [two[1]!, ...more.filter((_, i) => i % 2 === 1)];
    const li = more.filter((_, i) => i % 2 === 0);
    await notice('孙医生', '给孙 #11');
    await notice('李医生', '给李 #12');
    await notice('孙医生', '给孙 #13');
    await notice('李医生', '给李 #14');
    expect(await queriesDuring(() => hub.tick())).toBe(1);
    // Each console gets its own, in order, and nothing of the other's in between.
    for (const s of sun) {
      await s.until(/给孙 #13/);
      expect(s.notices().map((n) => n.text)).toEqual(['给孙 #11', '给孙 #13']);
    }
    for (const s of li) {
      await s.until(/给李 #14/);
      expect(s.notices().map((n) => n.text)).toEqual(['给李 #12', '给李 #14']);
    }
  });
});
