// Ledger reads and writes as TanStack Query hooks; every write refreshes the cached ledger data.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import type {
  Category,
  Colour,
  Coverage,
  Household,
  HouseholdDetail,
  LedgerQuery,
  Resident,
  ResidentDetail,
  ResidentInput,
  ResidentPage,
  RevealField,
  Revealed,
  Survey,
  SurveyInput,
} from './types.ts';

export const ledgerKeys = {
  all: ['ledger'] as const,
  residents: (q: LedgerQuery) => ['ledger', 'residents', q] as const,
  resident: (id: number) => ['ledger', 'resident', id] as const,
  household: (id: number) => ['ledger', 'household', id] as const,
  coverage: (regionId: number, staleDays: number) => ['ledger', 'coverage', regionId, staleDays] as const,
  toSurvey: (regionId: number, staleDays: number) => ['ledger', 'to-survey', regionId, staleDays] as const,
  categories: (regionId: number) => ['ledger', 'categories', regionId] as const,
};

export function useResidents(q: LedgerQuery) {
  return useQuery({
    queryKey: ledgerKeys.residents(q),
    queryFn: () =>
      api<ResidentPage>('/api/residents', {
        query: {
          regionId: q.regionId,
          colour: q.colour,
          category: q.category,
          ageMin: q.ageMin,
          ageMax: q.ageMax,
          surveyed: q.surveyed,
          staleDays: q.surveyed === 'stale' ? q.staleDays : undefined,
          q: q.q,
          sort: q.sort,
          desc: q.desc ? true : undefined,
          page: q.page,
          pageSize: q.pageSize,
          after: q.after,
        },
      }),
    placeholderData: keepPreviousData,
  });
}

export function useResident(id: number | undefined) {
  return useQuery({
    queryKey: ledgerKeys.resident(id ?? 0),
    queryFn: () => api<ResidentDetail>(`/api/residents/${id ?? 0}`),
    enabled: id !== undefined,
  });
}

export function useHousehold(id: number | undefined) {
  return useQuery({
    queryKey: ledgerKeys.household(id ?? 0),
    queryFn: () => api<HouseholdDetail>(`/api/households/${id ?? 0}`),
    enabled: id !== undefined,
  });
}

export function useCoverage(regionId: number, staleDays: number, enabled = true) {
  return useQuery({
    queryKey: ledgerKeys.coverage(regionId, staleDays),
    queryFn: () => api<Coverage>(`/api/regions/${regionId}/survey-coverage`, { query: { staleDays } }),
    enabled,
  });
}

export function useHouseholdsToSurvey(regionId: number, staleDays: number, limit: number) {
  return useQuery({
    queryKey: ledgerKeys.toSurvey(regionId, staleDays),
    queryFn: () =>
      api<Household[]>(`/api/regions/${regionId}/households-to-survey`, { query: { staleDays, limit } }),
  });
}

/** The key-population categories in force where a region lies (national ones plus the county's). */
export function useCategories(regionId: number | undefined) {
  return useQuery({
    queryKey: ledgerKeys.categories(regionId ?? 0),
    queryFn: () => api<Category[]>(`/api/regions/${regionId ?? 0}/categories`),
    enabled: regionId !== undefined,
    staleTime: 10 * 60_000,
  });
}

/** Refreshes everything the ledger pages show (lists, pages, coverage) after a write. */
function useInvalidateLedger() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ledgerKeys.all });
}

export function useReveal(id: number) {
  return useMutation({
    mutationFn: (input: { field: RevealField; reason: string }) =>
      api<Revealed>(`/api/residents/${id}/reveal`, { method: 'POST', body: input }),
  });
}

export function useUpdateResident(id: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (patch: ResidentInput) =>
      api<Resident>(`/api/residents/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: () => invalidate(),
  });
}

export function useCreateResident(householdId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (input: ResidentInput) =>
      api<Resident>('/api/residents', { method: 'POST', body: { ...input, household: { id: householdId } } }),
    onSuccess: () => invalidate(),
  });
}

export function useOverrideColour(id: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (input: { colour: Colour | null; reason: string }) =>
      api<Resident>(`/api/residents/${id}/colour`, { method: 'POST', body: input }),
    onSuccess: () => invalidate(),
  });
}

export function useRecordSurvey(householdId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (input: SurveyInput) =>
      api<Survey>(`/api/households/${householdId}/surveys`, { method: 'POST', body: input }),
    onSuccess: () => invalidate(),
  });
}

/** Parses a numeric route parameter; undefined unless it is a positive integer. */
export function parseId(raw: string | null | undefined): number | undefined {
  if (!raw || !/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}
