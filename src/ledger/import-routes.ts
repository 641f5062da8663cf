// HTTP face of ledger import and export for the console: upload a file (multipart, or the raw body
// with its name in the query), poll the check, commit it, download the error workbook; and
// GET the ledger as .xlsx or CSV.
import fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { DomainError, renderField, type FieldError, type Lang } from '../platform/errors.ts';
import { StringEnum, actorOf, langOf } from '../platform/http.ts';
import { COLOURS } from './colour.ts';
import { exportLedger, prepareExport } from './export.ts';
import type { LedgerImportReport } from './import.ts';
import { writeErrorWorkbook } from './import/error-workbook.ts';
import * as jobs from './import/jobs.ts';

const MAX_MB = 200;
const SHOWN = 1000;
const tags = ['ledger'];
const RAW_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A report for the console: counts, and the first problems worded in the request's language. */
function present(r: LedgerImportReport | null, lang: Lang) {
  if (!r) return null;
  const words = (list: FieldError[]) =>
    list.slice(0, SHOWN).map((e) => {
      const x = renderField(e, lang);
      return { row: x.row ?? null, column: x.path, code: x.code, message: x.message };
    });
  const { invalid, warnings, ...counts } = r;
  return {
    ...counts,
    invalidCount: invalid.length,
    warningCount: warnings.length,
    invalid: words(invalid),
    warnings: words(warnings),
  };
}

function view(job: jobs.ImportJob, lang: Lang) {
  const { rows, bytes, total } = job.progress;
  return {
    id: job.id,
    state: job.state,
    fileName: job.fileName,
    regionCode: job.regionCode,
    progress: { rows, bytes, total, fraction: total ? Math.min(1, bytes / total) : 0 },
    check: present(job.check, lang),
    result: present(job.result, lang),
    error: job.error && { code: job.error.code, message: job.error.messageIn(lang) },
  };
}

/** Streams the upload to disk, whichever way it came, without holding it in memory. */
async function receive(
  req: FastifyRequest,
  fallbackName: string | undefined,
): Promise<{ file: string; name: string }> {
  if (req.isMultipart()) {
    const part = await req.file({ limits: { fileSize: MAX_MB * 1024 * 1024 } });
    if (!part) throw new DomainError('import.unreadable', { reason: 'no file in the form' });
    const file = jobs.uploadPath(part.filename);
    await pipeline(part.file, fs.createWriteStream(file));
    if (part.file.truncated) {
      fs.rmSync(file, { force: true });
      throw new DomainError('import.too_large', { max: MAX_MB });
    }
    return { file, name: part.filename };
  }
  const name = fallbackName ?? 'upload.xlsx';
  const file = jobs.uploadPath(name);
  let size = 0;
  const body = req.body as Readable;
  body.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_MB * 1024 * 1024) body.destroy(new DomainError('import.too_large', { max: MAX_MB }));
  });
  try {
    await pipeline(body, fs.createWriteStream(file));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  return { file, name };
}

const Filters = {
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
  regionCode: Type.Optional(Type.String({ maxLength: 20 })),
  colour: Type.Optional(Type.Array(StringEnum(COLOURS))),
  category: Type.Optional(Type.Array(Type.String({ maxLength: 40 }))),
  surveyed: Type.Optional(StringEnum(['yes', 'no', 'stale'] as const)),
  staleDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
};

export const ledgerImportRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  await app.register(multipart, { limits: { files: 1, fileSize: MAX_MB * 1024 * 1024 } });
  // A raw upload is streamed to disk by the route, not parsed into memory.
  app.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));

  app.post(
    '/api/ledger/imports',
    {
      schema: {
        tags,
        summary: 'Upload a ledger (.xlsx/.csv) into a region and check it (a dry run); poll the job',
        querystring: Type.Object({
          regionCode: Type.String({ maxLength: 20 }),
          fileName: Type.Optional(Type.String({ maxLength: 200 })),
          createGrids: Type.Optional(Type.Boolean()),
          wait: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const q = req.query;
      await jobs.assertImportTarget(ctx, actor, q.regionCode, q.createGrids ?? false);
      const { file, name } = await receive(req, q.fileName);
      const job = jobs.startJob(ctx, actor, {
        file,
        fileName: name,
        regionCode: q.regionCode,
        createGrids: q.createGrids ?? false,
      });
      if (q.wait) await job.done;
      return reply.code(q.wait ? 200 : 202).send(view(job, langOf(req)));
    },
  );

  app.get(
    '/api/ledger/imports/:id',
    {
      schema: {
        tags,
        summary: 'An import job: state, progress, the check report and the commit result',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
      },
    },
    async (req) => view(jobs.getJob(actorOf(req), req.params.id), langOf(req)),
  );

  app.post(
    '/api/ledger/imports/:id/commit',
    {
      schema: {
        tags,
        summary: 'Commit a checked import: all rows or nothing, or only the valid rows',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ wait: Type.Optional(Type.Boolean()) }),
        body: Type.Object(
          { mode: StringEnum(['all', 'valid-only'] as const), createGrids: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const job = jobs.commitJob(ctx, actor, req.params.id, {
        validOnly: req.body.mode === 'valid-only',
        createGrids: req.body.createGrids,
      });
      if (req.query.wait) await job.done;
      return reply.code(req.query.wait ? 200 : 202).send(view(job, langOf(req)));
    },
  );

  app.get(
    '/api/ledger/imports/:id/errors.xlsx',
    {
      schema: {
        tags,
        summary: 'The error workbook: the bad rows as they were, with a reason column',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
      },
    },
    async (req, reply) => {
      const job = jobs.getJob(actorOf(req), req.params.id);
      const report = job.result ?? job.check;
      if (!report)
        throw new DomainError('import.job_state', { state: { zh: '检查中', en: 'being checked' } });
      const out = new PassThrough();
      void writeErrorWorkbook(job.file, report.invalid, out, langOf(req)).catch((err) => out.destroy(err));
      const name = encodeURIComponent(`错误行-${job.fileName.replace(/\.(csv|xlsx)$/i, '')}.xlsx`);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
        .send(out);
    },
  );

  app.get(
    '/api/ledger/export',
    {
      schema: {
        tags,
        summary: 'The ledger as .xlsx or CSV (ID numbers and phones masked unless the role may reveal them)',
        querystring: Type.Object({
          ...Filters,
          format: StringEnum(['xlsx', 'csv'] as const, { default: 'xlsx' }),
        }),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { format, ...q } = req.query;
      // Checked first: a 404 or 403 must be an answer, not a broken download.
      const p = await prepareExport(ctx, actor, q, format);
      const out = new PassThrough();
      void exportLedger(ctx, actor, q, format, out).catch((err) => {
        req.log.error({ err }, 'ledger export failed');
        out.destroy(err as Error);
      });
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(p.fileName)}`)
        .send(out);
    },
  );
};
