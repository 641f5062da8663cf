// Adding and changing a county's key-population categories; the lists that name them are refreshed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import type { Category } from './types.ts';

export type CategoryInput = {
  nameZh: string;
  nameEn: string;
  key: boolean;
  synonyms: string[];
  code?: string;
};
export type CategoryPatch = Partial<Omit<CategoryInput, 'code'>> & { active?: boolean };

function useRefreshCategories() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['ledger', 'categories'] });
}

export function useAddCategory(regionId: number) {
  const refresh = useRefreshCategories();
  return useMutation({
    mutationFn: (input: CategoryInput) =>
      api<Category>(`/api/regions/${regionId}/categories`, { method: 'POST', body: input }),
    onSuccess: () => refresh(),
  });
}

export function useUpdateCategory(regionId: number) {
  const refresh = useRefreshCategories();
  return useMutation({
    mutationFn: ({ code, patch }: { code: string; patch: CategoryPatch }) =>
      api<Category>(`/api/regions/${regionId}/categories/${encodeURIComponent(code)}`, {
        method: 'PATCH',
        body: patch,
      }),
    onSuccess: () => refresh(),
  });
}
