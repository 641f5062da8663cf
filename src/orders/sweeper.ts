// The sweeper: reminds (催办) before a deadline and escalates overdue orders up the chain of
// responsibility, one rung per elapsed window, notifying each rung. Deadlines live on the rows,
// so it survives restarts and catches up after downtime; on PostgreSQL several instances sweep at
// once and `FOR UPDATE SKIP LOCKED` hands each order to exactly one of them.
import type { Executor } from '../db/engine.ts';
import { chainForResident } from '../pairing/service.ts';
import type { Ctx } from '../platform/context.ts';
import { maskName } from '../ledger/rules.ts';
import { noticeText, notify } from './notify.ts';
import * as repo from './repo.ts';
import { AWAITING_ACCEPT, AWAITING_RESOLVE, climb, type Rung } from './rules.ts';

const LEVEL_OF_ROLE: Record<string, number> = {
  grid_leader: 1,
  village_secretary: 2,
  township_cadre: 3,
  county_leader: 5,
};

/** The rungs above an order's assignee; a party member's unit party organisation sits at 4. */
async function rungsFor(ex: Executor, o: repo.OrderRow, route: string): Promise<Rung[]> {
  const chain = await chainForResident(ex, o.residentId);
  const rungs: Rung[] = chain
    .filter((c) => LEVEL_OF_ROLE[c.role] !== undefined)
    .map((c) => ({ level: LEVEL_OF_ROLE[c.role]!, memberId: c.member_id, name: c.name, mobile: c.mobile }));
  const help = chain.find((c) => c.role === 'help' && c.member_id === o.assigneeMemberId);
  if (route === 'help' && help?.unit_party_org && help.unit_party_mobile) {
    rungs.push({ level: 4, memberId: null, name: help.unit_party_org, mobile: help.unit_party_mobile });
  }
  return rungs;
}

export interface SweepResult {
  reminded: number;
  escalated: number;
}

/** Handles every order due by `now`, in batches, each batch one transaction. */
export async function sweep(ctx: Ctx, batch = 200): Promise<SweepResult> {
  const total: SweepResult = { reminded: 0, escalated: 0 };
  for (;;) {
    const now = ctx.clock.now();
    const n = await ctx.db.transaction(async (tx) => {
      const due = await repo.pickDue(tx, now, batch, ctx.engine === 'postgres');
      for (const o of due) await handle(ctx, tx, o, now, total);
      return due.length;
    });
    if (n < batch) return total;
  }
}

async function handle(
  ctx: Ctx,
  tx: Executor,
  o: repo.OrderRow,
  now: Date,
  total: SweepResult,
): Promise<void> {
  const waitingAccept = AWAITING_ACCEPT.includes(o.state);
  if (!waitingAccept && !AWAITING_RESOLVE.includes(o.state)) {
    await repo.updateOrder(tx, o.id, { nextCheckAt: null });
    return;
  }
  const need = (await repo.needTypesFor(tx, o.countyCode)).find((n) => n.code === o.needCode);
  const deadline = waitingAccept ? o.acceptDueAt : o.resolveDueAt;
  const r = await repo.residentForOrder(tx, o.residentId);
  const label = maskName(r?.resident.name ?? '');
  const needName = need?.nameZh ?? o.needCode;
  if (now < deadline) {
    // Before the deadline: one reminder to whoever holds it.
    if (!o.remindedAt && o.assigneeMemberId) {
      const m = await repo.memberById(tx, o.assigneeMemberId);
      await notify(
        tx,
        o,
        'reminder',
        noticeText('reminder', o, needName, label),
        [{ memberId: m!.id, mobile: m!.mobile }],
        now,
      );
      await repo.insertEvent(tx, { orderId: o.id, at: now, kind: 'remind', actorName: '系统催办' });
      total.reminded++;
    }
    await repo.updateOrder(tx, o.id, { remindedAt: now, nextCheckAt: deadline });
    return;
  }
  const windowMs = (need?.deadlines[o.urgency][waitingAccept ? 'accept' : 'resolve'] ?? 3600) * 1000;
  const rungs = await rungsFor(tx, o, need?.route ?? 'help');
  const step = climb(rungs, o.escalationLevel, deadline, windowMs, now);
  const flags = waitingAccept ? { overdueAccept: true } : { overdueResolve: true };
  if (step.reached.length) {
    const after = { ...o, ...flags, escalationLevel: step.level };
    await notify(
      tx,
      after,
      'escalated',
      noticeText('escalated', after, needName, label),
      step.reached.map((x) => ({ memberId: x.memberId, mobile: x.mobile })),
      now,
    );
    await repo.addParties(
      tx,
      o.id,
      step.reached
        .filter((x) => x.memberId !== null)
        .map((x) => ({ memberId: x.memberId!, level: x.level, reason: 'escalation' })),
      now,
    );
    await repo.insertEvent(tx, {
      orderId: o.id,
      at: now,
      kind: 'escalate',
      actorName: '系统督办',
      data: {
        from: o.escalationLevel,
        to: step.level,
        reached: step.reached.map((x) => x.name),
        overdue: waitingAccept ? 'accept' : 'resolve',
      },
    });
    total.escalated++;
  }
  await repo.updateOrder(tx, o.id, { ...flags, escalationLevel: step.level, nextCheckAt: step.nextCheckAt });
}

/** Runs the sweeper every `intervalMs` until stopped; errors are logged and the next tick tries again. */
export function startSweeper(ctx: Ctx, intervalMs: number, log: (err: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep(ctx)
      .catch(log)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
