// HTTP face of the service loop: filing and working orders, the board, figures, notifications
// (with a live server-sent-event stream), and the resident's own channel behind their card.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { resolveCard } from '../pairing/cards.ts';
import { invalidCardPage } from '../pairing/public-page.ts';
import { assertCan } from '../platform/access.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, notFound } from '../platform/errors.ts';
import { StringEnum, actorOf } from '../platform/http.ts';
import { RateLimiter } from '../platform/rate-limit.ts';
import { residentInScope } from '../ledger/service.ts';
import { regionInScope } from '../regions/service.ts';
import * as queries from './queries.ts';
import * as repo from './repo.ts';
import { residentPage } from './resident-page.ts';
import { EVENTS } from './rules.ts';
import { ORDER_STATES, URGENCIES } from './schema.ts';
import * as service from './service.ts';
import { STATE_NAMES } from './service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Token = Type.Object({ token: Type.String({ maxLength: 64 }) });
const tags = ['orders'];
const Key = Type.Optional(Type.String({ maxLength: 100 }));

export const orderRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  const perToken = new RateLimiter(20, 60_000);
  const perAddress = new RateLimiter(ctx.config.publicRatePerMinute, 60_000);
  const limited = (req: FastifyRequest, token: string) => {
    const now = ctx.clock.now().getTime();
    if (!perToken.allow(token, now) || !perAddress.allow(req.ip, now)) throw new DomainError('rate_limited');
  };

  app.get(
    '/api/need-types',
    {
      schema: {
        tags,
        summary: 'Need types in force for a region (national defaults with county overrides)',
        querystring: Type.Object({ regionId: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (req) => {
      const node = await regionInScope(ctx.db, actorOf(req), req.query.regionId);
      if (!node?.countyCode) throw notFound();
      return repo.needTypesFor(ctx.db, node.countyCode);
    },
  );

  app.post(
    '/api/orders',
    {
      schema: {
        tags,
        summary: 'File an order for a resident (hotline or visit); Idempotency-Key makes retries safe',
        headers: Type.Object({ 'idempotency-key': Key }),
        body: Type.Object(
          {
            residentId: Type.Integer({ minimum: 1 }),
            needCode: Type.String({ maxLength: 40 }),
            urgency: StringEnum(URGENCIES),
            channel: StringEnum(['hotline', 'visit', 'console'] as const),
            description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (!(await residentInScope(ctx.db, actor, req.body.residentId))) throw notFound();
      assertCan(actor, 'order.create');
      const { order, created } = await service.createOrder(
        ctx,
        { channel: req.body.channel, actor },
        { ...req.body, idempotencyKey: req.headers['idempotency-key'] ?? null },
      );
      return reply.code(created ? 201 : 200).send(order);
    },
  );

  const BoardQuery = Type.Object({
    regionId: Type.Optional(Type.Integer({ minimum: 1 })),
    states: Type.Optional(Type.Array(StringEnum(ORDER_STATES))),
    needCodes: Type.Optional(Type.Array(Type.String({ maxLength: 40 }))),
    urgency: Type.Optional(Type.Array(StringEnum(URGENCIES))),
    overdueOnly: Type.Optional(Type.Boolean()),
    page: Type.Integer({ minimum: 1, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  });
  app.get(
    '/api/orders',
    { schema: { tags, summary: 'The dispatch board: overdue first', querystring: BoardQuery } },
    (req) => queries.board(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/orders/mine',
    {
      schema: {
        tags,
        summary: 'My orders: assigned to me, my team, or escalated to me',
        querystring: Type.Object({ states: Type.Optional(Type.Array(StringEnum(ORDER_STATES))) }),
      },
    },
    (req) => queries.myOrders(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/orders/figures',
    {
      schema: {
        tags,
        summary: 'Response, resolution and satisfaction rates, median times, overdue counts',
        querystring: Type.Object({
          regionId: Type.Integer({ minimum: 1 }),
          from: Type.String({ format: 'date-time' }),
          to: Type.String({ format: 'date-time' }),
        }),
      },
    },
    (req) =>
      queries.figures(
        ctx,
        actorOf(req),
        req.query.regionId,
        new Date(req.query.from),
        new Date(req.query.to),
      ),
  );
  app.get(
    '/api/orders/:id',
    { schema: { tags, summary: 'An order with its timeline and everyone it reached', params: Id } },
    (req) => queries.getOrder(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/orders/:id/transitions',
    {
      schema: {
        tags,
        summary:
          'Move an order: accept, start, resolve, return, hold, resume, dispatch, cancel, fail, duplicate, close',
        params: Id,
        body: Type.Object(
          {
            event: StringEnum(EVENTS.filter((e) => e !== 'reopen')),
            note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
            memberId: Type.Optional(Type.Integer({ minimum: 1 })),
            teamId: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.transition(ctx, actorOf(req), req.params.id, req.body),
  );
  const Feedback = Type.Object(
    {
      solved: Type.Boolean(),
      rating: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()])),
      comment: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    },
    { additionalProperties: false },
  );
  app.post(
    '/api/orders/:id/feedback',
    {
      schema: {
        tags,
        summary: "Record the resident's verdict from a call-back (回访)",
        params: Id,
        body: Feedback,
      },
    },
    (req) => service.recordFeedback(ctx, { actor: actorOf(req) }, req.params.id, req.body),
  );

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My console notifications after an id',
        querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }) }),
      },
    },
    (req) => queries.notificationsAfter(ctx, actorOf(req), req.query.after),
  );
  app.get(
    '/api/notifications/stream',
    { schema: { tags, summary: 'Live notifications (server-sent events)' } },
    async (req, reply) => {
      const actor = actorOf(req);
      let last = Number(req.headers['last-event-id'] ?? 0) || 0;
      if (!last) last = (await queries.notificationsAfter(ctx, actor, 0)).at(-1)?.id ?? 0;
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      reply.raw.write(': connected\n\n');
      // Polling the outbox table keeps every app instance able to serve any user.
      const timer = setInterval(async () => {
        try {
          for (const n of await queries.notificationsAfter(ctx, actor, last)) {
            last = n.id;
            reply.raw.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
          }
        } catch {
          /* the next tick tries again */
        }
      }, 1000);
      req.raw.on('close', () => clearInterval(timer));
    },
  );
  app.get(
    '/api/sms-log',
    { schema: { tags, summary: 'What the SMS log adapter "sent", newest first; and what failed' } },
    async (req) => {
      assertCan(actorOf(req), 'order.config');
      const [sent, failed] = await Promise.all([
        repo.smsLogRecent(ctx.db, 200),
        repo.failedNotifications(ctx.db, 200),
      ]);
      return { sent, failed };
    },
  );

  // The resident's channel: everything below is reached with the card's token, no sign-in.
  const holder = async (token: string) => resolveCard(ctx.db, token);
  app.get(
    '/api/public/cards/:token/needs',
    { schema: { tags: ['public'], security: [], params: Token } },
    async (req) => {
      const h = await holder(req.params.token);
      const r = await repo.residentForOrder(ctx.db, h.residentId);
      return (await repo.needTypesFor(ctx.db, r!.resident.countyCode)).map((n) => ({
        code: n.code,
        nameZh: n.nameZh,
        nameEn: n.nameEn,
      }));
    },
  );
  app.post(
    '/api/public/cards/:token/orders',
    {
      schema: {
        tags: ['public'],
        summary: 'A resident asks for help from their card (Idempotency-Key: a double tap makes one order)',
        security: [],
        params: Token,
        headers: Type.Object({ 'idempotency-key': Key }),
        body: Type.Object(
          {
            needCode: Type.String({ maxLength: 40 }),
            urgency: StringEnum(URGENCIES, { default: 'normal' }),
            description: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      limited(req, req.params.token);
      const h = await holder(req.params.token);
      const { order, created } = await service.createOrder(
        ctx,
        { channel: 'card', actor: null },
        { residentId: h.residentId, ...req.body, idempotencyKey: req.headers['idempotency-key'] ?? null },
      );
      const assignee = order.assigneeMemberId
        ? await repo.memberById(ctx.db, order.assigneeMemberId)
        : undefined;
      return reply
        .code(created ? 201 : 200)
        .send({ id: order.id, state: order.state, assigneeName: assignee?.name ?? null });
    },
  );
  app.get(
    '/api/public/cards/:token/orders',
    { schema: { tags: ['public'], security: [], params: Token } },
    async (req) => {
      const h = await holder(req.params.token);
      const mine = await ctx.db.query.serviceOrder.findMany({
        where: (o, { eq }) => eq(o.residentId, h.residentId),
        orderBy: (o, { desc }) => [desc(o.id)],
        limit: 10,
      });
      const r = await repo.residentForOrder(ctx.db, h.residentId);
      const needs = new Map(
        (await repo.needTypesFor(ctx.db, r!.resident.countyCode)).map((n) => [n.code, n.nameZh]),
      );
      return mine.map((o) => ({
        id: o.id,
        needName: needs.get(o.needCode) ?? o.needCode,
        state: o.state,
        stateName: STATE_NAMES[o.state].zh,
        createdAt: o.createdAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }),
      }));
    },
  );
  app.post(
    '/api/public/cards/:token/orders/:id/feedback',
    {
      schema: {
        tags: ['public'],
        security: [],
        params: Type.Object({ token: Type.String({ maxLength: 64 }), id: Type.Integer({ minimum: 1 }) }),
        body: Feedback,
      },
    },
    async (req) => {
      limited(req, req.params.token);
      const h = await holder(req.params.token);
      const o = await service.recordFeedback(
        ctx,
        { actor: null, residentId: h.residentId },
        req.params.id,
        req.body,
      );
      return { id: o.id, state: o.state };
    },
  );
  app.get('/c/:token', { schema: { hide: true, params: Token } }, async (req, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    try {
      const h = await holder(req.params.token);
      const r = await repo.residentForOrder(ctx.db, h.residentId);
      const needs = await repo.needTypesFor(ctx.db, r!.resident.countyCode);
      return reply.send(residentPage(req.params.token, h, needs));
    } catch (err) {
      if (err instanceof DomainError && err.code === 'card.not_found')
        return reply.code(404).send(invalidCardPage());
      throw err;
    }
  });
};
