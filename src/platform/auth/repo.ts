// All SQL of accounts and sessions.
import { and, asc, eq, gt, ilike, isNull, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/engine.ts';
import { region } from '../../regions/schema.ts';
import { account, session, type Role } from './schema.ts';

export type AccountRow = typeof account.$inferSelect;

export async function findAccountByLogin(ex: Executor, login: string): Promise<AccountRow | undefined> {
  const [row] = await ex
    .select()
    .from(account)
    .where(or(eq(account.username, login), eq(account.mobile, login)))
    .limit(1);
  return row;
}

/** The account with its scope's path, if the account sits inside `scopePath`. */
export async function findAccount(
  ex: Executor,
  id: number,
  scopePath: string,
): Promise<(AccountRow & { regionPath: string }) | undefined> {
  const [row] = await ex
    .select({ account, regionPath: region.path })
    .from(account)
    .innerJoin(region, eq(region.id, account.regionId))
    .where(and(eq(account.id, id), like(region.path, `${scopePath}%`)));
  return row && { ...row.account, regionPath: row.regionPath };
}

export async function listAccounts(
  ex: Executor,
  f: { scopePath: string; regionId?: number; role?: Role; q?: string; limit: number },
): Promise<AccountRow[]> {
  const where: SQL[] = [like(region.path, `${f.scopePath}%`)];
  if (f.regionId !== undefined) where.push(eq(account.regionId, f.regionId));
  if (f.role) where.push(eq(account.role, f.role));
  if (f.q)
    where.push(
      or(
        ilike(account.username, `%${f.q}%`),
        ilike(account.displayName, `%${f.q}%`),
        eq(account.mobile, f.q),
      )!,
    );
  const rows = await ex
    .select({ account })
    .from(account)
    .innerJoin(region, eq(region.id, account.regionId))
    .where(and(...where))
    .orderBy(asc(account.username))
    .limit(f.limit);
  return rows.map((r) => r.account);
}

export async function insertAccount(ex: Executor, values: typeof account.$inferInsert): Promise<AccountRow> {
  const [row] = await ex.insert(account).values(values).returning();
  return row!;
}

export async function updateAccount(
  ex: Executor,
  id: number,
  values: Partial<typeof account.$inferInsert>,
): Promise<void> {
  await ex.update(account).set(values).where(eq(account.id, id));
}

export async function insertSession(ex: Executor, values: typeof session.$inferInsert): Promise<void> {
  await ex.insert(session).values(values);
}

/** The live session for a token hash, with its account and the account's scope path. */
export async function findLiveSession(ex: Executor, id: string, now: Date) {
  const [row] = await ex
    .select({ session, account, regionPath: region.path })
    .from(session)
    .innerJoin(account, eq(account.id, session.accountId))
    .innerJoin(region, eq(region.id, account.regionId))
    .where(and(eq(session.id, id), gt(session.expiresAt, now), eq(account.active, true)));
  return row;
}

export async function touchSession(
  ex: Executor,
  id: string,
  lastSeenAt: Date,
  expiresAt: Date,
): Promise<void> {
  await ex.update(session).set({ lastSeenAt, expiresAt }).where(eq(session.id, id));
}

export async function deleteSession(ex: Executor, id: string): Promise<void> {
  await ex.delete(session).where(eq(session.id, id));
}

/** Signs an account out everywhere except, optionally, the session it acts from. */
export async function deleteSessionsOf(ex: Executor, accountId: number, except?: string): Promise<void> {
  await ex
    .delete(session)
    .where(and(eq(session.accountId, accountId), except ? sql`${session.id} <> ${except}` : undefined));
}

export async function deleteExpiredSessions(ex: Executor, now: Date): Promise<void> {
  await ex.delete(session).where(lt(session.expiresAt, now));
}

/**
 * Counts a failed sign-in atomically (parallel guesses each count) and locks the account once the
 * count reaches `threshold`. Returns the lock's end when the account is (now) locked.
 */
export async function recordFailedLogin(
  ex: Executor,
  id: number,
  threshold: number,
  lockUntil: Date,
): Promise<{ attempts: number; lockedUntil: Date | null }> {
  const [row] = await ex
    .update(account)
    .set({
      // The count restarts when the lock is set, so after the lock one typo is a plain failure again.
      failedAttempts: sql`case when ${account.failedAttempts} + 1 >= ${threshold} then 0 else ${account.failedAttempts} + 1 end`,
      lockedUntil: sql`case when ${account.failedAttempts} + 1 >= ${threshold} then ${lockUntil}::timestamptz else ${account.lockedUntil} end`,
    })
    .where(eq(account.id, id))
    .returning({ attempts: account.failedAttempts, lockedUntil: account.lockedUntil });
  return row!;
}

/** Clears the failure count unless the account is locked at `now`; false when it is locked. */
export async function clearFailedLogins(ex: Executor, id: number, now: Date): Promise<boolean> {
  const rows = await ex
    .update(account)
    .set({ failedAttempts: 0, lockedUntil: null })
    .where(and(eq(account.id, id), or(isNull(account.lockedUntil), lte(account.lockedUntil, now))))
    .returning({ id: account.id });
  return rows.length === 1;
}
