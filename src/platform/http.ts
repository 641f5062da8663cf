// The HTTP edge shared by every feature: request language, the signed-in actor, and the one place
// where domain errors (and Fastify's validation errors) become application/problem+json.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './access.ts';
import {
  DomainError,
  ERROR_CATALOG,
  render,
  renderField,
  type FieldCode,
  type FieldError,
  type Lang,
  type ErrorCode,
} from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
}

/** zh-CN unless the client prefers English. */
export function langOf(req: FastifyRequest): Lang {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  const first = header.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

/** @throws auth.required when nobody is signed in. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new DomainError('auth.required');
  return req.actor;
}

export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  code: ErrorCode,
  params: DomainError['params'] = {},
  errors?: FieldError[],
) {
  const lang = langOf(req);
  const status = ERROR_CATALOG[code].status;
  return reply
    .code(status)
    .type('application/problem+json')
    .header('content-language', lang)
    .send({
      type: `urn:lianxin:error:${code}`,
      title: render(code, {}, 'en'),
      status,
      code,
      detail: render(code, params, lang),
      ...(errors ? { errors: errors.map((e) => renderField(e, lang)) } : {}),
    });
}

const AJV_TO_FIELD: Record<string, FieldCode> = {
  required: 'required',
  maxLength: 'too_long',
  minLength: 'too_short',
  maxItems: 'too_long',
  format: 'format',
  pattern: 'format',
  minimum: 'range',
  maximum: 'range',
  exclusiveMinimum: 'range',
  exclusiveMaximum: 'range',
  enum: 'enum',
  const: 'enum',
  type: 'type',
  additionalProperties: 'unknown',
};

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

function fieldErrorsOf(err: FastifyError): FieldError[] {
  const where = err.validationContext ?? 'body';
  return ((err.validation ?? []) as AjvError[]).map((v) => {
    const extra =
      v.keyword === 'required'
        ? `/${String(v.params.missingProperty)}`
        : v.keyword === 'additionalProperties'
          ? `/${String(v.params.additionalProperty)}`
          : '';
    const params: Record<string, string | number> = {};
    if (typeof v.params.limit === 'number') {
      params.max = v.params.limit;
      params.min = v.params.limit;
    }
    if (Array.isArray(v.params.allowedValues)) params.allowed = v.params.allowedValues.join(', ');
    if (typeof v.params.type === 'string') params.type = v.params.type;
    return { path: `/${where}${v.instancePath}${extra}`, code: AJV_TO_FIELD[v.keyword] ?? 'format', params };
  });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) return sendProblem(reply, req, err.code, err.params, err.errors);
    if (err.validation) return sendProblem(reply, req, 'validation_failed', {}, fieldErrorsOf(err));
    if (err.statusCode === 429) return sendProblem(reply, req, 'rate_limited');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: bad JSON, body too large, wrong content type.
      return sendProblem(reply, req, 'validation_failed', {}, [
        { path: '/body', code: 'format', params: {} },
      ]);
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, 'internal');
  });
}

/** A string schema limited to these values, typed as their union (OpenAPI: `enum`). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { default?: T[number] } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
