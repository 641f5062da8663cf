// HTTP face of the staff-register import for the console: upload a file (.xlsx/.csv as the raw body,
// or multipart) into a region, which is checked at once — a dry run, every problem numbered by its
// Excel row — then commit it: all rows or none, like `lianxin import members`. Registers are small
// (hundreds of rows), so the check answers in the request; the job keeps the file for the commit.
// Jobs live in this process's memory, like the ledger's (src/ledger/import/jobs.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertCan, type Actor } from '../platform/access.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, notFound, type Lang } from '../platform/errors.ts';
import { actorOf, langOf } from '../platform/http.ts';
import { acceptUploads, receiveUpload, wordProblems } from '../platform/uploads.ts';
import * as regionRepo from '../regions/repo.ts';
import { importMembers, type MemberImportReport } from './import.ts';
import { SERVING_LEVELS } from './rules.ts';

const MAX_MB = 20;
const SHOWN = 1000;
const TTL_MS = 2 * 3600_000;
const tags = ['staff'];

export type MemberJobState = 'checked' | 'committing' | 'committed' | 'rejected';

interface MemberImportJob {
  id: string;
  accountId: number | null;
  regionPath: string;
  regionCode: string;
  fileName: string;
  file: string;
  createUnits: boolean;
  state: MemberJobState;
  check: MemberImportReport;
  result: MemberImportReport | null;
  createdAt: number;
}

const STATE_WORDS = {
  committing: { zh: '导入中', en: 'being imported' },
  committed: { zh: '已导入', en: 'already imported' },
};

const jobs = new Map<string, MemberImportJob>();

function sweep(now = Date.now()): void {
  for (const [id, j] of jobs) {
    if (now - j.createdAt > TTL_MS) {
      fs.rmSync(j.file, { force: true });
      jobs.delete(id);
    }
  }
}

/** Capability and scope before any byte is read: a region outside the subtree is not found. */
async function assertTarget(ctx: Ctx, actor: Actor, regionCode: string, createUnits: boolean) {
  assertCan(actor, 'staff.import');
  if (createUnits) assertCan(actor, 'staff.write');
  const r = await regionRepo.findByCode(ctx.db, regionCode.trim());
  if (!r || !r.path.startsWith(actor.regionPath) || !SERVING_LEVELS.includes(r.level)) throw notFound();
}

/** @throws forbidden | not_found (another account's job, or one forgotten) */
function jobOf(actor: Actor, id: string): MemberImportJob {
  assertCan(actor, 'staff.import');
  const job = jobs.get(id);
  if (!job || job.accountId !== actor.accountId || job.regionPath !== actor.regionPath) throw notFound();
  return job;
}

/** A report for the console: counts, and the first problems worded in the request's language. */
function present(r: MemberImportReport | null, lang: Lang) {
  if (!r) return null;
  const { invalid, ...counts } = r;
  return {
    ...counts,
    invalidCount: invalid.length,
    invalid: wordProblems(invalid, lang, SHOWN),
  };
}

function view(job: MemberImportJob, lang: Lang) {
  return {
    id: job.id,
    state: job.state,
    fileName: job.fileName,
    regionCode: job.regionCode,
    createUnits: job.createUnits,
    check: present(job.check, lang),
    result: present(job.result, lang),
  };
}

export const memberImportRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  await acceptUploads(app, MAX_MB);

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
      const { file, name } = await receiveUpload(req, MAX_MB, q.fileName ?? 'members.xlsx');
      sweep();
      let check: MemberImportReport;
      try {
        check = await importMembers(ctx, actor, file, q.regionCode, {
          dryRun: true,
          createUnits,
          fileName: name,
        });
      } catch (err) {
        fs.rmSync(file, { force: true });
        throw err;
      }
      const job: MemberImportJob = {
        id: randomUUID(),
        accountId: actor.accountId,
        regionPath: actor.regionPath,
        regionCode: q.regionCode,
        fileName: name,
        file,
        createUnits,
        state: 'checked',
        check,
        result: null,
        createdAt: Date.now(),
      };
      jobs.set(job.id, job);
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
    async (req) => view(jobOf(actorOf(req), req.params.id), langOf(req)),
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
      const job = jobOf(actor, req.params.id);
      if (job.state === 'committed' || job.state === 'committing')
        throw new DomainError('import.job_state', { state: STATE_WORDS[job.state] });
      const before = job.state;
      job.state = 'committing';
      try {
        job.result = await importMembers(ctx, actor, job.file, job.regionCode, {
          createUnits: job.createUnits,
          fileName: job.fileName,
        });
      } catch (err) {
        job.state = before;
        throw err;
      }
      job.state = job.result.committed ? 'committed' : 'rejected';
      return view(job, langOf(req));
    },
  );
};
