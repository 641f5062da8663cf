// Who may do what: one capability table (role → actions) and the signed-in actor that every
// service receives. Where an actor may act is their region subtree, enforced in SQL by the repos.
import { DomainError } from './errors.ts';
import type { Role } from './auth/schema.ts';

export type { Role };

export const ACTIONS = [
  'region.read',
  'region.write',
  'account.read',
  'account.write',
  'audit.read',
  /** See households and residents (names in full; ID numbers and phones masked). */
  'ledger.read',
  /** Add and edit households and residents, record surveys. */
  'ledger.write',
  'ledger.import',
  'ledger.export',
  /** Set a resident's colour by hand, with a reason. */
  'ledger.colour_override',
  /** Edit the county's colour rules. */
  'ledger.rules',
  /** Reveal a full ID number or phone (each reveal audited). */
  'pii.reveal',
  /** See the staff register: members, units, teams, grid staffing (1+1+N). */
  'staff.read',
  /** Add and edit members, units and teams; assign and end region-level responsibilities. */
  'staff.write',
  'staff.import',
  /** See contacts, coverage and gaps. */
  'pairing.read',
  /** Propose and confirm pairings, assign contacts, change pairing settings. */
  'pairing.write',
  /** Issue, reissue, revoke and print connection cards. */
  'card.issue',
  /** See orders in one's subtree (the board, an order's timeline). */
  'order.read',
  /** File an order for a resident (hotline, visit). */
  'order.create',
  /** Dispatch, re-dispatch, approve a hold, cancel, mark duplicate, record a call-back. */
  'order.dispatch',
  /** Change need types and their deadlines. */
  'order.config',
] as const;
export type Action = (typeof ACTIONS)[number];

const everyone: Action[] = ['region.read'];
const gridWork: Action[] = [
  ...everyone,
  'ledger.read',
  'ledger.write',
  'pii.reveal',
  'pairing.read',
  'order.read',
  'order.create',
];
/** Contacts and team members see and work the orders that reach them. */
const orderWork: Action[] = [...everyone, 'order.read'];
const staffAdmin: Action[] = ['staff.read', 'staff.write', 'staff.import'];

/** The capability table. A role not listed for an action answers 403 whatever the target. */
export const CAPABILITIES: Record<Role, readonly Action[]> = {
  admin: [...ACTIONS],
  official: [
    ...gridWork,
    'region.write',
    'account.read',
    'account.write',
    'ledger.import',
    'ledger.export',
    'ledger.colour_override',
    'ledger.rules',
    ...staffAdmin,
    'pairing.write',
    'card.issue',
    'order.dispatch',
    'order.config',
  ],
  supervisor: [
    ...everyone,
    'account.read',
    'audit.read',
    'ledger.read',
    'ledger.export',
    'staff.read',
    'pairing.read',
  ],
  secretary: [
    ...gridWork,
    'account.read',
    'ledger.import',
    'ledger.export',
    ...staffAdmin,
    'pairing.write',
    'card.issue',
  ],
  grid_leader: [...gridWork, 'staff.read', 'order.dispatch'],
  grid_member: gridWork,
  doctor: [...gridWork, 'ledger.colour_override'],
  // Party members and team members reach residents through pairing and orders, not the ledger.
  party_member: orderWork,
  team_member: orderWork,
  operator: [
    ...everyone,
    'ledger.read',
    'pii.reveal',
    'staff.read',
    'pairing.read',
    'order.read',
    'order.create',
    'order.dispatch',
  ],
};

/** The signed-in user a service acts for. */
export interface Actor {
  /** null for the system itself (the CLI, the sweeper). */
  accountId: number | null;
  username: string;
  displayName: string;
  role: Role;
  /** Scope: the region node and its materialised path; the actor sees this subtree only. */
  regionId: number;
  regionPath: string;
  ip?: string;
}

export function can(actor: Pick<Actor, 'role'>, action: Action): boolean {
  return CAPABILITIES[actor.role].includes(action);
}

/** @throws DomainError forbidden when the actor's role lacks the action. */
export function assertCan(actor: Pick<Actor, 'role'>, action: Action): void {
  if (!can(actor, action)) throw new DomainError('forbidden');
}

/** Roles an actor may hand out: only those that can do nothing the actor cannot. */
export function assignableRoles(actor: Pick<Actor, 'role'>): Role[] {
  const mine = new Set(CAPABILITIES[actor.role]);
  return (Object.keys(CAPABILITIES) as Role[]).filter((r) => CAPABILITIES[r].every((a) => mine.has(a)));
}

/** The system acting on its own (CLI imports, demo seeding): the whole tree, every action. */
export function systemActor(displayName = 'system'): Actor {
  return { accountId: null, username: 'system', displayName, role: 'admin', regionId: 0, regionPath: '/' };
}
