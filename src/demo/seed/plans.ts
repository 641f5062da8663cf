// What happened to each demo order and when, in minutes before "now": filed, accepted, worked, sent
// to a team, resolved, rated, left to go overdue. Deadline-aware so overdue orders climb a chosen
// number of rungs at the sweep. Pure: no I/O.
import type { Colour } from '../../ledger/colour.ts';
import type { Channel, Deadlines, Urgency } from '../../orders/schema.ts';
import type { ContactRole } from '../../pairing/schema.ts';
import type { Rng } from '../prng.ts';

export interface PlanResident {
  id: number;
  villageId: number;
  townshipId: number;
  colour: Colour;
  /** Member ids of the resident's contacts. */
  contacts: Partial<Record<ContactRole, number>>;
}

export type StepKind = 'accept' | 'start' | 'resolve' | 'return' | 'cancel' | 'toTeam' | 'feedback';

export interface Step {
  /** Minutes after the order was filed. */
  after: number;
  kind: StepKind;
  note?: string;
  teamId?: number;
  /** For feedback: whether the resident says it is solved (the note is their comment). */
  solved?: boolean;
  rating?: number;
}

export interface OrderPlan {
  residentId: number;
  need: string;
  urgency: Urgency;
  channel: Channel;
  description: string;
  /** Minutes before now the order was filed. */
  ago: number;
  steps: Step[];
}

export interface PlanInput {
  residents: PlanResident[];
  heldVillageId: number | null;
  deadlines: ReadonlyMap<string, Deadlines>;
  /** Members behind the demo sign-ins, and the team of the `team` sign-in. */
  doctor?: number;
  party?: number;
  secretary?: number;
  team?: { id: number; townshipId: number };
  teams: { id: number; townshipId: number }[];
  /** Orders beyond the ones each demo sign-in is given. */
  extra: number;
}

type Scenario =
  | 'fresh'
  | 'working'
  | 'overdueAccept'
  | 'overdueResolve'
  | 'resolved'
  | 'closed'
  | 'reopened'
  | 'cancelled'
  | 'team'
  | 'returned';

const NEEDS = ['medicine', 'errand', 'consultation', 'fever', 'transfer', 'meals', 'livelihood', 'other'];
const NEED_WEIGHTS = [20, 12, 18, 14, 3, 8, 8, 3];
const ROUTE: Record<string, ContactRole> = {
  medicine: 'help',
  errand: 'help',
  meals: 'help',
  other: 'help',
  consultation: 'health',
  fever: 'health',
  transfer: 'health',
  livelihood: 'livelihood',
};
const TEXT: Record<string, string[]> = {
  medicine: ['降压药快吃完了，请帮忙到卫生院代购', '需要退烧药和血氧仪', '胰岛素快用完了，行动不便'],
  errand: ['帮忙代缴电费和话费', '代购米面油和蔬菜', '帮忙去镇上办理医保报销'],
  consultation: [
    '血压偏高，头晕，想咨询用药',
    '血糖控制不好，想请医生看看',
    '咳嗽一周不见好，问问要不要去医院',
  ],
  fever: ['发烧 38.5 度，咳嗽两天', '老人发热、乏力，没有胃口', '孩子夜里发烧，想请医生上门看看'],
  transfer: ['老人呼吸困难、血氧 90，需协助转运至县医院'],
  meals: ['老人行动不便，子女不在身边，需要送餐', '独居老人腿脚不便，请帮忙送午饭'],
  livelihood: ['冬季取暖困难，需要帮助', '家中屋顶漏雨，请村里帮忙修一下', '低保申请材料不会填'],
  other: ['想了解家庭医生签约怎么办', '家里燃气灶打不着火'],
};
const COMMENTS = [
  '服务很及时，谢谢！',
  '医生上门很耐心',
  '送药很快，感谢党员同志',
  '态度很好，解决了大问题',
  '',
];
const RETURN_NOTES = ['本人在外地出差，无法上门，请改派', '需要车辆，建议派服务队'];
const CANCEL_NOTES = ['群众表示已自行解决', '家属已代办'];
const SCENARIOS: Scenario[] = [
  'fresh',
  'working',
  'overdueAccept',
  'overdueResolve',
  'resolved',
  'closed',
  'reopened',
  'cancelled',
  'team',
  'returned',
];
const SCENARIO_WEIGHTS = [14, 12, 8, 4, 10, 38, 3, 3, 5, 2];

