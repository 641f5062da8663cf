// Signing in and out over HTTP as staff meet it: lockout, session expiry, password changes,
// deactivation, and sessions that hold on every app instance. Every outcome lands in the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { buildApp } from '../../app.ts';
import { auditEvent } from '../audit/schema.ts';
import {
  PASSWORD,
  makeAccount,
  makeCounty,
  signIn,
  testWorld,
  type County,
} from '../../../test/helpers/world.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let adminName: string;

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
  adminName = (await makeAccount(t.ctx, 'admin', c.county)).username;
});
afterAll(() => t.close());

const township = () => c.townships[0]!.township;

const login = (who: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: who, password }, headers });

const me = (cookie?: string, app = t.app) =>
  app.inject({ method: 'GET', url: '/api/auth/me', headers: cookie ? { cookie } : {} });

const cookieOf = (res: Awaited<ReturnType<typeof login>>) =>
  `lx_session=${res.cookies.find((k) => k.name === 'lx_session')!.value}`;

const auditActionsOn = async (accountId: number) =>
  (
    await t.ctx.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetType, 'account'), eq(auditEvent.targetId, String(accountId))))
      .orderBy(asc(auditEvent.id))
  ).map((e) => e.action);

describe('signing in', () => {
  it('works by username and by mobile, with a cookie scripts cannot read', async () => {
    const acc = await makeAccount(t.ctx, 'official', township(), { mobile: '13912345678' });
    const res = await login(acc.username, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: acc.id,
      username: acc.username,
      role: 'official',
      region: { id: township().id, level: 'township' },
      capabilities: expect.arrayContaining(['region.write']),
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^lx_session=/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//);
    expect((await me(cookieOf(res))).json()).toMatchObject({ username: acc.username });

    const byMobile = await login('13912345678', PASSWORD);
    expect(byMobile.statusCode).toBe(200);
    expect(byMobile.json()).toMatchObject({ username: acc.username });
  });

  it('a wrong password is 401 with a Chinese detail, English on request, and no cookie', async () => {
    const acc = await makeAccount(t.ctx, 'doctor', township());
    const zh = await login(acc.username, 'Wrong1234');
    expect(zh.statusCode).toBe(401);
    expect(zh.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(zh.json()).toMatchObject({ code: 'auth.invalid_credentials', detail: '账号或密码错误' });
    expect(zh.headers['set-cookie']).toBeUndefined();
    const en = await login(acc.username, 'Wrong1234', { 'accept-language': 'en-US,en;q=0.8' });
    expect(en.json()).toMatchObject({
      code: 'auth.invalid_credentials',
      detail: 'Wrong username or password',
    });
  });

  it('an unknown username answers exactly like a wrong password', async () => {
    const res = await login('nobody_here', 'Wrong1234');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.invalid_credentials', detail: '账号或密码错误' });
  });

  it('five failures lock the account for 15 minutes, even against the right password', async () => {
    const acc = await makeAccount(t.ctx, 'grid_member', township());
    for (let i = 1; i <= 4; i++) expect((await login(acc.username, `Guess${i}xyz`)).statusCode).toBe(401);
    const fifth = await login(acc.username, 'Guess5xyz');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({
      code: 'auth.locked',
      detail: expect.stringContaining('账号已锁定'),
    });

    const right = await login(acc.username, PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json()).toMatchObject({ code: 'auth.locked' });

    t.ctx.clock.advance(14 * MINUTE);
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(423);
    t.ctx.clock.advance(1 * MINUTE);
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(200);

    expect(await auditActionsOn(acc.id)).toEqual([
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.locked',
      'auth.login',
    ]);
  });

  it('a successful sign-in starts the failure count again', async () => {
    const acc = await makeAccount(t.ctx, 'grid_member', township());
    for (let i = 0; i < 4; i++) await login(acc.username, 'Wrong1234');
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(acc.username, 'Wrong1234')).statusCode).toBe(401);
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(200);
  });

  it('once a lock runs out, one typo is a plain 401 again, not another 15 minutes', async () => {
    const acc = await makeAccount(t.ctx, 'grid_member', township());
    for (let i = 0; i < 5; i++) await login(acc.username, 'Wrong1234');
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(423);
    t.ctx.clock.advance(15 * MINUTE);
    const typo = await login(acc.username, 'Wrong1234');
    expect(typo.statusCode).toBe(401);
    expect(typo.json()).toMatchObject({ code: 'auth.invalid_credentials' });
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(200);
  });

  it('guesses sent all at once still lock the account', async () => {
    const acc = await makeAccount(t.ctx, 'party_member', township());
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => login(acc.username, `Parallel${i}x`)),
    );
    expect(answers.map((a) => a.statusCode).filter((s) => s === 423).length).toBeGreaterThan(0);
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(423);
  });
});

