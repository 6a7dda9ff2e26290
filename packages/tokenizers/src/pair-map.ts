/**
 * An open-addressing hash map from a pair of non-negative int32 keys to an int32 value,
 * stored in typed arrays. Used for BPE merges and the Unigram trie, where a JS Map with
 * composite number keys (beyond the small-integer range) is slow to build and to query.
 */
export class PairMap {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keysA = new Int32Array(capacity).fill(-1);
    this.keysB = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
  }

  /** The value for (a, b), or -1. */
  get(a: number, b: number): number {
    const { keysA, keysB, mask } = this;
    let i = this.slot(a, b);
    for (;;) {
      const k = keysA[i];
      if (k === -1) return -1;
      if (k === a && keysB[i] === b) return this.values[i];
      i = (i + 1) & mask;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.keysA.length) this.grow();
    const { keysA, keysB, mask } = this;
    let i = this.slot(a, b);
    for (;;) {
      const k = keysA[i];
      if (k === -1) {
        keysA[i] = a;
        keysB[i] = b;
        this.values[i] = value;
        this.count++;
        return;
      }
      if (k === a && keysB[i] === b) {
        this.values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const capacity = keysA.length * 2;
    this.keysA = new Int32Array(capacity).fill(-1);
    this.keysB = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i], keysB[i], values[i]);
  }
}
