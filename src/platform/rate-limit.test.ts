// The in-memory limiter of the resident channel: a key's allowance per window, a fresh window after
// it, and a bounded memory that does not walk every key on every request.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('lets a key through `limit` times a window, then again once the window has passed', () => {
    const l = new RateLimiter(3, 60_000);
    const t = 1_000_000;
    expect([1, 2, 3, 4].map(() => l.allow('card', t))).toEqual([true, true, true, false]);
    expect(l.allow('other', t)).toBe(true);
    expect(l.allow('card', t + 59_999)).toBe(false);
    expect(l.allow('card', t + 60_000)).toBe(true);
  });

  it('forgets expired keys once past its bound, and not again within a tenth of a window', () => {
    const l = new RateLimiter(20, 60_000, 100);
    const t = 1_000_000;
    for (let i = 0; i < 150; i++) l.allow(`old${i}`, t);
    expect(l.size).toBe(150);
    // A minute later the old keys have expired: the next new key prunes them.
    l.allow('new0', t + 60_000);
    expect(l.size).toBe(1);
    for (let i = 1; i < 150; i++) l.allow(`new${i}`, t + 60_000 + i);
    // Over the bound again, but the last prune was just now: no walk until 6 s have passed.
    expect(l.size).toBe(150);
    l.allow('later', t + 126_001);
    expect(l.size).toBe(1);
  });
});
