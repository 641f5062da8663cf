// Managing staff accounts over HTTP: who may create whom, where, and what the audit trail keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvent } from '../audit/schema.ts';
import {
  makeAccount,
  makeCounty,
  signIn,
  signedIn,
  testWorld,
  type County,
} from '../../../test/helpers/world.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let admin: string;
let officialA: string;

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 2, villagesPer: 1, gridsPer: 1 });
  admin = (await signedIn(t, 'admin', c.county)).cookie;
  officialA = (await signedIn(t, 'official', townA())).cookie;
});
afterAll(() => t.close());

const townA = () => c.townships[0]!.township;
const townB = () => c.townships[1]!.township;
const gridA = () => c.townships[0]!.villages[0]!.grids[0]!;

let serial = 0;
const newAccount = (over: Record<string, unknown> = {}) => ({
  username: `staff_${++serial}`,
  displayName: `职员${serial}`,
  role: 'grid_member',
  regionId: gridA().id,
  password: 'Member2023',
  ...over,
});

const create = (cookie: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/accounts', headers: { cookie }, payload: body });

const auditOf = (id: number, action: string) =>
  t.ctx.db
    .select()
    .from(auditEvent)
    .where(
      and(
        eq(auditEvent.targetType, 'account'),
        eq(auditEvent.targetId, String(id)),
        eq(auditEvent.action, action),
      ),
    );

describe('creating accounts', () => {
  it('answers 201 with the account, never its password, and the new account can sign in', async () => {
    const body = newAccount({
      username: 'wang_wei',
      displayName: '王伟',
      mobile: '+86 139-0556-1234',
      password: 'Grid2023x',
    });
    const res = await create(admin, body);
    expect(res.statusCode).toBe(201);
    const acc = res.json() as Record<string, unknown>;
    expect(acc).toMatchObject({
      username: 'wang_wei',
      displayName: '王伟',
      mobile: '13905561234',
      role: 'grid_member',
      regionId: gridA().id,
      active: true,
    });
    expect(Object.keys(acc)).not.toContain('password');
    expect(Object.keys(acc)).not.toContain('passwordHash');
    expect(res.body).not.toContain('Grid2023x');
    expect(res.body).not.toContain('scrypt');

    const [row] = await auditOf(acc.id as number, 'account.create');
    expect(row).toMatchObject({ after: { username: 'wang_wei', role: 'grid_member' } });
    expect(JSON.stringify(row)).not.toContain('Grid2023x');
    expect(JSON.stringify(row)).not.toMatch(/scrypt|passwordHash/);

    expect(await signIn(t.app, '13905561234', 'Grid2023x')).toMatch(/^lx_session=/);
  });

  it('a taken username is 409 account.username_taken naming it', async () => {
    await create(admin, newAccount({ username: 'zhang_min' }));
    const res = await create(admin, newAccount({ username: 'zhang_min' }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'account.username_taken', detail: '用户名“zhang_min”已被使用' });
  });

  it('a mobile number used by another account is 409 account.mobile_taken', async () => {
    await create(admin, newAccount({ mobile: '13600001111' }));
    const res = await create(admin, newAccount({ mobile: '136 0000 1111' }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'account.mobile_taken' });
  });

  it('a mobile number that is not one is 400 pointing at /mobile', async () => {
    const res = await create(admin, newAccount({ mobile: '12345' }));
    expect(res.statusCode).toBe(400);
    const body = res.json() as { code: string; errors: { path: string; message: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors[0]).toMatchObject({ path: '/mobile', message: '格式不正确' });
  });

  it('a weak password is 400 auth.weak_password', async () => {
    const res = await create(admin, newAccount({ password: 'password' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'auth.weak_password' });
  });

  it('an unknown field is refused and named', async () => {
    const res = await create(admin, newAccount({ isSuperuser: true }));
    expect(res.statusCode).toBe(400);
    const body = res.json() as { errors?: { path: string; code: string }[] };
    expect(body.errors).toContainEqual(
      expect.objectContaining({ path: '/body/isSuperuser', code: 'unknown' }),
    );
  });

  it('an official cannot create an admin', async () => {
    const res = await create(officialA, newAccount({ role: 'admin', regionId: townA().id }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', detail: '当前角色无权执行此操作' });
  });

  it('an official of township A cannot place an account in township B, and none is made', async () => {
    const body = newAccount({ regionId: townB().id });
    const res = await create(officialA, body);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/accounts?q=${body.username}`,
      headers: { cookie: admin },
    });
    expect(list.json()).toEqual([]);
  });
});

describe('listing and changing accounts', () => {
  it("an official lists the accounts of their own township, none of the sibling's", async () => {
    const inB = await makeAccount(t.ctx, 'doctor', c.townships[1]!.villages[0]!.grids[0]!);
    const inA = await makeAccount(t.ctx, 'doctor', gridA());
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/accounts?role=doctor',
      headers: { cookie: officialA },
    });
    expect(res.statusCode).toBe(200);
    const ids = (res.json() as { id: number }[]).map((a) => a.id);
    expect(ids).toContain(inA.id);
    expect(ids).not.toContain(inB.id);
  });

  it('an update is audited with the values before and after', async () => {
    const acc = (await create(admin, newAccount({ displayName: '李娜', role: 'grid_member' }))).json() as {
      id: number;
    };
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${acc.id}`,
      headers: { cookie: officialA },
      payload: { displayName: '李娜（网格长）', role: 'grid_leader', mobile: '13800138000' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      displayName: '李娜（网格长）',
      role: 'grid_leader',
      mobile: '13800138000',
    });
    const rows = await auditOf(acc.id, 'account.update');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      before: { displayName: '李娜', role: 'grid_member', mobile: null },
      after: { displayName: '李娜（网格长）', role: 'grid_leader', mobile: '13800138000' },
    });
    expect(JSON.stringify(rows[0])).not.toMatch(/scrypt|passwordHash/);
  });

  it('an official cannot promote anyone to admin nor change an admin account', async () => {
    const acc = (await create(admin, newAccount())).json() as { id: number };
    const promote = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${acc.id}`,
      headers: { cookie: officialA },
      payload: { role: 'admin' },
    });
    expect(promote.statusCode).toBe(403);
    const townAdmin = await makeAccount(t.ctx, 'admin', townA());
    const touch = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${townAdmin.id}`,
      headers: { cookie: officialA },
      payload: { displayName: '改名' },
    });
    expect(touch.statusCode).toBe(403);
  });

  it('nobody can switch themselves off', async () => {
    const me = await signedIn(t, 'official', townA());
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${me.account.id}`,
      headers: { cookie: me.cookie },
      payload: { active: false },
    });
    expect(res.statusCode).toBe(403);
  });
});
