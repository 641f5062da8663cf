// Signing in and out, sessions stored in the database (valid on every app instance), lockout after
// repeated failures, and changing one's own password. Every outcome is audited.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../access.ts';
import { CAPABILITIES } from '../access.ts';
import { audit } from '../audit/service.ts';
import type { Ctx } from '../context.ts';
import { DomainError } from '../errors.ts';
import { normalizeMobile } from '../identity.ts';
import { scopeRoot, type RegionNode } from '../../regions/service.ts';
import { DUMMY_HASH, hashPassword, isStrongEnough, verifyPassword } from './password.ts';
import * as repo from './repo.ts';
import type { Role } from './schema.ts';

export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  region: RegionNode;
  capabilities: string[];
}

const MINUTE = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function formatShanghai(d: Date): string {
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/**
 * Checks the password and opens a session. Failures count towards a lockout; the count and the
 * lock are committed even though the caller gets an error.
 * @throws auth.invalid_credentials | auth.locked | auth.inactive
 */
export async function login(
  ctx: Ctx,
  input: { login: string; password: string; ip?: string; userAgent?: string },
): Promise<{ token: string; me: Me }> {
  const now = ctx.clock.now();
  const acc = await repo.findAccountByLogin(ctx.db, normalizeMobile(input.login) ?? input.login.trim());
  const passwordOk = await verifyPassword(input.password, acc?.passwordHash ?? DUMMY_HASH);
  if (!acc) throw new DomainError('auth.invalid_credentials');
  const who = { accountId: acc.id, displayName: acc.displayName, ip: input.ip };
  if (acc.lockedUntil && acc.lockedUntil > now) {
    throw new DomainError('auth.locked', { until: formatShanghai(acc.lockedUntil) });
  }
  if (!passwordOk) {
    const lockUntil = new Date(now.getTime() + ctx.config.lockoutMinutes * MINUTE);
    const result = await ctx.db.transaction(async (tx) => {
      const r = await repo.recordFailedLogin(tx, acc.id, ctx.config.lockoutAttempts, lockUntil);
      const locked = r.lockedUntil !== null && r.lockedUntil > now;
      await audit(tx, ctx.clock, who, {
        action: locked ? 'auth.locked' : 'auth.login_failed',
        targetType: 'account',
        targetId: acc.id,
        regionId: acc.regionId,
        after: { failedAttempts: r.attempts === 0 ? ctx.config.lockoutAttempts : r.attempts },
      });
      return { ...r, locked };
    });
    if (result.locked) throw new DomainError('auth.locked', { until: formatShanghai(result.lockedUntil!) });
    throw new DomainError('auth.invalid_credentials');
  }
  if (!acc.active) throw new DomainError('auth.inactive');
  const token = randomBytes(32).toString('base64url');
  await ctx.db.transaction(async (tx) => {
    // Checked again atomically: a parallel guess may have locked the account meanwhile.
    if (!(await repo.clearFailedLogins(tx, acc.id, now)))
      throw new DomainError('auth.locked', { until: '—' });
    await repo.deleteExpiredSessions(tx, now); // housekeeping rides on sign-ins: no timer to run
    await repo.insertSession(tx, {
      id: hashToken(token),
      accountId: acc.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ctx.config.sessionIdleHours * 60 * MINUTE),
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await audit(tx, ctx.clock, who, {
      action: 'auth.login',
      targetType: 'account',
      targetId: acc.id,
      regionId: acc.regionId,
    });
  });
  return { token, me: await meOf(ctx, acc) };
}

/** The actor behind a session cookie, or null. Slides the expiry at most once a minute. */
export async function resolveSession(ctx: Ctx, token: string, ip?: string): Promise<Actor | null> {
  const now = ctx.clock.now();
  const id = hashToken(token);
  const row = await repo.findLiveSession(ctx.db, id, now);
  if (!row) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > MINUTE) {
    await repo.touchSession(
      ctx.db,
      id,
      now,
      new Date(now.getTime() + ctx.config.sessionIdleHours * 60 * MINUTE),
    );
  }
  return {
    accountId: row.account.id,
    username: row.account.username,
    displayName: row.account.displayName,
    role: row.account.role,
    regionId: row.account.regionId,
    regionPath: row.regionPath,
    ip,
  };
}

export async function logout(ctx: Ctx, actor: Actor, token: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await repo.deleteSession(tx, hashToken(token));
    await audit(tx, ctx.clock, actor, {
      action: 'auth.logout',
      targetType: 'account',
      targetId: actor.accountId,
      regionId: actor.regionId,
    });
  });
}

export async function me(ctx: Ctx, actor: Actor): Promise<Me> {
  const acc = await repo.findAccount(ctx.db, actor.accountId ?? 0, '/');
  if (!acc) throw new DomainError('auth.required');
  return meOf(ctx, acc);
}

async function meOf(ctx: Ctx, acc: repo.AccountRow): Promise<Me> {
  const region = await scopeRoot(ctx.db, acc.regionId);
  if (!region) throw new Error(`Account ${acc.id} points at a missing region`);
  return {
    id: acc.id,
    username: acc.username,
    displayName: acc.displayName,
    role: acc.role,
    region,
    capabilities: [...CAPABILITIES[acc.role]],
  };
}

/**
 * Changes one's own password; other sessions of the account are signed out.
 * @throws auth.wrong_password | auth.weak_password
 */
export async function changePassword(
  ctx: Ctx,
  actor: Actor,
  token: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const acc = await repo.findAccount(ctx.db, actor.accountId ?? 0, '/');
  if (!acc || !(await verifyPassword(input.currentPassword, acc.passwordHash))) {
    throw new DomainError('auth.wrong_password');
  }
  if (!isStrongEnough(input.newPassword)) throw new DomainError('auth.weak_password');
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await repo.updateAccount(tx, acc.id, { passwordHash, passwordChangedAt: ctx.clock.now() });
    await repo.deleteSessionsOf(tx, acc.id, hashToken(token));
    await audit(tx, ctx.clock, actor, {
      action: 'account.password_change',
      targetType: 'account',
      targetId: acc.id,
      regionId: acc.regionId,
    });
  });
}
