// HTTP face of the region tree: /api/regions.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Ctx } from '../platform/context.ts';
import { StringEnum, actorOf } from '../platform/http.ts';
import * as service from './service.ts';
import { REGION_LEVELS } from './schema.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Level = StringEnum(REGION_LEVELS);
const Node = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: Level,
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  childCount: Type.Integer(),
});
const Brief = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), level: Level });
const Detail = Type.Intersect([
  Node,
  Type.Object({
    path: Type.String(),
    ancestors: Type.Array(Brief),
    counts: Type.Object({ townships: Type.Integer(), villages: Type.Integer(), grids: Type.Integer() }),
  }),
]);
const tags = ['regions'];

export const regionRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/api/regions/search',
    {
      schema: {
        tags,
        summary: 'Find regions by name or code prefix within your subtree',
        querystring: Type.Object({
          q: Type.String({ maxLength: 50 }),
          limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
        }),
        response: { 200: Type.Array(Type.Intersect([Node, Type.Object({ trail: Type.String() })])) },
      },
    },
    (req) => service.searchRegions(ctx, actorOf(req), req.query.q, req.query.limit),
  );

  app.get(
    '/api/regions/:id',
    {
      schema: {
        tags,
        summary: 'A region with its ancestors and counts',
        params: Id,
        response: { 200: Detail },
      },
    },
    (req) => service.getRegion(ctx, actorOf(req), req.params.id),
  );

  app.get(
    '/api/regions/:id/children',
    { schema: { tags, summary: 'Children of a region', params: Id, response: { 200: Type.Array(Node) } } },
    (req) => service.listChildren(ctx, actorOf(req), req.params.id),
  );

  app.post(
    '/api/regions',
    {
      schema: {
        tags,
        summary: 'Create a region (a grid code may be left out)',
        body: Type.Object(
          {
            parentId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
            code: Type.Optional(Type.String({ maxLength: 15 })),
            name: Type.String({ maxLength: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Node },
      },
    },
    async (req, reply) => reply.code(201).send(await service.createRegion(ctx, actorOf(req), req.body)),
  );

  app.patch(
    '/api/regions/:id',
    {
      schema: {
        tags,
        summary: 'Rename a region',
        params: Id,
        body: Type.Object({ name: Type.String({ maxLength: 50 }) }, { additionalProperties: false }),
        response: { 200: Node },
      },
    },
    (req) => service.renameRegion(ctx, actorOf(req), req.params.id, req.body.name),
  );

  app.post(
    '/api/regions/:id/move',
    {
      schema: {
        tags,
        summary: 'Move a region (and its subtree) under another parent',
        params: Id,
        body: Type.Object(
          { parentId: Type.Integer({ minimum: 1 }), code: Type.Optional(Type.String({ maxLength: 15 })) },
          { additionalProperties: false },
        ),
        response: { 200: Node },
      },
    },
    (req) => service.moveRegion(ctx, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/regions/:id',
    { schema: { tags, summary: 'Delete an empty region', params: Id } },
    async (req, reply) => {
      await service.deleteRegion(ctx, actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
};
