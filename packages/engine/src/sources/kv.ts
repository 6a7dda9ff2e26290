/**
 * Model files in a Workers KV namespace (values up to 25 MiB, so small models or configs).
 * Typed structurally, like the R2 source, so no workers-types import is needed at run time.
 */
import { ModelSourceError } from "../errors.js";
import { BaseModelSource, joinPrefix, listKeysBelow, normalizeModelPath } from "./source.js";

export interface KVNamespaceLike {
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  list?(options?: { prefix?: string; cursor?: string }): Promise<{
    keys: { name: string }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

export interface KVSourceOptions {
  prefix?: string;
  name?: string;
}

export class KVSource extends BaseModelSource {
  readonly description: string;
  private readonly prefix: string;

  constructor(
    private readonly kv: KVNamespaceLike,
    options: KVSourceOptions = {},
  ) {
    super();
    if (kv === null || typeof kv !== "object" || typeof kv.get !== "function") {
      throw new TypeError("KVSource: kv must be a KV namespace binding (an object with get(key, type))");
    }
    this.prefix = options.prefix ?? "";
    this.description = `kv:${options.name ?? "namespace"}/${this.prefix}`;
  }

  async get(path: string): Promise<ArrayBuffer | null> {
    const key = joinPrefix(this.prefix, normalizeModelPath(path));
    try {
      return await this.kv.get(key, "arrayBuffer");
    } catch (cause) {
      throw new ModelSourceError(`${this.description}: reading "${key}" failed: ${String(cause)}`, path, { cause });
    }
  }

  async list(): Promise<string[]> {
    const list = this.kv.list;
    if (!list) throw new ModelSourceError(`${this.description}: this namespace binding cannot list`, "");
    return listKeysBelow(this.prefix, this.description, async (prefix, cursor) => {
      const page = await list.call(this.kv, cursor === undefined ? { prefix } : { prefix, cursor });
      return { keys: page.keys.map((k) => k.name), cursor: page.list_complete ? undefined : page.cursor };
    });
  }
}
