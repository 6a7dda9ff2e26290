import { asObject, configError } from "../components.js";

/**
 * A token → id vocabulary and its reverse table. The parsed JSON object itself serves as
 * the lookup table: building a Map of 50k entries would dominate cold load. Inherited
 * properties ("constructor", ...) are never numbers, so they read as misses.
 */
export class Vocab {
  readonly byId: (string | undefined)[] = [];
  readonly size: number;
  private readonly table: Record<string, number>;

  private constructor(table: Record<string, number>, path: string) {
    this.table = table;
    const keys = Object.keys(table);
    this.size = keys.length;
    const byId = this.byId;
    for (let i = 0; i < keys.length; i++) {
      const token = keys[i];
      const id = table[token];
      if (typeof id !== "number" || id < 0 || id !== (id | 0)) {
        configError(`${path}[${JSON.stringify(token)}]`, "expected a non-negative integer id");
      }
      byId[id] = token;
    }
  }

  static fromObject(value: unknown, path: string): Vocab {
    return new Vocab(asObject(value, path) as Record<string, number>, path);
  }

  get(token: string): number | undefined {
    const id = this.table[token];
    return typeof id === "number" ? id : undefined;
  }
}
