import { asObject } from "../components.js";

/**
 * A token → id vocabulary and its reverse table. The parsed JSON object itself serves as
 * the lookup table: building a Map of 50k entries would dominate cold load. Inherited
 * properties ("constructor", ...) are never numbers, so they read as misses.
 */
export class Vocab {
  private readonly table: Record<string, number>;
  private reverse: (string | undefined)[] | null = null;
  private count = -1;

  private constructor(table: Record<string, number>) {
    this.table = table;
  }

  static fromObject(value: unknown, path: string): Vocab {
    return new Vocab(asObject(value, path) as Record<string, number>);
  }

  /** The parsed object itself, for loops that cannot afford a call per lookup (cold load). */
  get rawTable(): Readonly<Record<string, unknown>> {
    return this.table;
  }

  /** The id of a token; entries whose id is not a number read as absent. */
  get(token: string): number | undefined {
    const id = this.table[token];
    return typeof id === "number" ? id : undefined;
  }

  /** id → token, built on first use (encoding byte-level BPE never needs it). */
  get byId(): (string | undefined)[] {
    if (this.reverse === null) {
      const reverse: (string | undefined)[] = [];
      for (const token of Object.keys(this.table)) {
        const id = this.table[token];
        if (typeof id === "number" && id >= 0 && id === (id | 0)) reverse[id] = token;
      }
      this.reverse = reverse;
    }
    return this.reverse;
  }

  get size(): number {
    if (this.count < 0) this.count = Object.keys(this.table).length;
    return this.count;
  }
}
