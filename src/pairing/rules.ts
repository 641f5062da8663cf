// Pure rules of pairing: who is a key resident, and the auto-assign proposal — same village first,
// then the same township; the grid's own medical worker first for health; balanced load within
// each member's capacity; a household's members kept with one party member. No I/O.
import type { ContactRole } from './schema.ts';

export interface Gap {
  residentId: number;
  householdId: number;
  gridId: number;
  villageId: number;
  townshipId: number;
  role: ContactRole;
}

export interface Candidate {
  memberId: number;
  name: string;
  /** Which contact roles the member can fill (from their member roles). */
  fills: ContactRole[];
  villageId: number | null;
  townshipId: number | null;
  /** Grids where the member is the grid medical worker (preferred doctor for those grids). */
  medicOfGrids: number[];
  /** Villages where the member is the village secretary (preferred livelihood contact). */
  secretaryOfVillages: number[];
  capacity: Record<ContactRole, number>;
  /** Current load per role: households for help, residents for health and livelihood. */
  load: Record<ContactRole, number>;
  /** Households the member already answers for (help), so a household's members stay together. */
  helpHouseholds: Set<number>;
}

export interface Proposal {
  residentId: number;
  role: ContactRole;
  memberId: number | null;
  reason: { zh: string; en: string };
}

type Tier = { name: { zh: string; en: string }; match: (c: Candidate, g: Gap) => boolean };

const TIERS: Record<ContactRole, Tier[]> = {
  help: [
    {
      name: { zh: '同户已由其包联', en: 'already paired with this household' },
      match: (c, g) => c.helpHouseholds.has(g.householdId),
    },
    {
      name: { zh: '同村党员', en: 'party member of the same village' },
      match: (c, g) => c.villageId === g.villageId,
    },
    {
      name: { zh: '同乡镇党员', en: 'party member of the same township' },
      match: (c, g) => c.townshipId === g.townshipId,
    },
  ],
  health: [
    {
      name: { zh: '本网格医务人员', en: "the grid's medical worker" },
      match: (c, g) => c.medicOfGrids.includes(g.gridId),
    },
    {
      name: { zh: '本村医生', en: 'doctor of the same village' },
      match: (c, g) => c.villageId === g.villageId,
    },
    {
      name: { zh: '本乡镇医生', en: 'doctor of the same township' },
      match: (c, g) => c.townshipId === g.townshipId,
    },
  ],
  livelihood: [
    {
      name: { zh: '本村党组织书记', en: 'secretary of the village' },
      match: (c, g) => c.secretaryOfVillages.includes(g.villageId),
    },
    {
      name: { zh: '本村书记或第一书记', en: 'secretary or first secretary of the village' },
      match: (c, g) => c.villageId === g.villageId,
    },
  ],
};

/** How much a new pairing adds to a member's load: a household already theirs adds nothing. */
function cost(c: Candidate, g: Gap): number {
  return g.role === 'help' && c.helpHouseholds.has(g.householdId) ? 0 : 1;
}

function hasRoom(c: Candidate, g: Gap): boolean {
  return c.load[g.role] + cost(c, g) <= c.capacity[g.role];
}

/**
 * Proposes a member for every gap. Within the best tier that has anyone with room, the member
 * with the lowest load relative to capacity wins (ties: lower id, so the result is stable).
 * Candidates' loads are updated as it goes, so one run balances itself.
 */
export function proposeContacts(gaps: readonly Gap[], candidates: readonly Candidate[]): Proposal[] {
  const byRole: Record<ContactRole, Candidate[]> = { help: [], health: [], livelihood: [] };
  for (const c of candidates) for (const r of c.fills) byRole[r].push(c);
  // Index candidates by township so each gap looks at a few dozen members, not thousands.
  const byTownship = new Map<string, Candidate[]>();
  for (const role of ['help', 'health', 'livelihood'] as const) {
    for (const c of byRole[role]) {
      const key = `${role}:${c.townshipId}`;
      (byTownship.get(key) ?? byTownship.set(key, []).get(key)!).push(c);
    }
  }
  // Households in order, so the second member of a household finds the first one's party member.
  const ordered = [...gaps].sort((a, b) => a.householdId - b.householdId || a.residentId - b.residentId);
  return ordered.map((g) => {
    const pool = byTownship.get(`${g.role}:${g.townshipId}`) ?? [];
    let suitable = false;
    for (const tier of TIERS[g.role]) {
      let best: Candidate | undefined;
      let bestRatio = Infinity;
      for (const c of pool) {
        if (!tier.match(c, g)) continue;
        suitable = true;
        if (!hasRoom(c, g)) continue;
        const ratio = (c.load[g.role] + cost(c, g)) / Math.max(c.capacity[g.role], 1);
        if (ratio < bestRatio || (ratio === bestRatio && best && c.memberId < best.memberId)) {
          best = c;
          bestRatio = ratio;
        }
      }
      if (best) {
        best.load[g.role] += cost(best, g);
        if (g.role === 'help') best.helpHouseholds.add(g.householdId);
        const load = `${best.load[g.role]}/${best.capacity[g.role]}`;
        return {
          residentId: g.residentId,
          role: g.role,
          memberId: best.memberId,
          reason: {
            zh: `${tier.name.zh}，当前负荷 ${load}`,
            en: `${tier.name.en}; load now ${load}`,
          },
        };
      }
    }
    return {
      residentId: g.residentId,
      role: g.role,
      memberId: null,
      reason: suitable
        ? { zh: '符合条件的人员均已满负荷', en: 'everyone suitable is at capacity' }
        : {
            zh: `没有符合条件的人员（${TIERS[g.role].map((t) => t.name.zh).join('、')}）`,
            en: `nobody suitable (${TIERS[g.role].map((t) => t.name.en).join('; ')})`,
          },
    };
  });
}

/** Which contact roles a member's roles let them fill. */
export function contactRolesOf(memberRoles: readonly string[]): ContactRole[] {
  const out: ContactRole[] = [];
  if (memberRoles.includes('party_member')) out.push('help');
  if (memberRoles.some((r) => r === 'village_doctor' || r === 'family_doctor' || r === 'grid_medic'))
    out.push('health');
  if (memberRoles.some((r) => r === 'village_secretary' || r === 'first_secretary')) out.push('livelihood');
  return out;
}

export const CONTACT_SLOGANS: Record<ContactRole, { zh: string; en: string }> = {
  help: { zh: '遇事无助找同志', en: 'In need of help? Call your party member' },
  health: { zh: '头疼脑热找大夫', en: 'Feeling unwell? Call your doctor' },
  livelihood: { zh: '生活困难找村长', en: 'Hardship at home? Call the village head' },
};
