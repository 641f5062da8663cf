// HTTP face of ledger import and export for the console: upload a file (multipart, or the raw body
// with its name in the query), poll the check, commit it, download the error workbook; and
// GET the ledger as .xlsx or CSV.
import { PassThrough } from 'node:stream';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Ctx } from '../platform/context.ts';
import type { Lang } from '../platform/errors.ts';
import { StringEnum, actorOf, langOf } from '../platform/http.ts';
import { presentReport, type JobView } from '../platform/import-jobs/jobs.ts';
import { acceptUploads, receiveUpload } from '../platform/uploads.ts';
import { COLOURS } from './colour.ts';
import { exportLedger, prepareExport } from './export.ts';
import { writeErrorWorkbook } from './import/error-workbook.ts';
import { assertImportTarget, ledgerJobs, type LedgerTarget } from './import/jobs.ts';

const MAX_MB = 200;
const tags = ['ledger'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function view(job: JobView<LedgerTarget>, lang: Lang) {
  const { rows, bytes, total } = job.progress;
  return {
    id: job.id,
    state: job.state,
    fileName: job.fileName,
    regionCode: job.target.regionCode,
    progress: { rows, bytes, total, fraction: total ? Math.min(1, bytes / total) : 0 },
    check: presentReport(job.check, lang),
    result: presentReport(job.result, lang),
    error: job.error && { code: job.error.code, message: job.error.messageIn(lang) },
  };
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
  await acceptUploads(app, MAX_MB);
  const imports = ledgerJobs(ctx);
  app.addHook('onClose', async () => imports.close());

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
      await assertImportTarget(ctx, actor, q.regionCode, q.createGrids ?? false);
      const { file, name } = await receiveUpload(
        req,
        ctx.config.uploadDir,
        MAX_MB,
        q.fileName ?? 'upload.xlsx',
      );
      const { id } = await imports.start(actor, {
        file,
        fileName: name,
        target: { regionCode: q.regionCode, createGrids: q.createGrids ?? false },
      });
      const job = await imports.get(actor, id, { wait: q.wait });
      return reply.code(q.wait ? 200 : 202).send(view(job, langOf(req)));
    },
  );

  app.get(
    '/api/ledger/imports/:id',
    {
      schema: {
        tags,
        summary:
          'An import job: state, progress, the check report and the commit result (any instance answers; ' +
          'a job whose instance died is taken over). wait: until the step running here ends',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ wait: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req) =>
      view(await imports.get(actorOf(req), req.params.id, { wait: req.query.wait }), langOf(req)),
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
      const { done } = await imports.commit(actor, req.params.id, {
        validOnly: req.body.mode === 'valid-only',
        createGrids: req.body.createGrids,
      });
      if (req.query.wait) await done;
      const job = await imports.get(actor, req.params.id);
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
      const job = await imports.fullReport(actorOf(req), req.params.id);
      const out = new PassThrough();
      void writeErrorWorkbook(job.file, job.report.invalid, out, langOf(req)).catch((err) =>
        out.destroy(err),
      );
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
