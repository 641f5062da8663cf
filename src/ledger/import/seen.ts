// The people a file has named so far, with the row that named them first, for catching duplicates.
// A 200,000-row ledger names 200,000 ID numbers: as JS strings in a Map they cost ~27 MB of heap,
// which the garbage collector then lets the heap grow to several times over. An ID number (17
// digits and a check character) fits in two 32-bit numbers, so they live in typed arrays instead
// (~6 MB, off the JS heap); anything else (a person without one: household and name) in a Map.
//
// Both are spread over 256 small tables rather than one big one. A table that fills up is copied
// into one twice its size, all at once: one table of a 1 M-row file's people copied 524,288 of them
// in one go, an 83 ms stall of the event loop halfway through the import (132 ms for a Map of a
// million people without ID numbers). A small table's copy is a few thousand, well under a
// millisecond.

const ID = /^(\d{9})(\d{8})([\dX])$/;
const SHARD_BITS = 8;

export class SeenPeople {
  private shards = Array.from({ length: 1 << SHARD_BITS }, () => new Slots());
  private others = Array.from({ length: 1 << SHARD_BITS }, () => new Map<string, number>());

  /** The row that first named this person, if any. */
  get(key: string): number | undefined {
    const id = ID.exec(key);
    if (!id) return this.other(key).get(key);
    const hi = Number(id[1]);
    const lo = code(id[2]!, id[3]!);
    const h = hash(hi, lo);
    return this.shard(h).get(h, hi, lo);
  }

  /** Remembers the first row (a positive row number) that named this person. */
  set(key: string, row: number): void {
    const id = ID.exec(key);
    if (!id) {
      this.other(key).set(key, row);
      return;
    }
    const hi = Number(id[1]);
    const lo = code(id[2]!, id[3]!);
    const h = hash(hi, lo);
    this.shard(h).set(h, hi, lo, row);
  }

  /** The table a hash belongs to: its top bits (the table's slot comes from its bottom bits). */
  private shard(h: number): Slots {
    return this.shards[h >>> (32 - SHARD_BITS)]!;
  }

  /** The map a key without an ID number belongs to (FNV-1a of its characters, top bits). */
  private other(key: string): Map<string, number> {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return this.others[h >>> (32 - SHARD_BITS)]!;
  }
}

/** One open-addressing table of ID numbers (as two 32-bit halves) and their first rows. */
class Slots {
  private hi = new Uint32Array(1 << 6);
  private lo = new Uint32Array(1 << 6);
  /** The first row of the person in each slot; 0 for an empty slot. */
  private rows = new Int32Array(1 << 6);
  private size = 0;

  get(h: number, hi: number, lo: number): number | undefined {
    return this.rows[this.find(h, hi, lo)] || undefined;
  }

  set(h: number, hi: number, lo: number, row: number): void {
    const slot = this.find(h, hi, lo);
    if (!this.rows[slot]) {
      this.hi[slot] = hi;
      this.lo[slot] = lo;
      if (++this.size * 2 > this.rows.length) {
        this.rows[slot] = row;
        this.grow();
        return;
      }
    }
    this.rows[slot] = row;
  }

  /** The slot holding (hi, lo), or the empty slot where it would go (linear probing). */
  private find(h: number, hi: number, lo: number): number {
    const mask = this.rows.length - 1;
    let slot = h & mask;
    while (this.rows[slot] && (this.hi[slot] !== hi || this.lo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, rows } = this;
    this.hi = new Uint32Array(rows.length * 2);
    this.lo = new Uint32Array(rows.length * 2);
    this.rows = new Int32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      if (!rows[i]) continue;
      const slot = this.find(hash(hi[i]!, lo[i]!), hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.rows[slot] = rows[i]!;
    }
  }
}

/** A 32-bit hash of an ID number: its top bits choose the table, its bottom bits the slot. */
const hash = (hi: number, lo: number): number => Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) >>> 0;

/** The last 8 digits and the check character as one number below 2^32. */
const code = (digits: string, check: string): number =>
  Number(digits) * 11 + (check === 'X' ? 10 : Number(check));
