// Builds the Fastify app: shared HTTP plumbing, the session hook, every feature's routes, the API
// docs at /docs, and the built console (web/dist) with client-side routing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { auditRoutes } from './platform/audit/routes.ts';
import { SESSION_COOKIE, authRoutes } from './platform/auth/routes.ts';
import { resolveSession } from './platform/auth/service.ts';
import type { Ctx } from './platform/context.ts';
import { installErrorHandling, sendProblem } from './platform/http.ts';
import { ledgerImportRoutes } from './ledger/import-routes.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import type { LiveHub } from './orders/live.ts';
import { orderRoutes } from './orders/routes.ts';
import { pairingRoutes } from './pairing/routes.ts';
import { regionRoutes } from './regions/routes.ts';
import { memberImportRoutes } from './staff/import-routes.ts';
import { staffRoutes } from './staff/routes.ts';

export const VERSION: string = JSON.parse(
  fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

export const WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface AppOptions {
  logger?: boolean;
  /** Serve the built console from here (default web/dist, when it exists). */
  webDir?: string | null;
  /** The live notification hub (default: one of its own, on its own timer). */
  live?: LiveHub;
}

export async function buildApp(ctx: Ctx, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: ctx.config.logLevel } : false,
    trustProxy: true,
    bodyLimit: 10 * 1024 * 1024,
    // Unknown fields are refused (not silently dropped) and every invalid field is listed at once.
    ajv: {
      customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: '连心 Lianxin API',
        version: VERSION,
        description: '网格化健康服务平台 · Grid-based community health service',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    req.sessionToken = token;
    req.actor = await resolveSession(ctx, token, req.ip);
  });

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and the database engine in use',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), db: Type.String(), version: Type.String() }),
        },
      },
    },
    async () => {
      await ctx.db.execute('select 1');
      return { status: 'ok' as const, db: ctx.engine, version: VERSION };
    },
  );

  await app.register(authRoutes, { ctx });
  await app.register(regionRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
  await app.register(ledgerRoutes, { ctx });
  await app.register(staffRoutes, { ctx });
  await app.register(pairingRoutes, { ctx });
  await app.register(orderRoutes, { ctx, live: opts.live });
  await app.register(ledgerImportRoutes, { ctx });
  await app.register(memberImportRoutes, { ctx });

  const webDir = opts.webDir === undefined ? WEB_DIST : opts.webDir;
  const console = webDir !== null && fs.existsSync(path.join(webDir, 'index.html'));
  if (console) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes (/regions/42) get the console; unknown API paths get a problem.
    if (console && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/docs')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(reply, req, 'not_found');
  });
  return app;
}
