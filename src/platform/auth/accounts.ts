// Managing staff accounts: who may sign in, with which role, over which part of the tree.
// An account can only be placed inside the manager's own subtree, and only admins make admins.
import { isUniqueViolation } from '../../db/pg-errors.ts';
import * as regions from '../../regions/repo.ts';
import { assertCan, assignableRoles, type Actor } from '../access.ts';
import { audit } from '../audit/service.ts';
import type { Ctx } from '../context.ts';
import { DomainError, invalid, notFound, type FieldError } from '../errors.ts';
import { normalizeMobile } from '../identity.ts';
import { hashPassword, isStrongEnough } from './password.ts';
import * as repo from './repo.ts';
import type { Role } from './schema.ts';

export interface AccountView {
  id: number;
  username: string;
  displayName: string;
  mobile: string | null;
  role: Role;
  regionId: number;
  active: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
}

const view = (a: repo.AccountRow): AccountView => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  mobile: a.mobile,
  role: a.role,
  regionId: a.regionId,
  active: a.active,
  lockedUntil: a.lockedUntil,
  createdAt: a.createdAt,
});

export async function listAccounts(
  ctx: Ctx,
  actor: Actor,
  f: { regionId?: number; role?: Role; q?: string },
): Promise<AccountView[]> {
  assertCan(actor, 'account.read');
  return (await repo.listAccounts(ctx.db, { ...f, scopePath: actor.regionPath, limit: 500 })).map(view);
}

export interface NewAccount {
  username: string;
  displayName: string;
  mobile?: string | null;
  role: Role;
  regionId: number;
  password: string;
}

/** @throws forbidden | not_found (region) | validation_failed | account.username_taken | account.mobile_taken */
export async function createAccount(ctx: Ctx, actor: Actor, input: NewAccount): Promise<AccountView> {
  assertCan(actor, 'account.write');
  if (!assignableRoles(actor).includes(input.role)) throw new DomainError('forbidden');
  const fields = checkFields(input);
  if (!isStrongEnough(input.password)) throw new DomainError('auth.weak_password');
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    if (!(await regions.findById(tx, input.regionId, actor.regionPath))) throw notFound();
    const row = await explainUnique(input, () =>
      tx.transaction(() =>
        repo.insertAccount(tx, {
          ...fields,
          role: input.role,
          regionId: input.regionId,
          passwordHash,
          createdAt: ctx.clock.now(),
          updatedAt: ctx.clock.now(),
          passwordChangedAt: ctx.clock.now(),
        }),
      ),
    );
    await audit(tx, ctx.clock, actor, {
      action: 'account.create',
      targetType: 'account',
      targetId: row.id,
      regionId: row.regionId,
      after: view(row),
    });
    return view(row);
  });
}

export interface AccountPatch {
  displayName?: string;
  mobile?: string | null;
  role?: Role;
  regionId?: number;
  active?: boolean;
}

/** @throws forbidden | not_found | validation_failed | account.mobile_taken */
export async function updateAccount(
  ctx: Ctx,
  actor: Actor,
  id: number,
  patch: AccountPatch,
): Promise<AccountView> {
  assertCan(actor, 'account.write');
  if (patch.role && !assignableRoles(actor).includes(patch.role)) throw new DomainError('forbidden');
  // Nobody demotes, moves or disables themselves out of a job they are doing.
  if (id === actor.accountId && (patch.role || patch.regionId || patch.active === false))
    throw new DomainError('forbidden');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findAccount(tx, id, actor.regionPath);
    if (!before) throw notFound();
    if (before.role === 'admin' && actor.role !== 'admin') throw new DomainError('forbidden');
    if (patch.regionId !== undefined && !(await regions.findById(tx, patch.regionId, actor.regionPath)))
      throw notFound();
    const fields = checkFields({
      username: before.username,
      displayName: patch.displayName ?? before.displayName,
      mobile: patch.mobile === undefined ? before.mobile : patch.mobile,
    });
    const values = {
      displayName: fields.displayName,
      mobile: fields.mobile,
      role: patch.role ?? before.role,
      regionId: patch.regionId ?? before.regionId,
      active: patch.active ?? before.active,
      updatedAt: ctx.clock.now(),
    };
    await explainUnique({ username: before.username }, () =>
      tx.transaction(() => repo.updateAccount(tx, id, values)),
    );
    if (!values.active || values.role !== before.role || values.regionId !== before.regionId) {
      await repo.deleteSessionsOf(tx, id); // their rights changed: sign them in again
    }
    const after = { ...before, ...values };
    await audit(tx, ctx.clock, actor, {
      action: 'account.update',
      targetType: 'account',
      targetId: id,
      regionId: values.regionId,
      before: view(before),
      after: view(after),
    });
    return view(after);
  });
}

/** An administrator sets a new password; the account's sessions end and any lock is lifted. */
export async function resetPassword(ctx: Ctx, actor: Actor, id: number, password: string): Promise<void> {
  assertCan(actor, 'account.write');
  if (!isStrongEnough(password)) throw new DomainError('auth.weak_password');
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    const acc = await repo.findAccount(tx, id, actor.regionPath);
    if (!acc) throw notFound();
    if (acc.role === 'admin' && actor.role !== 'admin') throw new DomainError('forbidden');
    await repo.updateAccount(tx, id, {
      passwordHash,
      passwordChangedAt: ctx.clock.now(),
      failedAttempts: 0,
      lockedUntil: null,
    });
    await repo.deleteSessionsOf(tx, id);
    await audit(tx, ctx.clock, actor, {
      action: 'account.password_reset',
      targetType: 'account',
      targetId: id,
      regionId: acc.regionId,
    });
  });
}

function checkFields(input: { username: string; displayName: string; mobile?: string | null }) {
  const errors: FieldError[] = [];
  const username = input.username.trim();
  if (!/^[A-Za-z0-9_.-]{2,32}$/.test(username)) errors.push({ path: '/username', code: 'format' });
  const displayName = input.displayName.trim();
  if (!displayName) errors.push({ path: '/displayName', code: 'required' });
  if (displayName.length > 50) errors.push({ path: '/displayName', code: 'too_long', params: { max: 50 } });
  let mobile: string | null = null;
  if (input.mobile) {
    mobile = normalizeMobile(input.mobile) ?? null;
    if (!mobile) errors.push({ path: '/mobile', code: 'format' });
  }
  if (errors.length) throw invalid(errors);
  return { username, displayName, mobile };
}

async function explainUnique<T>(input: { username: string }, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, 'account_username_unique'))
      throw new DomainError('account.username_taken', { username: input.username });
    if (isUniqueViolation(err, 'account_mobile_unique')) throw new DomainError('account.mobile_taken');
    throw err;
  }
}