describe('sessions', () => {
  it('without a cookie (or with a made-up one) /api/auth/me is 401 auth.required', async () => {
    const none = await me();
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'auth.required', detail: '请先登录' });
    expect((await me('lx_session=not-a-real-token')).statusCode).toBe(401);
  });

  it('signing out ends the session: the same cookie is refused afterwards', async () => {
    const acc = await makeAccount(t.ctx, 'secretary', township());
    const cookie = await signIn(t.app, acc.username);
    expect((await me(cookie)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/i);
    const after = await me(cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'auth.required' });
    expect(await auditActionsOn(acc.id)).toEqual(['auth.login', 'auth.logout']);
  });

  it('a session in use stays alive; one left idle for 12 hours ends', async () => {
    const acc = await makeAccount(t.ctx, 'operator', township());
    const cookie = await signIn(t.app, acc.username);
    t.ctx.clock.advance(11 * HOUR);
    expect((await me(cookie)).statusCode).toBe(200);
    t.ctx.clock.advance(11 * HOUR); // 22 h after signing in, 11 h after last use
    expect((await me(cookie)).statusCode).toBe(200);
    t.ctx.clock.advance(12 * HOUR + MINUTE);
    const idle = await me(cookie);
    expect(idle.statusCode).toBe(401);
    expect(idle.json()).toMatchObject({ code: 'auth.required' });
  });

  it('a session opened on one app instance is valid on another over the same database', async () => {
    const second = await buildApp(t.ctx, { webDir: null });
    try {
      const acc = await makeAccount(t.ctx, 'team_member', township());
      const cookie = await signIn(t.app, acc.username);
      const there = await me(cookie, second);
      expect(there.statusCode).toBe(200);
      expect(there.json()).toMatchObject({ id: acc.id, username: acc.username });
      // Signing out on the second instance ends it on the first too.
      await second.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      expect((await me(cookie)).statusCode).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe('changing one’s own password', () => {
  const change = (cookie: string, currentPassword: string, newPassword: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword, newPassword },
    });

  it('refuses a wrong current password and a weak new one', async () => {
    const acc = await makeAccount(t.ctx, 'doctor', township());
    const cookie = await signIn(t.app, acc.username);
    const wrong = await change(cookie, 'NotMine123', 'Better2023');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'auth.wrong_password', detail: '当前密码不正确' });
    for (const weak of ['short1', 'onlyletters', '1234567890']) {
      const res = await change(cookie, PASSWORD, weak);
      expect(res.statusCode, weak).toBe(400);
      expect(res.json()).toMatchObject({ code: 'auth.weak_password' });
    }
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(200);
  });

  it('the new password works, the old one no longer, and only the other sessions are signed out', async () => {
    const acc = await makeAccount(t.ctx, 'grid_leader', township());
    const phone = await signIn(t.app, acc.username);
    const laptop = await signIn(t.app, acc.username);
    const res = await change(laptop, PASSWORD, 'Spring2023');
    expect(res.statusCode).toBe(204);
    expect((await me(laptop)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(401);
    expect((await login(acc.username, 'Spring2023')).statusCode).toBe(200);
    expect(await auditActionsOn(acc.id)).toContain('account.password_change');
  });
});

describe('deactivating an account', () => {
  it('ends its sessions and its sign-in answers 401 auth.inactive; reactivating lets it back in', async () => {
    const adminCookie = await signIn(t.app, adminName);
    const acc = await makeAccount(t.ctx, 'official', township());
    const cookie = await signIn(t.app, acc.username);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${acc.id}`,
      headers: { cookie: adminCookie },
      payload: { active: false },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ id: acc.id, active: false });
    expect((await me(cookie)).statusCode).toBe(401);
    const refused = await login(acc.username, PASSWORD);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'auth.inactive', detail: '账号已停用' });

    await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${acc.id}`,
      headers: { cookie: adminCookie },
      payload: { active: true },
    });
    expect((await login(acc.username, PASSWORD)).statusCode).toBe(200);
  });
});
