// Group work that arrives together into one call: while a batch is in flight, newcomers wait
// and go together in the next one. Under no load a request goes alone at once (no timer, no added
// latency); under load each round trip and commit is shared by everything that queued meanwhile.
// The database equivalent is group commit; filing service orders uses it (src/orders/service.ts).

/** What a batch gives back for each of its items, in order: a value or the item's own error. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface BatcherOptions {
  /** Batches running at once (a pool can overlap one batch's write with the next one's read). */
  inFlight: number;
  /** The most items one batch takes; the rest wait for the next. */
  maxBatch: number;
}

export type Batcher<I, O> = (item: I) => Promise<O>;

/**
 * A function that queues its item and settles with that item's outcome from `run`, which is
 * called with up to maxBatch items and must return one outcome per item, in order. If `run`
 * throws, every item of that batch fails with its error.
 */
export function batcher<I, O>(
  run: (items: I[]) => Promise<Outcome<O>[]>,
  opts: BatcherOptions,
): Batcher<I, O> {
  const queue: { item: I; resolve: (v: O) => void; reject: (e: unknown) => void }[] = [];
  let running = 0;

  const pump = () => {
    while (running < opts.inFlight && queue.length > 0) {
      const batch = queue.splice(0, opts.maxBatch);
      running++;
      void run(batch.map((b) => b.item))
        .then(
          (outcomes) => {
            batch.forEach((b, i) => {
              const o = outcomes[i];
              if (!o) b.reject(new Error(`batch gave ${outcomes.length} outcomes for ${batch.length} items`));
              else if (o.ok) b.resolve(o.value);
              else b.reject(o.error);
            });
          },
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          running--;
          pump();
        });
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // Requests parsed in the same turn of the event loop join one batch.
      if (queue.length === 1) setImmediate(pump);
    });
}

/** Runs `f` and keeps its value or its error as an outcome. */
export async function settle<O>(f: () => Promise<O>): Promise<Outcome<O>> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}
