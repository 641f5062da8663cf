// HTTP face of the service loop: filing and working orders, the board, figures, notifications
// (with a live server-sent-event stream), and the resident's own channel behind their card.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { resolveCard, scannedCardHash } from '../pairing/cards.ts';
import { invalidCardPage } from '../pairing/public-page.ts';
import { assertCan } from '../platform/access.ts';
import { hashToken } from '../platform/auth/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, notFound } from '../platform/errors.ts';
import { StringEnum, actorOf } from '../platform/http.ts';
import { RateLimiter } from '../platform/rate-limit.ts';
import { residentInScope } from '../ledger/service.ts';
import { regionInScope } from '../regions/service.ts';
import * as queries from './queries.ts';
import * as repo from './repo.ts';
import { LiveHub } from './live.ts';
import { shanghai } from './notify.ts';
import { residentPage } from './resident-page.ts';
import { EVENTS } from './rules.ts';
import { ORDER_STATES, URGENCIES } from './schema.ts';
import * as service from './service.ts';
import { STATE_NAMES } from './service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Token = Type.Object({ token: Type.String({ maxLength: 64 }) });
const tags = ['orders'];
const Key = Type.Optional(Type.String({ maxLength: 100 }));

export const orderRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx; live?: LiveHub }> = async (
  app,
  { ctx, live = new LiveHub(ctx) },
) => {
  app.addHook('preClose', async () => live.stop()); // open streams would hold the server open
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
          'Move an order: accept, start, resolve, return, hold, resume, dispatch, cancel, fail, duplicate, close; ask for more time (request_hold, with until) and deny it (deny_hold)',
        params: Id,
        body: Type.Object(
          {
            event: StringEnum(EVENTS.filter((e) => e !== 'reopen')),
            note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
            memberId: Type.Optional(Type.Integer({ minimum: 1 })),
            teamId: Type.Optional(Type.Integer({ minimum: 1 })),
            until: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.transition(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/orders/:id/call',
    {
      schema: {
        tags,
        summary:
          "The resident's phones in full, to call them about the order (the order's people, or pii.reveal); audited",
        params: Id,
      },
    },
    (req) => queries.callResident(ctx, actorOf(req), req.params.id),
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
    {
      schema: {
        tags,
        summary: 'Live notifications (server-sent events); resumes after Last-Event-ID or ?after=',
        querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // Resume after what the client saw (the browser's Last-Event-ID, or ?after= from a fresh
      // EventSource); a first connection starts from now. The hub feeds every stream of this
      // process from one query a tick, and ends it when its session ends.
      const from = Number(req.headers['last-event-id'] ?? req.query.after ?? Number.NaN);
      const me = await repo.memberOfAccount(ctx.db, actor.accountId);
      reply.hijack();
      try {
        await live.serve(
          reply.raw,
          { sessionId: hashToken(req.sessionToken!), memberId: me?.id ?? null },
          Number.isInteger(from) && from >= 0 ? from : null,
        );
      } catch (err) {
        req.log.error({ err }, 'live stream failed to start');
        if (!reply.raw.headersSent) reply.raw.writeHead(503);
        reply.raw.end(); // the console tries again later
      }
    },
  );
  app.get(
    '/api/orders/sms',
    {
      schema: {
        tags,
        summary: 'SMS of orders under a region, newest first: waiting, sent or failed (mobiles masked)',
        querystring: Type.Object({
          regionId: Type.Optional(Type.Integer({ minimum: 1 })),
          status: Type.Optional(StringEnum(['pending', 'sent', 'failed'] as const)),
        }),
      },
    },
    (req) => queries.smsMessages(ctx, actorOf(req), req.query),
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
      // The card's lookup is part of filing's one read (a revoked card: card.not_found, 404).
      const { order, created, assigneeName } = await service.createOrder(
        ctx,
        { channel: 'card', actor: null },
        {
          cardTokenHash: scannedCardHash(req.params.token),
          ...req.body,
          idempotencyKey: req.headers['idempotency-key'] ?? null,
        },
      );
      return reply.code(created ? 201 : 200).send({ id: order.id, state: order.state, assigneeName });
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
        createdAt: shanghai(o.createdAt),
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
