// Sign-in and sign-out mutations; both reset cached data so one user never sees another's.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../app/api.ts';
import type { Me } from '../app/types.ts';
import { meKey } from './useMe.ts';

export type Credentials = { login: string; password: string };

export function useSignIn() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (credentials: Credentials) =>
      api<Me>('/api/auth/login', { method: 'POST', body: credentials }),
    onSuccess: (me) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      queryClient.setQueryData(meKey, me);
      // The index route picks the home page by role (members who keep no ledger: 我的工单).
      void navigate('/', { replace: true });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      queryClient.setQueryData(meKey, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      void navigate('/login', { replace: true });
    },
  });
}
