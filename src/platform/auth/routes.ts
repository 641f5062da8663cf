// HTTP face of sign-in, sessions and account management: /api/auth/*, /api/accounts.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Ctx } from '../context.ts';
import { StringEnum, actorOf } from '../http.ts';
import * as accounts from './accounts.ts';
import * as auth from './service.ts';
import { ROLES } from './schema.ts';

export const SESSION_COOKIE = 'lx_session';
const Role = StringEnum(ROLES);
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const tags = ['auth'];

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  const setCookie = (reply: FastifyReply, token: string | null) =>
    reply.setCookie(SESSION_COOKIE, token ?? '', {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.secureCookies,
      maxAge: token ? ctx.config.sessionIdleHours * 3600 : 0,
    });

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with username or mobile and password',
        body: Type.Object({
          login: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ maxLength: 128 }),
        }),
      },
    },
    async (req, reply) => {
      const { token, me } = await auth.login(ctx, {
        ...req.body,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      setCookie(reply, token);
      return me;
    },
  );

  app.post('/api/auth/logout', { schema: { tags, summary: 'Sign out' } }, async (req, reply) => {
    if (req.actor && req.sessionToken) await auth.logout(ctx, req.actor, req.sessionToken);
    setCookie(reply, null);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { schema: { tags, summary: 'The signed-in account' } }, (req) =>
    auth.me(ctx, actorOf(req)),
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: 'Change your own password',
        body: Type.Object({
          currentPassword: Type.String({ maxLength: 128 }),
          newPassword: Type.String({ maxLength: 128 }),
        }),
      },
    },
    async (req, reply) => {
      await auth.changePassword(ctx, actorOf(req), req.sessionToken ?? '', req.body);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Accounts within your subtree',
        querystring: Type.Object({
          regionId: Type.Optional(Type.Integer()),
          role: Type.Optional(Role),
          q: Type.Optional(Type.String({ maxLength: 50 })),
        }),
      },
    },
    (req) => accounts.listAccounts(ctx, actorOf(req), req.query),
  );

  app.post(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account',
        body: Type.Object(
          {
            username: Type.String({ maxLength: 32 }),
            displayName: Type.String({ maxLength: 50 }),
            mobile: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
            role: Role,
            regionId: Type.Integer({ minimum: 1 }),
            password: Type.String({ maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await accounts.createAccount(ctx, actorOf(req), req.body)),
  );

  app.patch(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change an account (name, mobile, role, scope, active)',
        params: Id,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ maxLength: 50 })),
            mobile: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
            role: Type.Optional(Role),
            regionId: Type.Optional(Type.Integer({ minimum: 1 })),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => accounts.updateAccount(ctx, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/accounts/:id/password',
    {
      schema: {
        tags: ['accounts'],
        summary: "Reset an account's password",
        params: Id,
        body: Type.Object({ password: Type.String({ maxLength: 128 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      await accounts.resetPassword(ctx, actorOf(req), req.params.id, req.body.password);
      return reply.code(204).send();
    },
  );
};
