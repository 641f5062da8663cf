// Staff register reads and writes (src/staff/routes.ts) as TanStack Query hooks: members, their
// deactivation, work units and their party organisations, service teams, grid staffing 1+1+N and the
// region-level responsibilities (包联) above the grids.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import type { Level, Role } from '../app/types.ts';

import type { MemberRole, RegionRole, ResponsibilityRole } from '../../../src/staff/vocabulary.ts';

// The register's words are the server's own (src/staff/vocabulary.ts).
export { MEMBER_ROLES, ONE_PER_GRID, REGION_ROLE_LEVEL } from '../../../src/staff/vocabulary.ts';
export type { MemberRole, RegionRole, ResponsibilityRole };

export type Member = {
  id: number;
  name: string;
  /** As the server gives it (staff mobiles are printed on cards, so not masked). */
  mobile: string;
  roles: MemberRole[];
  countyCode: string;
  regionId: number;
  regionName: string;
  regionLevel: Level;
  unitId: number | null;
  unitName: string | null;
  unitPartyOrg: string | null;
  homeRegionId: number | null;
  homeRegionName: string | null;
  capacity: number | null;
  accountId: number | null;
  active: boolean;
  openResponsibilities: number;
  updatedAt: string;
};

export type MemberDuty = {
  id: number;
  targetType: 'region' | 'resident';
  targetId: number;
  /** The region's name, or the resident's (masked unless the account may reveal). */
  targetName: string | null;
  targetLevel: Level | null;
  role: ResponsibilityRole;
  fromDate: string;
  source: string;
};

export type MemberDetail = Member & { responsibilities: MemberDuty[] };

export type MemberList = { total: number; page: number; pageSize: number; items: Member[] };

export type MemberQuery = {
  regionId: number;
  role?: MemberRole;
  unitId?: number;
  active?: boolean;
  q?: string;
  page: number;
  pageSize: number;
};

export type MemberInput = {
  name: string;
  mobile: string;
  roles: MemberRole[];
  regionId: number;
  unitId: number | null;
  homeRegionId: number | null;
  capacity: number | null;
  accountId: number | null;
};

export type Unit = {
  id: number;
  name: string;
  regionId: number;
  regionName: string;
  parentId: number | null;
  partyOrgName: string | null;
  partyOrgContact: string | null;
  partyOrgMobile: string | null;
  /** False for a unit of a region above one's scope: usable for members, not editable. */
  editable: boolean;
};

export type UnitInput = {
  name: string;
  regionId: number;
  parentId: number | null;
  partyOrgName: string | null;
  partyOrgContact: string | null;
  partyOrgMobile: string | null;
};

export type TeamPerson = {
  memberId: number;
  name: string;
  mobile: string;
  roles: MemberRole[];
  leader: boolean;
  active: boolean;
};

export type Team = {
  id: number;
  name: string;
  regionId: number;
  regionName: string;
  active: boolean;
  createdAt: string;
  leader: TeamPerson | null;
  members: TeamPerson[];
};

export type Holder = {
  responsibilityId: number;
  memberId: number;
  name: string;
  mobile: string;
  fromDate: string;
};

export type GridStaffing = {
  id: number;
  code: string;
  name: string;
  villageId: number | null;
  villageName: string | null;
  leader: Holder | null;
  medic: Holder | null;
  members: Holder[];
  missing: RegionRole[];
};

export type Staffing = {
  region: { id: number; code: string; name: string; level: Level };
  summary: { grids: number; complete: number; withoutLeader: number; withoutMedic: number };
  grids: GridStaffing[];
};

export type NodeDuties = {
  id: number;
  code: string;
  name: string;
  level: Level;
  parentId: number | null;
  role: RegionRole;
  holders: Holder[];
  missing: boolean;
};

export type NodeResponsibilities = {
  region: { id: number; code: string; name: string; level: Level };
  summary: { nodes: number; missing: number };
  nodes: NodeDuties[];
};

export type AccountOption = { id: number; username: string; displayName: string; role: Role };

export const PAGE_SIZES = [20, 50, 100] as const;

export const staffKeys = {
  all: ['staff'] as const,
  members: (q: MemberQuery) => ['staff', 'members', q] as const,
  member: (id: number) => ['staff', 'member', id] as const,
  search: (regionId: number, q: string) => ['staff', 'search', regionId, q] as const,
  units: (regionId: number) => ['staff', 'units', regionId] as const,
  teams: (regionId: number | undefined, all: boolean) => ['staff', 'teams', regionId ?? 0, all] as const,
  staffing: (regionId: number) => ['staff', 'staffing', regionId] as const,
  nodes: (regionId: number) => ['staff', 'nodes', regionId] as const,
  accounts: (q: string) => ['staff', 'accounts', q] as const,
};

export const staffHref = (page: '' | 'units' | 'teams' | 'staffing', regionId: number) =>
  `/staff${page ? `/${page}` : ''}?regionId=${regionId}`;
export const memberHref = (id: number) => `/staff/members/${id}`;

/** After any write: the staff pages, and pairing (who can be proposed, gaps, loads) follow. */
function useInvalidate() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: staffKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['pairing'] }),
    ]);
}

