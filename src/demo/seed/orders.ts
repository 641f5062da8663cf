// Plays the planned demo orders through the real service loop (createOrder, transition,
// recordFeedback) on a clock moved back to each moment, then sweeps once at "now" so overdue
// orders have climbed the chain of responsibility and reminders have gone out.
import { createOrder, recordFeedback, transition } from '../../orders/service.ts';
import { sweep, type SweepResult } from '../../orders/sweeper.ts';
import { systemActor, type Actor } from '../../platform/access.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { OrderPlan } from './plans.ts';

export interface OrderCast {
  /** Demo sign-ins of this county, by username. */
  accounts: ReadonlyMap<string, Actor>;
  /** Member id → name, and the demo sign-in that is this member. */
  members: ReadonlyMap<number, { name: string; account: string | null }>;
  /** Team id → its members, leader first. */
  teams: ReadonlyMap<number, number[]>;
  /** Resident id → the path of their grid and the id of their township. */
  residents: ReadonlyMap<number, { gridPath: string; townshipId: number }>;
}

/** Files and works every plan, oldest first; returns what the closing sweep did. */
export async function playOrders(ctx: Ctx, plans: OrderPlan[], cast: OrderCast): Promise<SweepResult> {
  const now = ctx.clock.now();
  const clock = new ManualClock(now);
  const at: Ctx = { ...ctx, clock };
  const operator = cast.accounts.get('operator') ?? systemActor('热线话务员（演示数据）');
  for (const [i, p] of plans.entries()) {
    const filed = now.getTime() - p.ago * 60_000;
    clock.set(new Date(filed));
    const where = cast.residents.get(p.residentId);
    if (!where) throw new Error(`demo: resident ${p.residentId} has no grid`);
    const { order } = await createOrder(
      at,
      { channel: p.channel, actor: p.channel === 'hotline' ? operator : null },
      { residentId: p.residentId, needCode: p.need, urgency: p.urgency, description: p.description },
    );
    let member = order.assigneeMemberId;
    let team = order.assigneeTeamId;
    const worker = () => workerActor(cast, where.gridPath, member, team);
    const dispatcher = () => dispatcherActor(cast, where.gridPath, where.townshipId);
    for (const s of p.steps) {
      clock.set(new Date(filed + s.after * 60_000));
      switch (s.kind) {
        case 'accept':
        case 'start':
        case 'resolve':
        case 'return':
          await transition(at, worker(), order.id, { event: s.kind, note: s.note });
          if (s.kind === 'return') [member, team] = [null, null];
          break;
        case 'cancel':
          await transition(at, dispatcher(), order.id, { event: s.kind, note: s.note });
          break;
        case 'toTeam':
          await transition(at, dispatcher(), order.id, { event: 'dispatch', teamId: s.teamId, note: s.note });
          [member, team] = [null, s.teamId ?? null];
          break;
        case 'feedback':
          // Two in five verdicts come from the hotline's call-back (回访), the rest from the card.
          await recordFeedback(at, { actor: i % 5 < 2 ? operator : null }, order.id, {
            solved: s.solved ?? true,
            rating: s.rating ?? null,
            comment: s.note ?? null,
          });
          break;
      }
    }
  }
  clock.set(now);
  return sweep(at);
}

/** The assignee acting: their own sign-in when they have one that sees the order, else in their name. */
function workerActor(cast: OrderCast, gridPath: string, member: number | null, team: number | null): Actor {
  const ids = member !== null ? [member] : team !== null ? (cast.teams.get(team) ?? []) : [];
  // In a team, a member with a sign-in picks it up (the demo `team` account rather than the
  // township official who leads the team), else the leader in their own name.
  const people = ids.map((id) => ({ id, ...cast.members.get(id) }));
  const actors = people.flatMap((x) => {
    const a = x.account ? cast.accounts.get(x.account) : undefined;
    return a && visible(a, gridPath) ? [a] : [];
  });
  const signedIn = actors.find((a) => a.role !== 'official') ?? actors[0];
  if (signedIn) return signedIn;
  const who = people[0];
  if (!who?.name) throw new Error(`demo: order has nobody to work it (member ${member}, team ${team})`);
  return systemActor(who.name);
}

/** The township's official sign-in when it has one, else the county's, else the township office. */
function dispatcherActor(cast: OrderCast, gridPath: string, townshipId: number): Actor {
  const town = [...cast.accounts.values()].find((a) => a.role === 'official' && a.regionId === townshipId);
  if (town) return town;
  const county = cast.accounts.get('county');
  if (county && visible(county, gridPath)) return county;
  return systemActor('乡镇指挥中心（演示数据）');
}

const visible = (a: Actor | undefined, path: string): boolean => !!a && path.startsWith(a.regionPath);
