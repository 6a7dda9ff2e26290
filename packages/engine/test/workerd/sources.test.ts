import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  cacheApiCache,
  HttpSource,
  ModelSourceError,
  parseSafetensors,
  R2Source,
  serializeSafetensors,
} from "../../src/index.js";

describe("R2Source on a real (miniflare) R2 binding", () => {
  it("reads, checks existence of and lists a model stored under a prefix", async () => {
    const weights = serializeSafetensors({ w: { dtype: "F32", shape: [2], data: new Float32Array([0.5, -4]) } });
    await env.MODELS.put("models/tiny/config.json", '{"model_type":"bert"}');
    await env.MODELS.put("models/tiny/model.safetensors", weights);
    await env.MODELS.put("models/tiny/1_Pooling/config.json", "{}");
    await env.MODELS.put("models/tiny-other/config.json", "{}");

    const src = new R2Source(env.MODELS, { prefix: "models/tiny/", name: "MODELS" });
    expect(await src.getText("config.json")).toBe('{"model_type":"bert"}');
    const bytes = await src.get("model.safetensors");
    expect(Array.from(parseSafetensors(bytes!, "model.safetensors").view("w", "F32"))).toEqual([0.5, -4]);
    expect(await src.get("tokenizer.json")).toBeNull();
    expect(await src.exists("config.json")).toBe(true);
    expect(await src.exists("tokenizer.json")).toBe(false);
    expect(await src.list()).toEqual(["1_Pooling/config.json", "config.json", "model.safetensors"]);
    await expect(src.get("../tiny-other/config.json")).rejects.toThrow(TypeError);
  });
});

describe("HttpSource with the Workers Cache API", () => {
  it("serves a second read from caches.default without fetching", async () => {
    const urls: string[] = [];
    const fakeFetch = async (url: string) => {
      urls.push(url);
      if (url.endsWith("/config.json")) return new Response('{"a":1}');
      if (url.endsWith("/fail.json")) return new Response("no", { status: 500 });
      return new Response("missing", { status: 404 });
    };
    const cache = cacheApiCache(await caches.open("engine-test"));
    const src = new HttpSource("https://models.example/repo/resolve/main/", { cache, fetch: fakeFetch });
    expect(await src.getText("config.json")).toBe('{"a":1}');
    expect(await src.getText("config.json")).toBe('{"a":1}');
    expect(await src.get("nope.json")).toBeNull();
    await expect(src.get("fail.json")).rejects.toThrow(ModelSourceError);
    expect(urls).toEqual([
      "https://models.example/repo/resolve/main/config.json",
      "https://models.example/repo/resolve/main/nope.json",
      "https://models.example/repo/resolve/main/fail.json",
    ]);
  });
});
