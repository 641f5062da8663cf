// Region reads (detail, children, search) as TanStack Query hooks with shared cache keys.
import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import type { RegionDetail, RegionHit, RegionNode } from '../app/types.ts';

export const regionKeys = {
  detail: (id: number) => ['regions', id, 'detail'] as const,
  children: (id: number) => ['regions', id, 'children'] as const,
  search: (q: string) => ['regions', 'search', q] as const,
};

export const fetchRegion = (id: number) => api<RegionDetail>(`/api/regions/${id}`);
export const fetchChildren = (id: number) => api<RegionNode[]>(`/api/regions/${id}/children`);
export const SEARCH_LIMIT = 20;

export function useRegion(id: number | undefined) {
  return useQuery({
    queryKey: regionKeys.detail(id ?? 0),
    queryFn: () => fetchRegion(id ?? 0),
    enabled: id !== undefined,
  });
}

export function useRegionChildren(id: number | undefined) {
  return useQuery({
    queryKey: regionKeys.children(id ?? 0),
    queryFn: () => fetchChildren(id ?? 0),
    enabled: id !== undefined,
  });
}

export function useRegionSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: regionKeys.search(text),
    queryFn: () => api<RegionHit[]>('/api/regions/search', { query: { q: text, limit: SEARCH_LIMIT } }),
    enabled: text.length > 0,
    placeholderData: (previous) => previous,
  });
}

/** Parses the `:id` route parameter; undefined unless it is a positive integer. */
export function parseRegionId(raw: string | undefined): number | undefined {
  if (!raw || !/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}
