// Ledger import jobs (src/ledger/import-routes.ts): upload a file, poll the check, commit, download errors.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../app/api.ts';
import { currentLanguage } from '../app/i18n.ts';
import { ledgerKeys } from './ledgerApi.ts';

export type ImportState = 'checking' | 'checked' | 'committing' | 'committed' | 'rejected' | 'failed';
export type ImportProblem = { row: number | null; column: string; code: string; message: string };

export type ImportReport = {
  rows: number;
  valid: number;
  imported: number;
  updated: number;
  households: number;
  gridsCreated: string[];
  committed: boolean;
  dryRun: boolean;
  invalidCount: number;
  warningCount: number;
  invalid: ImportProblem[];
  warnings: ImportProblem[];
};

export type ImportJob = {
  id: string;
  state: ImportState;
  fileName: string;
  regionCode: string;
  progress: { rows: number; bytes: number; total: number; fraction: number };
  check: ImportReport | null;
  result: ImportReport | null;
  error: { code: string; message: string } | null;
};

export type CommitMode = 'all' | 'valid-only';

const importKey = (id: string) => ['ledger', 'import', id] as const;

const BUSY: readonly ImportState[] = ['checking', 'committing'];
export const isBusy = (job: ImportJob | undefined) => job !== undefined && BUSY.includes(job.state);
export const errorWorkbookHref = (id: string) => `/api/ledger/imports/${encodeURIComponent(id)}/errors.xlsx`;

/** Sends the file as the raw request body (the server streams it to disk), its name in the query. */
async function upload(input: { file: File; regionCode: string; createGrids: boolean }): Promise<ImportJob> {
  const query = new URLSearchParams({
    regionCode: input.regionCode,
    fileName: input.file.name,
    createGrids: String(input.createGrids),
  });
  const response = await fetch(`/api/ledger/imports?${query.toString()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Accept-Language': currentLanguage(),
      'Content-Type': 'application/octet-stream',
    },
    body: input.file,
  });
  const body = (await response.json().catch(() => ({}))) as Partial<ImportJob> & {
    code?: string;
    detail?: string;
  };
  if (!response.ok)
    throw new ApiError(
      response.status,
      body.code ?? `http_${response.status}`,
      body.detail ?? response.statusText,
    );
  return body as ImportJob;
}

export function useUpload() {
  return useMutation({ mutationFn: upload });
}

/** The job, polled every half second while the server is checking or importing. */
export function useImportJob(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: importKey(id ?? ''),
    queryFn: async () => {
      const job = await api<ImportJob>(`/api/ledger/imports/${encodeURIComponent(id ?? '')}`);
      // Once rows are written, every list, page and coverage figure may have changed.
      if (job.result?.committed)
        await queryClient.invalidateQueries({
          queryKey: ledgerKeys.all,
          predicate: (q) => q.queryKey[1] !== 'import',
        });
      return job;
    },
    enabled: id !== undefined,
    staleTime: 0,
    refetchInterval: (query) => (isBusy(query.state.data) ? 500 : false),
  });
}

export function useCommit(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { mode: CommitMode; createGrids?: boolean }) =>
      api<ImportJob>(`/api/ledger/imports/${encodeURIComponent(id)}/commit`, { method: 'POST', body: input }),
    onSuccess: (job) => queryClient.setQueryData(importKey(id), job),
  });
}
