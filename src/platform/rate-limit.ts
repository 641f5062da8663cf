// A fixed-window rate limiter kept in memory: enough to stop a stuck phone or a script hammering the
// public page of one instance. (Several instances each count on their own.)

export class RateLimiter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();
  private lastPrune = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** Past this many keys, expired ones are dropped — at most once a tenth of a window. */
    private readonly maxKeys = 100_000,
  ) {}

  /** True when the key may go ahead now; counts the attempt. */
  allow(key: string, now = Date.now()): boolean {
    const h = this.hits.get(key);
    if (!h || now - h.windowStart >= this.windowMs) {
      // Pruning walks every key: done on every new key while over the bound (many cards, each
      // seen once in the window), it would cost each request a walk of 100,000 entries.
      if (this.hits.size > this.maxKeys && now - this.lastPrune >= this.windowMs / 10) this.prune(now);
      this.hits.set(key, { windowStart: now, count: 1 });
      return true;
    }
    h.count++;
    return h.count <= this.limit;
  }

  /** Keys currently remembered (for tests and diagnostics). */
  get size(): number {
    return this.hits.size;
  }

  private prune(now: number): void {
    this.lastPrune = now;
    for (const [k, h] of this.hits) if (now - h.windowStart >= this.windowMs) this.hits.delete(k);
  }
}
