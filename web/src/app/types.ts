// Shapes of the foundation API (docs/api-foundation.md) as the console sees them.
export type Level = 'province' | 'city' | 'county' | 'township' | 'village' | 'grid';

export type Role =
  | 'admin'
  | 'official'
  | 'supervisor'
  | 'secretary'
  | 'grid_leader'
  | 'grid_member'
  | 'doctor'
  | 'party_member'
  | 'team_member'
  | 'operator';

export type RegionNode = {
  id: number;
  code: string;
  name: string;
  level: Level;
  parentId: number | null;
  childCount: number;
};

export type RegionAncestor = { id: number; code: string; name: string; level: Level };

export type RegionDetail = RegionNode & {
  path: string;
  ancestors: RegionAncestor[];
  counts: { townships: number; villages: number; grids: number };
};

export type RegionHit = RegionNode & { trail: string };

export type Me = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  region: RegionNode;
  capabilities: string[];
};

export type ProblemFieldError = { path: string; code: string; message: string };
