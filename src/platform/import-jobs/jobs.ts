// Import jobs of the console, shared by the ledger and the staff register: an uploaded file is
// checked (a dry run) in the background, its progress polled, then committed on the user's word.
// Jobs are rows (import_job), so any instance answers a poll and a restart forgets nothing:
// - a running job belongs to one instance, which writes its progress (at most every 500 ms) and a
//   heartbeat; a job whose heartbeat went stale is taken over by whichever instance is asked about it
//   first (a conditional UPDATE, so two instances never both take it): a check starts again from its
//   file, a commit is marked failed — its transaction died with the instance, nothing was written;
// - a commit's end is written inside the import's own transaction, so "committed" and the data
//   commit together, and a job still "committing" after a crash provably wrote nothing;
// - jobs untouched for two hours are deleted with their files.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Executor } from '../../db/engine.ts';
import { assertCan, type Action, type Actor } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError, notFound, type FieldError, type Lang, type Params } from '../errors.ts';
import { wordProblems } from '../uploads.ts';
import * as repo from './repo.ts';

export type { JobKind, JobState, Progress, StoredReport } from './repo.ts';

/** This process. On the embedded database (one process per data folder) any other owner is dead. */
const PROCESS_ID = randomUUID();
const HEARTBEAT_MS = 10_000;
/** A running job whose heartbeat is older than this has lost its instance. */
export const STALE_MS = 60_000;
const PROGRESS_MS = 500;
export const TTL_MS = 2 * 3600_000;
/** Problems a poll shows; the error workbook holds them all. */
const SHOWN = 1000;
const ZERO: repo.Progress = { rows: 0, bytes: 0, total: 0 };

export interface ImportReport {
  committed: boolean;
  invalid: FieldError[];
  warnings?: FieldError[];
}

/** What a kind's check and commit receive: the stored upload and where it goes. */
export interface JobFile<T> {
  id: string;
  file: string;
  fileName: string;
  target: T;
}

export interface CommitHooks<R> {
  progress: (p: repo.Progress) => void;
  /** To be awaited inside the commit's transaction once it will commit: the job's end is written with the data. */
  inTransaction: (tx: Executor, report: R) => Promise<void>;
}

/** One kind of import (ledger, members): how to check and commit its file. */
export interface JobKindSpec<T, R extends ImportReport, C> {
  kind: repo.JobKind;
  /** Needed to see or commit a job of this kind. */
  capability: Action;
  check(ctx: Ctx, actor: Actor, job: JobFile<T>, onProgress: (p: repo.Progress) => void): Promise<R>;
  commit(ctx: Ctx, actor: Actor, job: JobFile<T>, opts: C, hooks: CommitHooks<R>): Promise<R>;
}

export interface JobView<T> {
  id: string;
  state: repo.JobState;
  fileName: string;
  target: T;
  progress: repo.Progress;
  check: repo.StoredReport | null;
  result: repo.StoredReport | null;
  error: DomainError | null;
}

interface Run {
  progress: repo.Progress;
  lastWrite: number;
  writing: boolean;
  done: Promise<void>;
}

type End = Partial<Pick<repo.JobRow, 'state' | 'checkReport' | 'resultReport' | 'error'>>;

const STATE_WORDS: Record<repo.JobState, { zh: string; en: string }> = {
  checking: { zh: '检查中', en: 'being checked' },
  checked: { zh: '已检查', en: 'checked' },
  committing: { zh: '导入中', en: 'being imported' },
  committed: { zh: '已导入', en: 'already imported' },
  rejected: { zh: '未导入', en: 'rejected' },
  failed: { zh: '已失败', en: 'failed' },
};

