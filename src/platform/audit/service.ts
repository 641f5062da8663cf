// Writing and reading the audit trail. `audit()` is called by every service inside its own
// transaction, so a change and its record commit or roll back together.
import type { Executor } from '../../db/engine.ts';
import { assertCan, type Actor } from '../access.ts';
import type { Clock } from '../clock.ts';
import { insertAudit, listAudit, type AuditFilter, type AuditRow } from './repo.ts';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  regionId?: number | null;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
}

export async function audit(
  tx: Executor,
  clock: Clock,
  actor: Pick<Actor, 'accountId' | 'displayName' | 'ip'> | null,
  e: AuditEntry,
): Promise<void> {
  await insertAudit(tx, {
    at: clock.now(),
    actorId: actor?.accountId ?? null,
    actorName: actor?.displayName ?? null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId == null ? null : String(e.targetId),
    regionId: e.regionId ?? null,
    reason: e.reason ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    ip: actor?.ip ?? null,
  });
}

/** @throws DomainError forbidden for roles without audit.read. */
export async function searchAudit(
  ex: Executor,
  actor: Actor,
  f: Omit<AuditFilter, 'scopePath'>,
): Promise<{ items: AuditRow[]; next: number | null }> {
  assertCan(actor, 'audit.read');
  const items = await listAudit(ex, { ...f, scopePath: actor.regionPath, limit: f.limit + 1 });
  const more = items.length > f.limit;
  if (more) items.pop();
  return { items, next: more ? (items[items.length - 1]?.id ?? null) : null };
}
