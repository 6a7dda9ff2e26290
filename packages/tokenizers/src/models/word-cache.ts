/**
 * A bounded cache keyed by words given as a range of a text: a hot-path lookup needs no
 * sliced string (an allocation) nor a Map hash of it. Cleared when full, like the
 * unbounded-then-reset caches of the Rust models.
 */
export class WordCache<T> {
  private slots: Int32Array;
  private hashes: Int32Array;
  private keys: string[] = [];
  private values: T[] = [];
  private readonly mask: number;

  constructor(private readonly limit: number) {
    let cap = 16;
    while (cap < limit * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.hashes = new Int32Array(limit);
    this.mask = cap - 1;
  }

  static hash(text: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h;
  }

  /** The value cached for text[start, end) (whose hash is h), or undefined. */
  get(text: string, start: number, end: number, h: number): T | undefined {
    const len = end - start;
    let i = (h ^ (h >>> 15)) & this.mask;
    for (;;) {
      const slot = this.slots[i];
      if (slot === 0) return undefined;
      const k = slot - 1;
      if (this.hashes[k] === h) {
        const key = this.keys[k];
        if (key.length === len) {
          let same = true;
          for (let j = 0; j < len; j++) {
            if (key.charCodeAt(j) !== text.charCodeAt(start + j)) {
              same = false;
              break;
            }
          }
          if (same) return this.values[k];
        }
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Caches a value for a key not present (h is its hash). */
  set(key: string, h: number, value: T): void {
    if (this.keys.length >= this.limit) {
      this.slots.fill(0);
      this.keys = [];
      this.values = [];
    }
    const k = this.keys.length;
    this.keys.push(key);
    this.values.push(value);
    this.hashes[k] = h;
    let i = (h ^ (h >>> 15)) & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = k + 1;
  }
}
