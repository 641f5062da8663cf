// The live notification hub: one per process, feeding every open /api/notifications/stream. One
// query a tick reads the outbox for all connected members at once (not one poll per console), and
// every so often one query tells which streams' sessions have ended (sign-out, password change,
// deactivation), whose streams then close with `event: signed-out`. The outbox table stays the
// source of truth, so any instance can still serve any user.
import type { ServerResponse } from 'node:http';
import { and, asc, eq, gt, lte, max, sql } from 'drizzle-orm';
import type { Executor } from '../db/engine.ts';
import { account, session } from '../platform/auth/schema.ts';
import type { Ctx } from '../platform/context.ts';
import { member } from '../staff/schema.ts';
import { notification } from './schema.ts';

export type Notice = typeof notification.$inferSelect;

export interface LiveHubOptions {
  /** Run the hub's own timer (default); tests say false and call tick() themselves. */
  timer?: boolean;
  tickMs?: number;
  /** How often sessions are checked; default the config's liveCheckSeconds. */
  checkSeconds?: number;
  /** Rows one tick reads at most; a larger burst is finished by the next ticks. */
  batch?: number;
  /**
   * Ticks a row may commit late and still be delivered: ids are taken when a row is written, not
   * when its transaction commits, so on PostgreSQL a smaller id can appear after a larger one.
   */
  settleTicks?: number;
}

/** Who a stream belongs to: its session (the SHA-256 kept in `session.id`) and its member, if any. */
export interface Listener {
  sessionId: string;
  memberId: number | null;
}

interface Sub extends Listener {
  out: ServerResponse;
  /** Deliver only ids above this (where the stream started) and not already caught up. */
  from: number;
  caughtUp: Set<number>;
  /** Notices the hub found while the stream was still catching up. */
  pending: Notice[] | null;
}

const KEEP_ALIVE_TICKS = 20; // a comment every ~20 s keeps proxies from closing an idle line
const MAX_BUFFERED = 1 << 20; // a console not reading a megabyte of notices is gone

const frame = (n: Notice) => `id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`;

export class LiveHub {
  private readonly subs = new Set<Sub>();
  private readonly byMember = new Map<number, Set<Sub>>();
  private readonly delivered = new Set<number>(); // ids above the floor already handed out
  private marks: number[] = []; // the high-water mark after each of the last settleTicks ticks
  private hw = 0;
  private starting: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticks = 0;
  private lastCheck = 0;
  private busy: Promise<void> | null = null;
  private readonly opts: Required<LiveHubOptions>;

  constructor(
    private readonly ctx: Ctx,
    opts: LiveHubOptions = {},
  ) {
    this.opts = {
      timer: true,
      tickMs: 1000,
      checkSeconds: ctx.config.liveCheckSeconds,
      batch: 500,
      settleTicks: 5,
      ...opts,
    };
  }

  /** Streams open on this hub. */
  get size(): number {
    return this.subs.size;
  }

  /**
   * Serves one stream on `out` (headers not yet sent): starts after `after` when the console says
   * what it last saw (catching up on what it missed), else from the member's newest notice.
   * Returns once the stream is live; it then ends when the client leaves or its session does.
   */
  async serve(out: ServerResponse, who: Listener, after: number | null): Promise<void> {
    await this.start();
    const sub: Sub = { ...who, out, from: after ?? 0, caughtUp: new Set(), pending: [] };
    // Registered before the first query, so nothing committed from here on can fall between the
    // catch-up and the hub.
    this.add(sub);
    out.on('close', () => this.remove(sub));
    const gone = () => out.destroyed || !out.socket || out.socket.destroyed;
    try {
      const missed: Notice[] = [];
      if (who.memberId !== null && after === null) sub.from = await latestFor(this.ctx.db, who.memberId);
      else if (who.memberId !== null) missed.push(...(await noticesFor(this.ctx.db, who.memberId, after!)));
      if (gone()) return this.remove(sub); // left while we looked (its close came before our listener)
      out.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      // The browser reconnects 2 s after a drop; `ready` tells the client where it starts, so a
      // reconnection asks for exactly what it missed.
      out.write(`retry: 2000\nid: ${sub.from}\nevent: ready\ndata: ${sub.from}\n\n`);
      for (const n of missed) {
        sub.caughtUp.add(n.id);
        this.send(sub, n);
      }
      const found = sub.pending!;
      sub.pending = null;
      for (const n of found) this.deliver(sub, n);
    } catch (err) {
      this.remove(sub);
      throw err;
    }
  }

