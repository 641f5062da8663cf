// The signed-in user: GET /api/auth/me, cached for the session; null when nobody is signed in.
import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../app/api.ts';
import type { Me } from '../app/types.ts';

export const meKey = ['auth', 'me'] as const;

export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('/api/auth/me');
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: Infinity });
}
