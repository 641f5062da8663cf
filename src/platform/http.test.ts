// The HTTP edge as the console and API users meet it: problem+json errors, validation messages in
// the request's language, the health check and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, signedIn, testWorld, type County } from '../../test/helpers/world.ts';

let t: Awaited<ReturnType<typeof testWorld>>;
let c: County;
let admin: string;

beforeAll(async () => {
  t = await testWorld();
  c = await makeCounty(t.ctx, { townships: 1, villagesPer: 1, gridsPer: 1 });
  admin = (await signedIn(t, 'admin', c.county)).cookie;
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: admin, ...headers } });

describe('problems', () => {
  it('an error is application/problem+json with type, title, status, code and a Chinese detail', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'urn:lianxin:error:auth.required',
      title: 'Please sign in',
      status: 401,
      code: 'auth.required',
      detail: '请先登录',
    });
  });

  it('the detail is English when the client prefers English', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'accept-language': 'en-GB,en;q=0.9,zh-CN;q=0.5' },
    });
    expect(res.json()).toMatchObject({ code: 'auth.required', detail: 'Please sign in' });
    expect(res.headers['content-language']).toBe('en');
  });

  it('an unknown /api route is a 404 problem, not an HTML page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { cookie: admin } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found', detail: '不存在或无权查看' });
  });

  it('a body that is not JSON is a 400 problem', async () => {
    const res = await post('/api/regions', '{"parentId": ', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed' });
  });
});

describe('validation', () => {
  it('lists every invalid field with its path and a Chinese message', async () => {
    // Two fields wrong at once: the form should be able to mark both.
    const res = await post('/api/accounts', { username: 'li_na', role: 'mayor', regionId: c.county.id });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { code: string; errors: { path: string; code: string; message: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: '/body/displayName', code: 'required', message: '必填' },
        { path: '/body/password', code: 'required', message: '必填' },
        expect.objectContaining({
          path: '/body/role',
          code: 'enum',
          message: expect.stringMatching(/^取值须为：/),
        }),
      ]),
    );
  });

  it('gives the field messages in English on request', async () => {
    const res = await post(
      '/api/regions',
      { parentId: c.county.id, name: 'x'.repeat(51) },
      { 'accept-language': 'en' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      detail: 'The request has invalid fields',
      errors: [{ path: '/body/name', code: 'too_long', message: 'must be at most 50 characters' }],
    });
  });

  it('a path parameter of the wrong type is named', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/regions/abc', headers: { cookie: admin } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ path: '/params/id', code: 'type' }] });
  });

  it('an unknown body field is refused and named, not silently dropped', async () => {
    const v = c.townships[0]!.villages[0]!.village;
    const res = await post('/api/regions', { parentId: v.id, name: '新网格', colour: 'red' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      errors: [{ path: '/body/colour', code: 'unknown', message: '不认识的字段' }],
    });
  });
});

describe('system', () => {
  it('/api/health answers without signing in and names the database engine', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      db: t.ctx.engine,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(['pglite', 'postgres']).toContain(t.ctx.engine);
  });

  it('/docs/json is an OpenAPI document describing the region endpoints', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths['/api/regions/{id}'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    expect(doc.paths).toHaveProperty(['/api/auth/login', 'post']);
  });
});