// --- members ------------------------------------------------------------------------------------

export function useMembers(q: MemberQuery) {
  return useQuery({
    queryKey: staffKeys.members(q),
    queryFn: () => api<MemberList>('/api/members', { query: { ...q } }),
    placeholderData: (previous) => previous,
  });
}

export function useMember(id: number | undefined) {
  return useQuery({
    queryKey: staffKeys.member(id ?? 0),
    queryFn: () => api<MemberDetail>(`/api/members/${id ?? 0}`),
    enabled: id !== undefined,
    retry: false,
  });
}

/** Active members serving under a region, found by name or mobile (the pickers). */
export function useMemberSearch(regionId: number, q: string, enabled = true) {
  return useQuery({
    queryKey: staffKeys.search(regionId, q.trim()),
    queryFn: async () =>
      (
        await api<MemberList>('/api/members', {
          query: { regionId, active: true, pageSize: 50, q: q.trim() || undefined },
        })
      ).items,
    enabled,
    placeholderData: (previous) => previous,
  });
}

export function useSaveMember(id: number | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: Partial<MemberInput>) =>
      id === undefined
        ? api<Member>('/api/members', { method: 'POST', body: input })
        : api<Member>(`/api/members/${id}`, { method: 'PATCH', body: input }),
    onSuccess: () => invalidate(),
  });
}

export function useDeactivateMember(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (reason: string) =>
      api<{ member: Member; ended: number }>(`/api/members/${id}/deactivate`, {
        method: 'POST',
        body: reason ? { reason } : {},
      }),
    onSuccess: () => invalidate(),
  });
}

export function useActivateMember(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => api<Member>(`/api/members/${id}/activate`, { method: 'POST', body: {} }),
    onSuccess: () => invalidate(),
  });
}

/** Accounts in scope to link a member to (needs account.read). */
export function useAccountSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: staffKeys.accounts(q.trim()),
    queryFn: async () =>
      (await api<AccountOption[]>('/api/accounts', { query: { q: q.trim() || undefined } })).slice(0, 50),
    enabled,
    placeholderData: (previous) => previous,
  });
}

// --- units --------------------------------------------------------------------------------------

/** Units usable in a region: its subtree's and, read-only, those of the regions above it. */
export function useUnits(regionId: number | undefined) {
  return useQuery({
    queryKey: staffKeys.units(regionId ?? 0),
    queryFn: () => api<Unit[]>('/api/units', { query: { regionId } }),
    enabled: regionId !== undefined,
  });
}

export function useSaveUnit(id: number | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: Partial<UnitInput>) =>
      id === undefined
        ? api<Unit>('/api/units', { method: 'POST', body: input })
        : api<Unit>(`/api/units/${id}`, { method: 'PATCH', body: input }),
    onSuccess: () => invalidate(),
  });
}

// --- teams --------------------------------------------------------------------------------------

/** Teams of a region's subtree (the account's whole scope when no region), disbanded ones too if `all`. */
export function useTeams(regionId: number | undefined, all: boolean) {
  return useQuery({
    queryKey: staffKeys.teams(regionId, all),
    queryFn: () => api<Team[]>('/api/teams', { query: { regionId, active: all ? undefined : true } }),
  });
}

export function useCreateTeam() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: { name: string; regionId: number; memberIds: number[]; leaderId: number | null }) =>
      api<Team>('/api/teams', { method: 'POST', body: input }),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateTeam(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (patch: { name?: string; active?: boolean }) =>
      api<Team>(`/api/teams/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: () => invalidate(),
  });
}

export function useAddTeamMember(teamId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: { memberId: number; leader: boolean }) =>
      api<Team>(`/api/teams/${teamId}/members`, { method: 'POST', body: input }),
    onSuccess: () => invalidate(),
  });
}

export function useRemoveTeamMember(teamId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (memberId: number) =>
      api<undefined>(`/api/teams/${teamId}/members/${memberId}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(),
  });
}

// --- staffing and responsibilities ----------------------------------------------------------------

export function useStaffing(regionId: number) {
  return useQuery({
    queryKey: staffKeys.staffing(regionId),
    queryFn: () => api<Staffing>(`/api/regions/${regionId}/staffing`),
    retry: false,
  });
}

export function useNodeResponsibilities(regionId: number, enabled: boolean) {
  return useQuery({
    queryKey: staffKeys.nodes(regionId),
    queryFn: () => api<NodeResponsibilities>(`/api/regions/${regionId}/responsibilities`),
    enabled,
  });
}

export function useAssignRole() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: {
      memberId: number;
      regionId: number;
      role: RegionRole;
      fromDate?: string;
      reason?: string;
    }) =>
      api<{ responsibility: { id: number; memberName: string }; ended: { id: number }[] }>(
        '/api/responsibilities',
        { method: 'POST', body: input },
      ),
    onSuccess: () => invalidate(),
  });
}

export function useEndResponsibility() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: { id: number; reason?: string }) =>
      api<{ id: number; toDate: string }>(`/api/responsibilities/${input.id}/end`, {
        method: 'POST',
        body: input.reason ? { reason: input.reason } : {},
      }),
    onSuccess: () => invalidate(),
  });
}
