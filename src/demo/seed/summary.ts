// What the seeded demo holds and what each demo sign-in will find, read back through the same
// queries the console uses (coverage, my orders) so the printed lines match the screens.
import { sql } from 'drizzle-orm';
import { myOrders } from '../../orders/queries.ts';
import { OPEN_STATES } from '../../orders/rules.ts';
import { coverage } from '../../pairing/service.ts';
import { can, type Actor } from '../../platform/access.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DemoRegion, DemoSummary, DemoWorld } from '../world.ts';
import type { Refs } from './content.ts';

/** Digits of a code that its subtree shares. */
const PREFIX: Record<DemoRegion['level'], number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
  grid: 15,
};
/** `state = any(open)`: the states in which someone still owes the resident something. */
const open = () => sql`any(${sql.param([...OPEN_STATES])}::text[])`;

export async function summarize(
  ctx: Ctx,
  world: DemoWorld,
  refs: Refs,
  extra: { held: DemoRegion[]; cardPath: string | null; swept: { reminded: number; escalated: number } },
): Promise<DemoSummary> {
  const [row] = (
    await ctx.db.execute<Record<string, number>>(sql`
    select (select count(*) from household)::int as households,
      (select count(*) from resident)::int as residents,
      (select count(*) from resident where colour = 'red')::int as red,
      (select count(*) from resident where colour = 'yellow')::int as yellow,
      (select count(*) from resident where id_number is null)::int as "withoutId",
      (select count(*) from household where last_surveyed_at >= ${new Date(ctx.clock.now().getTime() - 30 * 86_400_000)})::int as "surveyedLastMonth",
      (select count(*) from unit)::int as units,
      (select count(*) from member)::int as members,
      (select count(*) from team)::int as teams,
      (select count(*) from responsibility where target_type = 'resident' and to_date is null)::int as contacts,
      (select count(*) from service_order)::int as orders,
      (select count(*) from service_order where state = ${open()})::int as "openOrders",
      (select count(*) from service_order where overdue_accept or overdue_resolve)::int as "overdueOrders",
      (select count(*) from service_order where escalation_level > 0)::int as "escalatedOrders",
      (select count(*) from service_order where rating is not null)::int as "ratedOrders"`)
  ).rows;
  const counts: Record<string, number> = { regions: world.regions.length };
  for (const [k, v] of Object.entries(row ?? {})) counts[k] = Number(v);
  counts.reminded = extra.swept.reminded;
  counts.escalations = extra.swept.escalated;
  const sees: Record<string, string> = {};
  const memo = new Map<string, Promise<unknown>>();
  for (const a of world.accounts) {
    const actor = refs.actors.get(a.username);
    if (actor) sees[a.username] = await seenBy(ctx, world, actor, extra.held, memo);
  }
  return { counts, sees, cardPath: extra.cardPath };
}

/** One line, zh-CN: the ledger, coverage, the board and one's own orders, as far as the role sees. */
async function seenBy(
  ctx: Ctx,
  world: DemoWorld,
  actor: Actor,
  held: DemoRegion[],
  memo: Map<string, Promise<unknown>>,
): Promise<string> {
  // Several sign-ins share a region (the county's four): each figure is read once per region.
  const once = <T>(key: string, f: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, f());
    return memo.get(key) as Promise<T>;
  };
  const parts: string[] = [];
  const scope = await once(`scope:${actor.regionPath}`, () => scopeFigures(ctx, actor.regionPath));
  if (!scope) return '';
  if (actor.role === 'admin') parts.push('全部区划、账号与审计日志');
  const n = (x: number) => Number(x).toLocaleString('en-US');
  if (can(actor, 'ledger.read'))
    parts.push(`台账 ${n(scope.n)} 人（红 ${n(scope.red)} · 黄 ${n(scope.yellow)}）`);
  const region = world.regions.find((r) => r.code === codeAt(world, actor));
  if (can(actor, 'pairing.read') && region && region.level !== 'city' && region.level !== 'province') {
    const c = await once(`coverage:${actor.regionId}`, () => coverage(ctx, actor, actor.regionId));
    const gaps = held.filter((v) => v.code.startsWith(region.code.slice(0, PREFIX[region.level])));
    const pct = c.total.coverage === null ? '—' : `${(c.total.coverage * 100).toFixed(1)}%`;
    parts.push(
      `三联系人覆盖 ${pct}${gaps.length ? `（${gaps.map((v) => v.name).join('、')}配对待确认）` : ''}`,
    );
  }
  if (can(actor, 'order.dispatch')) parts.push(`在办工单 ${scope.open} 件，超时 ${scope.overdue} 件`);
  const mine = can(actor, 'order.read') ? await myOrders(ctx, actor, {}) : [];
  const [contacts] = (
    await ctx.db.execute<{ n: number }>(sql`
    select count(*)::int as n from responsibility x join member m on m.id = x.member_id
    where m.account_id = ${actor.accountId} and x.target_type = 'resident' and x.to_date is null`)
  ).rows;
  const late = mine.filter((o) => o.overdue).length;
  if (mine.length) parts.push(`我的工单 ${mine.length} 件${late ? `（超时 ${late} 件）` : ''}`);
  if (contacts && Number(contacts.n) > 0) parts.push(`联系居民 ${contacts.n} 人`);
  return parts.join('；');
}

/** Residents by colour and open orders under a region path. */
async function scopeFigures(ctx: Ctx, path: string) {
  const under = path + '%';
  const [scope] = (
    await ctx.db.execute<{ n: number; red: number; yellow: number; open: number; overdue: number }>(sql`
    select (select count(*) from resident r join region g on g.id = r.grid_id where g.path like ${under})::int as n,
      (select count(*) from resident r join region g on g.id = r.grid_id where g.path like ${under} and r.colour = 'red')::int as red,
      (select count(*) from resident r join region g on g.id = r.grid_id where g.path like ${under} and r.colour = 'yellow')::int as yellow,
      (select count(*) from service_order o join region g on g.id = o.grid_id where g.path like ${under} and o.state = ${open()})::int as open,
      (select count(*) from service_order o join region g on g.id = o.grid_id where g.path like ${under} and o.state = ${open()} and (o.overdue_accept or o.overdue_resolve))::int as overdue`)
  ).rows;
  return scope;
}

function codeAt(world: DemoWorld, actor: Actor): string | undefined {
  return world.accounts.find((a) => a.username === actor.username)?.regionCode;
}
