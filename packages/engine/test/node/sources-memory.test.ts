import { describe, expect, it } from "vitest";
import {
  BundleSource,
  type KVNamespaceLike,
  KVSource,
  ModelSourceError,
  type R2BucketLike,
  R2Source,
} from "../../src/index.js";

/** In-memory stand-ins implementing only the structural binding types. */
function fakeR2(objects: Record<string, string>, opts: { pageSize?: number; failOn?: string } = {}) {
  const calls: string[] = [];
  const bucket: R2BucketLike = {
    async get(key) {
      calls.push(`get ${key}`);
      if (key === opts.failOn) throw new Error("internal error");
      const value = objects[key];
      if (value === undefined) return null;
      const bytes = new TextEncoder().encode(value);
      return { arrayBuffer: async () => bytes.buffer as ArrayBuffer, text: async () => value };
    },
    async head(key) {
      calls.push(`head ${key}`);
      return key in objects ? {} : null;
    },
    async list(options) {
      const keys = Object.keys(objects)
        .filter((k) => k.startsWith(options?.prefix ?? ""))
        .sort();
      const start = Number(options?.cursor ?? 0);
      const size = opts.pageSize ?? 1000;
      const page = keys.slice(start, start + size);
      const truncated = start + size < keys.length;
      return { objects: page.map((key) => ({ key })), truncated, cursor: truncated ? String(start + size) : undefined };
    },
  };
  return { bucket, calls };
}

describe("R2Source", () => {
  const objects = { "models/a/config.json": "{}", "models/a/1_Pooling/config.json": "[]", "models/ab/x": "no" };

  it("reads under its prefix, with or without a trailing slash", async () => {
    for (const prefix of ["models/a", "models/a/"]) {
      const { bucket, calls } = fakeR2(objects);
      const src = new R2Source(bucket, { prefix, name: "MODELS" });
      expect(await src.getText("config.json")).toBe("{}");
      expect(await src.getText("1_Pooling/config.json")).toBe("[]");
      expect(await src.get("missing.json")).toBeNull();
      expect(calls).toEqual([
        "get models/a/config.json",
        "get models/a/1_Pooling/config.json",
        "get models/a/missing.json",
      ]);
    }
  });

  it("uses head() for exists, and lists only its own prefix across pages", async () => {
    const { bucket, calls } = fakeR2(objects, { pageSize: 1 });
    const src = new R2Source(bucket, { prefix: "models/a" });
    expect(await src.exists("config.json")).toBe(true);
    expect(await src.exists("nope")).toBe(false);
    expect(calls).toEqual(["head models/a/config.json", "head models/a/nope"]);
    expect(await src.list()).toEqual(["1_Pooling/config.json", "config.json"]);
  });

  it("wraps binding failures in ModelSourceError naming bucket and key", async () => {
    const { bucket } = fakeR2(objects, { failOn: "models/a/config.json" });
    const err = await new R2Source(bucket, { prefix: "models/a/", name: "MODELS" }).get("config.json").catch((e) => e);
    expect(err).toBeInstanceOf(ModelSourceError);
    expect(err.message).toMatch(
      /r2:MODELS\/models\/a\/: reading "models\/a\/config\.json" failed: Error: internal error/,
    );
  });

  it("wraps a failing list() and refuses to list without one", async () => {
    const { bucket } = fakeR2(objects);
    const failing: R2BucketLike = { get: bucket.get, list: async () => Promise.reject(new Error("denied")) };
    await expect(new R2Source(failing, { name: "MODELS" }).list()).rejects.toThrow(
      /r2:MODELS\/: listing "" failed: Error: denied/,
    );
    await expect(new R2Source({ get: bucket.get }).list()).rejects.toThrow(/cannot list/);
  });

  it("rejects a non-binding and a traversal path", async () => {
    expect(() => new R2Source({} as R2BucketLike)).toThrow(TypeError);
    await expect(new R2Source(fakeR2(objects).bucket, { prefix: "models/a/" }).get("../ab/x")).rejects.toThrow(
      TypeError,
    );
  });
});

describe("KVSource", () => {
  function fakeKV(values: Record<string, Uint8Array>): KVNamespaceLike & { types: string[] } {
    const types: string[] = [];
    return {
      types,
      async get(key, type) {
        types.push(type);
        const v = values[key];
        return v === undefined ? null : (v.slice().buffer as ArrayBuffer);
      },
      async list(options) {
        const names = Object.keys(values).filter((k) => k.startsWith(options?.prefix ?? ""));
        return { keys: names.map((name) => ({ name })), list_complete: true };
      },
    };
  }

  it("reads array buffers under a prefix and returns null when absent", async () => {
    const kv = fakeKV({
      "m/model.safetensors": new Uint8Array([9, 8, 7]),
      "m/config.json": new TextEncoder().encode('{"a":1}'),
    });
    const src = new KVSource(kv, { prefix: "m" });
    expect(new Uint8Array((await src.get("model.safetensors"))!)).toEqual(new Uint8Array([9, 8, 7]));
    expect(await src.getText("config.json")).toBe('{"a":1}');
    expect(await src.get("tokenizer.json")).toBeNull();
    expect(await src.exists("tokenizer.json")).toBe(false);
    expect(kv.types.every((t) => t === "arrayBuffer")).toBe(true);
    expect(await src.list()).toEqual(["config.json", "model.safetensors"]);
  });

  it("wraps a failing binding in ModelSourceError", async () => {
    const kv: KVNamespaceLike = {
      get: async () => {
        throw new Error("KV GET failed: 500");
      },
    };
    await expect(new KVSource(kv, { name: "CACHE" }).get("config.json")).rejects.toThrow(
      /kv:CACHE\/: reading "config\.json" failed/,
    );
  });
});

describe("BundleSource", () => {
  it("serves ArrayBuffer, Uint8Array (subarray) and string modules", async () => {
    const backing = new Uint8Array([0, 1, 2, 3, 4, 5]);
    const whole = new Uint8Array([7, 7]).buffer;
    const src = new BundleSource({ "a.bin": whole, "./b.bin": backing.subarray(2, 4), "config.json": '{"é":1}' });
    expect(await src.get("a.bin")).toBe(whole); // no copy
    expect(new Uint8Array((await src.get("b.bin"))!)).toEqual(new Uint8Array([2, 3]));
    expect(await src.getText("config.json")).toBe('{"é":1}');
    expect(new Uint8Array((await src.get("config.json"))!)).toEqual(new TextEncoder().encode('{"é":1}'));
    expect(await src.get("c")).toBeNull();
    expect(await src.exists("b.bin")).toBe(true);
    expect(await src.list()).toEqual(["a.bin", "b.bin", "config.json"]);
  });

  it("rejects content of the wrong type", () => {
    expect(() => new BundleSource({ "a.json": 5 as unknown as string })).toThrow(/"a\.json" must be an ArrayBuffer/);
  });
});