  /** One round: the outbox rows of every connected member since the last rounds, in one query. */
  async tick(): Promise<void> {
    while (this.busy) await this.busy; // a slow round must not overlap the next (it would send twice)
    this.busy = this.round().finally(() => (this.busy = null));
    return this.busy;
  }

  /** Ends the streams whose session is over, in one query; re-reads which member each one is. */
  async checkSessions(): Promise<void> {
    this.lastCheck = this.ctx.clock.now().getTime();
    const ids = [...new Set([...this.subs].map((s) => s.sessionId))];
    if (ids.length === 0) return;
    const live = new Map((await liveSessions(this.ctx.db, ids, this.ctx.clock.now())).map((r) => [r.id, r]));
    for (const sub of [...this.subs]) {
      const row = live.get(sub.sessionId);
      if (!row) {
        sub.out.end('event: signed-out\ndata: {}\n\n');
        this.remove(sub);
      } else if (row.memberId !== sub.memberId) {
        this.unindex(sub);
        sub.memberId = row.memberId;
        this.add(sub);
      }
    }
  }

  /** Closes every stream and the timer (the app is closing). The hub starts again when asked. */
  stop(): void {
    for (const sub of [...this.subs]) {
      sub.out.end();
      this.remove(sub);
    }
    this.halt();
  }

