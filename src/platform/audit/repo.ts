// All SQL of the audit trail.
import { and, desc, eq, gte, like, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/engine.ts';
import { region } from '../../regions/schema.ts';
import { auditEvent } from './schema.ts';

export type AuditInsert = typeof auditEvent.$inferInsert;
export type AuditRow = typeof auditEvent.$inferSelect;

export async function insertAudit(ex: Executor, row: AuditInsert): Promise<void> {
  await ex.insert(auditEvent).values(row);
}

export interface AuditFilter {
  scopePath: string;
  action?: string;
  actorId?: number;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  before?: number;
  limit: number;
}

/**
 * Events about targets in the scope subtree, newest first. Events with no region (sign-ins, for
 * instance) are visible only from the root of the tree (a scope with no parent).
 */
export async function listAudit(ex: Executor, f: AuditFilter): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (f.action) where.push(like(auditEvent.action, `${f.action}%`));
  if (f.actorId !== undefined) where.push(eq(auditEvent.actorId, f.actorId));
  if (f.targetType) where.push(eq(auditEvent.targetType, f.targetType));
  if (f.targetId) where.push(eq(auditEvent.targetId, f.targetId));
  if (f.from) where.push(gte(auditEvent.at, f.from));
  if (f.to) where.push(lte(auditEvent.at, f.to));
  if (f.before !== undefined) where.push(lt(auditEvent.id, f.before));
  const isRootScope = f.scopePath.split('/').filter(Boolean).length === 1;
  where.push(
    isRootScope
      ? sql`(${auditEvent.regionId} is null or exists (select 1 from ${region} where ${region.id} = ${auditEvent.regionId} and ${region.path} like ${f.scopePath + '%'}))`
      : sql`exists (select 1 from ${region} where ${region.id} = ${auditEvent.regionId} and ${region.path} like ${f.scopePath + '%'})`,
  );
  return ex
    .select()
    .from(auditEvent)
    .where(and(...where))
    .orderBy(desc(auditEvent.id))
    .limit(f.limit);
}
