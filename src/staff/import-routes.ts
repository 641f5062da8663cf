// HTTP face of the staff-register import for the console: upload a file (.xlsx/.csv as the raw body,
// or multipart) into a region, which is checked at once — a dry run, every problem numbered by its
// Excel row — then commit it: all rows or none, like `lianxin import members`. Registers are small
// (hundreds of rows), so the check and the commit answer in the request. The jobs are rows shared
// with the ledger's (platform/import-jobs): any instance answers, a restart forgets nothing.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertCan, type Actor } from '../platform/access.ts';
import type { Ctx } from '../platform/context.ts';
import { notFound, type Lang } from '../platform/errors.ts';
import { actorOf, langOf } from '../platform/http.ts';
import { ImportJobs, presentReport, type JobKindSpec, type JobView } from '../platform/import-jobs/jobs.ts';
import { acceptUploads, receiveUpload } from '../platform/uploads.ts';
import * as regionRepo from '../regions/repo.ts';
import { importMembers, type MemberImportReport } from './import.ts';
import { SERVING_LEVELS } from './rules.ts';

const MAX_MB = 20;
const tags = ['staff'];

interface MemberTarget {
  regionCode: string;
  createUnits: boolean;
}

const membersKind: JobKindSpec<MemberTarget, MemberImportReport, Record<string, never>> = {
  kind: 'members',
  capability: 'staff.import',
  check: (ctx, actor, job) =>
    importMembers(ctx, actor, job.file, job.target.regionCode, {
      dryRun: true,
      createUnits: job.target.createUnits,
      fileName: job.fileName,
    }),
  commit: (ctx, actor, job, _o, hooks) =>
    importMembers(ctx, actor, job.file, job.target.regionCode, {
      createUnits: job.target.createUnits,
      fileName: job.fileName,
      onCommit: hooks.inTransaction,
    }),
};

/** Capability and scope before any byte is read: a region outside the subtree is not found. */
async function assertTarget(ctx: Ctx, actor: Actor, regionCode: string, createUnits: boolean) {
  assertCan(actor, 'staff.import');
  if (createUnits) assertCan(actor, 'staff.write');
  const r = await regionRepo.findByCode(ctx.db, regionCode.trim());
  if (!r || !r.path.startsWith(actor.regionPath) || !SERVING_LEVELS.includes(r.level)) throw notFound();
}

function view(job: JobView<MemberTarget>, lang: Lang) {
  return {
    id: job.id,
    state: job.state,
    fileName: job.fileName,
    regionCode: job.target.regionCode,
    createUnits: job.target.createUnits,
    check: presentReport(job.check, lang),
    result: presentReport(job.result, lang),
  };
}

export const memberImportRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  await acceptUploads(app, MAX_MB);
  const imports = new ImportJobs(ctx, membersKind);
  app.addHook('onClose', async () => imports.close());

  app.post(
    '/api/members/imports',
    {
      schema: {
        tags,
        summary: 'Upload the staff register (.xlsx/.csv) into a region and check it (a dry run)',
        querystring: Type.Object({
          regionCode: Type.String({ maxLength: 20 }),
          fileName: Type.Optional(Type.String({ maxLength: 200 })),
          createUnits: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const q = req.query;
      const createUnits = q.createUnits ?? false;
      await assertTarget(ctx, actor, q.regionCode, createUnits);
      const { file, name } = await receiveUpload(
        req,
        ctx.config.uploadDir,
        MAX_MB,
        q.fileName ?? 'members.xlsx',
      );
      const { id } = await imports.start(actor, {
        file,
        fileName: name,
        target: { regionCode: q.regionCode, createUnits },
      });
      const job = await imports.get(actor, id, { wait: true });
      // A file that cannot be read at all is an answer, not a job to come back to.
      if (job.state === 'failed') {
        await imports.discard(id);
        throw job.error!;
      }
      return reply.code(201).send(view(job, langOf(req)));
    },
  );

  app.get(
    '/api/members/imports/:id',
    {
      schema: {
        tags,
        summary: 'A member import: the check report and, once committed, the result',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
      },
    },
    async (req) => view(await imports.get(actorOf(req), req.params.id), langOf(req)),
  );

  app.post(
    '/api/members/imports/:id/commit',
    {
      schema: {
        tags,
        summary: 'Commit a checked member import: every row or none',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { done } = await imports.commit(actor, req.params.id, {});
      await done;
      const job = await imports.get(actor, req.params.id);
      // The job may be committed again; the request answers with what went wrong.
      if (job.state === 'failed') throw job.error!;
      return view(job, langOf(req));
    },
  );
};
