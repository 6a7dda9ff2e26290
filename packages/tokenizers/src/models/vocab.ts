import { asObject, configError } from "../components.js";

/** A token → id vocabulary with its reverse table. */
export class Vocab {
  readonly byToken = new Map<string, number>();
  readonly byId: (string | undefined)[] = [];

  static fromObject(value: unknown, path: string): Vocab {
    const v = new Vocab();
    const obj = asObject(value, path);
    for (const token in obj) {
      const id = obj[token];
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0)
        configError(`${path}[${JSON.stringify(token)}]`, "expected a non-negative integer id");
      v.byToken.set(token, id);
      v.byId[id] = token;
    }
    return v;
  }

  get size(): number {
    return this.byToken.size;
  }
}
