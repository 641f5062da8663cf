// Long stretches of main-thread work (checking a million ledger rows, placing their households) give
// the event loop a turn every few milliseconds, so that HTTP goes on answering meanwhile. One pacer
// is shared by everything that works for the same job: the stretch is the thread's, whoever ran it.

/** One turn of the event loop (timers, I/O, HTTP) before the caller goes on. */
export const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

export class Pacer {
  private last: number;

  constructor(
    /**
     * Work allowed between turns. A 1 M-row import on PGlite that gave its turns every 8 ms stalled
     * the event loop 28–56 ms (a garbage collector's step on top of the 8 ms); every 4 ms, 28–30 ms,
     * at about the same speed.
     */
    private readonly ms = 4,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = now();
  }

  /** Whether the stretch has run its time: cheap enough to ask once per row. */
  get due(): boolean {
    return this.now() - this.last > this.ms;
  }

  /** One turn of the event loop; the next stretch starts when it returns. */
  async turn(): Promise<void> {
    await nextTurn();
    this.last = this.now();
  }
}
