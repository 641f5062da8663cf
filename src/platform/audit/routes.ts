// HTTP face of the audit trail: GET /api/audit (admins and supervisors, within their subtree).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http.ts';
import { searchAudit } from './service.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first',
        querystring: Type.Object({
          action: Type.Optional(Type.String({ maxLength: 64 })),
          actorId: Type.Optional(Type.Integer()),
          targetType: Type.Optional(Type.String({ maxLength: 64 })),
          targetId: Type.Optional(Type.String({ maxLength: 64 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          before: Type.Optional(Type.Integer()),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const { items, next } = await searchAudit(ctx.db, actorOf(req), {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return { items: items.map((e) => ({ ...e, at: e.at.toISOString() })), next };
    },
  );
};