const stored = (e: DomainError) => ({ code: e.code, params: e.params });
const restored = (e: unknown): DomainError | null => {
  if (!e) return null;
  const { code, params } = e as { code: DomainError['code']; params: Params };
  return new DomainError(code, params);
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A report for the console: counts, and the first problems worded in the request's language. */
export function presentReport(r: repo.StoredReport | null, lang: Lang) {
  if (!r) return null;
  const { invalid, warnings, ...counts } = r;
  return {
    ...counts,
    invalid: wordProblems(invalid as FieldError[], lang, SHOWN),
    warnings: wordProblems(warnings as FieldError[], lang, SHOWN),
  };
}

/** The import jobs of one kind, as one app instance runs them. */
export class ImportJobs<T extends object, R extends ImportReport, C> {
  /** This instance, as the owner of the jobs it runs. */
  readonly owner = `${PROCESS_ID}/${randomUUID()}`;
  private runs = new Map<string, Run>();
  private timer: NodeJS.Timeout | undefined;
  private beating = false;
  private closed = false;

  constructor(
    private ctx: Ctx,
    private spec: JobKindSpec<T, R, C>,
  ) {}

  /** Records an uploaded file as a job of the actor's and starts checking it here. */
  async start(actor: Actor, o: { file: string; fileName: string; target: T }) {
    assertCan(actor, this.spec.capability);
    await this.expire();
    const id = randomUUID();
    const now = this.ctx.clock.now();
    try {
      await repo.insertJob(this.ctx.db, {
        id,
        kind: this.spec.kind,
        accountId: actor.accountId,
        regionPath: actor.regionPath,
        actor: {
          accountId: actor.accountId,
          username: actor.username,
          displayName: actor.displayName,
          role: actor.role,
          regionId: actor.regionId,
          regionPath: actor.regionPath,
        } satisfies Actor,
        target: o.target,
        fileName: o.fileName,
        filePath: o.file,
        state: 'checking',
        progress: ZERO,
        createdAt: now,
        updatedAt: now,
        owner: this.owner,
        heartbeatAt: now,
      });
    } catch (err) {
      fs.rmSync(o.file, { force: true });
      throw err;
    }
    return { id, done: this.runCheck({ id, file: o.file, fileName: o.fileName, target: o.target }, actor) };
  }

  /**
   * The job as its owner may see it, from any instance; one whose instance died is taken over
   * first. With `wait`, after the step running here ends.
   * @throws forbidden | not_found (another account's job, or one expired)
   */
  async get(actor: Actor, id: string, o: { wait?: boolean } = {}): Promise<JobView<T>> {
    assertCan(actor, this.spec.capability);
    let row = await this.visible(actor, id);
    if (this.orphaned(row) && (await this.takeOver(id))) row = await this.visible(actor, id);
    if (o.wait && this.runs.has(id)) {
      await this.runs.get(id)!.done;
      row = await this.visible(actor, id);
    }
    return view(row);
  }

  /**
   * Commits a checked job here: the kind decides how (all or nothing, valid rows only …). A job
   * whose commit failed or was interrupted may be committed again.
   * @throws forbidden | not_found | import.job_state (still checking, being or already committed)
   */
  async commit(actor: Actor, id: string, opts: C): Promise<{ done: Promise<void> }> {
    assertCan(actor, this.spec.capability);
    const seen = await this.visible(actor, id);
    if (this.orphaned(seen)) await this.takeOver(id); // an interrupted commit may be confirmed again
    const row = await repo.claimCommit(this.ctx.db, id, this.spec.kind, this.owner, this.ctx.clock.now());
    if (!row) {
      const now = (await repo.findJob(this.ctx.db, id, this.spec.kind, 1)) ?? seen;
      throw new DomainError('import.job_state', { state: STATE_WORDS[now.state] });
    }
    const job: JobFile<T> = { id, file: row.filePath, fileName: row.fileName, target: row.target as T };
    const done = this.run(id, 'committing', async (progress, current) => {
      if (!fs.existsSync(job.file)) throw new DomainError('import.file_gone');
      let ended = false;
      const report = await this.spec.commit(this.ctx, actor, job, opts, {
        progress,
        inTransaction: async (tx, r) => {
          const at = this.ctx.clock.now();
          const end = { state: 'committed' as const, resultReport: r, progress: current() };
          // No longer ours (taken for dead): rolling back keeps "nothing was written" true.
          if (!(await repo.finish(tx, id, this.owner, 'committing', end, at)))
            throw new DomainError('import.interrupted');
          ended = true;
        },
      });
      if (ended) return null;
      return { state: report.committed ? 'committed' : 'rejected', resultReport: report };
    });
    return { done };
  }

  /**
   * The upload and the full report (every problem) for the error workbook.
   * @throws forbidden | not_found | import.job_state (still checking)
   */
  async fullReport(actor: Actor, id: string): Promise<{ file: string; fileName: string; report: R }> {
    const seen = await this.visible(actor, id);
    const row = await repo.findFullJob(this.ctx.db, id, this.spec.kind);
    const report = (row?.resultReport ?? row?.checkReport) as R | null;
    if (!row || !report) throw new DomainError('import.job_state', { state: STATE_WORDS[seen.state] });
    return { file: row.filePath, fileName: row.fileName, report };
  }

  /** Forgets a job and its file at once (a check that could not even start). */
  async discard(id: string): Promise<void> {
    const row = await repo.findFullJob(this.ctx.db, id, this.spec.kind);
    await repo.deleteJob(this.ctx.db, id);
    if (row) fs.rmSync(row.filePath, { force: true });
  }

  /** Stops writing for this instance (the app is closing); its running jobs are left to be taken over. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async visible(actor: Actor, id: string) {
    const row = UUID.test(id) ? await repo.findJob(this.ctx.db, id, this.spec.kind, SHOWN) : undefined;
    if (!row || row.accountId !== actor.accountId || row.regionPath !== actor.regionPath) throw notFound();
    return row;
  }

  /** Whether a job is running nowhere: not here, and its instance stopped beating (or is gone). */
  private orphaned(row: {
    id: string;
    state: repo.JobState;
    owner: string | null;
    heartbeatAt: Date | null;
  }) {
    if (!repo.RUNNING.includes(row.state) || this.runs.has(row.id)) return false;
    const stale = this.ctx.clock.now().getTime() - STALE_MS;
    const deadProcess = this.ctx.engine === 'pglite' && !row.owner?.startsWith(`${PROCESS_ID}/`);
    return !row.heartbeatAt || row.heartbeatAt.getTime() < stale || deadProcess;
  }

  /** Takes over a job whose instance died (unless another instance just did); a check is run again here. */
  private async takeOver(id: string): Promise<boolean> {
    const now = this.ctx.clock.now();
    const row = await repo.claimStale(this.ctx.db, {
      id,
      kind: this.spec.kind,
      owner: this.owner,
      now,
      staleBefore: new Date(now.getTime() - STALE_MS),
      deadOwnerUnlessPrefix: this.ctx.engine === 'pglite' ? `${PROCESS_ID}/` : undefined,
      interrupted: stored(new DomainError('import.interrupted')),
    });
    if (!row) return false;
    if (row.state === 'checking') {
      const job = { id, file: row.filePath, fileName: row.fileName, target: row.target as T };
      void this.runCheck(job, row.actor as Actor);
    }
    return true;
  }

  private runCheck(job: JobFile<T>, actor: Actor): Promise<void> {
    return this.run(job.id, 'checking', async (progress) => {
      if (!fs.existsSync(job.file)) throw new DomainError('import.file_gone');
      return { state: 'checked', checkReport: await this.spec.check(this.ctx, actor, job, progress) };
    });
  }

  /** Runs a step here with progress and heartbeat; its end (or its error) is written unless `work` did. */
  private run(
    id: string,
    from: repo.JobState,
    work: (progress: (p: repo.Progress) => void, current: () => repo.Progress) => Promise<End | null>,
  ): Promise<void> {
    const r: Run = { progress: ZERO, lastWrite: 0, writing: false, done: Promise.resolve() };
    this.runs.set(id, r);
    this.timer ??= setInterval(() => this.beat(), HEARTBEAT_MS).unref();
    r.done = (async () => {
      let end: End | null;
      try {
        end = await work(
          (p) => this.progress(id, r, p),
          () => r.progress,
        );
      } catch (err) {
        if (!(err instanceof DomainError) && !this.closed)
          console.error(`${this.spec.kind} import job failed`, err);
        end = {
          state: 'failed',
          error: stored(err instanceof DomainError ? err : new DomainError('internal')),
        };
      }
      try {
        if (end && !this.closed)
          await repo.finish(
            this.ctx.db,
            id,
            this.owner,
            from,
            { ...end, progress: r.progress },
            this.ctx.clock.now(),
          );
      } catch (err) {
        if (!this.closed) console.error(`${this.spec.kind} import job: its end could not be written`, err);
      } finally {
        this.runs.delete(id);
        if (this.runs.size === 0) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      }
    })();
    return r.done;
  }

  /**
   * Keeps the latest progress and writes it at most every 500 ms, one write at a time: during a
   * commit on the embedded database the write waits for the transaction, and must not pile up.
   */
  private progress(id: string, r: Run, p: repo.Progress): void {
    r.progress = p;
    const t = performance.now();
    if (r.writing || this.closed || t - r.lastWrite < PROGRESS_MS) return;
    r.writing = true;
    r.lastWrite = t;
    repo
      .saveProgress(this.ctx.db, id, this.owner, p, this.ctx.clock.now())
      .catch(() => {}) // the next write, or the step's end, says it again
      .finally(() => (r.writing = false));
  }

  private beat(): void {
    if (this.beating || this.closed) return;
    this.beating = true;
    repo
      .beat(this.ctx.db, [...this.runs.keys()], this.owner, this.ctx.clock.now())
      .catch(() => {})
      .finally(() => (this.beating = false));
  }

  /** Deletes jobs untouched for two hours, and their files. */
  private async expire(): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const files = await repo.deleteExpired(this.ctx.db, new Date(now - TTL_MS), new Date(now - STALE_MS));
    for (const f of files) fs.rmSync(f, { force: true });
  }
}

function view<T>(row: NonNullable<Awaited<ReturnType<typeof repo.findJob>>>): JobView<T> {
  return {
    id: row.id,
    state: row.state,
    fileName: row.fileName,
    target: row.target as T,
    progress: { ...ZERO, ...(row.progress as Partial<repo.Progress>) },
    check: row.check,
    result: row.result,
    error: restored(row.error),
  };
}
