// Delivering the outbox: SMS through an adapter (by default a log the console shows; an HTTP
// webhook for a real gateway), claimed in one short transaction, sent outside it, the result
// recorded in another — so a slow gateway never holds the database — with retries and backoff.
import type { Ctx } from '../platform/context.ts';
import * as repo from './repo.ts';

export interface SmsAdapter {
  name: string;
  send(mobile: string, text: string, ctx: Ctx, notificationId: number): Promise<void>;
}

/** The default: nothing leaves the building; the message lands in sms_log for the console. */
export const logAdapter: SmsAdapter = {
  name: 'log',
  async send(mobile, text, ctx, notificationId) {
    await repo.insertSmsLog(ctx.db, { notificationId, mobile, text, at: ctx.clock.now() });
  },
};

/** POSTs {mobile, text, id} as JSON to a gateway; any non-2xx answer is a failure to retry. */
export function webhookAdapter(url: string, timeoutMs = 10_000): SmsAdapter {
  return {
    name: 'webhook',
    async send(mobile, text, _ctx, id) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `lianxin-sms-${id}` },
        body: JSON.stringify({ mobile, text, id }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`gateway answered ${res.status}`);
    },
  };
}

export const MAX_ATTEMPTS = 6;
const LEASE_MS = 5 * 60_000;
const backoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);

/** Sends what is due; returns how many were sent and how many failed this round. */
export async function deliverSms(
  ctx: Ctx,
  adapter: SmsAdapter,
  batch = 100,
): Promise<{ sent: number; failed: number }> {
  const now = ctx.clock.now();
  const claimed = await ctx.db.transaction(async (tx) => {
    const rows = await repo.pickSms(tx, now, batch, ctx.engine === 'postgres');
    // The lease: another deliverer will not take these until it runs out (a crash mid-send retries).
    for (const r of rows) {
      await repo.markNotification(tx, r.id, {
        attempts: r.attempts + 1,
        nextAttemptAt: new Date(now.getTime() + LEASE_MS),
      });
    }
    return rows;
  });
  let sent = 0;
  let failed = 0;
  for (const n of claimed) {
    const attempt = n.attempts + 1;
    try {
      await adapter.send(n.mobile!, n.text, ctx, n.id);
      await repo.markNotification(ctx.db, n.id, { sentAt: ctx.clock.now(), lastError: null });
      sent++;
    } catch (err) {
      const giveUp = attempt >= MAX_ATTEMPTS;
      await repo.markNotification(ctx.db, n.id, {
        lastError: String((err as Error).message ?? err).slice(0, 500),
        nextAttemptAt: giveUp ? null : new Date(ctx.clock.now().getTime() + backoffMs(attempt)),
        failedAt: giveUp ? ctx.clock.now() : null,
      });
      failed++;
    }
  }
  return { sent, failed };
}

export function startDeliverer(
  ctx: Ctx,
  adapter: SmsAdapter,
  intervalMs: number,
  log: (err: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverSms(ctx, adapter)
      .catch(log)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
