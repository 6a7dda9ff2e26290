/**
 * Model files in an R2 bucket binding. The binding is typed structurally (the few members we
 * call), so this module needs no @cloudflare/workers-types at run time and tests can pass a fake.
 */
import { ModelSourceError } from "../errors.js";
import { BaseModelSource, joinPrefix, listKeysBelow, normalizeModelPath } from "./source.js";

export interface R2ObjectBodyLike {
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

export interface R2BucketLike {
  get(key: string): Promise<R2ObjectBodyLike | null>;
  head?(key: string): Promise<object | null>;
  list?(options?: { prefix?: string; cursor?: string }): Promise<{
    objects: { key: string }[];
    truncated: boolean;
    cursor?: string;
  }>;
}

export interface R2SourceOptions {
  /** Key prefix of the model inside the bucket, e.g. "models/bge-small/". */
  prefix?: string;
  /** Name for error messages (the binding name). */
  name?: string;
}

export class R2Source extends BaseModelSource {
  readonly description: string;
  private readonly prefix: string;

  constructor(
    private readonly bucket: R2BucketLike,
    options: R2SourceOptions = {},
  ) {
    super();
    if (bucket === null || typeof bucket !== "object" || typeof bucket.get !== "function") {
      throw new TypeError("R2Source: bucket must be an R2 bucket binding (an object with get(key))");
    }
    this.prefix = options.prefix ?? "";
    this.description = `r2:${options.name ?? "bucket"}/${this.prefix}`;
  }

  async get(path: string): Promise<ArrayBuffer | null> {
    const key = joinPrefix(this.prefix, normalizeModelPath(path));
    try {
      const object = await this.bucket.get(key);
      return object === null ? null : await object.arrayBuffer();
    } catch (cause) {
      throw new ModelSourceError(`${this.description}: reading "${key}" failed: ${String(cause)}`, path, { cause });
    }
  }

  override async exists(path: string): Promise<boolean> {
    if (!this.bucket.head) return super.exists(path);
    const key = joinPrefix(this.prefix, normalizeModelPath(path));
    try {
      return (await this.bucket.head(key)) !== null;
    } catch (cause) {
      throw new ModelSourceError(`${this.description}: head "${key}" failed: ${String(cause)}`, path, { cause });
    }
  }

  async list(): Promise<string[]> {
    const list = this.bucket.list;
    if (!list) throw new ModelSourceError(`${this.description}: this bucket binding cannot list`, "");
    return listKeysBelow(this.prefix, this.description, async (prefix, cursor) => {
      const page = await list.call(this.bucket, cursor === undefined ? { prefix } : { prefix, cursor });
      return { keys: page.objects.map((o) => o.key), cursor: page.truncated ? page.cursor : undefined };
    });
  }
}
