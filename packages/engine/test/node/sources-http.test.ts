import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { diskCache, HttpSource, huggingFaceSource, ModelSourceError, memoryCache } from "../../src/node.js";

describe("HttpSource against a local server", () => {
  let server: Server;
  let base: string;
  let requests: { url: string; auth: string | undefined }[] = [];
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "engine-http-cache-"));
    server = createServer((req, res) => {
      requests.push({ url: req.url ?? "", auth: req.headers.authorization });
      if (req.url === "/repo/resolve/main/config.json") res.end('{"model_type":"bert"}');
      else if (req.url === "/repo/resolve/main/1_Pooling/config.json") res.end("{}");
      else if (req.url === "/repo/resolve/main/a%20b%23c.bin") res.end(Buffer.from([1, 2, 3]));
      else if (req.url === "/repo/resolve/main/boom.json") {
        res.statusCode = 503;
        res.end("overloaded");
      } else {
        res.statusCode = 404;
        res.end("not found");
      }
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo/resolve/main`;
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    await rm(cacheDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests = [];
  });

  it("GETs files under the base URL, percent-encoding each segment", async () => {
    const src = new HttpSource(base, { headers: { authorization: "Bearer t" } });
    expect(await src.getText("config.json")).toBe('{"model_type":"bert"}');
    expect(await src.getText("1_Pooling/config.json")).toBe("{}");
    expect(new Uint8Array((await src.get("a b#c.bin"))!)).toEqual(new Uint8Array([1, 2, 3]));
    expect(requests.map((r) => r.url)).toEqual([
      "/repo/resolve/main/config.json",
      "/repo/resolve/main/1_Pooling/config.json",
      "/repo/resolve/main/a%20b%23c.bin",
    ]);
    expect(requests.every((r) => r.auth === "Bearer t")).toBe(true);
  });

  it("maps 404 to null and 5xx to a ModelSourceError naming the URL", async () => {
    const src = new HttpSource(`${base}/`);
    expect(await src.get("missing.json")).toBeNull();
    expect(await src.exists("missing.json")).toBe(false);
    const err = await src.get("boom.json").catch((e) => e);
    expect(err).toBeInstanceOf(ModelSourceError);
    expect(err.message).toBe(`GET ${base}/boom.json answered 503 Service Unavailable`);
  });

  it("reports an unreachable server as ModelSourceError naming the URL", async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const err = await new HttpSource(`http://127.0.0.1:${port}/`).get("config.json").catch((e) => e);
    expect(err).toBeInstanceOf(ModelSourceError);
    expect(err.message).toContain(`GET http://127.0.0.1:${port}/config.json failed`);
  });

  for (const [name, makeCache] of [
    ["memory", () => memoryCache()],
    ["disk", () => diskCache(join(cacheDir, String(Math.random())))],
  ] as const) {
    it(`a ${name} cache hit avoids the second request; misses and errors are not cached`, async () => {
      const cache = makeCache();
      const src = new HttpSource(base, { cache });
      expect(await src.getText("config.json")).toBe('{"model_type":"bert"}');
      expect(await src.getText("config.json")).toBe('{"model_type":"bert"}');
      // A second source sharing the cache (as another isolate sharing caches.default would) also hits.
      expect(await new HttpSource(base, { cache }).getText("config.json")).toBe('{"model_type":"bert"}');
      expect(await src.get("missing.json")).toBeNull();
      expect(await src.get("missing.json")).toBeNull();
      await expect(src.get("boom.json")).rejects.toThrow(ModelSourceError);
      await expect(src.get("boom.json")).rejects.toThrow(ModelSourceError);
      expect(requests.map((r) => r.url.split("/").pop())).toEqual([
        "config.json",
        "missing.json",
        "missing.json",
        "boom.json",
        "boom.json",
      ]);
    });
  }

  it("builds Hugging Face resolve URLs and validates its arguments", () => {
    expect(huggingFaceSource("BAAI/bge-small-en-v1.5").urlFor("onnx/model.onnx")).toBe(
      "https://huggingface.co/BAAI/bge-small-en-v1.5/resolve/main/onnx/model.onnx",
    );
    expect(huggingFaceSource("org/m", { revision: "refs/pr/1", endpoint: `${base}/` }).description).toBe(
      `${base}/org/m/resolve/refs%2Fpr%2F1/`,
    );
    expect(() => huggingFaceSource("../etc")).toThrow(TypeError);
    expect(() => new HttpSource("ftp://x/")).toThrow(/must be http\(s\)/);
    expect(() => new HttpSource("not a url")).toThrow(TypeError);
  });
});
