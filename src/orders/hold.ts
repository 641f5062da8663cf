// 延期 (more time): the assignee asks (申请延期) with a reason and the time they need; the request
// waits on the order until a dispatcher approves it (the 'hold' event: on hold, resolve deadline
// moved) or denies it. What transition() needs beyond the state machine lives here.
import type { Executor } from '../db/engine.ts';
import { DomainError } from '../platform/errors.ts';
import { shanghai, type Recipient } from './notify.ts';
import * as repo from './repo.ts';
import { holdUntilProblem } from './rules.ts';

/** The columns of a pending request, emptied (approved, denied, or overtaken by another move). */
export const NO_HOLD_REQUEST = {
  holdRequestedAt: null,
  holdRequestedUntil: null,
  holdRequestedBy: null,
  holdRequestReason: null,
} satisfies Partial<repo.OrderRow>;

/**
 * The 延期至 time of a request or a hold: given, after now and after the resolve deadline it extends.
 * @throws order.hold_until_required | order.hold_until_past | order.hold_until_early
 */
export function holdUntil(given: string | Date | null | undefined, o: repo.OrderRow, now: Date): Date {
  const until = given == null || given === '' ? null : new Date(given);
  if (!until || Number.isNaN(until.getTime())) throw new DomainError('order.hold_until_required');
  const problem = holdUntilProblem(until, now, o.resolveDueAt);
  if (problem) throw new DomainError(problem, { due: shanghai(o.resolveDueAt) });
  return until;
}

/** Who hears the dispatcher's answer: whoever asked, else the assignee (or their team). */
export async function holdAnswerTo(ex: Executor, o: repo.OrderRow): Promise<Recipient[]> {
  const id = o.holdRequestedBy ?? o.assigneeMemberId;
  if (id !== null) {
    const m = await repo.memberById(ex, id);
    return m ? [{ memberId: m.id, mobile: m.mobile }] : [];
  }
  if (o.assigneeTeamId === null) return [];
  return (await repo.teamMembers(ex, o.assigneeTeamId)).map((m) => ({ memberId: m.id, mobile: m.mobile }));
}

/** A pending request as the order page shows it (who asked, until when, why), or null. */
export async function pendingHold(ex: Executor, o: repo.OrderRow) {
  if (!o.holdRequestedAt || !o.holdRequestedUntil) return null;
  const by = o.holdRequestedBy === null ? undefined : await repo.memberById(ex, o.holdRequestedBy);
  return {
    at: o.holdRequestedAt,
    until: o.holdRequestedUntil,
    reason: o.holdRequestReason,
    byName: by?.name ?? null,
  };
}
