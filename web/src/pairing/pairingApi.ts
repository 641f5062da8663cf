// Pairing reads and writes (src/pairing/routes.ts, src/staff/import-routes.ts) as TanStack Query hooks:
// coverage, gaps, loads, settings, proposals and their confirmation, a resident's contacts, cards
// (print-ready HTML, revoke) and the member import.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../app/api.ts';
import { currentLanguage } from '../app/i18n.ts';
import type { Level } from '../app/types.ts';
import type { Colour } from '../ledger/types.ts';

export const CONTACT_ROLES = ['help', 'health', 'livelihood'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export type CoverageLine = {
  key: number;
  complete: number;
  lackHelp: number;
  lackHealth: number;
  lackLivelihood: number;
  /** 0–1, null when there is nobody key. */
  coverage: number | null;
};

export type PairingCoverage = {
  region: { id: number; name: string; level: Level };
  total: CoverageLine;
  children: (CoverageLine & { id: number; name: string; level: Level })[];
};

export type PairingGap = {
  residentId: number;
  name: string;
  colour: Colour | null;
  address: string;
  gridName: string;
  lacking: ContactRole[];
};

export type MemberLoad = {
  memberId: number;
  name: string;
  fills: ContactRole[];
  load: Record<ContactRole, number>;
  capacity: Record<ContactRole, number>;
  over: ContactRole[];
  idle: boolean;
};

export type PairingSettings = {
  countyCode: string;
  helpCapacity: number;
  healthCapacity: number;
  livelihoodCapacity: number;
  hotline: string | null;
  keyCategories: string[];
};

export type ProposalSummary = { keyResidents: number; gaps: number; proposed: number; unfilled: number };

export type ProposalItem = {
  id: number;
  resident_id: number;
  resident_name: string;
  role: ContactRole;
  member_id: number | null;
  member_name: string | null;
  reason: string;
  decision: 'pending' | 'accepted' | 'rejected';
};

export type Proposal = {
  id: number;
  regionId: number;
  status: 'open' | 'confirmed' | 'discarded';
  summary: ProposalSummary;
  createdAt: string;
  items: ProposalItem[];
};

export type Contact = { memberId: number; name: string; mobile: string };
export type ResidentContacts = { contacts: Record<ContactRole, Contact | null> };

export const GAP_LIMIT = 200;

export const pairingKeys = {
  all: ['pairing'] as const,
  coverage: (regionId: number) => ['pairing', 'coverage', regionId] as const,
  gaps: (regionId: number) => ['pairing', 'gaps', regionId] as const,
  loads: (regionId: number) => ['pairing', 'loads', regionId] as const,
  settings: (regionId: number) => ['pairing', 'settings', regionId] as const,
  proposal: (id: number) => ['pairing', 'proposal', id] as const,
  contacts: (residentId: number) => ['pairing', 'contacts', residentId] as const,
  memberImport: (id: string) => ['pairing', 'member-import', id] as const,
};

export const pairingHref = (regionId: number) => `/pairing?regionId=${regionId}`;

export function useCoverage(regionId: number) {
  return useQuery({
    queryKey: pairingKeys.coverage(regionId),
    queryFn: () => api<PairingCoverage>(`/api/regions/${regionId}/pairing/coverage`),
    retry: false,
  });
}

export function useGaps(regionId: number, enabled: boolean) {
  return useQuery({
    queryKey: pairingKeys.gaps(regionId),
    queryFn: () =>
      api<PairingGap[]>(`/api/regions/${regionId}/pairing/gaps`, { query: { limit: GAP_LIMIT } }),
    enabled,
  });
}

export function useLoads(regionId: number, enabled: boolean) {
  return useQuery({
    queryKey: pairingKeys.loads(regionId),
    queryFn: () =>
      api<{ overCapacity: MemberLoad[]; idle: MemberLoad[] }>(`/api/regions/${regionId}/pairing/loads`),
    enabled,
  });
}

export function useSettings(regionId: number, enabled: boolean) {
  return useQuery({
    queryKey: pairingKeys.settings(regionId),
    queryFn: () => api<PairingSettings>(`/api/regions/${regionId}/pairing/settings`),
    enabled,
  });
}

export function useSaveSettings(regionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<Omit<PairingSettings, 'countyCode'>>) =>
      api<PairingSettings>(`/api/regions/${regionId}/pairing/settings`, { method: 'PUT', body: patch }),
    // Capacities change who is over capacity; key categories change everything.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pairingKeys.all }),
  });
}

export function usePropose(regionId: number) {
  return useMutation({
    mutationFn: () =>
      api<ProposalSummary & { id: number }>(`/api/regions/${regionId}/pairing/proposals`, { method: 'POST' }),
  });
}

export function useProposal(id: number | undefined) {
  return useQuery({
    queryKey: pairingKeys.proposal(id ?? 0),
    queryFn: () => api<Proposal>(`/api/pairing/proposals/${id ?? 0}`),
    enabled: id !== undefined,
  });
}

