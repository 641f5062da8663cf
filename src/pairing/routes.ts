// HTTP face of pairing and cards: coverage, gaps, loads, proposals, contacts, printing, and the
// public look-up of a scanned card (the page it opens is the resident channel in src/orders).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { StringEnum, actorOf, langOf } from '../platform/http.ts';
import * as cards from './cards.ts';
import { renderCardSheets } from './print.ts';
import { CONTACT_ROLES } from './schema.ts';
import * as service from './service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Role = StringEnum(CONTACT_ROLES);
const tags = ['pairing'];

export const pairingRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  const baseUrl = (req: FastifyRequest) => ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;

  app.get(
    '/api/regions/:id/pairing/coverage',
    {
      schema: {
        tags,
        summary: 'Key residents with all three contacts, and the gaps, per child region',
        params: Id,
      },
    },
    (req) => service.coverage(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/regions/:id/pairing/gaps',
    {
      schema: {
        tags,
        summary: 'Key residents lacking a contact',
        params: Id,
        querystring: Type.Object({
          role: Type.Optional(Role),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
      },
    },
    (req) => service.gaps(ctx, actorOf(req), req.params.id, req.query.role ?? null, req.query.limit),
  );
  app.get(
    '/api/regions/:id/pairing/loads',
    { schema: { tags, summary: 'Members over capacity and members with nobody', params: Id } },
    (req) => service.memberLoads(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/regions/:id/pairing/settings',
    { schema: { tags, summary: "The county's pairing settings", params: Id } },
    (req) => service.getSettings(ctx, actorOf(req), req.params.id),
  );
  app.put(
    '/api/regions/:id/pairing/settings',
    {
      schema: {
        tags,
        summary: 'Change capacities, the hotline printed on cards, and which categories are key',
        params: Id,
        body: Type.Object(
          {
            helpCapacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            healthCapacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
            livelihoodCapacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
            hotline: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
            keyCategories: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.updateSettings(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/regions/:id/pairing/proposals',
    { schema: { tags, summary: 'Propose contacts for every gap under the region', params: Id } },
    async (req, reply) =>
      reply.code(201).send(await service.proposePairings(ctx, actorOf(req), req.params.id)),
  );
  app.get(
    '/api/pairing/proposals/:id',
    { schema: { tags, summary: 'A proposal with each item and its reason', params: Id } },
    (req) => service.getProposal(ctx, actorOf(req), req.params.id, langOf(req)),
  );
  app.post(
    '/api/pairing/proposals/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a proposal whole ("all") or the listed items',
        params: Id,
        body: Type.Object(
          {
            accept: Type.Union([
              Type.Literal('all'),
              Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100000 }),
            ]),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.confirmProposal(ctx, actorOf(req), req.params.id, req.body.accept),
  );
  app.get(
    '/api/residents/:id/contacts',
    { schema: { tags, summary: 'The three contacts and the chain of responsibility', params: Id } },
    (req) => service.contactsOf(ctx, actorOf(req), req.params.id),
  );
  app.put(
    '/api/residents/:id/contacts/:role',
    {
      schema: {
        tags,
        summary: "Set a resident's contact in a role (ends the previous one)",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), role: Role }),
        body: Type.Object(
          { memberId: Type.Integer({ minimum: 1 }), reason: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.assignContact(ctx, actorOf(req), req.params.id, { role: req.params.role, ...req.body }),
  );

  app.post(
    '/api/cards/print',
    {
      schema: {
        tags,
        summary: 'Issue cards and return print-ready A4 sheets (8 a page); tokens are shown only here',
        body: Type.Object(
          {
            regionId: Type.Integer({ minimum: 1 }),
            residentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20000 })),
            reissue: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const issued = await cards.issueCards(ctx, actorOf(req), req.body);
      const html = await renderCardSheets(issued, baseUrl(req));
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    },
  );
  app.post(
    '/api/residents/:id/card/revoke',
    {
      schema: {
        tags,
        summary: "Revoke a resident's card (lost); its code stops working",
        params: Id,
        body: Type.Object({ reason: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      },
    },
    async (req) => ({ revoked: await cards.revokeCard(ctx, actorOf(req), req.params.id, req.body.reason) }),
  );

  app.get(
    '/api/public/cards/:token',
    {
      schema: {
        tags: ['public'],
        summary: 'What a scanned card shows (no sign-in)',
        security: [],
        params: Type.Object({ token: Type.String({ maxLength: 64 }) }),
      },
    },
    (req) => cards.resolveCard(ctx.db, req.params.token),
  );
};