  private async start(): Promise<void> {
    this.starting ??= (async () => {
      this.hw = await topId(this.ctx.db);
      this.marks = [];
      this.delivered.clear();
      this.lastCheck = this.ctx.clock.now().getTime();
      if (this.opts.timer) {
        this.timer = setInterval(() => void this.tick().catch(() => {}), this.opts.tickMs);
        this.timer.unref();
      }
    })().catch((err: unknown) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  private halt(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.starting = null;
  }

  private async round(): Promise<void> {
    if (++this.ticks % KEEP_ALIVE_TICKS === 0) for (const sub of this.subs) sub.out.write(': keep-alive\n\n');
    const members = [...this.byMember.keys()];
    if (members.length > 0 && this.starting) {
      const floor = this.marks[0] ?? this.hw;
      const { rows, top } = await noticesSince(this.ctx.db, members, floor, this.opts.batch);
      for (const n of rows) {
        if (this.delivered.has(n.id)) continue;
        this.delivered.add(n.id);
        for (const sub of this.byMember.get(n.memberId!) ?? []) this.deliver(sub, n);
      }
      this.hw = Math.max(this.hw, rows.length === this.opts.batch ? rows.at(-1)!.id : top);
      this.marks.push(this.hw);
      if (this.marks.length > this.opts.settleTicks) this.marks.shift();
      const settled = this.marks[0]!;
      for (const id of this.delivered) if (id <= settled) this.delivered.delete(id);
    }
    const due = this.lastCheck + this.opts.checkSeconds * 1000;
    if (this.subs.size > 0 && this.ctx.clock.now().getTime() >= due) await this.checkSessions();
  }

  private deliver(sub: Sub, n: Notice): void {
    if (sub.pending) sub.pending.push(n);
    else if (n.id > sub.from && !sub.caughtUp.has(n.id)) this.send(sub, n);
  }

  private send(sub: Sub, n: Notice): void {
    if (sub.out.writableLength > MAX_BUFFERED) {
      sub.out.destroy();
      this.remove(sub);
      return;
    }
    sub.out.write(frame(n));
  }

  private add(sub: Sub): void {
    this.subs.add(sub);
    if (sub.memberId === null) return;
    let set = this.byMember.get(sub.memberId);
    if (!set) this.byMember.set(sub.memberId, (set = new Set()));
    set.add(sub);
  }

  private remove(sub: Sub): void {
    if (!this.subs.delete(sub)) return;
    this.unindex(sub);
    if (this.subs.size === 0) this.halt(); // the last one left: no more ticks until the next arrives
  }

  private unindex(sub: Sub): void {
    const set = sub.memberId === null ? undefined : this.byMember.get(sub.memberId);
    set?.delete(sub);
    if (set?.size === 0) this.byMember.delete(sub.memberId!);
  }
}

// The hub's SQL. Console notices are addressed to a member (notification.member_id); the member
// is the signed-in account's active member record, resolved when the stream opens and re-read
// with every session check.

/** The newest outbox id: where a starting hub begins. */
async function topId(ex: Executor): Promise<number> {
  const [row] = await ex.select({ top: max(notification.id) }).from(notification);
  return Number(row?.top ?? 0);
}

/** The member's newest console notice: where a fresh stream starts. */
async function latestFor(ex: Executor, memberId: number): Promise<number> {
  const [row] = await ex
    .select({ top: max(notification.id) })
    .from(notification)
    .where(and(eq(notification.memberId, memberId), eq(notification.channel, 'console')));
  return Number(row?.top ?? 0);
}

/** A reconnecting console's missed notices, all of them, in pages. */
async function noticesFor(ex: Executor, memberId: number, after: number): Promise<Notice[]> {
  const all: Notice[] = [];
  for (;;) {
    const page = await ex
      .select()
      .from(notification)
      .where(
        and(
          eq(notification.memberId, memberId),
          eq(notification.channel, 'console'),
          gt(notification.id, all.at(-1)?.id ?? after),
        ),
      )
      .orderBy(asc(notification.id))
      .limit(500);
    all.push(...page);
    if (page.length < 500) return all;
  }
}

/**
 * Console notices above `floor` for any of `members`, and the newest outbox id seen by the same
 * statement (so the mark moves on even when nothing was for them): one query, however many listen.
 */
export async function noticesSince(
  ex: Executor,
  members: number[],
  floor: number,
  limit: number,
): Promise<{ rows: Notice[]; top: number }> {
  const t = ex
    .select({ top: sql<string | null>`max(${notification.id})`.as('top') })
    .from(notification)
    .as('t');
  const res = await ex
    .select({ top: t.top, n: notification })
    .from(t)
    .leftJoin(
      notification,
      and(
        gt(notification.id, floor),
        lte(notification.id, sql`${t.top}`),
        eq(notification.channel, 'console'),
        sql`${notification.memberId} = any(${sql.param(members)}::bigint[])`,
      ),
    )
    .orderBy(asc(notification.id))
    .limit(limit);
  return {
    rows: res.flatMap((r) => (r.n ? [r.n] : [])),
    top: Number(res[0]?.top ?? floor),
  };
}

/** Which of these sessions are live (unexpired, account active), each with its member now. */
export async function liveSessions(ex: Executor, ids: string[], now: Date) {
  return ex
    .select({
      id: session.id,
      memberId: sql<number | null>`(select ${member.id} from ${member}
        where ${member.accountId} = ${account.id} and ${member.active} order by ${member.id} limit 1)`.mapWith(
        (v: string | null) => (v === null ? null : Number(v)),
      ),
    })
    .from(session)
    .innerJoin(account, eq(account.id, session.accountId))
    .where(
      and(
        sql`${session.id} = any(${sql.param(ids)}::text[])`,
        gt(session.expiresAt, now),
        eq(account.active, true),
      ),
    );
}
