// Service-loop reads and writes as TanStack Query hooks. Every order query lives under the
// ['orders'] key, so one invalidation (a write here, or a live notification) refreshes them all.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import type {
  BoardFilter,
  MemberHit,
  NeedType,
  OrderDetail,
  OrderItem,
  ResidentHit,
  SmsMessage,
  SmsStatus,
  TeamHit,
  TransitionInput,
  Urgency,
} from './types.ts';

export const orderKeys = {
  all: ['orders'] as const,
  mine: () => ['orders', 'mine'] as const,
  board: (f: BoardFilter) => ['orders', 'board', f] as const,
  one: (id: number) => ['orders', 'one', id] as const,
  sms: (status: SmsStatus | undefined) => ['orders', 'sms', status ?? 'all'] as const,
};

export function useMyOrders() {
  return useQuery({
    queryKey: orderKeys.mine(),
    queryFn: () => api<OrderItem[]>('/api/orders/mine'),
    staleTime: 5_000,
  });
}

export function useBoard(f: BoardFilter) {
  return useQuery({
    queryKey: orderKeys.board(f),
    queryFn: () =>
      api<OrderItem[]>('/api/orders', {
        query: {
          regionId: f.regionId,
          states: f.states.length ? f.states : undefined,
          needCodes: f.needCodes.length ? f.needCodes : undefined,
          urgency: f.urgency.length ? f.urgency : undefined,
          overdueOnly: f.overdueOnly || undefined,
          pageSize: 200,
        },
      }),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}

export function useOrder(id: number | undefined) {
  return useQuery({
    queryKey: orderKeys.one(id ?? 0),
    queryFn: () => api<OrderDetail>(`/api/orders/${id}`),
    enabled: id !== undefined,
    staleTime: 5_000,
  });
}

export function useNeedTypes(regionId: number) {
  return useQuery({
    queryKey: ['need-types', regionId],
    queryFn: () => api<NeedType[]>('/api/need-types', { query: { regionId } }),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

export function useSms(status: SmsStatus | undefined) {
  return useQuery({
    queryKey: orderKeys.sms(status),
    queryFn: () => api<SmsMessage[]>('/api/orders/sms', { query: { status } }),
    placeholderData: keepPreviousData,
  });
}

/** Moves an order through its state machine; refreshes every order view. */
export function useTransition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: TransitionInput & { id: number }) =>
      api<{ id: number; state: string }>(`/api/orders/${id}/transitions`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: orderKeys.all }),
  });
}

/** The operator's call-back verdict (回访) on a resolved order. */
export function useFeedback() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; solved: boolean; rating: number | null; comment?: string }) =>
      api<{ id: number; state: string }>(`/api/orders/${id}/feedback`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: orderKeys.all }),
  });
}

/** The resident's full phones for a call (audited by the server). */
export function callResident(id: number) {
  return api<{ residentId: number; name: string; phones: string[] }>(`/api/orders/${id}/call`, {
    method: 'POST',
  });
}

export function useFileOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      key,
      ...body
    }: {
      key: string;
      residentId: number;
      needCode: string;
      urgency: Urgency;
      channel: 'hotline' | 'visit' | 'console';
      description?: string | null;
    }) => fetchWithKey<OrderItem>('/api/orders', body, key),
    onSettled: () => queryClient.invalidateQueries({ queryKey: orderKeys.all }),
  });
}

/** POST with an Idempotency-Key (a retry of the same filing makes one order). */
async function fetchWithKey<T>(path: string, body: unknown, key: string): Promise<T> {
  return api<T>(path, { method: 'POST', body, headers: { 'Idempotency-Key': key } });
}

export function useResidentSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: ['orders', 'resident-search', text],
    queryFn: () =>
      api<{ items: ResidentHit[] }>('/api/residents', { query: { q: text, pageSize: 10 } }).then(
        (r) => r.items,
      ),
    enabled: text.length >= 1,
    placeholderData: keepPreviousData,
  });
}

export function useMemberSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['orders', 'member-search', q.trim()],
    queryFn: () =>
      api<{ items: MemberHit[] }>('/api/members', {
        query: { q: q.trim() || undefined, active: true, pageSize: 20 },
      }).then((r) => r.items),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useTeams(enabled: boolean) {
  return useQuery({
    queryKey: ['orders', 'teams'],
    queryFn: () => api<TeamHit[]>('/api/teams', { query: { active: true } }),
    enabled,
  });
}