export function useConfirmProposal(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (accept: 'all' | number[]) =>
      api<{ assigned: number }>(`/api/pairing/proposals/${id}/confirm`, {
        method: 'POST',
        body: { accept },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pairingKeys.all }),
  });
}

export function useResidentContacts(residentId: number, enabled: boolean) {
  return useQuery({
    queryKey: pairingKeys.contacts(residentId),
    queryFn: () => api<ResidentContacts>(`/api/residents/${residentId}/contacts`),
    enabled,
  });
}

async function problemOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
  return new ApiError(
    response.status,
    body.code ?? `http_${response.status}`,
    body.detail ?? response.statusText,
  );
}

const headers = (contentType: string) => ({
  Accept: 'application/json, text/html',
  'Accept-Language': currentLanguage(),
  'Content-Type': contentType,
});

export type PrintInput = { regionId: number; residentIds?: number[]; reissue?: boolean };

/** Issues cards and returns the server's print-ready A4 sheets (the QR tokens live only in it). */
async function printCards(input: PrintInput): Promise<string> {
  const response = await fetch('/api/cards/print', {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers('application/json'),
    body: JSON.stringify(input),
  });
  if (!response.ok) throw await problemOf(response);
  return response.text();
}

export function usePrintCards() {
  return useMutation({ mutationFn: printCards });
}

export function useRevokeCard(residentId: number) {
  return useMutation({
    mutationFn: (reason: string) =>
      api<{ revoked: number }>(`/api/residents/${residentId}/card/revoke`, {
        method: 'POST',
        body: { reason },
      }),
  });
}

// --- member import -----------------------------------------------------------------------------

export type ImportProblem = { row: number | null; column: string; code: string; message: string };

export type MemberImportReport = {
  rows: number;
  valid: number;
  created: number;
  updated: number;
  unchanged: number;
  unitsCreated: string[];
  committed: boolean;
  dryRun: boolean;
  invalidCount: number;
  invalid: ImportProblem[];
};

export type MemberImportJob = {
  id: string;
  state: 'checked' | 'committing' | 'committed' | 'rejected';
  fileName: string;
  regionCode: string;
  createUnits: boolean;
  check: MemberImportReport;
  result: MemberImportReport | null;
};

async function uploadMembers(input: {
  file: File;
  regionCode: string;
  createUnits: boolean;
}): Promise<MemberImportJob> {
  const query = new URLSearchParams({
    regionCode: input.regionCode,
    fileName: input.file.name,
    createUnits: String(input.createUnits),
  });
  const response = await fetch(`/api/members/imports?${query.toString()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers('application/octet-stream'),
    body: input.file,
  });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as MemberImportJob;
}

export function useUploadMembers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: uploadMembers,
    onSuccess: (job) => queryClient.setQueryData(pairingKeys.memberImport(job.id), job),
  });
}

export function useMemberImport(id: string | undefined) {
  return useQuery({
    queryKey: pairingKeys.memberImport(id ?? ''),
    queryFn: () => api<MemberImportJob>(`/api/members/imports/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
    retry: false,
  });
}

export function useCommitMembers(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<MemberImportJob>(`/api/members/imports/${encodeURIComponent(id)}/commit`, { method: 'POST' }),
    onSuccess: async (job) => {
      queryClient.setQueryData(pairingKeys.memberImport(id), job);
      // New members change loads and who can be proposed.
      await queryClient.invalidateQueries({
        queryKey: pairingKeys.all,
        predicate: (q) => q.queryKey[1] !== 'member-import',
      });
    },
  });
}

// --- manual assignment ---------------------------------------------------------------------------

/** Which member roles can fill each contact role (src/pairing/rules.ts contactRolesOf). */
export const FILLS: Record<ContactRole, readonly string[]> = {
  help: ['party_member'],
  health: ['village_doctor', 'family_doctor', 'grid_medic'],
  livelihood: ['village_secretary', 'first_secretary'],
};

export type MemberOption = { id: number; name: string; mobile: string; roles: string[]; regionName: string };

/** Active members serving under a region who can fill the role, found by name or mobile. */
export function useMemberOptions(regionId: number | undefined, role: ContactRole, q: string) {
  return useQuery({
    queryKey: ['pairing', 'member-options', regionId ?? 0, role, q] as const,
    queryFn: async () => {
      const page = await api<{ items: MemberOption[] }>('/api/members', {
        query: { regionId, active: true, pageSize: 200, q: q.trim() || undefined },
      });
      return page.items.filter((m) => m.roles.some((r) => FILLS[role].includes(r)));
    },
    enabled: regionId !== undefined,
    placeholderData: (previous) => previous,
  });
}

export function useAssignContact(residentId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { role: ContactRole; memberId: number; reason?: string }) =>
      api<{ responsibilityId: number }>(`/api/residents/${residentId}/contacts/${input.role}`, {
        method: 'PUT',
        body: { memberId: input.memberId, ...(input.reason ? { reason: input.reason } : {}) },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pairingKeys.all }),
  });
}
