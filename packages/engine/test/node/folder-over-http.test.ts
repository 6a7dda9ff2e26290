import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpSource, loadModelFolder, memoryCache, serializeSafetensors } from "../../src/index.js";

/** A sharded model folder served over HTTP from 127.0.0.1, the way the Hub serves resolve URLs. */
describe("loadModelFolder over HttpSource (sharded weights, probing for ONNX)", () => {
  const shard = (name: string, v: number) =>
    serializeSafetensors({ [name]: { dtype: "F32", shape: [1], data: new Float32Array([v]) } });
  const files: Record<string, string | Uint8Array> = {
    "config.json": '{"model_type": "xlm-roberta", "architectures": ["XLMRobertaForSequenceClassification"]}',
    "tokenizer.json": '{"model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}',
    "model.safetensors.index.json": '{"weight_map": {"x": "model-1.safetensors", "y": "model-2.safetensors"}}',
    "model-1.safetensors": shard("x", 1.5),
    "model-2.safetensors": shard("y", -2.5),
    "onnx/model_quantized.onnx": new Uint8Array([1]),
  };
  let server: Server;
  let base: string;
  const requested: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? "").replace(/^\/m\//, ""));
      requested.push(path);
      const body = files[path];
      if (body === undefined) {
        res.statusCode = 404;
        res.end();
      } else res.end(body);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m/`;
  });
  afterAll(() => new Promise((ok) => server.close(ok)));

  it("loads the folder, and a second load is served from the cache", async () => {
    const cache = memoryCache();
    const f = await loadModelFolder(new HttpSource(base, { cache }));
    expect(f.architecture).toEqual({
      kind: "encoder",
      modelType: "xlm-roberta",
      head: "ForSequenceClassification",
      className: "XLMRobertaForSequenceClassification",
    });
    expect(Array.from(f.weights!.float32("x"))).toEqual([1.5]);
    expect(Array.from(f.weights!.float32("y"))).toEqual([-2.5]);
    expect(f.weightFiles).toEqual(["model-1.safetensors", "model-2.safetensors"]);
    expect(f.onnxFiles).toEqual(["onnx/model_quantized.onnx"]); // HTTP cannot list: found by probing
    const firstRound = requested.length;
    await loadModelFolder(new HttpSource(base, { cache }));
    // Only the absent optional files (404s are not cached) are asked for again.
    const again = requested.slice(firstRound);
    expect(again.every((p) => files[p] === undefined)).toBe(true);
    expect(again).toContain("tokenizer_config.json");
  });
});
