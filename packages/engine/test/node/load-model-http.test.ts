/** loadModel over HttpSource (127.0.0.1) with the weights split into two shards, as the Hub serves them. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BundleSource, HttpSource, loadModel, serializeSafetensors } from "../../src/index.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";

describe("loadModel over HttpSource with sharded safetensors", () => {
  const tiny = generateTinyEncoder({ seed: 501, modelType: "roberta", head: "ForMaskedLM" });
  const names = Object.keys(tiny.tensors).sort();
  const half = Math.ceil(names.length / 2);
  const shards = [names.slice(0, half), names.slice(half)];
  const files: Record<string, string | Uint8Array> = {
    "config.json": tiny.files["config.json"],
    "tokenizer.json": tiny.files["tokenizer.json"],
    "model.safetensors.index.json": JSON.stringify({
      weight_map: Object.fromEntries(
        shards.flatMap((s, i) => s.map((n) => [n, `model-0000${i + 1}-of-00002.safetensors`])),
      ),
    }),
    ...Object.fromEntries(
      shards.map((s, i) => [
        `model-0000${i + 1}-of-00002.safetensors`,
        serializeSafetensors(Object.fromEntries(s.map((n) => [n, tiny.tensors[n]]))),
      ]),
    ),
  };
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = files[decodeURIComponent((req.url ?? "").replace(/^\/m\//, ""))];
      res.statusCode = body === undefined ? 404 : 200;
      res.end(body);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m/`;
  });
  afterAll(() => new Promise((ok) => server.close(ok)));

  it("gives the same logits as the single-file folder", async () => {
    const overHttp = await loadModel(new HttpSource(base));
    const local = await loadModel(new BundleSource(tiny.files));
    const inputs = {
      inputIds: [
        [0, 9, 14, 2],
        [0, 7, 2],
      ],
    };
    const a = await overHttp.forward(inputs);
    const b = await local.forward(inputs);
    expect(a.logits.dims).toEqual([2, 4, 32]);
    expect(Array.from(a.logits.data)).toEqual(Array.from(b.logits.data));
    expect(overHttp.stats().weightsBytes).toBe(local.stats().weightsBytes);
  });
});