/** The demo sign-ins' own orders first, then `extra` more across the county. */
export function planOrders(r: Rng, input: PlanInput): OrderPlan[] {
  const plans: OrderPlan[] = [];
  const by = (role: ContactRole, member?: number) =>
    member === undefined ? [] : input.residents.filter((x) => x.contacts[role] === member);
  const add = (pool: PlanResident[], need: string, s: Scenario, k = 1, team?: { id: number }) => {
    if (pool.length === 0) return;
    const who = r.pick(pool);
    plans.push(plan(r, input, who.id, need, s, k, team?.id));
  };
  const doctors = by('health', input.doctor);
  add(doctors, 'fever', 'fresh');
  add(doctors, 'consultation', 'working');
  add(doctors, 'consultation', 'closed');
  // Two windows overdue: the grid leader and the village secretary have been told.
  add(doctors, 'fever', 'overdueAccept', 2);
  const party = by('help', input.party);
  add(party, 'medicine', 'fresh');
  add(party, 'errand', 'closed');
  // Overdue all the way: the member's unit party organisation and the county leader are told.
  add(party, 'medicine', 'overdueAccept', 5);
  const secretaries = by('livelihood', input.secretary);
  add(secretaries, 'livelihood', 'working');
  add(secretaries, 'livelihood', 'closed');
  if (input.team) {
    const near = party.length ? party : secretaries;
    add(near, 'meals', 'team', 1, input.team);
    add(near, 'errand', 'returned', 1, input.team);
  }
  // Residents of the village still waiting for its pairing: nobody to route to, so they wait for dispatch.
  const unpaired = input.residents.filter((x) => x.villageId === input.heldVillageId);
  add(unpaired, 'medicine', 'fresh');
  add(unpaired, 'other', 'overdueAccept', 3);

  const paired = input.residents.filter((x) => x.contacts.help && x.contacts.health && x.contacts.livelihood);
  const coloured = paired.filter((x) => x.colour !== 'green');
  for (let i = 0; i < input.extra && paired.length; i++) {
    const s = r.weighted(SCENARIOS, SCENARIO_WEIGHTS);
    const need =
      s === 'team' || s === 'returned' ? r.pick(['meals', 'errand']) : r.weighted(NEEDS, NEED_WEIGHTS);
    // Red and yellow residents ask more often.
    const who = r.pick(r.chance(0.7) && coloured.length ? coloured : paired);
    const team = input.teams.find((t) => t.townshipId === who.townshipId);
    if ((s === 'team' || s === 'returned') && !team) continue;
    plans.push(plan(r, input, who.id, need, s, r.int(1, 3), team?.id));
  }
  // Filed in time order, so order numbers grow with time as they would.
  return plans.sort((a, b) => b.ago - a.ago);
}

function plan(
  r: Rng,
  input: PlanInput,
  residentId: number,
  need: string,
  s: Scenario,
  k: number,
  teamId: number | undefined,
): OrderPlan {
  const urgency: Urgency =
    need === 'transfer' ? 'critical' : r.chance(need === 'fever' ? 0.3 : 0.15) ? 'urgent' : 'normal';
  const d = input.deadlines.get(need)?.[urgency] ?? { accept: 7200, resolve: 86400 };
  const [A, R] = [Math.round(d.accept / 60), Math.round(d.resolve / 60)];
  const { ago, steps } = timeline(r, s, A, R, k, teamId);
  if (ROUTE[need] === undefined) throw new Error(`demo: unknown need ${need}`);
  return {
    residentId,
    need,
    urgency,
    channel: r.chance(0.6) ? 'card' : 'hotline',
    description: r.pick(TEXT[need] ?? ['']),
    ago,
    steps: steps.filter((x) => x.after < ago),
  };
}

/** When each step happens, for accept window A and resolve window R (minutes). */
function timeline(r: Rng, s: Scenario, A: number, R: number, k: number, teamId?: number) {
  const accept = (limit: number) => r.int(2, Math.max(3, Math.min(Math.floor(A * 0.5), limit)));
  const rating = () => r.weighted([5, 4, 3], [60, 30, 10]);
  let ago: number;
  const steps: Step[] = [];
  const step = (after: number, kind: StepKind, extra: Partial<Step> = {}) =>
    steps.push({ after, kind, ...extra });
  switch (s) {
    case 'fresh':
      ago = r.int(3, Math.max(4, Math.floor(A * 0.6)));
      break;
    case 'working': {
      ago = r.int(40, Math.max(41, Math.min(Math.floor(R * 0.6), 360)));
      const a = accept(ago - 20);
      step(a, 'accept');
      step(a + r.int(3, 15), 'start');
      break;
    }
    case 'overdueAccept':
      // The deadline passed k − ½ windows ago: at the sweep the order has climbed k rungs.
      ago = Math.round((k + 0.5) * A);
      break;
    case 'overdueResolve': {
      ago = Math.round((k + 0.5) * R);
      const a = accept(10);
      step(a, 'accept');
      step(a + 10, 'start');
      break;
    }
    case 'resolved': {
      ago = r.int(120, 900);
      const a = accept(60);
      step(a, 'accept');
      step(a + 5, 'start');
      step(Math.min(ago - 30, a + r.int(30, Math.max(31, Math.floor(R * 0.5)))), 'resolve');
      break;
    }
    case 'closed': {
      ago = r.int(1440, 7 * 1440);
      const a = accept(90);
      const done = Math.min(ago - 120, a + r.int(30, Math.max(31, Math.floor(R * 0.5))));
      step(a, 'accept');
      step(a + 5, 'start');
      step(done, 'resolve');
      const comment = r.pick(COMMENTS) || undefined;
      step(Math.min(ago - 5, done + r.int(30, 900)), 'feedback', {
        solved: true,
        rating: rating(),
        note: comment,
      });
      break;
    }
    case 'reopened':
      // Resolved yesterday, the resident said it was not solved two hours ago, accepted again since.
      ago = r.int(1500, 2000);
      step(15, 'accept');
      step(30, 'start');
      step(180, 'resolve');
      step(ago - 120, 'feedback', { solved: false, rating: 2, note: '问题还没有解决，请再来看看' });
      step(ago - 100, 'accept');
      break;
    case 'cancelled':
      ago = r.int(60, 2880);
      step(r.int(5, 30), 'cancel', { note: r.pick(CANCEL_NOTES) });
      break;
    case 'team': {
      ago = r.int(90, 600);
      const t = r.int(5, 20);
      step(t, 'toTeam', { teamId, note: '送餐由服务队统一安排' });
      step(t + r.int(5, 20), 'accept');
      step(t + 30, 'start');
      break;
    }
    case 'returned': {
      ago = r.int(120, 600);
      const t = r.int(10, 30);
      step(t, 'return', { note: r.pick(RETURN_NOTES) });
      step(t + r.int(10, 30), 'toTeam', { teamId });
      step(t + 60, 'accept');
      break;
    }
  }
  return { ago, steps };
}
