// Factories that build the world tests talk about: a county with townships, villages and grids,
// accounts of any role placed anywhere, members of the staff register, and signed-in HTTP clients.
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Actor, Role } from '../../src/platform/access.ts';
import * as accountRepo from '../../src/platform/auth/repo.ts';
import { hashPassword } from '../../src/platform/auth/password.ts';
import type { Ctx } from '../../src/platform/context.ts';
import * as regionRepo from '../../src/regions/repo.ts';
import type { RegionRow } from '../../src/regions/repo.ts';
import { member, responsibility } from '../../src/staff/schema.ts';
import type { ResponsibilityRole } from '../../src/staff/vocabulary.ts';
import { freshDatabase, type TestDb } from './db.ts';

export const PASSWORD = 'Test1234';
let passwordHash: string | undefined;

/** A fresh database and an app on it, for one test file. */
export async function testWorld(): Promise<TestDb & { app: FastifyInstance }> {
  const t = await freshDatabase(inject('dbTemplate'));
  const app = await buildApp(t.ctx, { webDir: null });
  return {
    ...t,
    app,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}

export interface County {
  county: RegionRow;
  townships: { township: RegionRow; villages: { village: RegionRow; grids: RegionRow[] }[] }[];
}

let countySerial = 0;

/**
 * makeCounty({ townships: 2, villagesPer: 2, gridsPer: 2 }) → a county with that shape and
 * statistics-bureau codes; each call makes a new county (340801…, 340802…).
 */
export async function makeCounty(
  ctx: Ctx,
  shape: { townships?: number; villagesPer?: number; gridsPer?: number } = {},
): Promise<County> {
  const { townships = 2, villagesPer = 2, gridsPer = 2 } = shape;
  const c6 = `34${String(10 + (countySerial++ % 89)).padStart(2, '0')}21`;
  const rows: regionRepo.TreeRow[] = [];
  const countyCode = c6.padEnd(12, '0');
  rows.push({ code: countyCode, name: `测试县${c6}`, level: 'county', countyCode: c6, parentCode: null });
  for (let t = 1; t <= townships; t++) {
    const t9 = `${c6}${100 + t}`;
    rows.push({
      code: t9.padEnd(12, '0'),
      name: `第${t}镇`,
      level: 'township',
      countyCode: c6,
      parentCode: countyCode,
    });
    for (let v = 1; v <= villagesPer; v++) {
      const v12 = `${t9}${String(200 + v)}`;
      rows.push({
        code: v12,
        name: `${t}镇${v}村`,
        level: 'village',
        countyCode: c6,
        parentCode: t9.padEnd(12, '0'),
      });
      for (let g = 1; g <= gridsPer; g++) {
        rows.push({
          code: `${v12}${String(g).padStart(3, '0')}`,
          name: `第${g}网格`,
          level: 'grid',
          countyCode: c6,
          parentCode: v12,
        });
      }
    }
  }
  await regionRepo.insertTree(ctx.db, rows, ctx.clock.now());
  const byCode = new Map(
    (
      await regionRepo.findByCodes(
        ctx.db,
        rows.map((r) => r.code),
      )
    ).map((r) => [r.code, r]),
  );
  const get = (code: string) => byCode.get(code)!;
  return {
    county: get(countyCode),
    townships: Array.from({ length: townships }, (_, ti) => {
      const t9 = `${c6}${101 + ti}`;
      return {
        township: get(t9.padEnd(12, '0')),
        villages: Array.from({ length: villagesPer }, (_, vi) => {
          const v12 = `${t9}${201 + vi}`;
          return {
            village: get(v12),
            grids: Array.from({ length: gridsPer }, (_, gi) =>
              get(`${v12}${String(gi + 1).padStart(3, '0')}`),
            ),
          };
        }),
      };
    }),
  };
}

let accountSerial = 0;

/** An account of this role over this region, with password PASSWORD. */
export async function makeAccount(
  ctx: Ctx,
  role: Role,
  region: Pick<RegionRow, 'id'>,
  over: { username?: string; mobile?: string } = {},
) {
  passwordHash ??= await hashPassword(PASSWORD);
  const username = over.username ?? `${role}_${++accountSerial}`;
  return accountRepo.insertAccount(ctx.db, {
    username,
    displayName: `测试${role}${accountSerial}`,
    mobile: over.mobile ?? null,
    role,
    regionId: region.id,
    passwordHash,
    createdAt: ctx.clock.now(),
    updatedAt: ctx.clock.now(),
    passwordChangedAt: ctx.clock.now(),
  });
}

let mobileSerial = 13900000000;

/**
 * A member of the staff register in `region` of the county (other columns from `extra`), with an
 * account of `account` (signed in by the caller when needed) and one standing duty (a region's, or as
 * one of a resident's contacts).
 */
export async function makeMember(
  ctx: Ctx,
  o: {
    countyCode: string;
    name: string;
    roles: string[];
    region: Pick<RegionRow, 'id'>;
    account?: Role;
    extra?: Partial<typeof member.$inferInsert>;
    duty?: { role: ResponsibilityRole; on: 'region' | 'resident'; id: number };
  },
): Promise<{ id: number; username: string | null }> {
  const acc = o.account ? await makeAccount(ctx, o.account, o.region) : null;
  const now = ctx.clock.now();
  const [m] = await ctx.db
    .insert(member)
    .values({
      countyCode: o.countyCode,
      regionId: o.region.id,
      name: o.name,
      mobile: String(++mobileSerial),
      roles: o.roles,
      accountId: acc?.id,
      createdAt: now,
      updatedAt: now,
      ...o.extra,
    })
    .returning();
  if (o.duty)
    await ctx.db.insert(responsibility).values({
      countyCode: o.countyCode,
      memberId: m!.id,
      targetType: o.duty.on,
      targetId: o.duty.id,
      role: o.duty.role,
      fromDate: '2023-01-01',
      createdAt: now,
    });
  return { id: m!.id, username: acc?.username ?? null };
}

/** Signs in through the API and returns the cookie header to send with later requests. */
export async function signIn(app: FastifyInstance, login: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`Sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'lx_session');
  return `lx_session=${cookie!.value}`;
}

/** makeCounty + an account of this role at the given node, signed in. */
export async function signedIn(
  t: { app: FastifyInstance; ctx: Ctx },
  role: Role,
  region: Pick<RegionRow, 'id' | 'path'>,
) {
  const acc = await makeAccount(t.ctx, role, region);
  /** The same account as services see it, for calling them directly. */
  const actor: Actor = {
    accountId: acc.id,
    username: acc.username,
    displayName: acc.displayName,
    role,
    regionId: region.id,
    regionPath: region.path,
  };
  return { account: acc, actor, cookie: await signIn(t.app, acc.username) };
}
