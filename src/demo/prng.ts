// Seeded pseudo-random numbers for the demo world: same seed, same world, on every machine.

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. @throws RangeError when the bounds are not integers or min > max. */
  int(min: number, max: number): number;
  /** @throws RangeError on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight. @throws RangeError when lengths differ or no weight is positive. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy; the input is left alone. */
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32: tiny, fast and good enough for picking names; not for anything secret. */
export function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
      throw new RangeError(`int(${min}, ${max}): bounds must be integers with min <= max`);
    }
    return min + Math.floor(next() * (max - min + 1));
  };
  const at = <T>(items: readonly T[], i: number): T => {
    const item = items[i];
    if (item === undefined) throw new RangeError(`index ${i} outside ${items.length} items`);
    return item;
  };
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return at(items, int(0, items.length - 1));
    },
    weighted: (items, weights) => {
      if (items.length !== weights.length)
        throw new RangeError('weighted: items and weights differ in length');
      const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
      if (!(total > 0)) throw new RangeError('weighted: no positive weight');
      let x = next() * total;
      for (let i = 0; i < items.length; i++) {
        x -= Math.max(0, at(weights, i));
        if (x < 0) return at(items, i);
      }
      // Floating-point rounding can leave x at a hair above zero; the last positive weight wins then.
      const last = weights.findLastIndex((w) => w > 0);
      return at(items, last);
    },
    chance: (p) => next() < p,
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        const a = at(out, i);
        out[i] = at(out, j);
        out[j] = a;
      }
      return out;
    },
  };
}

/**
 * A 32-bit seed for an independent stream, so that e.g. accounts can change without reshuffling the
 * region names. FNV-1a over the text, which also folds seeds beyond 32 bits instead of truncating them.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${label}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
