// The single TanStack Query client: no retries on 4xx, modest caching, no refetch on focus.
import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (failureCount, error) => !(isApiError(error) && error.status < 500) && failureCount < 2,
    },
    mutations: { retry: false },
  },
});
